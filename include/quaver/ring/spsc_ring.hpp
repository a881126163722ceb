#pragma once
// SpscRing<T>: a single-producer / single-consumer ring that owns its block.
// The block has the shared layout of docs/ring-layout.md, so data()/size_bytes()
// can be handed to another view (C++ or JS) of the same ring, for the side
// this object does not play (each view keeps its own side's index).
#include <bit>
#include <cstring>
#include <cstddef>
#include <memory>
#include <new>
#include <span>
#include <stdexcept>
#include <string>

#include "quaver/core/cache_line.hpp"
#include "quaver/ring/spsc_ring_view.hpp"

namespace quaver {

namespace detail {

struct AlignedFree {
    void operator()(void* p) const noexcept { ::operator delete(p, std::align_val_t{cache_line_size}); }
};

/// A zeroed, cache-line aligned block of `bytes` bytes.
inline std::unique_ptr<void, AlignedFree> allocate_ring_block(std::size_t bytes) {
    void* p = ::operator new(bytes, std::align_val_t{cache_line_size});
    std::memset(p, 0, bytes);
    return std::unique_ptr<void, AlignedFree>(p);
}

/// Capacity rounded up to the power of two the layout needs.
/// Throws: std::invalid_argument for 0, std::length_error above 2^30.
inline std::size_t ring_capacity_for(const char* where, std::size_t requested) {
    if (requested == 0) throw std::invalid_argument(std::string("quaver::") + where + ": capacity must be at least 1");
    if (requested > RingLayout::max_capacity) {
        throw std::length_error(std::string("quaver::") + where + ": capacity " + std::to_string(requested) +
                                " is above the layout's limit of 2^30 items");
    }
    return std::bit_ceil(requested);
}

}  // namespace detail

/// A single-producer / single-consumer ring of T (trivially copyable) in a
/// cache-line aligned block it owns. One thread pushes, one thread pops.
///
/// The capacity is rounded up to a power of two (the shared layout wants one
/// so that slot = index & (capacity - 1) and the free-running u32 indices wrap
/// cleanly); capacity() reports the real value.
template <class T>
class SpscRing {
public:
    using value_type = T;

    /// A ring holding at least `capacity` items (rounded up to a power of two).
    /// Real-time: no (allocates).
    /// Throws: std::invalid_argument when capacity is 0; std::length_error
    /// above 2^30 items or when the block's size overflows std::size_t;
    /// std::bad_alloc when memory runs out.
    explicit SpscRing(std::size_t capacity)
        : SpscRing(detail::ring_capacity_for("SpscRing", capacity), 0) {}

    SpscRing(const SpscRing&) = delete;
    SpscRing& operator=(const SpscRing&) = delete;

    /// Producer only: appends one item; false, changing nothing, when full.
    /// Real-time: wait-free, no allocation.
    bool try_push(const T& item) noexcept { return view_.try_push(item); }

    /// Consumer only: removes the oldest item into `item`; false when empty.
    /// Real-time: wait-free, no allocation.
    bool try_pop(T& item) noexcept { return view_.try_pop(item); }

    /// Producer only: appends up to items.size() items, returns how many
    /// (partial when the ring fills up). At most two copies.
    /// Real-time: wait-free, no allocation.
    std::size_t write(std::span<const T> items) noexcept { return view_.write(items); }

    /// Consumer only: removes up to items.size() items into `items`, returns
    /// how many (partial when fewer are ready). At most two copies.
    /// Real-time: wait-free, no allocation.
    std::size_t read(std::span<T> items) noexcept { return view_.read(items); }

    /// Items ready to read (exact for the consumer, see SpscRingView).
    /// Real-time: wait-free, no allocation.
    std::size_t read_available() const noexcept { return view_.read_available(); }

    /// Items free to write (exact for the producer, see SpscRingView).
    /// Real-time: wait-free, no allocation.
    std::size_t write_available() const noexcept { return view_.write_available(); }

    /// Items the ring holds when full: the requested capacity rounded up to a
    /// power of two.
    /// Real-time: wait-free, no allocation.
    std::size_t capacity() const noexcept { return view_.capacity(); }

    /// The shared block (docs/ring-layout.md) and its size, to open it
    /// elsewhere with SpscRingView<T>::attach or from JS. The ring keeps
    /// ownership; the block lives as long as this object.
    /// Real-time: wait-free, no allocation.
    void* data() const noexcept { return view_.data(); }
    /// Real-time: wait-free, no allocation.
    std::size_t size_bytes() const noexcept { return view_.size_bytes(); }

    /// The view this ring works through.
    /// Real-time: wait-free, no allocation.
    SpscRingView<T>& view() noexcept { return view_; }

private:
    SpscRing(std::size_t capacity, int)
        : block_(detail::allocate_ring_block(SpscRingView<T>::bytes_required(capacity))),
          view_(SpscRingView<T>::create(block_.get(), SpscRingView<T>::bytes_required(capacity), capacity)) {}

    std::unique_ptr<void, detail::AlignedFree> block_;
    SpscRingView<T> view_;
};

}  // namespace quaver
