#pragma once
// quaver::WorkerPool: a fixed set of worker threads running tasks of four
// priority classes.
//
// Structure. One bounded lock-free MPMC queue per priority (quaver::MpmcQueue)
// holds pointers to task slots; the slots come from a preallocated slab whose
// free list is a lock-free stack. Submitting a callable with up to 64 bytes
// of captures therefore takes a slot, constructs the callable in it and
// pushes a pointer: no lock, no allocation.
//
// Picking rule. A worker that becomes free takes the oldest task of the
// highest non-empty class; realtime tasks always go first. Aging keeps the
// other classes from starving: each time a task of a higher class is picked
// while a lower class (high, normal or background) has queued tasks, that
// class is "passed over"; once passed over `aging_limit` times it gets the
// next pick (oldest class first) and its count restarts. So under a
// continuous flood of normal tasks, background tasks still run at about one
// in every aging_limit + 1 picks. A flood of realtime tasks does starve the
// others: realtime is meant for short work an audio callback waits for.
//
// Parking. An idle worker spins `spin_budget` attempts, then parks on a
// 32-bit epoch word (futex) after announcing itself in `sleepers_`. The
// eventcount protocol avoids lost wake-ups: the worker increments sleepers,
// reads the epoch, looks at the queues once more and only then waits for the
// epoch to change; a submitter pushes, then reads sleepers (with a
// read-modify-write) and, if any, bumps the epoch and wakes one. Either the
// submitter sees the sleeper or the sleeper sees the task. A burst of
// submits pays one futex wake, not one each: `waking_` says a woken worker is
// bound to look at the queues, and a worker never parks while it is set.
// With PoolOptions::keep_warm, one worker keeps spinning instead of parking
// while the submitting side keeps changing that word.
#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "quaver/core/assert.hpp"
#include "quaver/ring/mpmc_queue.hpp"
#include "quaver/sched/detail/parking.hpp"
#include "quaver/sched/detail/pool_counters.hpp"
#include "quaver/sched/detail/slot_free_list.hpp"
#include "quaver/sched/detail/task_slot.hpp"
#include "quaver/sched/pool_options.hpp"
#include "quaver/sched/pool_stats.hpp"
#include "quaver/sched/priority.hpp"
#include "quaver/sched/task.hpp"

namespace quaver {

class TaskGroup;

class WorkerPool {
public:
    template <class F>
    using result_of = std::decay_t<std::invoke_result_t<std::decay_t<F>&>>;

    /// Real-time: no (allocates).
    /// Effects: allocates the queues and the task slab, starts the workers.
    /// Throws: std::invalid_argument for a zero queue_capacity or max_tasks;
    /// std::system_error if a thread cannot be started.
    explicit WorkerPool(PoolOptions options = {})
        : options_(sanitize(options)),
          free_(static_cast<std::uint32_t>(options_.max_tasks)),
          slab_(new detail::TaskSlot[options_.max_tasks]) {
        for (auto& q : queues_) q = std::make_unique<TaskQueue>(options_.queue_capacity);
        external_.shared = true;
        std::lock_guard lock(control_);
        grow_to(options_.workers);
    }

    /// Real-time: no (may block).
    /// Effects: shutdown(ShutdownMode::drain).
    /// Preconditions: every Task handle of this pool has been destroyed.
    ~WorkerPool() {
        shutdown(ShutdownMode::drain);
        QUAVER_ASSERT(free_.size() == options_.max_tasks, "a Task handle outlived its WorkerPool");
    }

    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Real-time: no (may block, may allocate).
    /// Effects: queues f() at priority p. When the slab or the queue is full
    /// the calling thread runs queued tasks until there is room; if no slot
    /// frees up that way, or f does not fit in 64 bytes, the slot or the
    /// callable is allocated on the heap.
    /// Returns: the handle of the task.
    /// Throws: std::logic_error after shutdown; what copying f throws.
    template <class F>
    [[nodiscard]] Task<result_of<F>> submit(Priority p, F&& f) {
        detail::TaskSlot* slot = queue_blocking(p, std::forward<F>(f), nullptr, 2);
        return Task<result_of<F>>(this, slot);
    }

    /// Real-time: lock-free, no allocation.
    /// Effects: queues f() at priority p if a slot and room in the queue are
    /// free and the pool is running; otherwise does nothing. Wakes a parked
    /// worker with at most one futex-wake system call, which never blocks.
    /// Returns: the handle, or an empty handle if the task was not queued
    /// (no free slot, a full queue, or shutdown; rarely also when a worker
    /// was preempted halfway through taking the task a full lap ahead, which
    /// the bounded array queue cannot tell from full).
    template <class F>
    [[nodiscard]] Task<result_of<F>> try_submit(Priority p, F&& f) noexcept {
        static_assert(detail::queues_without_allocation<F>,
                      "try_submit needs a callable of at most 64 bytes, nothrow-movable: use submit otherwise");
        detail::TaskSlot* slot = queue_nonblocking(p, std::forward<F>(f), nullptr, 2);
        return slot ? Task<result_of<F>>(this, slot) : Task<result_of<F>>();
    }

