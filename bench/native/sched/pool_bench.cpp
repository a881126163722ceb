// Worker pool benchmarks, Quaver next to its peers in one run:
//   pool_throughput/<impl>    1M empty tasks from one thread, then wait for all
//   pool_wakeup/<impl>        submit-to-start latency of a parked pool (1 ms
//                             between tasks) as p50/p99/p99.9 counters, and the
//                             CPU an idle pool burns (cores, over one second)
//   pool_rt_latency/<impl>    start latency of a realtime task while 10k
//                             background tasks of 10 us each are queued
//   parallel_for/<impl>/threads:<t>/n:<n>
//                             64 Hann-windowed frames of n samples through
//                             quaver::RealFft on t threads (the caller
//                             included); impl serial is the plain loop
// Latencies are in nanoseconds. Every impl gets the same number of threads
// that run tasks (see each benchmark).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cmath>
#include <complex>
#include <numbers>
#include <thread>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include "quaver/dsp/fft.hpp"
#include "quaver/sched.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now().time_since_epoch()).count();
}

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

// Cores the process burns while idle for `seconds` (the pool parked).
double idle_cores(double seconds = 1.0) {
    const double c0 = cpu_seconds();
    const auto t0 = clock_type::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double wall = std::chrono::duration<double>(clock_type::now() - t0).count();
    return (cpu_seconds() - c0) / wall;
}

double percentile(std::vector<double> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

void spin_for_ns(std::int64_t ns) {
    const std::int64_t until = now_ns() + ns;
    while (now_ns() < until) {
    }
}

// Threads that run tasks: the machine's cores (2 here), for every impl.
unsigned task_threads() { return std::max(2u, std::thread::hardware_concurrency()); }

// ---------------------------------------------------------------------------
// Throughput: 1M empty tasks. Quaver: cores - 1 workers plus the submitting
// thread, which joins in at wait() (as TBB's does); asio: a pool of `cores`
// threads (its submitting thread only posts, then joins).

constexpr int throughput_tasks = 1'000'000;

void pool_throughput_quaver(benchmark::State& state) {
    quaver::PoolOptions o;
    o.workers = task_threads() - 1;
    quaver::WorkerPool pool(o);
    for (auto _ : state) {
        quaver::TaskGroup group(pool);
        for (int i = 0; i < throughput_tasks; ++i) group.run(quaver::Priority::normal, [] {});
        group.wait();
    }
    state.SetItemsProcessed(state.iterations() * throughput_tasks);
}

void pool_throughput_tbb(benchmark::State& state) {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, task_threads());
    for (auto _ : state) {
        tbb::task_group group;
        for (int i = 0; i < throughput_tasks; ++i) group.run([] {});
        group.wait();
    }
    state.SetItemsProcessed(state.iterations() * throughput_tasks);
}

void pool_throughput_asio(benchmark::State& state) {
    for (auto _ : state) {
        boost::asio::thread_pool pool(task_threads());
        for (int i = 0; i < throughput_tasks; ++i) boost::asio::post(pool, [] {});
        pool.join();
    }
    state.SetItemsProcessed(state.iterations() * throughput_tasks);
}

// ---------------------------------------------------------------------------
// Wake-up latency of a parked pool: one task every millisecond.

constexpr int wakeup_samples = 300;

template <class Submit>
void measure_wakeup(benchmark::State& state, Submit submit) {
    std::vector<double> latencies;
    for (auto _ : state) {
        std::atomic<std::int64_t> started{0};
        std::this_thread::sleep_for(std::chrono::milliseconds(1));  // let the workers park
        const std::int64_t t0 = now_ns();
        submit([&started] { started.store(now_ns(), std::memory_order_release); });
        std::int64_t t1;
        while ((t1 = started.load(std::memory_order_acquire)) == 0) std::this_thread::yield();
        const double ns = static_cast<double>(t1 - t0);
        latencies.push_back(ns);
        state.SetIterationTime(ns * 1e-9);
    }
    state.counters["p50_ns"] = percentile(latencies, 0.50);
    state.counters["p99_ns"] = percentile(latencies, 0.99);
    state.counters["p999_ns"] = percentile(latencies, 0.999);
}

void pool_wakeup_quaver(benchmark::State& state) {
    quaver::PoolOptions o;
    o.workers = task_threads() - 1;
    quaver::WorkerPool pool(o);
    measure_wakeup(state, [&](auto f) { pool.post(quaver::Priority::realtime, f); });
    state.counters["idle_cores"] = idle_cores();
}

void pool_wakeup_tbb(benchmark::State& state) {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, task_threads());
    tbb::task_arena arena(static_cast<int>(task_threads() - 1), 0);
    measure_wakeup(state, [&](auto f) { arena.enqueue(f); });
    state.counters["idle_cores"] = idle_cores();
}

