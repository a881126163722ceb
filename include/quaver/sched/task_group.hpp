#pragma once
// quaver::TaskGroup: waits for a set of tasks submitted through it, without
// keeping a handle per task.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <type_traits>
#include <utility>

#include "quaver/sched/worker_pool.hpp"

namespace quaver {

class TaskGroup {
public:
    /// Real-time: wait-free, no allocation.
    explicit TaskGroup(WorkerPool& pool) noexcept : pool_(pool) {}

    /// Real-time: no (may block).
    /// Effects: waits for the group's tasks (an exception among them is dropped).
    ~TaskGroup() {
        try {
            wait();
        } catch (...) {
        }
    }
    TaskGroup(const TaskGroup&) = delete;
    TaskGroup& operator=(const TaskGroup&) = delete;

    /// Real-time: no (may block, may allocate); see WorkerPool::submit.
    /// Effects: queues f() at priority p as a member of this group.
    /// Throws: std::logic_error if the pool has been shut down.
    template <class F>
    void run(Priority p, F&& f) {
        pool_.queue_blocking(p, std::forward<F>(f), &state_, 1);
    }

    /// Real-time: lock-free, no allocation; see WorkerPool::try_submit.
    /// Returns: whether the task was queued.
    template <class F>
    bool try_run(Priority p, F&& f) noexcept {
        static_assert(detail::queues_without_allocation<F>,
                      "try_run needs a callable of at most 64 bytes, nothrow-movable: use run otherwise");
        return pool_.queue_nonblocking(p, std::forward<F>(f), &state_, 1) != nullptr;
    }

    /// Real-time: no (may block).
    /// Effects: returns once every task of the group has finished or been
    /// cancelled. The waiting thread (worker or not) runs queued tasks of the
    /// pool meanwhile. The group can be used again afterwards.
    /// Throws: the first exception a task of the group threw since the last wait.
    void wait() {
        pool_.wait_until([this] { return state_.pending.load(std::memory_order_acquire) == 0; }, state_.pending,
                         /*always_help=*/true);
        if (state_.has_error.load(std::memory_order_acquire)) {
            std::exception_ptr e = std::move(state_.error);
            state_.error = nullptr;
            state_.has_error.store(false, std::memory_order_relaxed);
            std::rethrow_exception(e);
        }
    }

    /// Real-time: wait-free, no allocation.
    /// Returns: the number of the group's tasks not yet finished. A worker
    /// reports finished tasks of a group in batches, while it goes on with
    /// further tasks of the same group, so a few may be counted late; the
    /// count reaches zero as soon as the last task has finished.
    std::size_t pending() const noexcept { return state_.pending.load(std::memory_order_acquire); }

private:
    WorkerPool& pool_;
    detail::GroupState state_;
};

}  // namespace quaver
