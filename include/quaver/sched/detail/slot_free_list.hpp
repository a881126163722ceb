#pragma once
// The free list of the task slab: a lock-free stack of slot indices (Treiber)
// whose head carries a 32-bit tag bumped on every change, so a pop that read
// a stale `next` fails its CAS instead of corrupting the list (ABA).
//
// Why not an MPMC array queue (quaver::MpmcQueue): in that queue a thread preempted
// between claiming a cell and publishing it blocks the cell for the next lap,
// and a push that meets such a cell reports "full" although the queue is not.
// The free list cycles through its cells quickly, so that happened in the
// 1M-task stress test; a lost push there would leak a slot.
//
// A worker gives slots back in chains (one CAS for many slots): the head is
// also written by the submitting thread's pops, and one push per task made
// its cache line bounce between the cores.
#include <atomic>
#include <cstdint>
#include <memory>

#include "quaver/core/cache_line.hpp"

namespace quaver::detail {

class SlotFreeList {
public:
    static constexpr std::uint32_t none = 0xffffffffu;

    /// Slots collected by one thread, linked but not yet in the list.
    struct Chain {
        std::uint32_t first = none;
        std::uint32_t last = none;
        std::uint32_t count = 0;
    };

    /// Real-time: no (allocates).
    /// Effects: a list holding every index in [0, count).
    explicit SlotFreeList(std::uint32_t count) : next_(std::make_unique<std::atomic<std::uint32_t>[]>(count)) {
        for (std::uint32_t i = 0; i < count; ++i) next_[i].store(i + 1 < count ? i + 1 : none, std::memory_order_relaxed);
        head_.store(pack(count ? 0 : none, 0), std::memory_order_relaxed);
    }

    /// Real-time: lock-free, no allocation.
    /// Returns: an index, or `none` if the list is empty.
    std::uint32_t pop() noexcept {
        std::uint64_t head = head_.load(std::memory_order_acquire);
        for (;;) {
            const std::uint32_t index = index_of(head);
            if (index == none) return none;
            const std::uint32_t next = next_[index].load(std::memory_order_relaxed);
            if (head_.compare_exchange_weak(head, pack(next, tag_of(head) + 1), std::memory_order_acquire,
                                            std::memory_order_acquire))
                return index;
        }
    }

    /// Real-time: lock-free, no allocation.
    /// Preconditions: index came from pop() (or the constructor) and is not in the list.
    void push(std::uint32_t index) noexcept {
        Chain one;
        add(one, index);
        push(one);
    }

    /// Real-time: wait-free, no allocation.
    /// Effects: links index into c (the list is not touched).
    /// Preconditions: as for push(index).
    void add(Chain& c, std::uint32_t index) noexcept {
        next_[index].store(c.first, std::memory_order_relaxed);
        if (c.count++ == 0) c.last = index;
        c.first = index;
    }

    /// Real-time: lock-free, no allocation.
    /// Effects: puts every index of c in the list and empties c.
    void push(Chain& c) noexcept {
        if (c.count == 0) return;
        std::uint64_t head = head_.load(std::memory_order_relaxed);
        for (;;) {
            next_[c.last].store(index_of(head), std::memory_order_relaxed);
            if (head_.compare_exchange_weak(head, pack(c.first, tag_of(head) + 1), std::memory_order_release,
                                            std::memory_order_relaxed))
                break;
        }
        c = Chain{};
    }

    /// Real-time: no (walks the list).
    /// Returns: the number of free indices.
    /// Preconditions: no other thread pushes or pops.
    std::uint32_t size() const noexcept {
        std::uint32_t n = 0;
        for (std::uint32_t i = index_of(head_.load(std::memory_order_acquire)); i != none;
             i = next_[i].load(std::memory_order_relaxed))
            ++n;
        return n;
    }

private:
    static constexpr std::uint64_t pack(std::uint32_t index, std::uint32_t tag) noexcept {
        return (std::uint64_t{tag} << 32) | index;
    }
    static constexpr std::uint32_t index_of(std::uint64_t v) noexcept { return static_cast<std::uint32_t>(v); }
    static constexpr std::uint32_t tag_of(std::uint64_t v) noexcept { return static_cast<std::uint32_t>(v >> 32); }

    alignas(cache_line_size) std::atomic<std::uint64_t> head_{0};
    std::unique_ptr<std::atomic<std::uint32_t>[]> next_;
};

}  // namespace quaver::detail
