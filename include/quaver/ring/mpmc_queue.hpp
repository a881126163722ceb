#pragma once
// MpmcQueue<T>: a bounded multi-producer / multi-consumer FIFO.
//
// Design: Dmitry Vyukov's bounded MPMC queue, an array of cells, each with a
// sequence number that says whose turn the cell is. A thread claims a
// position with one CAS on the shared head (or tail) counter, then owns the
// cell until it publishes the new sequence number; producers never touch the
// consumers' counter and the other way round. The sequence here counts turns
// (2 * lap for "free", 2 * lap + 1 for "full", as in rigtorp/MPMCQueue), which,
// unlike Vyukov's original, also works for a capacity of 1.
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "quaver/core/cache_line.hpp"

namespace quaver {

/// A bounded FIFO any number of threads may push to and pop from.
///
/// T may be move-only and need not be trivially copyable; it must be nothrow
/// move-constructible and nothrow destructible (a claimed cell cannot be given
/// back once another thread may be waiting for it).
///
/// CellAlign is the alignment of a cell (its turn counter and item): a
/// cache line by default, so that threads working on neighbouring cells do
/// not contend; a queue of small items that is mostly full or mostly empty
/// may prefer packed cells (alignof(std::uint64_t)), which take fewer cache
/// lines per item.
///
/// Progress: try_push and try_pop never wait. They are lock-free in the usual
/// sense (a failed CAS means another thread succeeded); as with every
/// array-based MPMC queue, a thread suspended between claiming a cell and
/// publishing it makes that one cell look full (to producers) or empty (to
/// consumers) until it resumes, so a try_ may then return false early.
template <class T, std::size_t CellAlign = cache_line_size>
class MpmcQueue {
    static_assert(std::is_nothrow_move_constructible_v<T>, "MpmcQueue<T> needs a nothrow move constructor");
    static_assert(std::has_single_bit(CellAlign), "MpmcQueue: CellAlign must be a power of two");
    static_assert(std::is_nothrow_destructible_v<T>, "MpmcQueue<T> needs a nothrow destructor");

public:
    using value_type = T;

    /// A queue holding at least `capacity` items, rounded up to a power of two
    /// (so the cell of a position is a mask, not a division).
    /// Real-time: no (allocates).
    /// Throws: std::invalid_argument when capacity is 0; std::length_error
    /// above 2^30; std::bad_alloc.
    explicit MpmcQueue(std::size_t capacity) : capacity_(checked_capacity(capacity)), mask_(capacity_ - 1) {
        cells_ = std::allocator<Cell>().allocate(capacity_);
        for (std::size_t i = 0; i < capacity_; ++i) ::new (static_cast<void*>(cells_ + i)) Cell();
    }

    MpmcQueue(const MpmcQueue&) = delete;
    MpmcQueue& operator=(const MpmcQueue&) = delete;

    /// Destroys the items still queued.
    /// Real-time: no (allocates).
    /// Preconditions: no other thread uses the queue.
    ~MpmcQueue() {
        for (std::size_t i = 0; i < capacity_; ++i) {
            if (cells_[i].turn.load(std::memory_order_acquire) & 1) {
                std::launder(reinterpret_cast<T*>(cells_[i].storage))->~T();
            }
            cells_[i].~Cell();
        }
        std::allocator<Cell>().deallocate(cells_, capacity_);
    }

    /// Appends a copy of `item`; false, changing nothing, when full.
    /// Real-time: lock-free, no allocation.
    /// (As long as T's copy constructor does not allocate.)
    bool try_push(const T& item) noexcept(std::is_nothrow_copy_constructible_v<T>)
        requires std::is_copy_constructible_v<T>
    {
        return try_emplace(item);
    }

    /// Appends `item`, moved; false (item untouched) when full.
    /// Real-time: lock-free, no allocation.
    bool try_push(T&& item) noexcept { return try_emplace(std::move(item)); }

    /// Appends a T constructed from `args`; false when full (then nothing is
    /// constructed). A T whose constructor may throw is built before a cell is
    /// claimed and then moved in, so an exception leaves the queue unchanged.
    /// Real-time: lock-free, no allocation.
    /// (As long as T's constructor does not allocate.)
    /// Throws: whatever T's constructor throws.
    template <class... Args>
    bool try_emplace(Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args...>) {
        if constexpr (std::is_nothrow_constructible_v<T, Args...>) {
            const Claim claim = claim_for_push();
            if (claim.cell == nullptr) return false;
            ::new (static_cast<void*>(claim.cell->storage)) T(std::forward<Args>(args)...);
            claim.cell->turn.store(claim.free_turn + 1, std::memory_order_release);
            return true;
        } else {
            T item(std::forward<Args>(args)...);
            return try_emplace(std::move(item));
        }
    }

