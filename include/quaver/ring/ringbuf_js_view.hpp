#pragma once
// RingbufJsView<T>: a single-producer / single-consumer ring over memory laid
// out as ringbuf.js 0.4.0's RingBuffer (https://github.com/padenot/ringbuf.js,
// read from node_modules/ringbuf.js/dist/index.js), so C++ can share a ring
// with JS code that uses that package unchanged. It is NOT Quaver's own
// layout (docs/ring-layout.md); use SpscRingView for that.
//
// The ringbuf.js layout of a block of `bytes` bytes holding items of `sizeof(T)`:
//
//   byte 0   u32 write_ptr   written by the producer (Atomics.store)
//   byte 4   u32 read_ptr    written by the consumer (Atomics.store)
//   byte 8   storage         (bytes - 8) / sizeof(T) slots = capacity + 1
//
// There is no header beyond the two indices: the capacity follows from the
// block's size (RingBuffer.getStorageForCapacity(capacity, type) allocates
// 8 + (capacity + 1) * BYTES_PER_ELEMENT bytes; the constructor takes
// (byteLength - 8) / BYTES_PER_ELEMENT as the slot count). Indices stay in
// [0, capacity] and wrap modulo capacity + 1; one slot always stays empty:
//   readable = (write_ptr + slots - read_ptr) % slots, writable = capacity - readable.
// A push copies into slots [write_ptr, ...) in at most two pieces, then stores
// (write_ptr + n) % slots; a pop mirrors it with read_ptr. A fresh
// SharedArrayBuffer is zeroed, so both indices start at 0.
//
// Both indices share one cache line, so unlike SpscRingView there is no
// point in caching the other side's index: every store already moves the line.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "quaver/ring/detail/copy_items.hpp"
#include "quaver/ring/detail/shared_index.hpp"

namespace quaver {

/// A single-producer / single-consumer ring of T over a ringbuf.js 0.4.0 block.
/// One thread (or JS side) produces, one consumes; "Any thread" functions are
/// safe anywhere.
template <class T>
class RingbufJsView {
    static_assert(std::is_trivially_copyable_v<T>, "RingbufJsView<T> copies items as bytes: T must be trivially copyable");
    static_assert(alignof(T) <= 8, "ringbuf.js data starts at byte 8");

public:
    using value_type = T;

    static constexpr std::size_t write_index_offset = 0;
    static constexpr std::size_t read_index_offset = 4;
    static constexpr std::size_t data_offset = 8;

    /// Bytes a block needs for `capacity` items: 8 + (capacity + 1) * sizeof(T),
    /// as RingBuffer.getStorageForCapacity.
    /// Real-time: wait-free, no allocation.
    /// Throws: std::length_error when the size overflows std::size_t.
    static std::size_t bytes_required(std::size_t capacity) {
        if (capacity >= (SIZE_MAX - data_offset) / sizeof(T)) {
            throw std::length_error("quaver::RingbufJsView::bytes_required: ring size overflows std::size_t");
        }
        return data_offset + (capacity + 1) * sizeof(T);
    }

    /// Starts an empty ring in `memory` (both indices set to 0) and views it;
    /// the capacity is (bytes - 8) / sizeof(T) - 1, as ringbuf.js computes it.
    /// Real-time: no (allocates).
    /// Allocates only to build the exception message when it throws.
    /// Preconditions: no other thread uses the block while it is created.
    /// Throws: std::invalid_argument as attach(), apart from the index checks.
    static RingbufJsView create(void* memory, std::size_t bytes) {
        const std::size_t slots = checked_slots("RingbufJsView::create", memory, bytes);
        std::memset(memory, 0, data_offset);
        return RingbufJsView(static_cast<std::byte*>(memory), slots);
    }

    /// Views a ring that already lives in `memory` (made by create() or by
    /// ringbuf.js).
    /// Real-time: no (allocates).
    /// Allocates only to build the exception message when it throws.
    /// Throws: std::invalid_argument when `memory` is null or not aligned for
    /// T (and 4), when bytes - 8 is not a whole number of at least 2 items, or
    /// when an index lies outside [0, capacity].
    static RingbufJsView attach(void* memory, std::size_t bytes) {
        constexpr const char* where = "RingbufJsView::attach";
        const std::size_t slots = checked_slots(where, memory, bytes);
        RingbufJsView view(static_cast<std::byte*>(memory), slots);
        const std::uint32_t w = view.write_index().load(std::memory_order_acquire);
        const std::uint32_t r = view.read_index().load(std::memory_order_acquire);
        if (w >= slots || r >= slots) {
            throw std::invalid_argument(std::string("quaver::") + where + ": index out of range (write " +
                                        std::to_string(w) + ", read " + std::to_string(r) + ", " +
                                        std::to_string(slots) + " slots)");
        }
        return view;
    }

    // ---- Any thread ---------------------------------------------------------