    /// Real-time: no (may block, may allocate).
    /// Effects: like submit, without a handle (fire and forget).
    /// Throws: std::logic_error after shutdown.
    template <class F>
    void post(Priority p, F&& f) {
        queue_blocking(p, std::forward<F>(f), nullptr, 1);
    }

    /// Real-time: lock-free, no allocation.
    /// Effects: like try_submit, without a handle.
    /// Returns: whether the task was queued.
    template <class F>
    bool try_post(Priority p, F&& f) noexcept {
        static_assert(detail::queues_without_allocation<F>,
                      "try_post needs a callable of at most 64 bytes, nothrow-movable: use post otherwise");
        return queue_nonblocking(p, std::forward<F>(f), nullptr, 1) != nullptr;
    }

    /// Real-time: no (may block).
    /// Effects: calls body(i) for every i in [begin, end), or body(b, e) for
    /// consecutive chunks [b, e) of `grain` indices if body takes two
    /// arguments. The calling thread takes part; up to worker_count() tasks
    /// at priority p help it, each giving way after a chunk when a task of a
    /// higher class is queued. If a call of body throws, chunks not yet
    /// started are skipped and the first exception is rethrown here.
    /// Preconditions: grain >= 1.
    template <class Body>
    void parallel_for(Priority p, std::size_t begin, std::size_t end, std::size_t grain, Body&& body);

    /// Real-time: no (runs tasks).
    /// Effects: runs up to max_count queued tasks on the calling thread,
    /// highest priority first (how a pool without workers makes progress).
    /// Returns: the number of tasks run (cancelled ones not counted).
    std::size_t run_pending(std::size_t max_count = std::numeric_limits<std::size_t>::max()) {
        ScopedRunner scope(*this);
        std::size_t n = 0;
        while (n < max_count) {
            detail::TaskSlot* s = pick();
            if (!s) break;
            if (run_slot(s, scope.r)) ++n;
        }
        return n;
    }

    /// Real-time: no (may block, allocates).
    /// Effects: starts workers, or asks the surplus ones to exit after their
    /// current task (without waiting for them: they are joined by a later
    /// resize or by shutdown). A pool built without threads stays at 0.
    /// Throws: std::logic_error after shutdown; std::system_error if a thread
    /// cannot be started (the workers started so far stay).
    /// Preconditions: not called from a task of this pool.
    void resize(std::size_t workers) {
        std::lock_guard lock(control_);
        if (shut_down_) throw std::logic_error("quaver: WorkerPool::resize after shutdown");
        reap_retired();
        if (workers < workers_.size()) {
            for (std::size_t i = workers; i < workers_.size(); ++i)
                workers_[i]->retire.store(true, std::memory_order_seq_cst);
            retired_.insert(retired_.end(), std::make_move_iterator(workers_.begin() + static_cast<std::ptrdiff_t>(workers)),
                            std::make_move_iterator(workers_.end()));
            workers_.resize(workers);
            worker_count_.store(workers, std::memory_order_relaxed);
            wake_all();
        } else {
            grow_to(workers);
        }
    }

    /// Real-time: wait-free, no allocation.
    /// Returns: the number of workers (not counting retiring ones).
    std::size_t worker_count() const noexcept { return worker_count_.load(std::memory_order_relaxed); }

    /// Real-time: no (may block).
    /// Effects: stops accepting tasks (submit and post then throw
    /// std::logic_error, try_submit and try_post fail), then either runs
    /// (drain) or cancels (cancel) the queued tasks, lets the running ones
    /// finish and joins the workers. Further calls do nothing.
    /// Preconditions: not called from a task of this pool.
    void shutdown(ShutdownMode mode = ShutdownMode::drain) {
        QUAVER_ASSERT(!on_worker_thread(), "WorkerPool::shutdown from one of its own tasks");
        std::lock_guard lock(control_);
        if (shut_down_) return;
        gate_.fetch_or(closed_bit, std::memory_order_seq_cst);
        // Submitters that passed the gate finish queuing (helping if full).
        while ((gate_.load(std::memory_order_seq_cst) & ~closed_bit) != 0) std::this_thread::yield();
        if (mode == ShutdownMode::cancel) cancel_queued();
        if (workers_.empty()) run_pending();
        stopping_.store(true, std::memory_order_seq_cst);
        wake_all();
        for (auto& w : workers_) w->thread.join();
        for (auto& w : retired_) w->thread.join();
        workers_.clear();
        retired_.clear();
        worker_count_.store(0, std::memory_order_relaxed);
        cancel_queued();  // nothing is left after a drain; this is for certainty
        shut_down_ = true;
    }

