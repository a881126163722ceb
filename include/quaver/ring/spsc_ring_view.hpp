#pragma once
// SpscRingView<T>: a single-producer / single-consumer ring over caller-owned
// memory laid out as docs/ring-layout.md says (version 1), so that C++ (native
// or WASM) and JS (Atomics on a SharedArrayBuffer) can open the same block.
//
// The indices are u32 words of the block, accessed atomically in place
// (std::atomic_ref, see detail/shared_index.hpp), so in WASM they are the
// same i32 atomics JS reaches with `Atomics.load`/`Atomics.store`.
//
// The view holds no data of its own, only where the block is and, for each
// side, its own index (that side is the index's only writer, so it never
// reads it back from the block) and the last value it saw of the other
// side's index. Those sit on a cache line per side (apart from the fields
// both sides read), so in the common case a push or pop reads no line the
// other core is writing. Reading its own index back from the block made each
// side load the line the other side polls: one item at a time across two
// threads ran 7x slower (bench/RESULTS.md, Rings).
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

#include "quaver/core/assert.hpp"
#include "quaver/core/cache_line.hpp"

namespace quaver {

namespace detail {

/// Byte offsets and limits of the shared ring layout, version 1
/// (docs/ring-layout.md). JS reads the same numbers from its own copy.
struct RingLayout {
    static constexpr std::uint32_t magic = 0x52565551;  // "QUVR" as bytes 51 55 56 52
    static constexpr std::uint32_t version = 1;
    static constexpr std::size_t magic_offset = 0;
    static constexpr std::size_t version_offset = 4;
    static constexpr std::size_t capacity_offset = 8;
    static constexpr std::size_t channels_offset = 12;
    static constexpr std::size_t bytes_per_sample_offset = 16;
    static constexpr std::size_t sample_format_offset = 20;
    static constexpr std::size_t data_offset_offset = 24;
    static constexpr std::size_t write_index_offset = 64;
    static constexpr std::size_t read_index_offset = 128;
    static constexpr std::size_t data_offset = 192;
    static constexpr std::size_t max_capacity = std::size_t{1} << 30;
    /// The block must start on this boundary (64 is better, see the layout).
    static constexpr std::size_t min_alignment = 8;
};

/// The `sample_format` code of the layout for T: 0 opaque, 1 float32, 2 int32,
/// 3 uint32, 4 float64, 5 int64, 6 uint64.
template <class T>
constexpr std::uint32_t ring_sample_format() noexcept {
    if constexpr (std::is_same_v<T, float> && sizeof(T) == 4) {
        return 1;
    } else if constexpr (std::is_same_v<T, double> && sizeof(T) == 8) {
        return 4;
    } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool> && sizeof(T) == 4) {
        return std::is_signed_v<T> ? 2 : 3;
    } else if constexpr (std::is_integral_v<T> && sizeof(T) == 8) {
        return std::is_signed_v<T> ? 5 : 6;
    } else {
        return 0;
    }
}

inline std::uint32_t load_u32(const std::byte* p) noexcept {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void store_u32(std::byte* p, std::uint32_t v) noexcept { std::memcpy(p, &v, sizeof v); }

[[noreturn]] inline void throw_ring_error(const char* where, const std::string& what) {
    throw std::invalid_argument(std::string("quaver::") + where + ": " + what);
}

}  // namespace detail

/// A single-producer / single-consumer ring of T over a block laid out as in
/// docs/ring-layout.md: `channels` channel-planar lanes of `capacity` items
/// each, moved together (one "frame" is one item of every channel).
///
/// Roles: one thread at a time is the producer (calls the functions marked
/// "Producer only"), one thread at a time is the consumer ("Consumer only");
/// they may share one view object or each open their own view of the block
/// (in this process or in JS). Functions marked "Any thread" are safe anywhere.
///
/// Each side keeps its own index in the view and caches the other side's; a
/// cached value is always a lower bound of the truth while the indices move
/// the normal way. A side that moves to another view (or to JS) continues in
/// a view opened after the move; after rewriting indices by hand, open a
/// fresh view with attach().
template <class T>
class SpscRingView {
    static_assert(std::is_trivially_copyable_v<T>, "SpscRingView<T> copies items as bytes: T must be trivially copyable");
    static_assert(alignof(T) <= detail::RingLayout::min_alignment, "the layout aligns data on 8 bytes at most");

    using Layout = detail::RingLayout;

public:
    using value_type = T;

