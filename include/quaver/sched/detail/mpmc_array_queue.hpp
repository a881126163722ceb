#pragma once
// A bounded multi-producer multi-consumer queue over a fixed array (Dmitry
// Vyukov's design): each cell carries a sequence number that says whether it
// is ready for the producer or for the consumer of the current lap, so push
// and pop each cost one CAS on a shared index plus one release store, and
// never allocate after construction. The pool keeps one per priority and one
// as the free list of task slots.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>

#include "quaver/core/cache_line.hpp"

namespace quaver::detail {

template <class T>
class MpmcArrayQueue {
    static_assert(std::is_trivially_copyable_v<T>, "cells are copied without construction");

public:
    /// Real-time: no (allocates).
    /// Effects: allocates room for `capacity` items rounded up to a power of two.
    /// Throws: std::invalid_argument if capacity is 0 or above 2^30.
    explicit MpmcArrayQueue(std::size_t capacity) {
        if (capacity == 0 || capacity > (std::size_t{1} << 30))
            throw std::invalid_argument("quaver: queue capacity must be in [1, 2^30]");
        std::size_t size = 1;
        while (size < capacity) size <<= 1;
        mask_ = size - 1;
        cells_ = std::make_unique<Cell[]>(size);
        for (std::size_t i = 0; i < size; ++i) cells_[i].sequence.store(i, std::memory_order_relaxed);
    }

    std::size_t capacity() const noexcept { return mask_ + 1; }

    /// Real-time: lock-free, no allocation.
    /// Returns: false (and leaves the queue unchanged) when the queue is full.
    bool try_push(const T& value) noexcept {
        std::size_t pos = enqueue_pos_.load(std::memory_order_relaxed);
        for (;;) {
            Cell& cell = cells_[pos & mask_];
            const std::size_t seq = cell.sequence.load(std::memory_order_acquire);
            const auto diff = static_cast<std::ptrdiff_t>(seq) - static_cast<std::ptrdiff_t>(pos);
            if (diff == 0) {
                if (enqueue_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
                    cell.value = value;
                    cell.sequence.store(pos + 1, std::memory_order_release);
                    return true;
                }
            } else if (diff < 0) {
                return false;  // the cell still holds an item of the previous lap: full
            } else {
                pos = enqueue_pos_.load(std::memory_order_relaxed);
            }
        }
    }

    /// Real-time: lock-free, no allocation.
    /// Returns: false when no item is ready (empty, or the next producer has
    /// claimed its cell but not yet written it).
    bool try_pop(T& out) noexcept {
        std::size_t pos = dequeue_pos_.load(std::memory_order_relaxed);
        for (;;) {
            Cell& cell = cells_[pos & mask_];
            const std::size_t seq = cell.sequence.load(std::memory_order_acquire);
            const auto diff = static_cast<std::ptrdiff_t>(seq) - static_cast<std::ptrdiff_t>(pos + 1);
            if (diff == 0) {
                if (dequeue_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
                    out = cell.value;
                    cell.sequence.store(pos + mask_ + 1, std::memory_order_release);
                    return true;
                }
            } else if (diff < 0) {
                return false;
            } else {
                pos = dequeue_pos_.load(std::memory_order_relaxed);
            }
        }
    }

    /// Real-time: wait-free, no allocation.
    /// Returns: a snapshot of the number of items; exact only when no other
    /// thread is pushing or popping.
    std::size_t size_approx() const noexcept {
        const std::size_t tail = dequeue_pos_.load(std::memory_order_relaxed);
        const std::size_t head = enqueue_pos_.load(std::memory_order_relaxed);
        return head > tail ? head - tail : 0;
    }

    /// Real-time: wait-free, no allocation.
    bool empty_approx() const noexcept { return size_approx() == 0; }

private:
    struct Cell {
        std::atomic<std::size_t> sequence;
        T value;
    };
    // The two indices are written by different sides; keeping them on separate
    // cache lines stops producers and consumers from invalidating each other.
    alignas(cache_line_size) std::atomic<std::size_t> enqueue_pos_{0};
    alignas(cache_line_size) std::atomic<std::size_t> dequeue_pos_{0};
    alignas(cache_line_size) std::size_t mask_ = 0;
    std::unique_ptr<Cell[]> cells_;
};

}  // namespace quaver::detail
