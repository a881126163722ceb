// The worker pool for JS: a quaver::WorkerPool plus a few built-in jobs, and
// a completion queue the browser's main thread can await without blocking.
//
// Nothing here waits on the calling (main) thread: jobs are queued with
// try_post (lock-free; a full queue returns false and JS keeps the job), and
// completions come back through a lock-free queue in the WASM heap plus a
// 32-bit counter that workers bump. JS polls the counter between events while
// results are due soon and otherwise awaits it with Atomics.waitAsync; the
// workers notify it (memory.atomic.notify) only while JS says it waits.
// Without pthreads the pool has no workers and JS runs queued jobs in slices
// with runPending().
//
// The per-job calls (submit, drain) are plain WASM exports (extern "C"
// below), not Embind methods: an Embind call costs ~1-2 us of argument
// conversion, a direct export call ~0.1 us.
//
// JS (bindings/js/src/pool.js) checks every argument before calling in.
#include <emscripten/emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>

#include "exception_message.hpp"
#include "pool_job.hpp"
#include "quaver/sched.hpp"
#include "quaver/ring/mpmc_queue.hpp"

namespace {

using quaver::Priority;

enum class Job : std::uint32_t { empty = 0, sum = 1, busy = 2, fail = 3, object = 4 };
enum class Outcome : std::uint32_t { ok = 0, error = 1 };

struct Completion {
    std::uint32_t id;
    Outcome outcome;
    double value;                      // the job's result
    std::string* message;              // for errors: owned by whoever pops it
};

double run_job(Job job, double arg) {
    switch (job) {
        case Job::empty: return 0;
        case Job::sum: {  // sum of i for i < arg, in doubles: a CPU-bound job with a checkable answer
            double s = 0;
            const auto n = static_cast<std::uint64_t>(arg);
            for (std::uint64_t i = 0; i < n; ++i) s += static_cast<double>(i);
            return s;
        }
        case Job::busy: {  // spins for arg nanoseconds, returns the time taken
            const auto start = std::chrono::steady_clock::now();
            const auto until = start + std::chrono::nanoseconds(static_cast<std::int64_t>(arg));
            auto now = start;
            while (now < until) now = std::chrono::steady_clock::now();
            return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(now - start).count());
        }
        case Job::fail: throw std::runtime_error("quaver: job failed on purpose (arg " + std::to_string(arg) + ")");
        case Job::object: break;  // run by JsPool::execute
    }
    return 0;
}

class JsPool {
public:
    // 16384 completions of 24 bytes: 384 KiB of heap, room for a burst far
    // beyond what JS submits between two drains.
    static constexpr std::size_t completion_capacity = 16384;

    JsPool(std::uint32_t workers, std::uint32_t spin_budget)
        : pool_(options(workers, spin_budget, &warm_)), done_(completion_capacity) {}

    ~JsPool() {
        // The destructor joins the workers; only call delete() off the main
        // thread or when the pool is idle (pool.js leaves it to module teardown).
        pool_.shutdown(quaver::ShutdownMode::cancel);
        Completion c;
        while (done_.try_pop(c)) delete c.message;
    }

    /// Queues a built-in job; false when the queue is full or the pool is
    /// shut down.
    /// Real-time: lock-free, no allocation (see WorkerPool::try_post).
    bool submit(std::uint32_t priority, std::uint32_t job, double arg, std::uint32_t id) {
        return pool_.try_post(static_cast<Priority>(priority),
                              [this, job = static_cast<Job>(job), arg, id, priority] { execute(job, arg, id, nullptr, priority); });
    }

    /// Queues job->run(pool); false as for submit. The job must outlive its
    /// completion (JS deletes it once the promise settles).
    /// Real-time: lock-free, no allocation.
    bool submit_object(std::uint32_t priority, quaver_embind::PoolJob* job, std::uint32_t id) {
        return pool_.try_post(static_cast<Priority>(priority),
                              [this, job, id, priority] { execute(Job::object, 0, id, job, priority); });
    }