void pool_wakeup_asio(benchmark::State& state) {
    boost::asio::thread_pool pool(task_threads() - 1);
    measure_wakeup(state, [&](auto f) { boost::asio::post(pool, f); });
    state.counters["idle_cores"] = idle_cores();
    pool.join();
}

// ---------------------------------------------------------------------------
// Realtime start latency under a background flood: 10k tasks of 10 us queued
// on `cores` worker threads, then one realtime probe every 2 ms while the
// flood drains. Quaver: one pool, per-task priority. TBB, one arena: the probe
// joins the flood's queue. TBB, two arenas: the probe goes to an arena of
// high priority, whose workers TBB moves over between tasks.

constexpr int flood_tasks = 10000;
constexpr std::int64_t flood_task_ns = 10000;
constexpr int rt_probes = 8;

template <class Flood, class Probe, class Drain>
void measure_rt(benchmark::State& state, Flood flood, Probe probe, Drain drain) {
    std::vector<double> latencies;
    for (auto _ : state) {
        flood();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        double total = 0;
        for (int p = 0; p < rt_probes; ++p) {
            std::atomic<std::int64_t> started{0};
            const std::int64_t t0 = now_ns();
            probe([&started] { started.store(now_ns(), std::memory_order_release); });
            std::int64_t t1;
            while ((t1 = started.load(std::memory_order_acquire)) == 0) std::this_thread::yield();
            latencies.push_back(static_cast<double>(t1 - t0));
            total += static_cast<double>(t1 - t0);
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        drain();
        state.SetIterationTime(total * 1e-9 / rt_probes);
    }
    state.counters["p50_ns"] = percentile(latencies, 0.50);
    state.counters["max_ns"] = percentile(latencies, 1.0);
}

void pool_rt_latency_quaver(benchmark::State& state) {
    quaver::PoolOptions o;
    o.workers = task_threads();
    o.max_tasks = 16384;
    o.queue_capacity = 16384;
    quaver::WorkerPool pool(o);
    quaver::TaskGroup group(pool);
    measure_rt(
        state,
        [&] {
            for (int i = 0; i < flood_tasks; ++i) group.run(quaver::Priority::background, [] { spin_for_ns(flood_task_ns); });
        },
        [&](auto f) { pool.post(quaver::Priority::realtime, f); }, [&] { group.wait(); });
}

// The flood goes to `background`, the realtime task to `urgent` (the same
// arena, or one of high priority).
void measure_rt_tbb(benchmark::State& state, tbb::task_arena& background, tbb::task_arena& urgent) {
    std::atomic<int> left{0};
    measure_rt(
        state,
        [&] {
            left = flood_tasks;
            for (int i = 0; i < flood_tasks; ++i)
                background.enqueue([&] {
                    spin_for_ns(flood_task_ns);
                    left.fetch_sub(1);
                });
        },
        [&](auto f) { urgent.enqueue(f); },
        [&] {
            while (left.load() > 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
        });
}

void pool_rt_latency_tbb(benchmark::State& state) {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, task_threads() + 1);
    tbb::task_arena arena(static_cast<int>(task_threads()), 0);
    measure_rt_tbb(state, arena, arena);
}

void pool_rt_latency_tbb_two_arenas(benchmark::State& state) {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, task_threads() + 1);
    tbb::task_arena background(static_cast<int>(task_threads()), 0, tbb::task_arena::priority::low);
    tbb::task_arena high(static_cast<int>(task_threads()), 0, tbb::task_arena::priority::high);
    measure_rt_tbb(state, background, high);
}

// ---------------------------------------------------------------------------
// parallel_for on a DSP-sized body: 64 frames, each Hann-windowed and put
// through quaver::RealFft, then reduced to power per bin (what a spectrogram
// or an offline analysis does per block). A plan owns its scratch, so each
// chunk borrows a plan from a small set (one RMW per chunk, no allocation).

struct FftFrames {
    static constexpr std::size_t frames = 64;
    static constexpr std::size_t max_threads = 16;
    std::size_t size;
    std::vector<float> signal, window, power;
    std::vector<quaver::RealFft> plans;
    std::vector<std::vector<float>> frame_in;
    std::vector<std::vector<std::complex<float>>> frame_out;
    std::array<std::atomic<bool>, max_threads> plan_busy{};
    std::thread::id caller = std::this_thread::get_id();
    std::atomic<std::size_t> caller_frames{0}, all_frames{0};  // who did the work

