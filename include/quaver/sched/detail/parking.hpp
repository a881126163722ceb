#pragma once
// The few platform pieces the pool's threads rest on: parking a thread on a
// 32-bit word (futex-style), a CPU pause for spin loops, and a cheap clock.
//
// Natively parking is C++20 std::atomic<uint32_t>::wait/notify, a futex on
// Linux. Under Emscripten pthreads it is emscripten_futex_wait/wake, which is
// memory.atomic.wait32/notify: libc++'s std::atomic::wait there goes through a
// mutex-and-condition-variable table, and Atomics.notify on the word is also
// what wakes a JS `Atomics.waitAsync` on it.
#include <atomic>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdint>
#include <thread>

#if defined(__EMSCRIPTEN__)
#include <emscripten/threading.h>
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include <x86intrin.h>
#endif

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
#define QUAVER_HAS_THREADS 1
#else
#define QUAVER_HAS_THREADS 0
#endif

namespace quaver::detail {

/// Real-time: wait-free, no allocation.
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

/// Real-time: no (may block).
/// Effects: blocks while `word == expected`; may return spuriously.
inline void park_on(std::atomic<std::uint32_t>& word, std::uint32_t expected) noexcept {
#if defined(__EMSCRIPTEN_PTHREADS__)
    emscripten_futex_wait(&word, expected, INFINITY);
#elif QUAVER_HAS_THREADS
    word.wait(expected, std::memory_order_acquire);
#else
    (void)word;
    (void)expected;
#endif
}

/// Real-time: lock-free, no allocation (at most one futex-wake system call,
/// which never blocks).
inline void unpark_one(std::atomic<std::uint32_t>& word) noexcept {
#if defined(__EMSCRIPTEN_PTHREADS__)
    emscripten_futex_wake(&word, 1);
#elif QUAVER_HAS_THREADS
    word.notify_one();
#else
    (void)word;
#endif
}

/// Real-time: lock-free, no allocation (see unpark_one).
inline void unpark_all(std::atomic<std::uint32_t>& word) noexcept {
#if defined(__EMSCRIPTEN_PTHREADS__)
    emscripten_futex_wake(&word, INT_MAX);
#elif QUAVER_HAS_THREADS
    word.notify_all();
#else
    (void)word;
#endif
}

/// Real-time: wait-free, no allocation.
/// Returns: a monotonic tick count. On x86-64 the time-stamp counter (18-50 ns
/// a read against 45-130 ns for steady_clock::now on the Zen 5 VM we measured
/// on, depending on load; the pool reads it at the ends of a busy stretch and
/// for sampled tasks, not per task); elsewhere steady_clock nanoseconds.
inline std::uint64_t ticks() noexcept {
#if defined(__x86_64__)
    return __rdtsc();
#else
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
#endif
}

/// Real-time: no (may block the first time, ~2 ms of calibration).
/// Returns: nanoseconds per tick.
inline double nanoseconds_per_tick() {
#if defined(__x86_64__)
    static const double ratio = [] {
        using clock = std::chrono::steady_clock;
        const auto t0 = clock::now();
        const std::uint64_t k0 = ticks();
        while (clock::now() - t0 < std::chrono::milliseconds(2)) {
        }
        const auto t1 = clock::now();
        const std::uint64_t k1 = ticks();
        const double ns = static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
        return k1 > k0 ? ns / static_cast<double>(k1 - k0) : 1.0;
    }();
    return ratio;
#else
    return 1.0;
#endif
}

}  // namespace quaver::detail
