#pragma once
// Telemetry counters. Each worker owns one block and is its only writer, so it
// updates with relaxed load + store (no read-modify-write on the hot path);
// threads that are not workers (a submitter or waiter that helps) share one
// block and use fetch_add. A snapshot reads everything with relaxed loads and
// never makes a worker wait. No clock is read per task: busy time is counted
// per stretch of back-to-back tasks, latency on sampled tasks only.
#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "quaver/core/cache_line.hpp"
#include "quaver/sched/priority.hpp"

namespace quaver::detail {

/// Log-linear buckets: four per octave, so a bucket's upper edge is within
/// 25% of any value in it.
struct LatencyBuckets {
    static constexpr std::size_t count = 256;

    static constexpr std::size_t index(std::uint64_t x) noexcept {
        if (x < 4) return static_cast<std::size_t>(x);
        const unsigned e = 63u - static_cast<unsigned>(std::countl_zero(x));
        const unsigned sub = static_cast<unsigned>(x >> (e - 2)) & 3u;
        return 4u * (e - 1u) + sub;
    }
    static constexpr double upper_edge(std::size_t i) noexcept {
        if (i < 4) return static_cast<double>(i + 1);
        const unsigned e = static_cast<unsigned>(i / 4 + 1);
        const unsigned sub = static_cast<unsigned>(i % 4);
        return static_cast<double>(5u + sub) * static_cast<double>(std::uint64_t{1} << (e - 2));
    }
};

struct alignas(cache_line_size) CounterBlock {
    struct PerPriority {
        std::atomic<std::uint64_t> started{0};
        std::atomic<std::uint64_t> completed{0};
        std::atomic<std::uint64_t> failed{0};
        std::atomic<std::uint64_t> max_latency{0};
        std::array<std::atomic<std::uint64_t>, LatencyBuckets::count> latency{};
    };
    std::array<PerPriority, priority_count> per_priority;
    std::atomic<std::uint64_t> busy_ticks{0};
    std::atomic<std::uint64_t> alive_since{0};  // tick the worker started, 0 if not running
    std::atomic<std::uint64_t> alive_ticks{0};  // lifetime of earlier incarnations (after resize)
    bool shared = false;

    void add(std::atomic<std::uint64_t>& c, std::uint64_t v) noexcept {
        if (shared)
            c.fetch_add(v, std::memory_order_relaxed);
        else
            c.store(c.load(std::memory_order_relaxed) + v, std::memory_order_relaxed);
    }

    void on_start(Priority p) noexcept { add(per_priority[to_index(p)].started, 1); }

    /// A sampled task's submit-to-start latency (see WorkerPool::prepare).
    void on_latency(Priority p, std::uint64_t latency) noexcept {
        PerPriority& c = per_priority[to_index(p)];
        add(c.latency[LatencyBuckets::index(latency)], 1);
        std::uint64_t m = c.max_latency.load(std::memory_order_relaxed);
        while (latency > m && !c.max_latency.compare_exchange_weak(m, latency, std::memory_order_relaxed)) {
        }
    }
    void on_finish(Priority p, bool ok) noexcept {
        PerPriority& c = per_priority[to_index(p)];
        add(ok ? c.completed : c.failed, 1);
    }
};

}  // namespace quaver::detail