    // Not copyable: a copy would share the block but keep its own copy of the
    // sides' indices, and the two would overwrite each other's items. Move a
    // view, or attach() another one.
    SpscRingView(const SpscRingView&) = delete;
    SpscRingView& operator=(const SpscRingView&) = delete;
    SpscRingView(SpscRingView&&) noexcept = default;
    SpscRingView& operator=(SpscRingView&&) noexcept = default;

    /// The layout's `sample_format` code for T (0 when T is none of the named types).
    static constexpr std::uint32_t sample_format = detail::ring_sample_format<T>();

    /// Bytes a block needs for `capacity` items of each of `channels` channels:
    /// `192 + channels * capacity * sizeof(T)`.
    /// Real-time: wait-free, no allocation.
    /// Throws: std::length_error when the size does not fit in std::size_t.
    static std::size_t bytes_required(std::size_t capacity, std::size_t channels = 1) {
        const std::size_t limit = (SIZE_MAX - Layout::data_offset) / sizeof(T);
        if (channels != 0 && capacity > limit / channels) {
            throw std::length_error("quaver::SpscRingView::bytes_required: ring size overflows std::size_t");
        }
        return Layout::data_offset + channels * capacity * sizeof(T);
    }

    /// Lays out a new, empty ring in `memory` and returns a view of it.
    /// Real-time: no (allocates).
    /// Allocates only to build the exception message when it throws.
    /// Preconditions: no other thread uses the block while it is created.
    /// Throws: std::invalid_argument when `memory` is null or not 8-byte aligned,
    /// `capacity` is 0, not a power of two or above 2^30, `channels` is 0 or
    /// above 2^32 - 1, or `bytes` is smaller than bytes_required(capacity, channels).
    static SpscRingView create(void* memory, std::size_t bytes, std::size_t capacity, std::size_t channels = 1) {
        constexpr const char* where = "SpscRingView::create";
        check_memory(where, memory);
        check_capacity(where, capacity);
        if (channels == 0 || channels > UINT32_MAX) {
            detail::throw_ring_error(where, "channels must be in [1, 2^32 - 1], got " + std::to_string(channels));
        }
        const std::size_t needed = check_block_fits(where, bytes, capacity, channels);
        auto* base = static_cast<std::byte*>(memory);
        std::memset(base, 0, Layout::data_offset);
        detail::store_u32(base + Layout::magic_offset, Layout::magic);
        detail::store_u32(base + Layout::version_offset, Layout::version);
        detail::store_u32(base + Layout::capacity_offset, static_cast<std::uint32_t>(capacity));
        detail::store_u32(base + Layout::channels_offset, static_cast<std::uint32_t>(channels));
        detail::store_u32(base + Layout::bytes_per_sample_offset, static_cast<std::uint32_t>(sizeof(T)));
        detail::store_u32(base + Layout::sample_format_offset, sample_format);
        detail::store_u32(base + Layout::data_offset_offset, static_cast<std::uint32_t>(Layout::data_offset));
        return SpscRingView(base, needed, capacity, channels);
    }

    /// Opens a ring that create() (or the JS side) laid out in `memory`.
    /// A T of format 0 (opaque) opens a block of any format with the same item
    /// size; a named T requires exactly its own format.
    /// Real-time: no (allocates).
    /// Allocates only to build the exception message when it throws.
    /// Throws: std::invalid_argument when `memory` is null or misaligned, or the
    /// block's magic, version, capacity, channels, data_offset, bytes_per_sample
    /// or sample_format does not match, or `bytes` is smaller than the ring.
    static SpscRingView attach(void* memory, std::size_t bytes) {
        constexpr const char* where = "SpscRingView::attach";
        check_memory(where, memory);
        if (bytes < Layout::data_offset) {
            detail::throw_ring_error(where, "block of " + std::to_string(bytes) +
                                                " bytes is smaller than the 192-byte header");
        }
        auto* base = static_cast<std::byte*>(memory);
        const std::uint32_t magic = detail::load_u32(base + Layout::magic_offset);
        if (magic != Layout::magic) {
            detail::throw_ring_error(where, "wrong magic " + std::to_string(magic) + ", expected " +
                                                std::to_string(Layout::magic) + " (not a Quaver ring)");
        }
        const std::uint32_t version = detail::load_u32(base + Layout::version_offset);
        if (version != Layout::version) {
            detail::throw_ring_error(where, "unsupported layout version " + std::to_string(version) + ", expected 1");
        }
        const std::uint32_t capacity = detail::load_u32(base + Layout::capacity_offset);
        check_capacity(where, capacity);
        const std::uint32_t channels = detail::load_u32(base + Layout::channels_offset);
        if (channels == 0) detail::throw_ring_error(where, "channels is 0");
        const std::uint32_t data_offset = detail::load_u32(base + Layout::data_offset_offset);
        if (data_offset != Layout::data_offset) {
            detail::throw_ring_error(where, "data_offset " + std::to_string(data_offset) + ", expected 192");
        }
        const std::uint32_t item_bytes = detail::load_u32(base + Layout::bytes_per_sample_offset);
        if (item_bytes != sizeof(T)) {
            detail::throw_ring_error(where, "bytes_per_sample " + std::to_string(item_bytes) + " does not match sizeof(T) = " +
                                                std::to_string(sizeof(T)));
        }
        const std::uint32_t format = detail::load_u32(base + Layout::sample_format_offset);
        if (sample_format != 0 && format != sample_format) {
            detail::throw_ring_error(where, "sample_format " + std::to_string(format) + " does not match T (" +
                                                std::to_string(sample_format) + ")");
        }
        const std::size_t needed = check_block_fits(where, bytes, capacity, channels);
        return SpscRingView(base, needed, capacity, channels);
    }

