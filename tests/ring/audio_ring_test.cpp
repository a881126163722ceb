// AudioRing on one thread: planar and interleaved transfers against a model,
// underrun and overrun counting, silence fill, shared memory, no allocation.
#include <doctest/doctest.h>

#include <quaver/ring/audio_ring.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <random>
#include <stdexcept>
#include <vector>

#include "support/alloc_counter.hpp"

namespace {

constexpr std::size_t max_channels = 4;
using Frame = std::array<float, max_channels>;

// A sample value that names its frame and channel.
float sample(std::uint32_t frame, std::size_t channel) {
    return static_cast<float>(frame % 100000) + static_cast<float>(channel) * 0.125f;
}

}  // namespace

TEST_CASE("random planar and interleaved reads and writes agree with a frame model, counters included") {
    for (std::size_t channels : {1u, 2u, 3u}) {
        CAPTURE(channels);
        quaver::AudioRing ring(100, channels);  // rounded up to 128 frames
        REQUIRE(ring.capacity() == 128);
        REQUIRE(ring.channels() == channels);
        std::deque<Frame> model;
        std::mt19937 rng(static_cast<std::uint32_t>(channels));
        std::uniform_int_distribution<std::size_t> size_dist(0, 200);
        std::vector<float> planar[max_channels];
        for (auto& p : planar) p.assign(256, -1.0f);
        std::vector<float> interleaved(256 * max_channels);
        std::uint32_t next = 0;
        std::uint64_t underruns = 0, underrun_frames = 0, overruns = 0, overrun_frames = 0;
        for (int op = 0; op < 100'000; ++op) {
            const std::size_t n = size_dist(rng);
            const int kind = static_cast<int>(rng() % 6);
            float* out_planes[max_channels] = {planar[0].data(), planar[1].data(), planar[2].data(), planar[3].data()};
            if (kind < 2) {  // write planar or interleaved
                for (std::size_t f = 0; f < n; ++f)
                    for (std::size_t c = 0; c < channels; ++c) {
                        planar[c][f] = sample(next + static_cast<std::uint32_t>(f), c);
                        interleaved[f * channels + c] = planar[c][f];
                    }
                const float* in_planes[max_channels] = {planar[0].data(), planar[1].data(), planar[2].data(),
                                                        planar[3].data()};
                const std::size_t done = kind == 0 ? ring.write(in_planes, n) : ring.write_interleaved(interleaved.data(), n);
                const std::size_t fits = std::min(n, ring.capacity() - model.size());
                REQUIRE(done == fits);
                if (done < n) {
                    ++overruns;
                    overrun_frames += n - done;
                }
                for (std::size_t f = 0; f < done; ++f) {
                    Frame frame{};
                    for (std::size_t c = 0; c < channels; ++c) frame[c] = planar[c][f];
                    model.push_back(frame);
                }
                next += static_cast<std::uint32_t>(n);
            } else {  // the four reads
                const bool inter = kind == 3 || kind == 5;
                const bool silence = kind >= 4;
                std::size_t done;
                if (inter) {
                    std::fill(interleaved.begin(), interleaved.end(), -1.0f);
                    done = silence ? ring.read_interleaved_or_silence(interleaved.data(), n)
                                   : ring.read_interleaved(interleaved.data(), n);
                } else {
                    for (auto& p : planar) std::fill(p.begin(), p.end(), -1.0f);
                    done = silence ? ring.read_or_silence(out_planes, n) : ring.read(out_planes, n);
                }
                REQUIRE(done == std::min(n, model.size()));
                if (done < n) {
                    ++underruns;
                    underrun_frames += n - done;
                }
                bool samples_match = true;
                for (std::size_t f = 0; f < n; ++f) {
                    for (std::size_t c = 0; c < channels; ++c) {
                        const float got = inter ? interleaved[f * channels + c] : planar[c][f];
                        // Past `done`: silence, or untouched by a plain read.
                        const float want = f < done ? model[f][c] : (silence ? 0.0f : -1.0f);
                        samples_match &= (got == want);
                    }
                }
                REQUIRE(samples_match);
                model.erase(model.begin(), model.begin() + static_cast<std::ptrdiff_t>(done));
            }
            REQUIRE(ring.read_available() == model.size());
            REQUIRE(ring.underruns() == underruns);
            REQUIRE(ring.underrun_frames() == underrun_frames);
            REQUIRE(ring.overruns() == overruns);
            REQUIRE(ring.overrun_frames() == overrun_frames);
        }
        CHECK(underruns > 0);
        CHECK(overruns > 0);
    }
}