    explicit FftFrames(std::size_t n)
        : size(n), signal(frames * n), window(n), power(frames * (n / 2 + 1)), frame_in(max_threads), frame_out(max_threads) {
        for (std::size_t i = 0; i < signal.size(); ++i)
            signal[i] = static_cast<float>(std::sin(0.01 * double(i)) + 0.3 * std::sin(0.37 * double(i)));
        for (std::size_t i = 0; i < n; ++i)
            window[i] = static_cast<float>(0.5 - 0.5 * std::cos(2 * std::numbers::pi * double(i) / double(n)));
        for (std::size_t t = 0; t < max_threads; ++t) {
            plans.emplace_back(n);
            frame_in[t].resize(n);
            frame_out[t].resize(n / 2 + 1);
        }
    }

    // Frames [b, e) with one borrowed plan.
    void run(std::size_t b, std::size_t e) {
        std::size_t t = 0;
        while (plan_busy[t].exchange(true, std::memory_order_acquire)) t = (t + 1) % max_threads;
        float* in = frame_in[t].data();
        std::complex<float>* out = frame_out[t].data();
        const std::size_t bins = size / 2 + 1;
        for (std::size_t f = b; f < e; ++f) {
            const float* x = &signal[f * size];
            for (std::size_t i = 0; i < size; ++i) in[i] = x[i] * window[i];
            plans[t].forward(in, out);
            float* p = &power[f * bins];
            for (std::size_t k = 0; k < bins; ++k) p[k] = std::norm(out[k]);
        }
        plan_busy[t].store(false, std::memory_order_release);
        if (std::this_thread::get_id() == caller) caller_frames.fetch_add(e - b, std::memory_order_relaxed);
        all_frames.fetch_add(e - b, std::memory_order_relaxed);
    }

    // Share of the frames the calling thread ran itself (1 = no help arrived).
    double caller_share() const {
        const auto all = all_frames.load();
        return all ? double(caller_frames.load()) / double(all) : 0.0;
    }
};

// Args: threads that run frames (the caller included), FFT size.
void parallel_for_quaver(benchmark::State& state) {
    quaver::PoolOptions o;
    // The calling thread takes part, so n threads in all means n - 1 workers.
    o.workers = static_cast<std::size_t>(state.range(0)) - 1;
    quaver::WorkerPool pool(o);
    FftFrames work(static_cast<std::size_t>(state.range(1)));
    for (auto _ : state) {
        pool.parallel_for(quaver::Priority::normal, 0, FftFrames::frames, 1,
                          [&](std::size_t b, std::size_t e) { work.run(b, e); });
        benchmark::DoNotOptimize(work.power.data());
    }
    state.counters["caller_share"] = work.caller_share();
}

void parallel_for_tbb(benchmark::State& state) {
    const int threads = static_cast<int>(state.range(0));
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    tbb::task_arena arena(threads);
    FftFrames work(static_cast<std::size_t>(state.range(1)));
    for (auto _ : state) {
        arena.execute([&] {
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, FftFrames::frames, 1),
                              [&](const tbb::blocked_range<std::size_t>& r) { work.run(r.begin(), r.end()); });
        });
        benchmark::DoNotOptimize(work.power.data());
    }
    state.counters["caller_share"] = work.caller_share();
}

void parallel_for_serial(benchmark::State& state) {
    FftFrames work(static_cast<std::size_t>(state.range(1)));
    for (auto _ : state) {
        work.run(0, FftFrames::frames);
        benchmark::DoNotOptimize(work.power.data());
    }
}

}  // namespace

BENCHMARK(pool_throughput_quaver)->Name("pool_throughput/quaver")->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(pool_throughput_tbb)->Name("pool_throughput/tbb")->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(pool_throughput_asio)->Name("pool_throughput/asio")->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

BENCHMARK(pool_wakeup_quaver)->Name("pool_wakeup/quaver")->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(wakeup_samples);
BENCHMARK(pool_wakeup_tbb)->Name("pool_wakeup/tbb")->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(wakeup_samples);
BENCHMARK(pool_wakeup_asio)->Name("pool_wakeup/asio")->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(wakeup_samples);

BENCHMARK(pool_rt_latency_quaver)->Name("pool_rt_latency/quaver")->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(5);
BENCHMARK(pool_rt_latency_tbb)->Name("pool_rt_latency/tbb")->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(5);
BENCHMARK(pool_rt_latency_tbb_two_arenas)->Name("pool_rt_latency/tbb_two_arenas")->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(5);

// Serial first, so each FFT size's baseline precedes its parallel runs.
BENCHMARK(parallel_for_serial)->Name("parallel_for/serial")->ArgNames({"threads", "n"})->Args({1, 1024})->Args({1, 4096})->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(parallel_for_quaver)->Name("parallel_for/quaver")->ArgNames({"threads", "n"})->ArgsProduct({{1, 2, 4, 8}, {1024, 4096}})->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(parallel_for_tbb)->Name("parallel_for/tbb")->ArgNames({"threads", "n"})->ArgsProduct({{1, 2, 4, 8}, {1024, 4096}})->Unit(benchmark::kMicrosecond)->UseRealTime();

BENCHMARK_MAIN();