    /// Real-time: no (may block briefly on the lock that resize holds;
    /// never makes a worker wait).
    /// Returns: counters per priority since construction, latency
    /// percentiles and utilisation.
    PoolStats stats() const {
        std::lock_guard lock(control_);
        const double ns_per_tick = detail::nanoseconds_per_tick();
        const std::uint64_t now = detail::ticks();
        PoolStats out;
        out.workers = workers_.size();
        std::uint64_t busy = 0, alive = 0;
        for (std::size_t p = 0; p < priority_count; ++p) {
            std::uint64_t started = 0, completed = 0, failed = 0, max_latency = 0;
            std::array<std::uint64_t, detail::LatencyBuckets::count> hist{};
            auto collect = [&](const detail::CounterBlock& b) {
                const auto& c = b.per_priority[p];
                started += c.started.load(std::memory_order_relaxed);
                completed += c.completed.load(std::memory_order_relaxed);
                failed += c.failed.load(std::memory_order_relaxed);
                max_latency = std::max(max_latency, c.max_latency.load(std::memory_order_relaxed));
                for (std::size_t i = 0; i < hist.size(); ++i) hist[i] += c.latency[i].load(std::memory_order_relaxed);
            };
            for (const auto& b : blocks_) collect(b);
            collect(external_);
            PriorityStats& s = out.per_priority[p];
            const std::uint64_t submitted = submitted_[p].load(std::memory_order_relaxed);
            s.cancelled = cancelled_[p].load(std::memory_order_relaxed);
            s.completed = completed;
            s.failed = failed;
            s.queued = submitted > started + s.cancelled ? submitted - started - s.cancelled : 0;
            s.running = started > completed + failed ? started - completed - failed : 0;
            s.latency_p50_ns = percentile(hist, 0.50) * ns_per_tick;
            s.latency_p99_ns = percentile(hist, 0.99) * ns_per_tick;
            s.latency_max_ns = static_cast<double>(max_latency) * ns_per_tick;
        }
        auto time_of = [&](const detail::CounterBlock& b) {
            busy += b.busy_ticks.load(std::memory_order_relaxed);
            alive += b.alive_ticks.load(std::memory_order_relaxed);
            const std::uint64_t since = b.alive_since.load(std::memory_order_relaxed);
            if (since != 0 && now > since) alive += now - since;
        };
        for (const auto& b : blocks_) time_of(b);
        time_of(external_);
        out.busy_seconds = static_cast<double>(busy) * ns_per_tick * 1e-9;
        out.worker_seconds = static_cast<double>(alive) * ns_per_tick * 1e-9;
        out.utilisation = out.worker_seconds > 0 ? out.busy_seconds / out.worker_seconds : 0.0;
        return out;
    }

    /// Real-time: wait-free, no allocation.
    /// Returns: whether the calling thread is one of this pool's workers.
    bool on_worker_thread() const noexcept { return Current::pool == this; }

    /// Real-time: wait-free, no allocation.
    const PoolOptions& options() const noexcept { return options_; }

private:
    template <class R>
    friend class Task;
    friend class TaskGroup;

    static constexpr std::uint32_t closed_bit = 1u << 31;

    // Packed cells (16 bytes, four to a cache line): a pool's queue is mostly
    // near-empty or near-full, so the producer and consumer rarely work on
    // neighbouring cells, and cache-line cells (the ring default) measured
    // slower and far less steady in the 1M-task throughput run (tbb/quaver
    // median 0.84-2.13 over three 9-round runs, packed 1.57-1.61).
    using TaskQueue = MpmcQueue<detail::TaskSlot*, alignof(std::uint64_t)>;

    struct Worker {
        std::thread thread;
        std::atomic<bool> retire{false};
        detail::CounterBlock* counters = nullptr;
    };

    // Which pool the current thread works for, so that waits on that pool's
    // tasks help instead of blocking; whether it is timing a busy stretch.
    struct Current {
        static inline thread_local const WorkerPool* pool = nullptr;
        static inline thread_local detail::CounterBlock* counters = nullptr;
        static inline thread_local bool timing = false;
    };