    // ---- Any thread ---------------------------------------------------------

    /// Items per channel the ring holds when full (a power of two).
    /// Real-time: wait-free, no allocation.
    std::size_t capacity() const noexcept { return capacity_; }

    /// Number of channels (1 for a plain item ring).
    /// Real-time: wait-free, no allocation.
    std::size_t channels() const noexcept { return channels_; }

    /// The block (header included) and its size in bytes (bytes_required()).
    /// Real-time: wait-free, no allocation.
    void* data() const noexcept { return base_; }
    /// Real-time: wait-free, no allocation.
    std::size_t size_bytes() const noexcept { return size_bytes_; }

    /// Items (frames) ready to read. Exact for the consumer (a lower bound:
    /// the producer may add more); an upper bound for the producer.
    /// Real-time: wait-free, no allocation.
    std::size_t read_available() const noexcept {
        // Read index first: it never passes the write index loaded after it,
        // so the difference is never negative; clamp the overshoot.
        const std::uint32_t r = read_index().load(std::memory_order_acquire);
        const std::uint32_t w = write_index().load(std::memory_order_acquire);
        return std::min<std::size_t>(static_cast<std::uint32_t>(w - r), capacity_);
    }

    /// Items (frames) free to write. Exact for the producer (a lower bound:
    /// the consumer may free more); an upper bound for the consumer.
    /// Real-time: wait-free, no allocation.
    std::size_t write_available() const noexcept { return capacity_ - read_available(); }

    // ---- Producer only ------------------------------------------------------

    /// Appends one item. Returns false, changing nothing, when the ring is full.
    /// Real-time: wait-free, no allocation.
    /// Preconditions: channels() == 1; called by the producer.
    bool try_push(const T& item) noexcept {
        QUAVER_ASSERT(channels_ == 1, "try_push needs a one-channel ring; use write_planar");
        const std::uint32_t w = producer_.write;
        if (static_cast<std::uint32_t>(w - producer_.cached_read) >= capacity32()) {
            producer_.cached_read = read_index().load(std::memory_order_acquire);
            if (static_cast<std::uint32_t>(w - producer_.cached_read) >= capacity32()) return false;
        }
        std::memcpy(data_ + (w & mask_), &item, sizeof(T));
        publish<true>(w + 1);
        return true;
    }

    /// Appends up to items.size() items; returns how many (partial when the
    /// ring fills up, 0 when full). At most two copies.
    /// Real-time: wait-free, no allocation.
    /// Preconditions: channels() == 1; called by the producer.
    std::size_t write(std::span<const T> items) noexcept {
        QUAVER_ASSERT(channels_ == 1, "write needs a one-channel ring; use write_planar");
        const T* one[1] = {items.data()};
        return write_planar(one, items.size());
    }

    /// Appends up to `frames` frames, channel c taken from channels[c][0..frames);
    /// returns how many (partial when full). At most two copies per channel.
    /// Real-time: wait-free, no allocation.
    /// Preconditions: `channels` holds channels() pointers to `frames` items
    /// each; called by the producer.
    std::size_t write_planar(const T* const* channels, std::size_t frames) noexcept {
        return transfer<true>(frames, [&](std::size_t c, T* run, std::size_t done, std::size_t count) {
            detail::copy_items(run, channels[c] + done, count);
        });
    }