    /// Items the ring holds when full (one less than its slots).
    /// Real-time: wait-free, no allocation.
    std::size_t capacity() const noexcept { return slots_ - 1; }

    /// Real-time: wait-free, no allocation.
    void* data() const noexcept { return base_; }
    /// Real-time: wait-free, no allocation.
    std::size_t size_bytes() const noexcept { return data_offset + slots_ * sizeof(T); }

    /// Items ready to read (exact for the consumer, an upper bound for the producer).
    /// Real-time: wait-free, no allocation.
    std::size_t read_available() const noexcept {
        return readable(read_index().load(std::memory_order_acquire), write_index().load(std::memory_order_acquire));
    }

    /// Items free to write (exact for the producer, an upper bound for the consumer).
    /// Real-time: wait-free, no allocation.
    std::size_t write_available() const noexcept { return capacity() - read_available(); }

    // ---- Producer only ------------------------------------------------------

    /// Appends one item; false, changing nothing, when full.
    /// Real-time: wait-free, no allocation.
    bool try_push(const T& item) noexcept { return write(std::span<const T>(&item, 1)) == 1; }

    /// Appends up to items.size() items; returns how many (partial when the
    /// ring fills up). At most two copies.
    /// Real-time: wait-free, no allocation.
    std::size_t write(std::span<const T> items) noexcept {
        const std::uint32_t w = write_index().load(std::memory_order_relaxed);
        const std::uint32_t r = read_index().load(std::memory_order_acquire);
        if (w >= slots_ || r >= slots_) return 0;  // a corrupt block: touch nothing
        const std::size_t n = std::min(items.size(), capacity() - readable(r, w));
        if (n == 0) return 0;
        const std::size_t first = std::min(n, slots_ - w);
        detail::copy_items(data_ + w, items.data(), first);
        if (n > first) detail::copy_items(data_, items.data() + first, n - first);
        write_index().store(static_cast<std::uint32_t>(wrap(w + n)), std::memory_order_release);
        return n;
    }

    // ---- Consumer only ------------------------------------------------------

    /// Removes the oldest item into `item`; false, changing nothing, when empty.
    /// Real-time: wait-free, no allocation.
    bool try_pop(T& item) noexcept { return read(std::span<T>(&item, 1)) == 1; }

    /// Removes up to items.size() items into `items`; returns how many
    /// (partial when fewer are ready). At most two copies.
    /// Real-time: wait-free, no allocation.
    std::size_t read(std::span<T> items) noexcept {
        const std::uint32_t r = read_index().load(std::memory_order_relaxed);
        const std::uint32_t w = write_index().load(std::memory_order_acquire);
        if (w >= slots_ || r >= slots_) return 0;
        const std::size_t n = std::min(items.size(), readable(r, w));
        if (n == 0) return 0;
        const std::size_t first = std::min(n, slots_ - r);
        detail::copy_items(items.data(), data_ + r, first);
        if (n > first) detail::copy_items(items.data() + first, data_, n - first);
        read_index().store(static_cast<std::uint32_t>(wrap(r + n)), std::memory_order_release);
        return n;
    }

private:
    RingbufJsView(std::byte* base, std::size_t slots) noexcept
        : base_(base), data_(reinterpret_cast<T*>(base + data_offset)), slots_(slots) {}

    static std::size_t checked_slots(const char* where, void* memory, std::size_t bytes) {
        auto fail = [&](const std::string& what) { throw std::invalid_argument(std::string("quaver::") + where + ": " + what); };
        if (memory == nullptr) fail("memory is null");
        if (reinterpret_cast<std::uintptr_t>(memory) % std::max<std::size_t>(4, alignof(T)) != 0) {
            fail("memory is not aligned for the indices and items");
        }
        if (bytes < data_offset || (bytes - data_offset) % sizeof(T) != 0) {
            fail("block of " + std::to_string(bytes) + " bytes is not 8 bytes plus whole items of " +
                 std::to_string(sizeof(T)) + " bytes");
        }
        const std::size_t slots = (bytes - data_offset) / sizeof(T);
        if (slots < 2) fail("block holds no item: capacity + 1 slots are needed, capacity >= 1");
        if (slots > UINT32_MAX) fail("more slots than a u32 index can address");
        return slots;
    }

    std::size_t readable(std::uint32_t r, std::uint32_t w) const noexcept {
        const std::size_t n = w >= r ? w - r : w + slots_ - r;
        return std::min(n, capacity());  // only a corrupt block exceeds it
    }
    std::size_t wrap(std::size_t i) const noexcept { return i >= slots_ ? i - slots_ : i; }

    detail::SharedIndex write_index() const noexcept {
        return detail::SharedIndex(reinterpret_cast<std::uint32_t*>(base_ + write_index_offset));
    }
    detail::SharedIndex read_index() const noexcept {
        return detail::SharedIndex(reinterpret_cast<std::uint32_t*>(base_ + read_index_offset));
    }

    std::byte* base_;
    T* data_;
    std::size_t slots_;
};

}  // namespace quaver