TEST_CASE("an underrun counts one event and the missing frames; a full read counts none") {
    quaver::AudioRing ring(8, 2);
    float l[8] = {1, 2, 3}, r[8] = {4, 5, 6};
    const float* in[2] = {l, r};
    CHECK(ring.write(in, 3) == 3);
    float ol[8], orr[8];
    float* out[2] = {ol, orr};
    CHECK(ring.read(out, 2) == 2);
    CHECK(ring.underruns() == 0);
    CHECK(ring.read_or_silence(out, 5) == 1);
    CHECK(ol[0] == 3);
    CHECK(orr[0] == 6);
    CHECK(ol[4] == 0.0f);
    CHECK(ring.underruns() == 1);
    CHECK(ring.underrun_frames() == 4);
    CHECK(ring.read(out, 0) == 0);
    CHECK(ring.underruns() == 1);
}

TEST_CASE("an overrun counts one event and the frames dropped") {
    quaver::AudioRing ring(4, 1);
    const float samples[6] = {1, 2, 3, 4, 5, 6};
    CHECK(ring.write_interleaved(samples, 6) == 4);
    CHECK(ring.overruns() == 1);
    CHECK(ring.overrun_frames() == 2);
    CHECK(ring.write_interleaved(samples, 1) == 0);
    CHECK(ring.overruns() == 2);
    CHECK(ring.overrun_frames() == 3);
}

TEST_CASE("an AudioRing over caller memory is visible to one attached to the same block") {
    alignas(64) std::byte block[192 + 2 * 16 * 4];
    REQUIRE(quaver::AudioRing::bytes_required(16, 2) == sizeof block);
    auto writer = quaver::AudioRing::create(block, sizeof block, 16, 2);
    auto reader = quaver::AudioRing::attach(block, sizeof block);
    CHECK(reader.channels() == 2);
    CHECK(reader.capacity() == 16);
    const float frames[6] = {1, -1, 2, -2, 3, -3};  // interleaved stereo
    CHECK(writer.write_interleaved(frames, 3) == 3);
    float l[3], r[3];
    float* out[2] = {l, r};
    CHECK(reader.read(out, 3) == 3);
    CHECK(l[2] == 3);
    CHECK(r[2] == -3);
    // An int32 ring is not an audio ring.
    alignas(64) std::byte other[192 + 64];
    quaver::SpscRingView<std::int32_t>::create(other, sizeof other, 16);
    CHECK_THROWS_AS(quaver::AudioRing::attach(other, sizeof other), std::invalid_argument);
}

TEST_CASE("construction checks capacity and channels") {
    CHECK_THROWS_AS(quaver::AudioRing(0, 2), std::invalid_argument);
    CHECK_THROWS_AS(quaver::AudioRing(16, 0), std::invalid_argument);
    CHECK_THROWS_AS(quaver::AudioRing((std::size_t{1} << 30) + 1, 1), std::length_error);
    alignas(64) std::byte block[256];
    CHECK_THROWS_AS(quaver::AudioRing::create(block, sizeof block, 16, 2), std::invalid_argument);
}

TEST_CASE("every read and write of an audio callback's worth does not allocate") {
    quaver::AudioRing ring(1024, 2);
    float l[128] = {}, r[128] = {}, inter[256] = {};
    const float* in[2] = {l, r};
    float* out[2] = {l, r};
    bool ok = true;
    quaver::test::AllocationScope scope;
    for (int block = 0; block < 100; ++block) {
        ok &= ring.write(in, 128) == 128;
        ok &= ring.write_interleaved(inter, 128) == 128;
        ok &= ring.read(out, 128) == 128;
        ok &= ring.read_interleaved(inter, 128) == 128;
        ok &= ring.read_or_silence(out, 128) == 0;
        ok &= ring.read_interleaved_or_silence(inter, 128) == 0;
        ok &= ring.underruns() == static_cast<std::uint64_t>(2 * (block + 1));
        ok &= ring.read_available() == 0 && ring.write_available() == 1024;
    }
    const std::size_t allocations = scope.count();
    CHECK(ok);
    CHECK(allocations == 0);
}
