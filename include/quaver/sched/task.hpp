#pragma once
// quaver::Task<R>: the handle WorkerPool::submit returns. Like a move-only
// future: get() waits and returns the value or rethrows the task's exception,
// cancel() stops a task that has not started. Dropping a handle does not wait
// and does not cancel: the task still runs and its slot is recycled after.
// The waiting members are defined in worker_pool.hpp, next to the pool they
// help.
#include <stdexcept>
#include <utility>

#include "quaver/core/assert.hpp"
#include "quaver/sched/detail/task_slot.hpp"

namespace quaver {

class WorkerPool;

/// Thrown by Task::get() for a task that was cancelled before it started.
class TaskCancelled : public std::runtime_error {
public:
    TaskCancelled() : std::runtime_error("quaver: task was cancelled before it started") {}
};

template <class R>
class Task {
public:
    /// An empty handle: what try_submit returns when it could not queue the task.
    Task() noexcept = default;
    Task(Task&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), slot_(std::exchange(other.slot_, nullptr)) {}
    Task& operator=(Task&& other) noexcept {
        if (this != &other) {
            reset();
            pool_ = std::exchange(other.pool_, nullptr);
            slot_ = std::exchange(other.slot_, nullptr);
        }
        return *this;
    }
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
    ~Task() { reset(); }

    /// Real-time: wait-free, no allocation.
    /// Returns: whether this handle refers to a task.
    bool valid() const noexcept { return slot_ != nullptr; }
    explicit operator bool() const noexcept { return valid(); }

    /// Real-time: wait-free, no allocation.
    /// Returns: true once the task has finished, failed or been cancelled.
    /// Preconditions: valid().
    bool ready() const noexcept {
        QUAVER_ASSERT(valid(), "ready() on an empty task handle");
        return slot_->finished();
    }

    /// Real-time: lock-free, no allocation.
    /// Effects: if the task has not started, it never will; a thread waiting
    /// on it wakes and get() throws TaskCancelled.
    /// Returns: true if this call cancelled it (false if it had started,
    /// finished, or was already cancelled).
    /// Preconditions: valid().
    bool cancel() noexcept;

    /// Real-time: no (may block).
    /// Effects: returns once ready(). On a worker of the pool (or in a pool
    /// without workers) the waiting thread runs queued tasks meanwhile;
    /// another thread parks.
    /// Preconditions: valid().
    void wait() const;

    /// Real-time: no (may block).
    /// Effects: wait(), then hands over the outcome; call at most once.
    /// Returns: the task's value (moved out).
    /// Throws: the task's exception, or TaskCancelled.
    /// Preconditions: valid().
    R get();

private:
    friend class WorkerPool;
    Task(WorkerPool* pool, detail::TaskSlot* slot) noexcept : pool_(pool), slot_(slot) {}
    void reset() noexcept;

    WorkerPool* pool_ = nullptr;
    detail::TaskSlot* slot_ = nullptr;
};

}  // namespace quaver
