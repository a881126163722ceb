#pragma once
// AudioRing: float audio frames of N channels between one producer thread and
// the audio thread, over the shared SPSC layout (channel-planar, so an
// AudioWorklet on the JS side can copy each channel with one or two set()s).
// Reads and writes never block: they move what fits and count the rest as an
// underrun or an overrun.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <utility>

#include "quaver/core/cache_line.hpp"
#include "quaver/ring/spsc_ring.hpp"
#include "quaver/ring/spsc_ring_view.hpp"

namespace quaver {

/// A ring of float frames with `channels()` channels, owning its block or
/// viewing one made elsewhere (a SharedArrayBuffer, the WASM heap).
///
/// One producer thread calls the write functions, one consumer thread (the
/// audio thread) the read functions; the counters and queries may be read
/// from any thread.
class AudioRing {
public:
    /// A ring owning a block for at least `capacity_frames` frames (rounded up
    /// to a power of two) of `channels` channels.
    /// Real-time: no (allocates).
    /// Throws: std::invalid_argument when capacity_frames or channels is 0;
    /// std::length_error above 2^30 frames or when the block's size overflows.
    AudioRing(std::size_t capacity_frames, std::size_t channels)
        : AudioRing(detail::ring_capacity_for("AudioRing", capacity_frames), checked_channels(channels), 0) {}

    /// Lays out a new ring in caller memory (see SpscRingView::create) and
    /// views it; the memory must outlive the AudioRing.
    /// Real-time: no (allocates).
    /// Allocates only to build the exception message when it throws.
    /// Throws: std::invalid_argument as SpscRingView<float>::create.
    static AudioRing create(void* memory, std::size_t bytes, std::size_t capacity_frames, std::size_t channels) {
        return AudioRing(SpscRingView<float>::create(memory, bytes, capacity_frames, channels));
    }

    /// Views a float32 ring that already exists in `memory` (made by create()
    /// or by the JS side); the memory must outlive the AudioRing.
    /// Real-time: no (allocates).
    /// Allocates only to build the exception message when it throws.
    /// Throws: std::invalid_argument as SpscRingView<float>::attach.
    static AudioRing attach(void* memory, std::size_t bytes) {
        return AudioRing(SpscRingView<float>::attach(memory, bytes));
    }

    /// Bytes a caller-provided block needs for create().
    /// Real-time: wait-free, no allocation.
    static std::size_t bytes_required(std::size_t capacity_frames, std::size_t channels) {
        return SpscRingView<float>::bytes_required(capacity_frames, channels);
    }

    AudioRing(const AudioRing&) = delete;
    AudioRing& operator=(const AudioRing&) = delete;

    // ---- Producer -----------------------------------------------------------

    /// Writes up to `frames` frames, channel c from channels[c]; returns how
    /// many fit. When fewer than `frames` fit, counts one overrun and the
    /// frames left out.
    /// Real-time: wait-free, no allocation.
    /// Preconditions: `channels` holds channels() pointers to `frames` samples.
    std::size_t write(const float* const* channels, std::size_t frames) noexcept {
        return count_overrun(frames, view_.write_planar(channels, frames));
    }

    /// As write(), from interleaved samples (frame f, channel c at [f * channels() + c]).
    /// Real-time: wait-free, no allocation.
    /// Preconditions: `interleaved` holds frames * channels() samples.
    std::size_t write_interleaved(const float* interleaved, std::size_t frames) noexcept {
        return count_overrun(frames, view_.write_interleaved(interleaved, frames));
    }

    // ---- Consumer (audio thread) --------------------------------------------

    /// Reads up to `frames` frames into channels[c]; returns how many were
    /// ready. When fewer than `frames` were, counts one underrun and the
    /// frames missing; the rest of the output is left as it was.
    /// Real-time: wait-free, no allocation.
    /// Preconditions: `channels` holds channels() pointers with room for `frames` samples.
    std::size_t read(float* const* channels, std::size_t frames) noexcept {
        return count_underrun(frames, view_.read_planar(channels, frames));
    }

    /// As read(), into interleaved samples.
    /// Real-time: wait-free, no allocation.
    /// Preconditions: `interleaved` has room for frames * channels() samples.
    std::size_t read_interleaved(float* interleaved, std::size_t frames) noexcept {
        return count_underrun(frames, view_.read_interleaved(interleaved, frames));
    }

