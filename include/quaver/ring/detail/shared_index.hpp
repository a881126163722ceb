#pragma once
// SharedIndex: atomic access to a u32 index that lives in a shared block of
// bytes (not in a std::atomic object), so that C++ and JS `Atomics` work on
// the same 4 bytes. std::atomic_ref is the standard tool, but the libc++ that
// ships with Emscripten 3.1.6 (LLVM 14) lacks it; the GCC/Clang __atomic
// builtins compile to the same instructions (i32.atomic.* in WASM with
// threads, plain moves plus ordering on x86-64).
#include <atomic>
#include <cstdint>

namespace quaver::detail {

class SharedIndex {
public:
    explicit SharedIndex(std::uint32_t* word) noexcept : word_(word) {}

    /// Real-time: wait-free, no allocation.
    std::uint32_t load(std::memory_order order) const noexcept {
#if defined(__cpp_lib_atomic_ref)
        return std::atomic_ref<std::uint32_t>(*word_).load(order);
#else
        return order == std::memory_order_relaxed ? __atomic_load_n(word_, __ATOMIC_RELAXED)
               : order == std::memory_order_seq_cst ? __atomic_load_n(word_, __ATOMIC_SEQ_CST)
                                                    : __atomic_load_n(word_, __ATOMIC_ACQUIRE);
#endif
    }

    /// Real-time: wait-free, no allocation.
    void store(std::uint32_t value, std::memory_order order) noexcept {
#if defined(__cpp_lib_atomic_ref)
        std::atomic_ref<std::uint32_t>(*word_).store(value, order);
#else
        if (order == std::memory_order_relaxed) {
            __atomic_store_n(word_, value, __ATOMIC_RELAXED);
        } else if (order == std::memory_order_seq_cst) {
            __atomic_store_n(word_, value, __ATOMIC_SEQ_CST);
        } else {
            __atomic_store_n(word_, value, __ATOMIC_RELEASE);
        }
#endif
    }

private:
    std::uint32_t* word_;
};

#if defined(__cpp_lib_atomic_ref)
static_assert(std::atomic_ref<std::uint32_t>::is_always_lock_free, "shared indices must be lock-free 32-bit atomics");
#else
static_assert(__atomic_always_lock_free(sizeof(std::uint32_t), 0), "shared indices must be lock-free 32-bit atomics");
#endif

}  // namespace quaver::detail
