// Paired throughput runs: 1M empty tasks from one thread, then wait, for
// Quaver's TaskGroup and tbb::task_group alternately in one process (the order
// flips every round), so that both see the same machine load. Prints each
// round's times and the median and range of tbb/quaver.
//   pool_throughput_pairs [rounds=15] [tasks=1000000] [quaver]
// With "quaver" only Quaver's rounds run, and TBB never starts its threads.
// Both run tasks on the machine's cores: Quaver cores - 1 workers plus the
// waiting thread, TBB likewise.
#include <tbb/global_control.h>
#include <tbb/task_group.h>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <thread>
#include <vector>

#include "quaver/sched.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// CPU seconds of the calling thread, and of the whole process.
double thread_cpu() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}
double process_cpu() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
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
    const bool quaver_only = argc > 3 && std::string_view(argv[3]) == "quaver";
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
    if (!quaver_only) run_tbb();

    // Each round also prints, per impl, the CPU time of the submitting thread
    // and of the whole process: wall time well above the process's CPU time
    // over the number of cores means our threads were waiting for a core.
    struct Cpu {
        double main = 0, all = 0;
    };
    auto timed = [](auto run, Cpu& c) {
        const double m0 = thread_cpu(), p0 = process_cpu();
        const double wall = run();
        c.main = thread_cpu() - m0;
        c.all = process_cpu() - p0;
        return wall;
    };
    std::vector<double> q, t, ratio;
    for (int r = 0; r < rounds; ++r) {
        double a, b;
        Cpu ca, cb;
        if (quaver_only) {
            a = timed(run_quaver, ca);
            q.push_back(a);
            std::printf("round %2d  quaver %7.1f ms (cpu main %5.1f, all %5.1f)\n", r, a * 1e3, ca.main * 1e3, ca.all * 1e3);
            continue;
        }
        if (r % 2) {
            b = timed(run_tbb, cb);
            a = timed(run_quaver, ca);
        } else {
            a = timed(run_quaver, ca);
            b = timed(run_tbb, cb);
        }
        q.push_back(a);
        t.push_back(b);
        ratio.push_back(b / a);
        std::printf("round %2d  quaver %7.1f ms (cpu main %5.1f, all %5.1f)  tbb %7.1f ms (cpu main %5.1f, all %5.1f)  tbb/quaver %.2f\n",
                    r, a * 1e3, ca.main * 1e3, ca.all * 1e3, b * 1e3, cb.main * 1e3, cb.all * 1e3, b / a);
    }
    if (quaver_only) {
        std::printf("%d rounds of %d tasks: quaver median %.1f ms, range %.1f-%.1f ms\n", rounds, tasks, median(q) * 1e3,
                    *std::min_element(q.begin(), q.end()) * 1e3, *std::max_element(q.begin(), q.end()) * 1e3);
        return 0;
    }
    std::printf("%d rounds of %d tasks: quaver median %.1f ms (%.1f M tasks/s), tbb median %.1f ms\n", rounds, tasks,
                median(q) * 1e3, tasks / median(q) * 1e-6, median(t) * 1e3);
    std::printf("tbb/quaver: median %.2f, range %.2f-%.2f\n", median(ratio), *std::min_element(ratio.begin(), ratio.end()),
                *std::max_element(ratio.begin(), ratio.end()));
}
