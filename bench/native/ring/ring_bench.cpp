// Quaver's rings against the queues audio and game code usually reach for:
// boost::lockfree (spsc_queue, queue) and moodycamel (ReaderWriterQueue,
// ConcurrentQueue), all measured in the same process.
//
//   spsc_u64/<impl>            ns per item, producer and consumer on two cores
//   spsc_bulk_f32/<impl>/128   ns per 128-float chunk (memcpy: the one-thread ceiling)
//   ping_pong/<impl>           ns per round trip of one item through two rings
//   mpmc_u64/<impl>            ns per item, 2 producers + 2 consumers
//
// The producer (or the pinging side) is the benchmark thread, pinned to CPU 0;
// its partner is pinned to CPU 1, so the figures are cross-core. Waiting on a
// full or empty queue is the same spin for every implementation.
#include <benchmark/benchmark.h>
#include <pthread.h>
#include <sched.h>

#include <quaver/ring/mpmc_queue.hpp>
#include <quaver/ring/spsc_ring.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include <boost/lockfree/queue.hpp>
#include <boost/lockfree/spsc_queue.hpp>
#include <concurrentqueue/concurrentqueue.h>
#include <readerwriterqueue/readerwriterqueue.h>

namespace {

// 1024 slots in every ring: boost and moodycamel keep one slot empty, so they
// hold 1023 items and Quaver 1024. (moodycamel's ReaderWriterQueue asked for
// 1023 items makes exactly one 1024-slot block; asked for 4096 it would build
// ten 512-slot blocks holding ~5100, and under time-slicing the bigger ring
// wins by size alone.)
constexpr std::size_t spsc_capacity = 1024;
constexpr std::size_t chunk = 128;

inline void spin_pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

// Spins briefly, then gives the core away: with 2 cores shared with other
// work, a pure spin on a descheduled partner would burn whole time slices.
struct Backoff {
    int spins = 0;
    void operator()() {
        if (++spins < 64) {
            spin_pause();
        } else {
            std::this_thread::yield();
        }
    }
    void reset() { spins = 0; }
};

void pin_to(unsigned cpu) {
    const unsigned cpus = std::thread::hardware_concurrency();
    if (cpus < 2) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu % cpus, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

void unpin() {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (unsigned c = 0; c < std::thread::hardware_concurrency(); ++c) CPU_SET(c, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "ring_bench: %s\n", what);
    std::abort();
}

// ---- adapters: one interface over every queue ------------------------------

struct QuaverSpsc {
    quaver::SpscRing<std::uint64_t> q{spsc_capacity};
    bool push(std::uint64_t v) { return q.try_push(v); }
    bool pop(std::uint64_t& v) { return q.try_pop(v); }
};
struct BoostSpsc {
    boost::lockfree::spsc_queue<std::uint64_t, boost::lockfree::capacity<spsc_capacity>> q;
    bool push(std::uint64_t v) { return q.push(v); }
    bool pop(std::uint64_t& v) { return q.pop(v); }
};
struct MoodycamelSpsc {
    moodycamel::ReaderWriterQueue<std::uint64_t> q{spsc_capacity - 1};
    bool push(std::uint64_t v) { return q.try_enqueue(v); }
    bool pop(std::uint64_t& v) { return q.try_dequeue(v); }
};

struct QuaverMpmc {
    quaver::MpmcQueue<std::uint64_t> q{spsc_capacity};
    bool push(std::uint64_t v) { return q.try_push(v); }
    bool pop(std::uint64_t& v) { return q.try_pop(v); }
};
struct BoostMpmc {
    boost::lockfree::queue<std::uint64_t, boost::lockfree::capacity<spsc_capacity>> q;
    bool push(std::uint64_t v) { return q.push(v); }
    bool pop(std::uint64_t& v) { return q.pop(v); }
};
struct MoodycamelMpmc {
    // Implicit producers each take whole blocks, so give them room to hold
    // the same number of items as the others' rings.
    moodycamel::ConcurrentQueue<std::uint64_t> q{4 * spsc_capacity};
    bool push(std::uint64_t v) { return q.try_enqueue(v); }
    bool pop(std::uint64_t& v) { return q.try_dequeue(v); }
};

// ---- spsc_u64: one item per iteration --------------------------------------

template <class Queue>
void spsc_u64(benchmark::State& state) {
    auto queue = std::make_unique<Queue>();
    const std::uint64_t total = state.max_iterations;
    std::thread consumer([&] {
        pin_to(1);
        Backoff backoff;
        for (std::uint64_t expected = 0; expected < total;) {
            std::uint64_t v;
            if (queue->pop(v)) {
                if (v != expected) fail("spsc_u64: item out of order");
                ++expected;
                backoff.reset();
            } else {
                backoff();
            }
        }
    });
    pin_to(0);
    std::uint64_t next = 0;
    Backoff backoff;
    for (auto _ : state) {
        while (!queue->push(next)) backoff();
        backoff.reset();
        ++next;
    }
    consumer.join();
    unpin();
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// ---- spsc_bulk_f32: one 128-float chunk per iteration -----------------------

struct QuaverBulk {
    quaver::SpscRing<float> q{spsc_capacity};
    std::size_t write(const float* p, std::size_t n) { return q.write({p, n}); }
    std::size_t read(float* p, std::size_t n) { return q.read({p, n}); }
};
struct BoostBulk {
    boost::lockfree::spsc_queue<float, boost::lockfree::capacity<spsc_capacity>> q;
    std::size_t write(const float* p, std::size_t n) { return q.push(p, n); }
    std::size_t read(float* p, std::size_t n) { return q.pop(p, n); }
};

// Every chunk is the ramp 0..127, so the stream repeats with period 128 and
// the consumer can spot a lost or repeated piece; the producer sends the same
// buffer each time (generating samples would cost more than the ring).
struct Ramp {
    float samples[chunk];
    Ramp() {
        for (std::size_t i = 0; i < chunk; ++i) samples[i] = static_cast<float>(i);
    }
};
const Ramp ramp;

template <class Queue>
void spsc_bulk_f32(benchmark::State& state) {
    auto queue = std::make_unique<Queue>();
    const std::uint64_t total = state.max_iterations * chunk;
    std::thread consumer([&] {
        pin_to(1);
        float in[chunk];
        Backoff backoff;
        std::uint64_t received = 0;
        float expected = 0;
        while (received < total) {
            const std::size_t n = queue->read(in, chunk);
            if (n == 0) {
                backoff();
                continue;
            }
            backoff.reset();
            // Spot check: the first sample of each piece continues the ramp.
            if (in[0] != expected) fail("spsc_bulk_f32: stream out of order");
            expected = in[n - 1] + 1.0f;
            if (expected >= static_cast<float>(chunk)) expected = 0;
            received += n;
        }
    });
    pin_to(0);
    Backoff backoff;
    for (auto _ : state) {
        for (std::size_t done = 0; done < chunk;) {
            const std::size_t n = queue->write(ramp.samples + done, chunk - done);
            if (n == 0) backoff();
            done += n;
        }
        backoff.reset();
    }
    consumer.join();
    unpin();
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * chunk * sizeof(float)));
}

// The ceiling: the same two copies on one thread, no ring, no other core.
void spsc_bulk_memcpy(benchmark::State& state) {
    static float ring[spsc_capacity];
    float in[chunk];
    std::size_t slot = 0;
    for (auto _ : state) {
        std::memcpy(ring + slot, ramp.samples, sizeof in);
        benchmark::ClobberMemory();
        std::memcpy(in, ring + slot, sizeof in);
        benchmark::DoNotOptimize(in[0]);
        slot = (slot + chunk) % spsc_capacity;
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * chunk * sizeof(float)));
}

