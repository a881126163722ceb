#pragma once
// std::atomic_ref for Emscripten 3.1.6, whose libc++ (13) predates it.
// Force-included by bindings/js/scripts/build-wasm.sh; a no-op with any
// standard library that has atomic_ref. Covers what Quaver's rings use
// (load, store, exchange, compare_exchange, fetch_add/sub on integers),
// built on the compiler's __atomic builtins, which is also how libc++
// implements the real one.
#include <atomic>
#include <cstddef>
#include <memory>
#include <type_traits>

#if !defined(__cpp_lib_atomic_ref)
namespace std {

template <class T>
class atomic_ref {
    static_assert(std::is_trivially_copyable_v<T>, "atomic_ref<T> needs a trivially copyable T");

public:
    using value_type = T;
    static constexpr bool is_always_lock_free = __atomic_always_lock_free(sizeof(T), 0);
    static constexpr std::size_t required_alignment = alignof(T) < sizeof(T) ? sizeof(T) : alignof(T);

    explicit atomic_ref(T& object) noexcept : p_(std::addressof(object)) {}
    atomic_ref(const atomic_ref&) noexcept = default;
    atomic_ref& operator=(const atomic_ref&) = delete;

    bool is_lock_free() const noexcept { return __atomic_is_lock_free(sizeof(T), p_); }

    T load(std::memory_order order = std::memory_order_seq_cst) const noexcept {
        T value;
        __atomic_load(p_, &value, to_int(order));
        return value;
    }
    void store(T value, std::memory_order order = std::memory_order_seq_cst) const noexcept {
        __atomic_store(p_, &value, to_int(order));
    }
    operator T() const noexcept { return load(); }
    T operator=(T value) const noexcept {
        store(value);
        return value;
    }
    T exchange(T value, std::memory_order order = std::memory_order_seq_cst) const noexcept {
        T old;
        __atomic_exchange(p_, &value, &old, to_int(order));
        return old;
    }
    bool compare_exchange_weak(T& expected, T desired, std::memory_order success,
                               std::memory_order failure) const noexcept {
        return __atomic_compare_exchange(p_, &expected, &desired, true, to_int(success), to_int(failure));
    }
    bool compare_exchange_strong(T& expected, T desired, std::memory_order success,
                                 std::memory_order failure) const noexcept {
        return __atomic_compare_exchange(p_, &expected, &desired, false, to_int(success), to_int(failure));
    }
    bool compare_exchange_weak(T& expected, T desired,
                               std::memory_order order = std::memory_order_seq_cst) const noexcept {
        return compare_exchange_weak(expected, desired, order, failure_order(order));
    }
    bool compare_exchange_strong(T& expected, T desired,
                                 std::memory_order order = std::memory_order_seq_cst) const noexcept {
        return compare_exchange_strong(expected, desired, order, failure_order(order));
    }
    template <class U = T, class = std::enable_if_t<std::is_integral_v<U>>>
    T fetch_add(T delta, std::memory_order order = std::memory_order_seq_cst) const noexcept {
        return __atomic_fetch_add(p_, delta, to_int(order));
    }
    template <class U = T, class = std::enable_if_t<std::is_integral_v<U>>>
    T fetch_sub(T delta, std::memory_order order = std::memory_order_seq_cst) const noexcept {
        return __atomic_fetch_sub(p_, delta, to_int(order));
    }

private:
    static constexpr int to_int(std::memory_order order) noexcept {
        switch (order) {
            case std::memory_order_relaxed: return __ATOMIC_RELAXED;
            case std::memory_order_consume: return __ATOMIC_CONSUME;
            case std::memory_order_acquire: return __ATOMIC_ACQUIRE;
            case std::memory_order_release: return __ATOMIC_RELEASE;
            case std::memory_order_acq_rel: return __ATOMIC_ACQ_REL;
            default: return __ATOMIC_SEQ_CST;
        }
    }
    static constexpr std::memory_order failure_order(std::memory_order order) noexcept {
        return order == std::memory_order_acq_rel   ? std::memory_order_acquire
               : order == std::memory_order_release ? std::memory_order_relaxed
                                                    : order;
    }
    T* p_;
};

}  // namespace std
#endif
