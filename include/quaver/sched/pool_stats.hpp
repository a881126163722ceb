#pragma once
// A snapshot of the pool's telemetry, as returned by WorkerPool::stats().
#include <array>
#include <cstddef>
#include <cstdint>

#include "quaver/sched/priority.hpp"

namespace quaver {

struct PriorityStats {
    std::uint64_t queued = 0;     ///< submitted, neither started nor cancelled
    std::uint64_t running = 0;    ///< started, not finished
    std::uint64_t completed = 0;  ///< returned normally
    std::uint64_t failed = 0;     ///< threw an exception
    std::uint64_t cancelled = 0;  ///< cancelled before they started
    /// Submit-to-start latency in nanoseconds, over every realtime task and
    /// one in 16 tasks of the other classes (the time-stamp counter costs
    /// ~18 ns a read on the VM measured, and an empty task ~100 ns in all).
    /// p50 and p99 are the upper edges of histogram buckets (quarter-octave
    /// wide, so within 19% above the true value); max is exact over the
    /// sampled tasks.
    double latency_p50_ns = 0;
    double latency_p99_ns = 0;
    double latency_max_ns = 0;
};

struct PoolStats {
    std::array<PriorityStats, priority_count> per_priority{};
    std::size_t workers = 0;
    /// Time spent running tasks, summed over workers (and threads that helped):
    /// stretches of back-to-back tasks, the picking between them included.
    double busy_seconds = 0;
    /// Worker lifetime summed over workers, since construction.
    double worker_seconds = 0;
    /// busy_seconds / worker_seconds, in [0, 1] (above 1 only when waiting
    /// threads helped run tasks).
    double utilisation = 0;

    /// Real-time: wait-free, no allocation.
    const PriorityStats& operator[](Priority p) const noexcept { return per_priority[to_index(p)]; }
};

}  // namespace quaver