    /// Moves the oldest item into `item`; false, `item` untouched, when empty.
    /// Real-time: lock-free, no allocation.
    /// (As long as T's move assignment does not allocate.)
    bool try_pop(T& item) noexcept(std::is_nothrow_move_assignable_v<T>) {
        return try_consume([&item](T& stored) { item = std::move(stored); });
    }

    /// Removes the oldest item, handing it to `consume(T&)` in place (no move
    /// out of the queue); false, `consume` not called, when empty. The item is
    /// destroyed after `consume` returns, or throws.
    /// Real-time: lock-free, no allocation.
    /// (As long as `consume` does not allocate.)
    template <class Consume>
    bool try_consume(Consume&& consume) {
        std::uint64_t pos = tail_.value.load(std::memory_order_relaxed);
        for (;;) {
            Cell& cell = cells_[pos & mask_];
            const std::uint64_t turn = cell.turn.load(std::memory_order_acquire);
            const std::uint64_t want = 2 * lap(pos) + 1;
            if (turn == want) {
                if (tail_.value.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
                    // Frees the cell for the next lap even if consume throws.
                    struct Release {
                        Cell& cell;
                        std::uint64_t next_turn;
                        ~Release() {
                            std::launder(reinterpret_cast<T*>(cell.storage))->~T();
                            cell.turn.store(next_turn, std::memory_order_release);
                        }
                    } release{cell, want + 1};
                    consume(*std::launder(reinterpret_cast<T*>(cell.storage)));
                    return true;
                }
                // The failed CAS left the current tail in pos: retry there.
            } else if (static_cast<std::int64_t>(turn - want) < 0) {
                return false;  // the cell still waits for its producer: empty
            } else {
                pos = tail_.value.load(std::memory_order_relaxed);  // another consumer took it
            }
        }
    }

    /// Items in the queue at some moment during the call (approximate while
    /// other threads push or pop), in [0, capacity()].
    /// Real-time: wait-free, no allocation.
    std::size_t size() const noexcept {
        const std::uint64_t tail = tail_.value.load(std::memory_order_acquire);
        const std::uint64_t head = head_.value.load(std::memory_order_acquire);
        if (head <= tail) return 0;
        const std::uint64_t n = head - tail;
        return n > capacity_ ? capacity_ : static_cast<std::size_t>(n);
    }

    /// Real-time: wait-free, no allocation.
    bool empty() const noexcept { return size() == 0; }

    /// Items the queue holds when full (a power of two).
    /// Real-time: wait-free, no allocation.
    std::size_t capacity() const noexcept { return capacity_; }

private:
    // One cell per cache line by default: neighbouring cells are written by
    // different threads at the same time, and sharing a line would make them
    // contend.
    struct alignas(CellAlign) Cell {
        std::atomic<std::uint64_t> turn{0};
        alignas(T) unsigned char storage[sizeof(T)];
    };

    struct alignas(cache_line_size) Counter {
        std::atomic<std::uint64_t> value{0};
    };

    static std::size_t checked_capacity(std::size_t capacity) {
        if (capacity == 0) throw std::invalid_argument("quaver::MpmcQueue: capacity must be at least 1");
        if (capacity > (std::size_t{1} << 30)) {
            throw std::length_error("quaver::MpmcQueue: capacity " + std::to_string(capacity) + " is above 2^30");
        }
        return std::bit_ceil(capacity);
    }

    std::uint64_t lap(std::uint64_t pos) const noexcept { return pos >> std::countr_zero(capacity_); }

    struct Claim {
        Cell* cell;
        std::uint64_t free_turn;  // publish free_turn + 1 once the item is in
    };

    // Claims the cell at the head for a push; a null cell when full.
    Claim claim_for_push() noexcept {
        std::uint64_t pos = head_.value.load(std::memory_order_relaxed);
        for (;;) {
            Cell& cell = cells_[pos & mask_];
            const std::uint64_t turn = cell.turn.load(std::memory_order_acquire);
            const std::uint64_t want = 2 * lap(pos);
            if (turn == want) {
                if (head_.value.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
                    return {&cell, want};
                }
            } else if (static_cast<std::int64_t>(turn - want) < 0) {
                return {nullptr, 0};  // the cell's last item is not consumed yet: full
            } else {
                pos = head_.value.load(std::memory_order_relaxed);
            }
        }
    }

    std::size_t capacity_;
    std::size_t mask_;
    Cell* cells_ = nullptr;
    Counter head_;  // next position to push, producers only
    Counter tail_;  // next position to pop, consumers only
};

}  // namespace quaver