    /// What an audio callback wants: reads up to `frames` frames and fills
    /// the shortfall of every channel with silence (zeros); returns how many
    /// frames came from the ring (the underrun is counted as in read()).
    /// Real-time: wait-free, no allocation.
    /// Preconditions: as read().
    std::size_t read_or_silence(float* const* channels, std::size_t frames) noexcept {
        const std::size_t got = read(channels, frames);
        if (got < frames) {
            for (std::size_t c = 0; c < view_.channels(); ++c) std::fill(channels[c] + got, channels[c] + frames, 0.0f);
        }
        return got;
    }

    /// As read_or_silence(), into interleaved samples.
    /// Real-time: wait-free, no allocation.
    /// Preconditions: as read_interleaved().
    std::size_t read_interleaved_or_silence(float* interleaved, std::size_t frames) noexcept {
        const std::size_t got = read_interleaved(interleaved, frames);
        std::fill(interleaved + got * view_.channels(), interleaved + frames * view_.channels(), 0.0f);
        return got;
    }

    // ---- Any thread ---------------------------------------------------------

    /// Reads that found fewer frames than asked for, since construction.
    /// Real-time: wait-free, no allocation.
    std::uint64_t underruns() const noexcept { return underruns_.events.load(std::memory_order_relaxed); }
    /// Frames those reads missed in total.
    /// Real-time: wait-free, no allocation.
    std::uint64_t underrun_frames() const noexcept { return underruns_.frames.load(std::memory_order_relaxed); }
    /// Writes that found less room than they had frames, since construction.
    /// Real-time: wait-free, no allocation.
    std::uint64_t overruns() const noexcept { return overruns_.events.load(std::memory_order_relaxed); }
    /// Frames those writes dropped in total.
    /// Real-time: wait-free, no allocation.
    std::uint64_t overrun_frames() const noexcept { return overruns_.frames.load(std::memory_order_relaxed); }

    /// Frames ready to read (exact for the consumer).
    /// Real-time: wait-free, no allocation.
    std::size_t read_available() const noexcept { return view_.read_available(); }
    /// Frames free to write (exact for the producer).
    /// Real-time: wait-free, no allocation.
    std::size_t write_available() const noexcept { return view_.write_available(); }
    /// Frames the ring holds when full (a power of two).
    /// Real-time: wait-free, no allocation.
    std::size_t capacity() const noexcept { return view_.capacity(); }
    /// Real-time: wait-free, no allocation.
    std::size_t channels() const noexcept { return view_.channels(); }
    /// The shared block (docs/ring-layout.md) and its size.
    /// Real-time: wait-free, no allocation.
    void* data() const noexcept { return view_.data(); }
    /// Real-time: wait-free, no allocation.
    std::size_t size_bytes() const noexcept { return view_.size_bytes(); }

private:
    AudioRing(std::size_t capacity, std::size_t channels, int)
        : block_(detail::allocate_ring_block(SpscRingView<float>::bytes_required(capacity, channels))),
          view_(SpscRingView<float>::create(block_.get(), SpscRingView<float>::bytes_required(capacity, channels),
                                            capacity, channels)) {}

    explicit AudioRing(SpscRingView<float>&& view) noexcept : view_(std::move(view)) {}

    static std::size_t checked_channels(std::size_t channels) {
        if (channels == 0) throw std::invalid_argument("quaver::AudioRing: channels must be at least 1");
        return channels;
    }

    // Each counter has one writer (the side it belongs to), so a load and a
    // store replace a locked read-modify-write.
    struct alignas(cache_line_size) Counters {
        std::atomic<std::uint64_t> events{0};
        std::atomic<std::uint64_t> frames{0};
        void add(std::size_t missed) noexcept {
            events.store(events.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
            frames.store(frames.load(std::memory_order_relaxed) + missed, std::memory_order_relaxed);
        }
    };

    std::size_t count_overrun(std::size_t asked, std::size_t done) noexcept {
        if (done < asked) overruns_.add(asked - done);
        return done;
    }
    std::size_t count_underrun(std::size_t asked, std::size_t done) noexcept {
        if (done < asked) underruns_.add(asked - done);
        return done;
    }

    std::unique_ptr<void, detail::AlignedFree> block_;
    SpscRingView<float> view_;
    Counters overruns_;   // producer's line
    Counters underruns_;  // consumer's line
};

}  // namespace quaver