// ---- one thread: the instruction cost of the operations themselves ---------
// On a loaded 2-core machine the two-thread figures above mostly measure the
// scheduler; these do not cross cores and stay stable from run to run.

template <class Queue>
void spsc_u64_1t(benchmark::State& state) {
    auto queue = std::make_unique<Queue>();
    std::uint64_t next = 0, sum = 0;
    for (auto _ : state) {
        // 16 pushes then 16 pops: the index arithmetic and the slot access.
        for (int i = 0; i < 16; ++i)
            if (!queue->push(next++)) fail("spsc_u64_1t: full");
        for (int i = 0; i < 16; ++i) {
            std::uint64_t v;
            if (!queue->pop(v)) fail("spsc_u64_1t: empty");
            sum += v;
        }
    }
    benchmark::DoNotOptimize(sum);
}

template <class Queue>
void spsc_bulk_f32_1t(benchmark::State& state) {
    auto queue = std::make_unique<Queue>();
    float in[chunk];
    for (auto _ : state) {
        if (queue->write(ramp.samples, chunk) != chunk) fail("spsc_bulk_f32_1t: full");
        if (queue->read(in, chunk) != chunk) fail("spsc_bulk_f32_1t: empty");
        benchmark::DoNotOptimize(in);
    }
}

// ---- ping_pong: one round trip per iteration --------------------------------

template <class Queue>
void ping_pong(benchmark::State& state) {
    auto ping = std::make_unique<Queue>();
    auto pong = std::make_unique<Queue>();
    const std::uint64_t total = state.max_iterations;
    std::thread echo([&] {
        pin_to(1);
        Backoff backoff;
        for (std::uint64_t i = 0; i < total; ++i) {
            std::uint64_t v;
            while (!ping->pop(v)) backoff();
            backoff.reset();
            while (!pong->push(v + 1)) backoff();
        }
    });
    pin_to(0);
    std::uint64_t v = 0;
    Backoff backoff;
    for (auto _ : state) {
        while (!ping->push(v)) backoff();
        std::uint64_t back;
        while (!pong->pop(back)) backoff();
        backoff.reset();
        if (back != v + 1) fail("ping_pong: wrong reply");
        v = back;
    }
    echo.join();
    unpin();
}