    /// Appends up to `frames` interleaved frames (frame f, channel c at
    /// interleaved[f * channels() + c]), converting to the planar layout;
    /// returns how many (partial when full).
    /// Real-time: wait-free, no allocation.
    /// Preconditions: `interleaved` holds frames * channels() items; called by the producer.
    std::size_t write_interleaved(const T* interleaved, std::size_t frames) noexcept {
        if (channels_ == 1) {
            const T* one[1] = {interleaved};
            return write_planar(one, frames);
        }
        return transfer<true>(frames, [&](std::size_t c, T* run, std::size_t done, std::size_t count) {
            const T* src = interleaved + done * channels_ + c;
            for (std::size_t i = 0; i < count; ++i) run[i] = src[i * channels_];
        });
    }

    // ---- Consumer only ------------------------------------------------------

    /// Removes the oldest item into `item`. Returns false, changing nothing,
    /// when the ring is empty.
    /// Real-time: wait-free, no allocation.
    /// Preconditions: channels() == 1; called by the consumer.
    bool try_pop(T& item) noexcept {
        QUAVER_ASSERT(channels_ == 1, "try_pop needs a one-channel ring; use read_planar");
        const std::uint32_t r = consumer_.read;
        // Unsigned trick: cached - r - 1 >= capacity means "nothing cached"
        // (difference 0) or "cache older than r" (difference above capacity).
        if (static_cast<std::uint32_t>(consumer_.cached_write - r - 1) >= capacity32()) {
            consumer_.cached_write = write_index().load(std::memory_order_acquire);
            if (static_cast<std::uint32_t>(consumer_.cached_write - r - 1) >= capacity32()) return false;
        }
        std::memcpy(&item, data_ + (r & mask_), sizeof(T));
        publish<false>(r + 1);
        return true;
    }

    /// Removes up to items.size() of the oldest items into `items`; returns
    /// how many (partial when fewer are ready, 0 when empty). At most two copies.
    /// Real-time: wait-free, no allocation.
    /// Preconditions: channels() == 1; called by the consumer.
    std::size_t read(std::span<T> items) noexcept {
        QUAVER_ASSERT(channels_ == 1, "read needs a one-channel ring; use read_planar");
        T* one[1] = {items.data()};
        return read_planar(one, items.size());
    }

    /// Removes up to `frames` frames, channel c into channels[c][0..n); returns
    /// n (partial when fewer are ready). At most two copies per channel.
    /// Real-time: wait-free, no allocation.
    /// Preconditions: `channels` holds channels() pointers with room for
    /// `frames` items each; called by the consumer.
    std::size_t read_planar(T* const* channels, std::size_t frames) noexcept {
        return transfer<false>(frames, [&](std::size_t c, T* run, std::size_t done, std::size_t count) {
            detail::copy_items(channels[c] + done, run, count);
        });
    }

    /// Removes up to `frames` frames into `interleaved` (frame f, channel c at
    /// interleaved[f * channels() + c]); returns how many.
    /// Real-time: wait-free, no allocation.
    /// Preconditions: `interleaved` has room for frames * channels() items;
    /// called by the consumer.
    std::size_t read_interleaved(T* interleaved, std::size_t frames) noexcept {
        if (channels_ == 1) {
            T* one[1] = {interleaved};
            return read_planar(one, frames);
        }
        return transfer<false>(frames, [&](std::size_t c, T* run, std::size_t done, std::size_t count) {
            T* dst = interleaved + done * channels_ + c;
            for (std::size_t i = 0; i < count; ++i) dst[i * channels_] = run[i];
        });
    }

private:
    SpscRingView(std::byte* base, std::size_t size_bytes, std::size_t capacity, std::size_t channels) noexcept
        : base_(base),
          data_(reinterpret_cast<T*>(base + Layout::data_offset)),
          size_bytes_(size_bytes),
          capacity_(capacity),
          mask_(static_cast<std::uint32_t>(capacity - 1)),
          channels_(channels) {
        // Start from the indices as they are, so a view attached to a ring in
        // use agrees with it at once.
        producer_.cached_read = read_index().load(std::memory_order_acquire);
        consumer_.cached_write = write_index().load(std::memory_order_acquire);
        producer_.write = consumer_.cached_write;
        consumer_.read = producer_.cached_read;
    }

    static void check_memory(const char* where, void* memory) {
        if (memory == nullptr) detail::throw_ring_error(where, "memory is null");
        if (reinterpret_cast<std::uintptr_t>(memory) % Layout::min_alignment != 0) {
            detail::throw_ring_error(where, "memory must be aligned on 8 bytes (64 is better)");
        }
    }