    /// This object's address, for the direct exports below.
    std::uint32_t address() const { return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(this)); }

    /// Byte address of three u32 words: [0] the completion counter, which
    /// workers bump after each completion; [1] the "JS waits" flag, which JS
    /// sets before it awaits the counter with Atomics.waitAsync (workers
    /// notify the counter only while it is set); [2] the keep-warm word
    /// (PoolOptions::keep_warm), which JS bumps while it polls.
    std::uint32_t counter_address() const { return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(&posted_)); }

    /// Byte address of the drain buffer: drain_capacity records of
    /// { f64 value, u32 id, u32 ok } that drain() fills.
    std::uint32_t drain_address() const { return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(drained_)); }

    /// Moves up to drain_capacity completions into the drain buffer, where JS
    /// reads them straight from the heap (building a JS array through Embind
    /// costs ~10 us per completion, more than the rest of a round trip).
    /// Returns: how many; an error's message is fetched with message(i).
    /// Real-time: no (frees the messages of failed jobs).
    std::uint32_t drain() {
        for (auto& m : messages_) m.clear();
        std::uint32_t n = 0;
        Completion c;
        while (n < drain_capacity && done_.try_pop(c)) {
            drained_[n] = {c.value, c.id, c.outcome == Outcome::ok ? 1u : 0u};
            if (c.outcome != Outcome::ok) {
                messages_[n] = c.message ? *c.message : std::string("quaver: job failed");
                delete c.message;
            }
            ++n;
        }
        return n;
    }

    /// The message of the failed completion at index i of the last drain().
    std::string message(std::uint32_t i) const { return i < drain_capacity ? messages_[i] : std::string(); }

    /// Runs up to max_count queued jobs on the calling thread (the no-threads build).
    std::uint32_t run_pending(std::uint32_t max_count) { return static_cast<std::uint32_t>(pool_.run_pending(max_count)); }

    void resize(std::uint32_t workers) { pool_.resize(workers); }
    std::uint32_t worker_count() const { return static_cast<std::uint32_t>(pool_.worker_count()); }

    emscripten::val stats() const {
        const quaver::PoolStats s = pool_.stats();
        emscripten::val out = emscripten::val::object();
        for (std::size_t p = 0; p < quaver::priority_count; ++p) {
            const auto& c = s.per_priority[p];
            emscripten::val v = emscripten::val::object();
            v.set("queued", static_cast<double>(c.queued));
            v.set("running", static_cast<double>(c.running));
            v.set("completed", static_cast<double>(c.completed));
            v.set("failed", static_cast<double>(c.failed));
            v.set("cancelled", static_cast<double>(c.cancelled));
            v.set("latencyP50Ns", c.latency_p50_ns);
            v.set("latencyP99Ns", c.latency_p99_ns);
            v.set("latencyMaxNs", c.latency_max_ns);
            out.set(std::string(quaver::to_string(static_cast<Priority>(p))), v);
        }
        out.set("workers", static_cast<double>(s.workers));
        out.set("busySeconds", s.busy_seconds);
        out.set("workerSeconds", s.worker_seconds);
        out.set("utilisation", s.utilisation);
        return out;
    }