// ---- mpmc_u64: 2 producers + 2 consumers ------------------------------------

constexpr std::uint64_t mpmc_batch = 1 << 18;

// One iteration moves a batch of items with freshly started threads and
// reports the wall time per item (manual time): a fixed iteration count
// keeps Google Benchmark from scaling the run by that per-item time.
template <class Queue>
void mpmc_u64(benchmark::State& state) {
    for (auto _ : state) {
        auto queue = std::make_unique<Queue>();
        std::atomic<int> ready{0};
        std::atomic<bool> go{false};
        std::atomic<std::uint64_t> checksum{0};
        const std::uint64_t per_thread = mpmc_batch / 2;
        std::vector<std::thread> threads;
        for (int p = 0; p < 2; ++p) {
            threads.emplace_back([&, p] {
                pin_to(p);
                ready.fetch_add(1);
                while (!go.load(std::memory_order_acquire)) spin_pause();
                Backoff backoff;
                for (std::uint64_t i = 0; i < per_thread; ++i) {
                    while (!queue->push(i * 2 + p)) backoff();
                    backoff.reset();
                }
            });
        }
        for (int c = 0; c < 2; ++c) {
            threads.emplace_back([&, c] {
                pin_to(c + 1);
                ready.fetch_add(1);
                while (!go.load(std::memory_order_acquire)) spin_pause();
                Backoff backoff;
                std::uint64_t sum = 0;
                for (std::uint64_t i = 0; i < per_thread; ++i) {
                    std::uint64_t v;
                    while (!queue->pop(v)) backoff();
                    backoff.reset();
                    sum += v;
                }
                checksum.fetch_add(sum);
            });
        }
        while (ready.load() < 4) std::this_thread::yield();
        const auto start = std::chrono::steady_clock::now();
        go.store(true, std::memory_order_release);
        for (auto& t : threads) t.join();
        const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        // Items 0 .. batch-1 each exactly once.
        if (checksum.load() != mpmc_batch * (mpmc_batch - 1) / 2) fail("mpmc_u64: items lost or duplicated");
        state.SetIterationTime(elapsed / static_cast<double>(mpmc_batch));
    }
}

}  // namespace

BENCHMARK(spsc_u64<QuaverSpsc>)->Name("spsc_u64/quaver")->UseRealTime();
BENCHMARK(spsc_u64<BoostSpsc>)->Name("spsc_u64/boost")->UseRealTime();
BENCHMARK(spsc_u64<MoodycamelSpsc>)->Name("spsc_u64/moodycamel")->UseRealTime();

BENCHMARK(spsc_bulk_f32<QuaverBulk>)->Name("spsc_bulk_f32/quaver/128")->UseRealTime();
BENCHMARK(spsc_bulk_f32<BoostBulk>)->Name("spsc_bulk_f32/boost/128")->UseRealTime();
BENCHMARK(spsc_bulk_memcpy)->Name("spsc_bulk_f32/memcpy/128");

// ns per 16 pushes + 16 pops, and per 128-float write + read, on one thread.
BENCHMARK(spsc_u64_1t<QuaverSpsc>)->Name("spsc_u64_1thread/quaver/16");
BENCHMARK(spsc_u64_1t<BoostSpsc>)->Name("spsc_u64_1thread/boost/16");
BENCHMARK(spsc_u64_1t<MoodycamelSpsc>)->Name("spsc_u64_1thread/moodycamel/16");
BENCHMARK(spsc_u64_1t<QuaverMpmc>)->Name("mpmc_u64_1thread/quaver/16");
BENCHMARK(spsc_u64_1t<BoostMpmc>)->Name("mpmc_u64_1thread/boost/16");
BENCHMARK(spsc_u64_1t<MoodycamelMpmc>)->Name("mpmc_u64_1thread/moodycamel/16");
BENCHMARK(spsc_bulk_f32_1t<QuaverBulk>)->Name("spsc_bulk_f32_1thread/quaver/128");
BENCHMARK(spsc_bulk_f32_1t<BoostBulk>)->Name("spsc_bulk_f32_1thread/boost/128");

BENCHMARK(ping_pong<QuaverSpsc>)->Name("ping_pong/quaver")->UseRealTime();
BENCHMARK(ping_pong<BoostSpsc>)->Name("ping_pong/boost")->UseRealTime();
BENCHMARK(ping_pong<MoodycamelSpsc>)->Name("ping_pong/moodycamel")->UseRealTime();

BENCHMARK(mpmc_u64<QuaverMpmc>)->Name("mpmc_u64/quaver")->UseManualTime()->Iterations(8);
BENCHMARK(mpmc_u64<BoostMpmc>)->Name("mpmc_u64/boost")->UseManualTime()->Iterations(8);
BENCHMARK(mpmc_u64<MoodycamelMpmc>)->Name("mpmc_u64/moodycamel")->UseManualTime()->Iterations(8);

BENCHMARK_MAIN();