    // What a thread that runs tasks carries from one task to the next.
    //
    // Busy time: the clock is read at the two ends of a stretch of
    // back-to-back tasks, not around each task (three clock reads per task
    // cost more than the rest of running an empty one). Only the outermost
    // stretch of a thread is timed, so a task that helps while it waits is
    // not counted twice.
    //
    // Batching (a worker's own loop only): freed slots go back to the free
    // list as one chain, and completions of a TaskGroup's tasks reach its
    // count as one subtraction, because the submitting thread writes both of
    // those cache lines too and one write per task made them bounce between
    // cores. A group's completions wait at most until the worker runs a task
    // of another group (or none): a task of the same group keeps the count
    // above zero anyway, so its waiter is never held back by the batching.
    struct Runner {
        explicit Runner(detail::CounterBlock& c, std::uint32_t batch = 0) noexcept : counters(c), slot_batch(batch) {}
        detail::CounterBlock& counters;
        std::uint32_t slot_batch = 0;  // 0: give every slot back at once
        bool timing = false;
        std::uint64_t busy_since = 0;
        detail::SlotFreeList::Chain freed;
        detail::GroupState* group = nullptr;  // whose completions are held
        std::uint32_t group_done = 0;
    };

    Runner runner() noexcept { return Runner(current_counters()); }

    void begin_busy(Runner& r) noexcept {
        if (r.timing || Current::timing) return;
        r.timing = Current::timing = true;
        r.busy_since = detail::ticks();
    }

    // Ends the stretch and hands over what the runner holds; call before a
    // runner goes idle or out of scope.
    void end_busy(Runner& r) noexcept {
        flush_group(r);
        free_.push(r.freed);
        if (!r.timing) return;
        const std::uint64_t now = detail::ticks();
        r.counters.add(r.counters.busy_ticks, now > r.busy_since ? now - r.busy_since : 0);
        r.timing = Current::timing = false;
    }

    static void flush_group(Runner& r) noexcept {
        if (r.group_done) r.group->finish(nullptr, r.group_done);
        r.group = nullptr;
        r.group_done = 0;
    }

    // A Runner that ends its stretch when it goes out of scope.
    struct ScopedRunner {
        WorkerPool& pool;
        Runner r;
        explicit ScopedRunner(WorkerPool& p) noexcept : pool(p), r(p.runner()) {}
        ~ScopedRunner() { pool.end_busy(r); }
        ScopedRunner(const ScopedRunner&) = delete;
        ScopedRunner& operator=(const ScopedRunner&) = delete;
    };

    static PoolOptions sanitize(PoolOptions o) {
        if (o.queue_capacity == 0) throw std::invalid_argument("quaver: PoolOptions::queue_capacity must be at least 1");
        if (o.max_tasks == 0) throw std::invalid_argument("quaver: PoolOptions::max_tasks must be at least 1");
        if (o.max_tasks >= detail::SlotFreeList::none)
            throw std::invalid_argument("quaver: PoolOptions::max_tasks must be below 2^32 - 1");
        if (o.aging_limit == 0) throw std::invalid_argument("quaver: PoolOptions::aging_limit must be at least 1");
#if !QUAVER_HAS_THREADS
        o.workers = 0;
#endif
        return o;
    }

