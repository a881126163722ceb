#pragma once
// Construction-time settings of quaver::WorkerPool.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>

#include "quaver/sched/detail/parking.hpp"

namespace quaver {

/// Real-time: wait-free, no allocation.
/// Returns: hardware_concurrency() - 1 (one core is left to the thread that
/// submits, usually the audio or UI thread), at least 1; 0 where threads do
/// not exist (WASM built without pthreads: tasks then run cooperatively).
inline std::size_t default_worker_count() noexcept {
#if QUAVER_HAS_THREADS
    const unsigned hw = std::thread::hardware_concurrency();
    return hw > 2 ? hw - 1 : 1;
#else
    return 0;
#endif
}

struct PoolOptions {
    /// Worker threads. 0 makes a pool without threads whose tasks run on
    /// threads that wait for them or call WorkerPool::run_pending().
    std::size_t workers = default_worker_count();
    /// Attempts to find a task (each followed by a CPU pause) before an idle
    /// worker parks. 2000 attempts took 61 us on the 2-core Zen 5 VM (four
    /// empty-queue probes and a pause each): long enough to catch the next
    /// task of a burst without a futex round trip, short enough that a pool
    /// fed every millisecond stays parked 94% of the time.
    std::uint32_t spin_budget = 2000;
    /// Room of each priority's queue; try_submit fails and submit helps run
    /// queued tasks when a queue is full.
    std::size_t queue_capacity = 4096;
    /// Preallocated task slots (queued, running, or finished with a live
    /// handle). try_submit fails when none is free; submit then helps run
    /// tasks and, if that frees none, takes a slot from the heap.
    std::size_t max_tasks = 4096;
    /// Aging: a lower class with queued tasks that has been passed over this
    /// many times for higher classes (realtime excepted) gets the next pick.
    std::uint32_t aging_limit = 8;
    /// Keep-warm word (nullptr: none; the pool only reads it, and it must
    /// outlive the pool). A thread that will submit again soon changes it
    /// (e.g. increments it) each time it looks for results. While it keeps
    /// changing, one idle worker (never more) does not park: each time its
    /// spin of spin_budget attempts ends with the word changed since the
    /// last look, it spins again, so the next task needs no futex wake (the
    /// wake of a parked worker is most of a short round trip). Once the word
    /// stayed the same for a whole spin, that worker parks as usual. So a
    /// submitter that stops changing it, or that cannot run because the
    /// spinning worker holds its core, costs at most one more spin.
    const std::atomic<std::uint32_t>* keep_warm = nullptr;
};

enum class ShutdownMode {
    drain,   ///< run every queued task, then stop the workers
    cancel,  ///< cancel the queued tasks, finish the running ones, stop the workers
};

}  // namespace quaver
