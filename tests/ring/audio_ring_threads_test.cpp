// AudioRing and RingbufJsView with a real producer and consumer thread: the
// sample stream arrives complete and in order.
#include <doctest/doctest.h>

#include <quaver/ring/audio_ring.hpp>
#include <quaver/ring/ringbuf_js_view.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "ring/stress_count.hpp"

using quaver::test::stress_items;

namespace {
// Frame f, channel c carries a value that names both (exact in a float up to 2^24).
float sample(std::uint32_t frame, std::size_t channel) {
    return static_cast<float>((frame % (1u << 20)) * 4 + channel);
}
}  // namespace

TEST_CASE("stereo frames written interleaved arrive planar, complete and in order") {
    constexpr std::size_t channels = 2;
    const std::uint32_t frames = static_cast<std::uint32_t>(stress_items / 2);
    quaver::AudioRing ring(512, channels);
    std::thread producer([&] {
        std::mt19937 rng(3);
        std::vector<float> chunk(300 * channels);
        for (std::uint32_t next = 0; next < frames;) {
            const std::uint32_t n = std::min<std::uint32_t>(static_cast<std::uint32_t>(rng() % 300 + 1), frames - next);
            for (std::uint32_t f = 0; f < n; ++f)
                for (std::size_t c = 0; c < channels; ++c) chunk[f * channels + c] = sample(next + f, c);
            const std::size_t w = ring.write_interleaved(chunk.data(), n);
            if (w == 0) std::this_thread::yield();
            next += static_cast<std::uint32_t>(w);
        }
    });
    std::vector<float> left(128), right(128);
    float* out[channels] = {left.data(), right.data()};
    std::uint32_t expected = 0;
    bool in_order = true;
    while (expected < frames) {
        // The audio thread's pattern: fixed 128-frame quanta, silence on underrun.
        const std::size_t got = ring.read_or_silence(out, std::min<std::uint32_t>(128, frames - expected));
        for (std::size_t f = 0; f < got; ++f) {
            in_order &= left[f] == sample(expected, 0);
            in_order &= right[f] == sample(expected, 1);
            ++expected;
        }
        if (got == 0) std::this_thread::yield();
    }
    producer.join();
    CHECK(in_order);
    CHECK(ring.overrun_frames() > 0);  // the producer outpaces the ring at times, and retries
    CHECK(ring.read_available() == 0);
}

TEST_CASE("a ringbuf.js ring between two threads delivers every item once, in order") {
    const std::uint32_t count = static_cast<std::uint32_t>(stress_items / 2);
    constexpr std::size_t capacity = 100;  // not a power of two, as ringbuf.js allows
    std::vector<std::uint64_t> storage(1 + (capacity + 1) / 2 + 1);
    auto producer_view = quaver::RingbufJsView<std::uint32_t>::create(storage.data(), 8 + (capacity + 1) * 4);
    auto consumer_view = quaver::RingbufJsView<std::uint32_t>::attach(storage.data(), 8 + (capacity + 1) * 4);
    std::thread producer([&] {
        std::mt19937 rng(5);
        std::uint32_t chunk[64];
        for (std::uint32_t next = 0; next < count;) {
            const std::uint32_t n = std::min<std::uint32_t>(static_cast<std::uint32_t>(rng() % 64 + 1), count - next);
            for (std::uint32_t k = 0; k < n; ++k) chunk[k] = next + k;
            const std::size_t w = (n == 1) ? (producer_view.try_push(chunk[0]) ? 1 : 0)
                                           : producer_view.write(std::span<const std::uint32_t>(chunk, n));
            if (w == 0) std::this_thread::yield();
            next += static_cast<std::uint32_t>(w);
        }
    });
    std::mt19937 rng(6);
    std::uint32_t chunk[64];
    std::uint32_t expected = 0;
    bool in_order = true;
    while (expected < count) {
        const std::size_t got = consumer_view.read(std::span<std::uint32_t>(chunk, rng() % 64 + 1));
        for (std::size_t k = 0; k < got; ++k) in_order &= chunk[k] == expected++;
        if (got == 0) std::this_thread::yield();
    }
    producer.join();
    CHECK(in_order);
    CHECK(expected == count);
}