    static double percentile(const std::array<std::uint64_t, detail::LatencyBuckets::count>& hist, double q) {
        std::uint64_t total = 0;
        for (auto n : hist) total += n;
        if (total == 0) return 0;
        const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total - 1)) + 1;
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < hist.size(); ++i) {
            seen += hist[i];
            if (seen >= rank) return detail::LatencyBuckets::upper_edge(i);
        }
        return detail::LatencyBuckets::upper_edge(hist.size() - 1);
    }

    detail::CounterBlock& current_counters() noexcept {
        return Current::pool == this ? *Current::counters : external_;
    }

    // A thread helps (runs queued tasks while it waits) if it is one of our
    // workers, or if there are no workers to do the work.
    bool helps_here() const noexcept { return on_worker_thread() || worker_count() == 0; }

    // --- submission -------------------------------------------------------

    bool enter_gate() noexcept {
        if (gate_.fetch_add(1, std::memory_order_acquire) & closed_bit) {
            gate_.fetch_sub(1, std::memory_order_release);
            return false;
        }
        return true;
    }
    void leave_gate() noexcept { gate_.fetch_sub(1, std::memory_order_release); }

    struct GateGuard {
        WorkerPool& pool;
        ~GateGuard() { pool.leave_gate(); }
    };

    template <class F>
    detail::TaskSlot* queue_nonblocking(Priority p, F&& f, detail::GroupState* group, std::uint32_t refs) noexcept {
        if (!enter_gate()) return nullptr;
        GateGuard guard{*this};
        detail::TaskSlot* s = take_free_slot();
        if (!s) return nullptr;
        prepare(s, p, std::forward<F>(f), group, refs);
        if (!queues_[to_index(p)]->try_push(s)) {
            if (group) group->pending.fetch_sub(1, std::memory_order_relaxed);
            submitted_[to_index(p)].fetch_sub(1, std::memory_order_relaxed);
            s->clear();
            free_.push(index_of(s));
            return nullptr;
        }
        announce();
        return s;
    }

    template <class F>
    detail::TaskSlot* queue_blocking(Priority p, F&& f, detail::GroupState* group, std::uint32_t refs) {
        if (!enter_gate()) throw std::logic_error("quaver: task submitted to a WorkerPool after shutdown");
        GateGuard guard{*this};
        detail::TaskSlot* s = acquire_slot();
        try {
            prepare(s, p, std::forward<F>(f), group, refs);
        } catch (...) {
            recycle(s);
            throw;
        }
        if (!queues_[to_index(p)]->try_push(s)) {
            ScopedRunner scope(*this);
            do {
                if (!help(scope.r)) std::this_thread::yield();
            } while (!queues_[to_index(p)]->try_push(s));
        }
        announce();
        return s;
    }

    detail::TaskSlot* acquire_slot() {
        if (detail::TaskSlot* s = take_free_slot()) return s;
        ScopedRunner scope(*this);
        for (int idle = 0;;) {
            if (help(scope.r)) {
                idle = 0;
            } else if (++idle <= 64) {
                // Nothing queued: the slots are held by running tasks or by
                // live handles. Give running tasks a moment, then overflow
                // to the heap.
                std::this_thread::yield();
            } else {
                auto* s = new detail::TaskSlot;
                s->heap_owned = true;
                return s;
            }
            if (detail::TaskSlot* s = take_free_slot()) return s;
        }
    }

    // What a submitter does while the slab or a queue is full: runs up to
    // help_batch queued tasks, as one busy stretch (so that a full pool costs
    // two clock reads per batch, not per task). Returns whether any ran.
    bool help(Runner& r) {
        int n = 0;
        while (n < help_batch && run_one(r)) ++n;
        return n != 0;
    }

    static constexpr int help_batch = 16;

    template <class F>
    void prepare(detail::TaskSlot* s, Priority p, F&& f, detail::GroupState* group, std::uint32_t refs) {
        s->set_callable(std::forward<F>(f));
        s->priority = p;
        s->group = group;
        s->refs.store(refs, std::memory_order_relaxed);
        s->status.store(static_cast<std::uint32_t>(detail::TaskStatus::queued), std::memory_order_relaxed);
        // Latency is sampled: every realtime task, one in latency_sample_every
        // of the others (a clock read costs about a third of an empty task).
        const std::uint64_t n = submitted_[to_index(p)].fetch_add(1, std::memory_order_relaxed);
        s->timed = p == Priority::realtime || n % latency_sample_every == 0;
        if (s->timed) s->submit_tick = detail::ticks();
        if (group) group->add();  // before the push: the task may finish right after it
    }

    static constexpr std::uint64_t latency_sample_every = 16;

    // Wakes a parked worker: the submitter half of the eventcount.
    void announce() noexcept {
        // A read-modify-write, not a plain load: it reads the latest value in
        // sleepers_' modification order and, with the worker's increment,
        // makes one of the two see the other (and TSan understands it, which
        // it does not for fences).
        if (sleepers_.fetch_add(0, std::memory_order_seq_cst) != 0) wake_one();
    }

    // One futex wake in flight at a time: while a woken worker has not yet
    // cleared waking_, it is bound to look at the queues, so further submits
    // skip the system call (a burst of submits to a parked pool otherwise
    // pays one wake each, ~2 us apiece). The woken worker wakes the next one
    // if it finds more work (see worker_main).
    void wake_one() noexcept {
        if (!waking_.exchange(true, std::memory_order_acq_rel)) {
            epoch_.fetch_add(1, std::memory_order_release);
            detail::unpark_one(epoch_);
        }
    }

    bool any_queued() const noexcept {
        for (const auto& q : queues_)
            if (!q->empty()) return true;
        return false;
    }

    void wake_all() noexcept {
        epoch_.fetch_add(1, std::memory_order_seq_cst);
        detail::unpark_all(epoch_);
    }

    // --- running ----------------------------------------------------------

    bool queued_above(Priority p) const noexcept {
        for (std::size_t c = 0; c < to_index(p); ++c)
            if (!queues_[c]->empty()) return true;
        return false;
    }

    detail::TaskSlot* pick() noexcept {
        detail::TaskSlot* s = nullptr;
        if (queues_[0]->try_pop(s)) return s;
        // Aging: a class passed over aging_limit times goes first, lowest first.
        for (std::size_t c = priority_count - 1; c >= 1; --c) {
            if (passed_over_[c].load(std::memory_order_relaxed) >= options_.aging_limit && queues_[c]->try_pop(s)) {
                passed_over_[c].store(0, std::memory_order_relaxed);
                return s;
            }
        }
        for (std::size_t c = 1; c < priority_count; ++c) {
            if (queues_[c]->try_pop(s)) {
                if (passed_over_[c].load(std::memory_order_relaxed) != 0) passed_over_[c].store(0, std::memory_order_relaxed);
                for (std::size_t lower = c + 1; lower < priority_count; ++lower)
                    if (!queues_[lower]->empty()) passed_over_[lower].fetch_add(1, std::memory_order_relaxed);
                return s;
            }
        }
        return nullptr;
    }

    bool run_one(Runner& r) {
        detail::TaskSlot* s = pick();
        if (!s) return false;
        run_slot(s, r);
        return true;
    }

    // Runs a popped task unless it was cancelled; drops the queue's reference.
    bool run_slot(detail::TaskSlot* s, Runner& r) noexcept {
        // Only a handle can cancel a popped task. Without one (refs == 1: post,
        // TaskGroup, or a dropped handle, whose cancel this acquire load sees)
        // a plain load and store do; with one, the CAS decides the race.
        const auto running = static_cast<std::uint32_t>(detail::TaskStatus::running);
        bool claimed;
        if (s->refs.load(std::memory_order_acquire) == 1) {
            claimed = s->load_status(std::memory_order_relaxed) == detail::TaskStatus::queued;
            if (claimed) s->status.store(running, std::memory_order_relaxed);
        } else {
            auto expected = static_cast<std::uint32_t>(detail::TaskStatus::queued);
            claimed = s->status.compare_exchange_strong(expected, running, std::memory_order_acquire,
                                                        std::memory_order_relaxed);
        }
        if (!claimed) {
            release(s, &r);  // cancelled while queued
            return false;
        }
        detail::GroupState* group = s->group;
        if (r.group != group) flush_group(r);  // never hold a group's count while running another's task
        begin_busy(r);
        r.counters.on_start(s->priority);
        if (s->timed) {
            const std::uint64_t t0 = detail::ticks();
            r.counters.on_latency(s->priority, t0 > s->submit_tick ? t0 - s->submit_tick : 0);
        }
        auto outcome = detail::TaskStatus::done;
        try {
            s->invoke(*s);
        } catch (...) {
            s->error = std::current_exception();
            outcome = detail::TaskStatus::failed;
        }
        r.counters.on_finish(s->priority, outcome == detail::TaskStatus::done);
        std::exception_ptr group_error = group && outcome == detail::TaskStatus::failed ? s->error : nullptr;
        s->status.store(static_cast<std::uint32_t>(outcome), std::memory_order_release);
        if (s->refs.load(std::memory_order_acquire) > 1) detail::unpark_all(s->status);
        if (group) {
            if (r.slot_batch != 0 && !group_error) {
                r.group = group;
                ++r.group_done;
            } else {
                group->finish(group_error);
            }
        }
        release(s, &r);
        return true;
    }

    bool cancel_slot(detail::TaskSlot* s) noexcept {
        auto expected = static_cast<std::uint32_t>(detail::TaskStatus::queued);
        if (!s->status.compare_exchange_strong(expected, static_cast<std::uint32_t>(detail::TaskStatus::cancelled),
                                               std::memory_order_acq_rel, std::memory_order_relaxed))
            return false;
        cancelled_[to_index(s->priority)].fetch_add(1, std::memory_order_relaxed);
        detail::unpark_all(s->status);
        if (s->group) s->group->finish(nullptr);
        return true;
    }

    void cancel_queued() noexcept {
        for (auto& q : queues_) {
            detail::TaskSlot* s = nullptr;
            while (q->try_pop(s)) {
                cancel_slot(s);
                release(s);
            }
        }
    }

    // The last holder recycles. Nothing adds references, so a holder that
    // reads 1 is the last and skips the read-modify-write (the common case:
    // tasks without a handle).
    void release(detail::TaskSlot* s, Runner* r = nullptr) noexcept {
        if (s->refs.load(std::memory_order_acquire) == 1 || s->refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
            recycle(s, r);
    }

    void recycle(detail::TaskSlot* s, Runner* r = nullptr) noexcept {
        s->clear();
        if (s->heap_owned) {
            delete s;
        } else if (r && r->slot_batch != 0) {
            free_.add(r->freed, index_of(s));
            if (r->freed.count >= r->slot_batch) free_.push(r->freed);
        } else {
            free_.push(index_of(s));
        }
    }

    detail::TaskSlot* take_free_slot() noexcept {
        const std::uint32_t i = free_.pop();
        return i == detail::SlotFreeList::none ? nullptr : &slab_[i];
    }
    std::uint32_t index_of(const detail::TaskSlot* s) const noexcept {
        return static_cast<std::uint32_t>(s - slab_.get());
    }

    // Parks or helps until done() holds; `word` is the 32-bit value whose
    // change signals progress (a task's status or a group's pending count).
    template <class Done>
    void wait_until(Done done, const std::atomic<std::uint32_t>& word, bool always_help = false) {
        auto& w = const_cast<std::atomic<std::uint32_t>&>(word);
        if (always_help || helps_here()) {
            ScopedRunner scope(*this);
            std::uint32_t spins = 0;
            while (!done()) {
                if (run_one(scope.r)) {
                    spins = 0;
                    continue;
                }
                end_busy(scope.r);
                if (++spins < options_.spin_budget) {
                    detail::cpu_relax();
                    continue;
                }
                const std::uint32_t seen = w.load(std::memory_order_acquire);
                if (!done()) detail::park_on(w, seen);
                spins = 0;
            }
        } else {
            while (!done()) {
                const std::uint32_t seen = w.load(std::memory_order_acquire);
                if (done()) break;
                detail::park_on(w, seen);
            }
        }
    }

    // --- workers ----------------------------------------------------------

    void grow_to(std::size_t n) {
#if QUAVER_HAS_THREADS
        while (workers_.size() < n) {
            auto w = std::make_unique<Worker>();
            w->counters = free_counter_block();
            w->counters->alive_since.store(detail::ticks(), std::memory_order_relaxed);
            Worker* raw = w.get();
            try {
                w->thread = std::thread([this, raw] { worker_main(*raw); });
            } catch (...) {
                raw->counters->alive_since.store(0, std::memory_order_relaxed);
                throw;
            }
            workers_.push_back(std::move(w));
            worker_count_.store(workers_.size(), std::memory_order_relaxed);
        }
#else
        (void)n;
#endif
    }

    // A counter block no running worker writes: a fresh one, or one whose
    // worker has exited (alive_since == 0), so repeated resizes do not grow
    // the telemetry without bound.
    detail::CounterBlock* free_counter_block() {
        for (auto& b : blocks_) {
            const bool in_use = std::any_of(workers_.begin(), workers_.end(), [&](auto& w) { return w->counters == &b; }) ||
                                std::any_of(retired_.begin(), retired_.end(), [&](auto& w) { return w->counters == &b; });
            if (!in_use) return &b;
        }
        return &blocks_.emplace_back();
    }

    void reap_retired() {
        for (auto it = retired_.begin(); it != retired_.end();) {
            if ((*it)->counters->alive_since.load(std::memory_order_acquire) == 0) {
                (*it)->thread.join();
                it = retired_.erase(it);
            } else {
                ++it;
            }
        }
    }

    void worker_main(Worker& self) {
        Current::pool = this;
        Current::counters = self.counters;
        detail::CounterBlock& counters = *self.counters;
        Runner r(counters, slot_batch_);
        std::uint32_t idle = 0;
        bool warm = false;            // this worker holds the keep-warm role
        std::uint32_t warm_seen = 0;  // the keep-warm word at the last look
        for (;;) {
            if (self.retire.load(std::memory_order_relaxed)) break;
            if (detail::TaskSlot* s = pick()) {
                run_slot(s, r);
                idle = 0;
                continue;
            }
            end_busy(r);
            if (stopping_.load(std::memory_order_acquire)) break;
            if (idle < options_.spin_budget) {
                // Every 64th attempt gives the core away if another thread
                // waits for it: with more workers than cores, a spinning
                // worker would otherwise hold up one that has work.
                if ((++idle & 63u) == 0) std::this_thread::yield();
                else detail::cpu_relax();
                continue;
            }
            if (stays_warm(warm, warm_seen)) {
                idle = 0;
                continue;
            }
            // The sleeper half of the eventcount (see the top of this file).
            sleepers_.fetch_add(1, std::memory_order_seq_cst);
            const std::uint32_t epoch = epoch_.load(std::memory_order_acquire);
            if (detail::TaskSlot* s = pick()) {
                sleepers_.fetch_sub(1, std::memory_order_relaxed);
                waking_.exchange(false, std::memory_order_acq_rel);  // this worker looks again after s
                run_slot(s, r);
                idle = 0;
                continue;
            }
            if (self.retire.load(std::memory_order_seq_cst) || stopping_.load(std::memory_order_seq_cst)) {
                sleepers_.fetch_sub(1, std::memory_order_relaxed);
                if (waking_.exchange(false, std::memory_order_acq_rel)) wake_one();  // pass the duty on
                break;
            }
            // A submitter that found waking_ set skipped its wake, trusting
            // that some worker looks at the queues after its push. The worker
            // the flag was raised for may be this one, and the task it was
            // raised for may have gone to a busy worker that never comes this
            // way; so a worker never parks with the flag set: it takes the
            // duty over and looks again. (Without this, every later submit to
            // the parked pool skipped its wake: a lost wake-up.)
            if (waking_.exchange(false, std::memory_order_acq_rel)) {
                sleepers_.fetch_sub(1, std::memory_order_relaxed);
                idle = 0;
                continue;
            }
            detail::park_on(epoch_, epoch);
            sleepers_.fetch_sub(1, std::memory_order_relaxed);
            // Clear before looking: a submitter that saw waking_ set relies on
            // this worker's next pick (the exchange orders its push before it).
            waking_.exchange(false, std::memory_order_acq_rel);
            if (sleepers_.load(std::memory_order_relaxed) != 0 && any_queued()) wake_one();
            idle = 0;
        }
        if (warm) warm_.store(false, std::memory_order_release);
        end_busy(r);
        const std::uint64_t now = detail::ticks();
        const std::uint64_t since = counters.alive_since.load(std::memory_order_relaxed);
        counters.alive_ticks.store(counters.alive_ticks.load(std::memory_order_relaxed) + (now > since ? now - since : 0),
                                   std::memory_order_relaxed);
        Current::pool = nullptr;
        Current::counters = nullptr;
        counters.alive_since.store(0, std::memory_order_release);  // last: tells reap_retired it may join
    }

    // PoolOptions::keep_warm, at the end of an idle spin: whether this worker
    // spins again (the word changed since its last look and no other worker
    // holds the role) rather than park. A worker that parks gives the role up.
    bool stays_warm(bool& warm, std::uint32_t& seen) noexcept {
        if (!options_.keep_warm) return false;
        const std::uint32_t now = options_.keep_warm->load(std::memory_order_relaxed);
        if (now != seen) {
            seen = now;
            if (warm || !warm_.exchange(true, std::memory_order_acquire)) return warm = true;
        }
        if (warm) warm_.store(false, std::memory_order_release);
        return warm = false;
    }

    PoolOptions options_;
    std::array<std::unique_ptr<TaskQueue>, priority_count> queues_;
    detail::SlotFreeList free_;
    std::unique_ptr<detail::TaskSlot[]> slab_;
    // Slots a worker holds before giving them back as one chain: a few per
    // worker out of a large slab; none out of a small one, where try_submit
    // could otherwise fail while slots sit in a worker's chain.
    std::uint32_t slot_batch_ = static_cast<std::uint32_t>(std::min<std::size_t>(options_.max_tasks / 128, 32));

    alignas(cache_line_size) std::atomic<std::uint32_t> gate_{0};  // submitters inside | closed_bit
    alignas(cache_line_size) std::atomic<std::uint32_t> sleepers_{0};
    std::atomic<std::uint32_t> epoch_{0};
    std::atomic<bool> waking_{false};  // a wake is in flight (see wake_one)
    std::atomic<bool> warm_{false};    // a worker holds the keep-warm role
    std::atomic<bool> stopping_{false};
    alignas(cache_line_size) std::array<std::atomic<std::uint32_t>, priority_count> passed_over_{};
    alignas(cache_line_size) std::array<std::atomic<std::uint64_t>, priority_count> submitted_{};
    std::array<std::atomic<std::uint64_t>, priority_count> cancelled_{};
    std::atomic<std::size_t> worker_count_{0};

    mutable std::mutex control_;  // resize, shutdown, stats; never taken by a worker
    std::vector<std::unique_ptr<Worker>> workers_;
    std::vector<std::unique_ptr<Worker>> retired_;  // asked to exit, not yet joined
    std::deque<detail::CounterBlock> blocks_;
    detail::CounterBlock external_;  // threads that help without being workers
    bool shut_down_ = false;
};

// --- Task members that need the pool ----------------------------------------

template <class R>
bool Task<R>::cancel() noexcept {
    QUAVER_ASSERT(valid(), "cancel() on an empty task handle");
    return pool_->cancel_slot(slot_);
}

template <class R>
void Task<R>::wait() const {
    QUAVER_ASSERT(valid(), "wait() on an empty task handle");
    detail::TaskSlot* s = slot_;
    pool_->wait_until([s] { return s->finished(); }, s->status);
}

template <class R>
R Task<R>::get() {
    wait();
    switch (slot_->load_status()) {
        case detail::TaskStatus::failed: std::rethrow_exception(slot_->error);
        case detail::TaskStatus::cancelled: throw TaskCancelled();
        default: break;
    }
    if constexpr (!std::is_void_v<R>) return std::move(slot_->object<R>());
}

template <class R>
void Task<R>::reset() noexcept {
    if (slot_) pool_->release(slot_);
    slot_ = nullptr;
    pool_ = nullptr;
}

}  // namespace quaver

#include "quaver/sched/parallel_for.hpp"