private:
    static quaver::PoolOptions options(std::uint32_t workers, std::uint32_t spin_budget,
                                       const std::atomic<std::uint32_t>* warm) {
        quaver::PoolOptions o;
        o.workers = workers;
        o.max_tasks = 4096;
        o.queue_capacity = 4096;
        // From JS (pool.js, SPIN_BUDGET): short, because a spinning worker
        // can hold the core the main thread's completion polling needs.
        o.spin_budget = spin_budget;
        // JS bumps this word on every submit and on every turn it polls for
        // results: while it does, one worker spins instead of parking, so a
        // submit needs no futex wake (~10 us of a ~14 us round trip in node).
        o.keep_warm = warm;
        return o;
    }

    // Runs a job and posts its completion. A job's exception is posted as
    // its message, then rethrown so that the pool counts the failure.
    void execute(Job job, double arg, std::uint32_t id, quaver_embind::PoolJob* object, std::uint32_t priority) {
        Completion c{id, Outcome::ok, 0, nullptr};
        try {
            c.value = object ? object->run(pool_, priority) : run_job(job, arg);
        } catch (...) {  // not catch (std::exception&): see exception_message.hpp
            c.outcome = Outcome::error;
            c.message = new (std::nothrow) std::string(quaver_embind::current_exception_message());
            post(c);
            throw;
        }
        post(c);
    }

    void post(const Completion& c) noexcept {
        // JS drains the queue on every notification; if it falls 16384
        // completions behind, the worker waits for room rather than lose one.
        while (!done_.try_push(c)) quaver::detail::cpu_relax();
        // Dekker with JS (Atomics ops are sequentially consistent): JS sets
        // waiting_ and then compares the counter in Atomics.waitAsync; this
        // bumps the counter and then reads waiting_. One of the two sees the
        // other, so a parked JS side is always notified, and a polling one
        // costs the worker no notify at all.
        posted_.fetch_add(1, std::memory_order_seq_cst);
        if (waiting_.load(std::memory_order_seq_cst) != 0) quaver::detail::unpark_all(posted_);
    }

    static constexpr std::uint32_t drain_capacity = 256;
    struct Drained {
        double value;
        std::uint32_t id;
        std::uint32_t ok;
    };

    // The words JS shares, first so that they exist before the workers start.
    alignas(64) std::atomic<std::uint32_t> posted_{0};
    std::atomic<std::uint32_t> waiting_{0};  // right after posted_: JS addresses it as counter_address() + 4
    std::atomic<std::uint32_t> warm_{0};     // PoolOptions::keep_warm, counter_address() + 8
    quaver::WorkerPool pool_;
    Drained drained_[drain_capacity];
    std::string messages_[drain_capacity];
    quaver::MpmcQueue<Completion, alignof(std::uint64_t)> done_;  // packed cells, as the pool's own queues
};

bool pool_threaded() {
#ifdef __EMSCRIPTEN_PTHREADS__
    return true;
#else
    return false;
#endif
}

// Whether this build catches C++ exceptions (-fwasm-exceptions or
// -fexceptions). Without either a
// throw cannot be caught: it leaves this call as a JS exception, which the
// caller catches and reads as "no".
bool pool_catches_exceptions() {
    try {
        throw 1;
    } catch (...) {
        return true;
    }
}

}  // namespace

// The per-job entry points, called by pool.js as module._quaver_pool_*(...)
// with the address from JsPool::address().
extern "C" {

/// Real-time: lock-free, no allocation. Returns 1 if queued, 0 if full.
EMSCRIPTEN_KEEPALIVE int quaver_pool_submit(std::uint32_t pool, std::uint32_t priority, std::uint32_t job, double arg,
                                            std::uint32_t id) {
    return reinterpret_cast<JsPool*>(static_cast<std::uintptr_t>(pool))->submit(priority, job, arg, id) ? 1 : 0;
}

/// Real-time: lock-free, no allocation. `job` is the address of a PoolJob.
EMSCRIPTEN_KEEPALIVE int quaver_pool_submit_object(std::uint32_t pool, std::uint32_t priority, std::uint32_t job,
                                                   std::uint32_t id) {
    auto* object = reinterpret_cast<quaver_embind::PoolJob*>(static_cast<std::uintptr_t>(job));
    return reinterpret_cast<JsPool*>(static_cast<std::uintptr_t>(pool))->submit_object(priority, object, id) ? 1 : 0;
}

/// See JsPool::drain.
EMSCRIPTEN_KEEPALIVE std::uint32_t quaver_pool_drain(std::uint32_t pool) {
    return reinterpret_cast<JsPool*>(static_cast<std::uintptr_t>(pool))->drain();
}

}  // extern "C"

EMSCRIPTEN_BINDINGS(quaver_pool) {
    emscripten::class_<JsPool>("QuaverPool")
        .constructor<std::uint32_t, std::uint32_t>()
        .function("submit", &JsPool::submit)
        .function("address", &JsPool::address)
        .function("counterAddress", &JsPool::counter_address)
        .function("drainAddress", &JsPool::drain_address)
        .function("drain", &JsPool::drain)
        .function("message", &JsPool::message)
        .function("runPending", &JsPool::run_pending)
        .function("resize", &JsPool::resize)
        .function("workerCount", &JsPool::worker_count)
        .function("stats", &JsPool::stats);
    emscripten::function("quaverPoolThreaded", &pool_threaded);
    emscripten::function("quaverPoolCatchesExceptions", &pool_catches_exceptions);
}
