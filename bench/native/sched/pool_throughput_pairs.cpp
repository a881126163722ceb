// Paired throughput runs: 1M empty tasks from one thread, then wait, for
// Quaver's TaskGroup and tbb::task_group alternately in one process (the order
// flips every round), so that both see the same machine load. Prints each
// round's times and the median and range of tbb/quaver.
//   pool_throughput_pairs [rounds=15] [tasks=1000000]
// Both run tasks on the machine's cores: Quaver cores - 1 workers plus the
// waiting thread, TBB likewise.
#include <tbb/global_control.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "quaver/sched.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 15;
    const int tasks = argc > 2 ? std::atoi(argv[2]) : 1'000'000;
    const unsigned threads = std::max(2u, std::thread::hardware_concurrency());

    quaver::PoolOptions o;
    o.workers = threads - 1;
    quaver::WorkerPool pool(o);
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);

    auto run_quaver = [&] {
        const auto t0 = std::chrono::steady_clock::now();
        quaver::TaskGroup group(pool);
        for (int i = 0; i < tasks; ++i) group.run(quaver::Priority::normal, [] {});
        group.wait();
        return seconds_since(t0);
    };
    auto run_tbb = [&] {
        const auto t0 = std::chrono::steady_clock::now();
        tbb::task_group group;
        for (int i = 0; i < tasks; ++i) group.run([] {});
        group.wait();
        return seconds_since(t0);
    };
    run_quaver();  // warm-up: page in the slab, start TBB's workers
    run_tbb();

    std::vector<double> q, t, ratio;
    for (int r = 0; r < rounds; ++r) {
        double a, b;
        if (r % 2) {
            b = run_tbb();
            a = run_quaver();
        } else {
            a = run_quaver();
            b = run_tbb();
        }
        q.push_back(a);
        t.push_back(b);
        ratio.push_back(b / a);
        std::printf("round %2d  quaver %7.1f ms  tbb %7.1f ms  tbb/quaver %.2f\n", r, a * 1e3, b * 1e3, b / a);
    }
    std::printf("%d rounds of %d tasks: quaver median %.1f ms (%.1f M tasks/s), tbb median %.1f ms\n", rounds, tasks,
                median(q) * 1e3, tasks / median(q) * 1e-6, median(t) * 1e3);
    std::printf("tbb/quaver: median %.2f, range %.2f-%.2f\n", median(ratio), *std::min_element(ratio.begin(), ratio.end()),
                *std::max_element(ratio.begin(), ratio.end()));
}