    static void check_capacity(const char* where, std::size_t capacity) {
        if (capacity == 0 || (capacity & (capacity - 1)) != 0 || capacity > Layout::max_capacity) {
            detail::throw_ring_error(where, "capacity must be a power of two in [1, 2^30], got " +
                                                std::to_string(capacity));
        }
    }

    // Returns the ring's size in bytes once it is known to fit in `bytes`.
    static std::size_t check_block_fits(const char* where, std::size_t bytes, std::size_t capacity,
                                        std::size_t channels) {
        std::size_t needed = 0;
        try {
            needed = bytes_required(capacity, channels);
        } catch (const std::length_error&) {
            detail::throw_ring_error(where, "channels * capacity overflows the address space");
        }
        if (bytes < needed) {
            detail::throw_ring_error(where, "block of " + std::to_string(bytes) + " bytes is smaller than the ring (" +
                                                std::to_string(needed) + " bytes)");
        }
        return needed;
    }

    std::uint32_t capacity32() const noexcept { return static_cast<std::uint32_t>(capacity_); }

    detail::SharedIndex write_index() const noexcept {
        return detail::SharedIndex(reinterpret_cast<std::uint32_t*>(base_ + Layout::write_index_offset));
    }
    detail::SharedIndex read_index() const noexcept {
        return detail::SharedIndex(reinterpret_cast<std::uint32_t*>(base_ + Layout::read_index_offset));
    }

    // Free slots seen by the producer at write index w; reloads the read index
    // only when the cached one does not show `wanted` free slots.
    std::size_t free_for_producer(std::uint32_t w, std::size_t wanted) noexcept {
        std::uint32_t used = w - producer_.cached_read;
        if (used > capacity32() || capacity_ - used < wanted) {
            producer_.cached_read = read_index().load(std::memory_order_acquire);
            used = w - producer_.cached_read;
            // Only a corrupt block (a buggy other side) gets here; never write
            // outside the ring because of it.
            if (used > capacity32()) return 0;
        }
        return capacity_ - used;
    }

    // Items ready for the consumer at read index r; reloads the write index
    // only when the cached one does not show `wanted` items.
    std::size_t ready_for_consumer(std::uint32_t r, std::size_t wanted) noexcept {
        std::uint32_t ready = consumer_.cached_write - r;
        if (ready > capacity32() || ready < wanted) {
            consumer_.cached_write = write_index().load(std::memory_order_acquire);
            ready = consumer_.cached_write - r;
            if (ready > capacity32()) return 0;  // corrupt block: read nothing
        }
        return ready;
    }

    // Moves up to `frames` frames on one side (the producer writes, the
    // consumer reads): claims what the other side allows, calls
    // copy(channel, run, frames done, count) for the at most two runs of each
    // channel's lane (before and after the wrap), then publishes the index.
    template <bool kProducer, class CopyRun>
    std::size_t transfer(std::size_t frames, const CopyRun& copy) noexcept {
        const std::uint32_t at = kProducer ? producer_.write : consumer_.read;
        const std::size_t n =
            std::min(frames, kProducer ? free_for_producer(at, frames) : ready_for_consumer(at, frames));
        if (n == 0) return 0;
        const std::size_t slot = at & mask_;
        const std::size_t first = std::min(n, capacity_ - slot);
        for (std::size_t c = 0; c < channels_; ++c) {
            T* lane = data_ + c * capacity_;
            copy(c, lane + slot, std::size_t{0}, first);
            if (n > first) copy(c, lane, first, n - first);
        }
        publish<kProducer>(at + static_cast<std::uint32_t>(n));
        return n;
    }

    // Hands the items up to `index` over to the other side: the block's copy
    // of this side's index (release), and the view's own.
    template <bool kProducer>
    void publish(std::uint32_t index) noexcept {
        (kProducer ? write_index() : read_index()).store(index, std::memory_order_release);
        (kProducer ? producer_.write : consumer_.read) = index;
    }

    // Read by both sides, written by neither after construction.
    std::byte* base_;
    T* data_;
    std::size_t size_bytes_;
    std::size_t capacity_;
    std::uint32_t mask_;
    std::size_t channels_;

    // Each side's indices on a line of their own, so the other side's reads
    // of the fields above are never invalidated by it.
    struct alignas(cache_line_size) ProducerCache {
        std::uint32_t write = 0;        // this side's index, as last stored in the block
        std::uint32_t cached_read = 0;  // the consumer's, as last loaded
    };
    struct alignas(cache_line_size) ConsumerCache {
        std::uint32_t read = 0;
        std::uint32_t cached_write = 0;
    };
    ProducerCache producer_;
    ConsumerCache consumer_;
};

}  // namespace quaver
