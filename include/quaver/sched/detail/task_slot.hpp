#pragma once
// The state of one task: its callable (stored inline when it fits), then its
// result or exception, the status a handle waits on, and a reference count
// shared by the pool (until the task has run or been cancelled) and the
// handle. Slots come from a preallocated slab, so submitting a small task
// does not allocate.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <type_traits>
#include <utility>

#include "quaver/sched/detail/parking.hpp"
#include "quaver/sched/priority.hpp"

namespace quaver::detail {

/// Bytes of captures a callable may have and still be stored without allocation.
inline constexpr std::size_t task_inline_bytes = 64;

template <class T>
inline constexpr bool fits_inline = sizeof(T) <= task_inline_bytes && alignof(T) <= alignof(std::max_align_t) &&
                                    std::is_nothrow_move_constructible_v<T>;

/// What the non-blocking submits (try_submit, try_post, TaskGroup::try_run)
/// accept: a callable stored inline, moved in without throwing.
template <class F>
inline constexpr bool queues_without_allocation =
    fits_inline<std::decay_t<F>> && std::is_nothrow_constructible_v<std::decay_t<F>, F&&>;

enum class TaskStatus : std::uint32_t { queued, running, done, failed, cancelled };

/// What a TaskGroup counts: tasks not yet finished, and the first exception.
struct GroupState {
    std::atomic<std::uint32_t> pending{0};
    std::atomic<bool> has_error{false};
    std::exception_ptr error;  // written once, by the task that set has_error

    void add() noexcept { pending.fetch_add(1, std::memory_order_relaxed); }

    /// Called for each task once it finished, failed or was cancelled (or
    /// once for `count` tasks that finished without an exception).
    void finish(const std::exception_ptr& e, std::uint32_t count = 1) noexcept {
        if (e && !has_error.exchange(true, std::memory_order_acq_rel)) error = e;
        if (pending.fetch_sub(count, std::memory_order_acq_rel) == count) unpark_all(pending);
    }
};

struct alignas(64) TaskSlot {
    std::atomic<std::uint32_t> status{0};
    std::atomic<std::uint32_t> refs{0};
    Priority priority = Priority::normal;
    bool heap_owned = false;  // a heap overflow slot, deleted instead of recycled
    bool timed = false;       // submit_tick was read: the start records the latency
    GroupState* group = nullptr;
    std::uint64_t submit_tick = 0;
    void (*invoke)(TaskSlot&) = nullptr;   // runs the callable, destroys it, stores the result
    void (*cleanup)(TaskSlot&) = nullptr;  // destroys what storage holds now (callable or result)
    std::exception_ptr error;
    alignas(std::max_align_t) unsigned char storage[task_inline_bytes];

    TaskStatus load_status(std::memory_order o = std::memory_order_acquire) const noexcept {
        return static_cast<TaskStatus>(status.load(o));
    }
    bool finished() const noexcept { return load_status() >= TaskStatus::done; }

    template <class T>
    T* inline_ptr() noexcept {
        return std::launder(reinterpret_cast<T*>(storage));
    }

    /// Where an object of type T lives: inline, or behind a pointer in storage.
    template <class T>
    T& object() noexcept {
        if constexpr (fits_inline<T>)
            return *inline_ptr<T>();
        else
            return **inline_ptr<T*>();
    }

    template <class T, class... Args>
    void emplace(Args&&... args) {
        if constexpr (fits_inline<T>)
            ::new (static_cast<void*>(storage)) T(std::forward<Args>(args)...);
        else
            ::new (static_cast<void*>(storage)) T*(new T(std::forward<Args>(args)...));
    }

    template <class T>
    void destroy() noexcept {
        if constexpr (fits_inline<T>)
            inline_ptr<T>()->~T();
        else
            delete *inline_ptr<T*>();
    }

    /// Effects: stores f; sets invoke so that running the task stores f()'s result.
    template <class F>
    void set_callable(F&& f) {
        using Fn = std::decay_t<F>;
        using R = std::decay_t<std::invoke_result_t<Fn&>>;
        emplace<Fn>(std::forward<F>(f));
        cleanup = [](TaskSlot& s) noexcept { s.destroy<Fn>(); };
        invoke = [](TaskSlot& s) {
            struct DestroyCallable {
                TaskSlot& s;
                ~DestroyCallable() { s.destroy<Fn>(); }
            };
            s.cleanup = nullptr;  // the guard below destroys the callable on every path
            if constexpr (std::is_void_v<R>) {
                DestroyCallable guard{s};
                s.object<Fn>()();
            } else {
                R result = [&] {
                    DestroyCallable guard{s};
                    return s.object<Fn>()();
                }();
                s.emplace<R>(std::move(result));
                s.cleanup = [](TaskSlot& t) noexcept { t.destroy<R>(); };
            }
        };
    }

    /// Effects: destroys the callable or result, forgets the exception.
    void clear() noexcept {
        if (cleanup) cleanup(*this);
        cleanup = nullptr;
        invoke = nullptr;
        error = nullptr;
        group = nullptr;
    }
};

}  // namespace quaver::detail
