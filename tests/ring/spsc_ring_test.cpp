// SpscRingView and SpscRing on one thread: the layout, the checks when a
// block is created or attached, and random operation sequences against a model.
#include <doctest/doctest.h>

#include <quaver/ring/spsc_ring.hpp>
#include <quaver/ring/spsc_ring_view.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <random>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "ring/ring_model.hpp"
#include "support/alloc_counter.hpp"

namespace {

// A 64-byte aligned scratch block for views.
struct Block {
    explicit Block(std::size_t bytes) : storage((bytes + 63) / 64 + 1) {}
    void* data() { return storage.data(); }
    std::size_t size() const { return (storage.size()) * 64; }
    struct alignas(64) Line {
        std::byte bytes[64];
    };
    std::vector<Line> storage;
};

using quaver::test::set_u32_at;
using quaver::test::u32_at;

}  // namespace

TEST_CASE("create writes the header exactly as docs/ring-layout.md describes") {
    Block block(4096);
    auto view = quaver::SpscRingView<float>::create(block.data(), block.size(), 256, 2);
    CHECK(u32_at(block.data(), 0) == 0x52565551u);
    const auto* bytes = static_cast<const unsigned char*>(block.data());
    CHECK(bytes[0] == 0x51);  // "QUVR" in memory order
    CHECK(bytes[1] == 0x55);
    CHECK(bytes[2] == 0x56);
    CHECK(bytes[3] == 0x52);
    CHECK(u32_at(block.data(), 4) == 1);
    CHECK(u32_at(block.data(), 8) == 256);
    CHECK(u32_at(block.data(), 12) == 2);
    CHECK(u32_at(block.data(), 16) == 4);
    CHECK(u32_at(block.data(), 20) == 1);
    CHECK(u32_at(block.data(), 24) == 192);
    for (std::size_t off = 28; off < 64; off += 4) CHECK(u32_at(block.data(), off) == 0);
    CHECK(u32_at(block.data(), 64) == 0);
    CHECK(u32_at(block.data(), 128) == 0);
    CHECK(view.size_bytes() == 192 + 2 * 256 * 4);
    CHECK(quaver::SpscRingView<float>::bytes_required(256, 2) == 192 + 2 * 256 * 4);
}

TEST_CASE("sample_format names the item type") {
    CHECK(quaver::SpscRingView<float>::sample_format == 1);
    CHECK(quaver::SpscRingView<std::int32_t>::sample_format == 2);
    CHECK(quaver::SpscRingView<std::uint32_t>::sample_format == 3);
    CHECK(quaver::SpscRingView<double>::sample_format == 4);
    CHECK(quaver::SpscRingView<std::int64_t>::sample_format == 5);
    CHECK(quaver::SpscRingView<std::uint64_t>::sample_format == 6);
    struct Pair {
        std::int16_t a, b;
    };
    CHECK(quaver::SpscRingView<Pair>::sample_format == 0);
    CHECK(quaver::SpscRingView<std::uint8_t>::sample_format == 0);
}

TEST_CASE("indices are written where the layout says and data is channel-planar") {
    Block block(4096);
    auto view = quaver::SpscRingView<float>::create(block.data(), block.size(), 4, 2);
    const float left[3] = {1, 2, 3};
    const float right[3] = {10, 20, 30};
    const float* planes[2] = {left, right};
    CHECK(view.write_planar(planes, 3) == 3);
    CHECK(u32_at(block.data(), 64) == 3);
    const auto* data = reinterpret_cast<const float*>(static_cast<const std::byte*>(block.data()) + 192);
    CHECK(data[0] == 1);
    CHECK(data[2] == 3);
    CHECK(data[4 + 0] == 10);  // channel 1 starts at slot 0 of the second lane
    CHECK(data[4 + 2] == 30);
    float out_l[2], out_r[2];
    float* outs[2] = {out_l, out_r};
    CHECK(view.read_planar(outs, 2) == 2);
    CHECK(u32_at(block.data(), 128) == 2);
    CHECK(out_l[1] == 2);
    CHECK(out_r[1] == 20);
}

TEST_CASE("create rejects bad capacities, too-small blocks and misaligned memory") {
    Block block(4096);
    using V = quaver::SpscRingView<float>;
    CHECK_THROWS_AS(V::create(block.data(), block.size(), 0), std::invalid_argument);
    CHECK_THROWS_AS(V::create(block.data(), block.size(), 3), std::invalid_argument);
    CHECK_THROWS_AS(V::create(block.data(), block.size(), 100), std::invalid_argument);
    CHECK_THROWS_AS(V::create(block.data(), SIZE_MAX, std::size_t{1} << 31), std::invalid_argument);
    CHECK_THROWS_AS(V::create(block.data(), 192 + 4 * 8 - 1, 8), std::invalid_argument);
    CHECK_THROWS_AS(V::create(block.data(), block.size(), 8, 0), std::invalid_argument);
    CHECK_THROWS_AS(V::create(static_cast<std::byte*>(block.data()) + 4, block.size() - 4, 8), std::invalid_argument);
    CHECK_THROWS_AS(V::create(nullptr, 4096, 8), std::invalid_argument);
    CHECK_NOTHROW(V::create(block.data(), 192 + 4 * 8, 8));
    CHECK_NOTHROW(V::create(static_cast<std::byte*>(block.data()) + 8, block.size() - 8, 8));
}

TEST_CASE("attach rejects a block that is not a matching version-1 ring") {
    Block block(4096);
    using V = quaver::SpscRingView<float>;
    const std::size_t size = V::bytes_required(64);
    auto fresh = [&] { V::create(block.data(), block.size(), 64); };

    fresh();
    CHECK_NOTHROW(V::attach(block.data(), size));
    CHECK_THROWS_AS(V::attach(block.data(), size - 1), std::invalid_argument);
    CHECK_THROWS_AS(V::attach(block.data(), 100), std::invalid_argument);
    CHECK_THROWS_AS(V::attach(nullptr, size), std::invalid_argument);

    SUBCASE("wrong magic") {
        set_u32_at(block.data(), 0, 0x12345678);
        CHECK_THROWS_WITH_AS(V::attach(block.data(), size), doctest::Contains("magic"), std::invalid_argument);
    }
    SUBCASE("wrong version") {
        set_u32_at(block.data(), 4, 2);
        CHECK_THROWS_WITH_AS(V::attach(block.data(), size), doctest::Contains("version"), std::invalid_argument);
    }
    SUBCASE("capacity not a power of two, zero or too large") {
        set_u32_at(block.data(), 8, 48);
        CHECK_THROWS_WITH_AS(V::attach(block.data(), size), doctest::Contains("capacity"), std::invalid_argument);
        set_u32_at(block.data(), 8, 0);
        CHECK_THROWS_AS(V::attach(block.data(), size), std::invalid_argument);
        set_u32_at(block.data(), 8, 1u << 31);
        CHECK_THROWS_AS(V::attach(block.data(), SIZE_MAX), std::invalid_argument);
    }
    SUBCASE("a capacity larger than the block") {
        set_u32_at(block.data(), 8, 128);
        CHECK_THROWS_WITH_AS(V::attach(block.data(), size), doctest::Contains("smaller"), std::invalid_argument);
    }
    SUBCASE("zero channels, or more channels than the block holds") {
        set_u32_at(block.data(), 12, 0);
        CHECK_THROWS_AS(V::attach(block.data(), size), std::invalid_argument);
        set_u32_at(block.data(), 12, 2);
        CHECK_THROWS_AS(V::attach(block.data(), size), std::invalid_argument);
    }
    SUBCASE("wrong data offset") {
        set_u32_at(block.data(), 24, 64);
        CHECK_THROWS_WITH_AS(V::attach(block.data(), size), doctest::Contains("data_offset"), std::invalid_argument);
    }
    SUBCASE("item size or format of another type") {
        CHECK_THROWS_WITH_AS(quaver::SpscRingView<double>::attach(block.data(), size),
                             doctest::Contains("bytes_per_sample"), std::invalid_argument);
        CHECK_THROWS_WITH_AS(quaver::SpscRingView<std::int32_t>::attach(block.data(), size),
                             doctest::Contains("sample_format"), std::invalid_argument);
        struct Opaque {
            char bytes[4];
        };
        CHECK_NOTHROW(quaver::SpscRingView<Opaque>::attach(block.data(), size));
    }
}

// Each view keeps its own side's index: a copy would write over the items
// of the view it was copied from, so views move but do not copy.
static_assert(!std::is_copy_constructible_v<quaver::SpscRingView<float>>);
static_assert(!std::is_copy_assignable_v<quaver::SpscRingView<float>>);
static_assert(std::is_nothrow_move_constructible_v<quaver::SpscRingView<float>>);

TEST_CASE("a view moved to another object continues where it was") {
    Block block(4096);
    auto first = quaver::SpscRingView<int>::create(block.data(), block.size(), 8);
    CHECK(first.try_push(1));
    auto moved = std::move(first);
    CHECK(moved.try_push(2));
    int v = 0;
    CHECK(moved.try_pop(v));
    CHECK(v == 1);
    CHECK(moved.try_pop(v));
    CHECK(v == 2);
    CHECK_FALSE(moved.try_pop(v));
}

TEST_CASE("a view attached to a created block sees the same data, in both directions") {
    Block block(4096);
    auto creator = quaver::SpscRingView<std::uint32_t>::create(block.data(), block.size(), 16);
    auto attached = quaver::SpscRingView<std::uint32_t>::attach(block.data(), block.size());
    CHECK(attached.capacity() == 16);
    CHECK(attached.channels() == 1);
    CHECK(attached.data() == creator.data());
    CHECK(creator.try_push(7));
    const std::uint32_t more[3] = {8, 9, 10};
    CHECK(creator.write(more) == 3);
    CHECK(attached.read_available() == 4);
    std::uint32_t v = 0;
    CHECK(attached.try_pop(v));
    CHECK(v == 7);
    std::uint32_t rest[8] = {};
    CHECK(attached.read(rest) == 3);
    CHECK(rest[2] == 10);
    CHECK(creator.read_available() == 0);
    // And the other way round. Each view keeps its own side's index, so a
    // side that moves to another view continues in a view opened after the move.
    auto producer = quaver::SpscRingView<std::uint32_t>::attach(block.data(), block.size());
    auto consumer = quaver::SpscRingView<std::uint32_t>::attach(block.data(), block.size());
    CHECK(producer.try_push(42));
    CHECK(consumer.try_pop(v));
    CHECK(v == 42);

    // A view attached to a ring in use starts from its current state.
    CHECK(producer.write(more) == 3);
    auto late = quaver::SpscRingView<std::uint32_t>::attach(block.data(), block.size());
    CHECK(late.read_available() == 3);
    CHECK(late.try_pop(v));
    CHECK(v == 8);
}

TEST_CASE("SpscRing rounds its capacity up to a power of two and checks it") {
    CHECK(quaver::SpscRing<int>(1).capacity() == 1);
    CHECK(quaver::SpscRing<int>(5).capacity() == 8);
    CHECK(quaver::SpscRing<int>(1024).capacity() == 1024);
    CHECK(quaver::SpscRing<int>(1025).capacity() == 2048);
    CHECK_THROWS_AS(quaver::SpscRing<int>(0), std::invalid_argument);
    CHECK_THROWS_AS(quaver::SpscRing<int>((std::size_t{1} << 30) + 1), std::length_error);
    quaver::SpscRing<float> ring(100);
    CHECK(ring.size_bytes() == 192 + 128 * 4);
    CHECK(reinterpret_cast<std::uintptr_t>(ring.data()) % 64 == 0);
    CHECK_NOTHROW(quaver::SpscRingView<float>::attach(ring.data(), ring.size_bytes()));
}

TEST_CASE("a ring of capacity 1 holds exactly one item") {
    quaver::SpscRing<int> ring(1);
    int v = 0;
    CHECK_FALSE(ring.try_pop(v));
    CHECK(ring.try_push(1));
    CHECK_FALSE(ring.try_push(2));
    CHECK(ring.write_available() == 0);
    CHECK(ring.read_available() == 1);
    CHECK(ring.try_pop(v));
    CHECK(v == 1);
    CHECK_FALSE(ring.try_pop(v));
    const int many[4] = {5, 6, 7, 8};
    CHECK(ring.write(many) == 1);
    int out[4] = {};
    CHECK(ring.read(out) == 1);
    CHECK(out[0] == 5);
}

TEST_CASE("full and empty rings refuse pushes and pops and change nothing") {
    quaver::SpscRing<int> ring(4);
    int v = -1;
    CHECK_FALSE(ring.try_pop(v));
    CHECK(v == -1);
    int out[4] = {};
    CHECK(ring.read(out) == 0);
    CHECK(ring.read(std::span<int>()) == 0);
    for (int i = 0; i < 4; ++i) CHECK(ring.try_push(i));
    CHECK_FALSE(ring.try_push(99));
    const int more[2] = {1, 2};
    CHECK(ring.write(more) == 0);
    CHECK(ring.write(std::span<const int>()) == 0);
    CHECK(ring.read(out) == 4);
    CHECK(out[0] == 0);
    CHECK(out[3] == 3);
}

TEST_CASE("random operation sequences agree with a deque model") {
    for (std::size_t capacity : {1u, 2u, 8u, 64u, 100u}) {
        CAPTURE(capacity);
        quaver::SpscRing<std::uint32_t> ring(capacity);
        quaver::test::run_ring_model(ring, 100'000, static_cast<std::uint32_t>(capacity));
    }
}

TEST_CASE("the model still agrees across the wrap of the u32 indices") {
    for (std::uint32_t start : {0xFFFFFFFFu - 5, 0xFFFFFFFFu - 1000, 0x80000000u - 3}) {
        CAPTURE(start);
        Block block(4096);
        quaver::SpscRingView<std::uint32_t>::create(block.data(), block.size(), 16);
        // Both indices near 2^32, as if 4 billion items had already passed.
        set_u32_at(block.data(), 64, start);
        set_u32_at(block.data(), 128, start);
        auto view = quaver::SpscRingView<std::uint32_t>::attach(block.data(), block.size());
        CHECK(view.read_available() == 0);
        quaver::test::run_ring_model(view, 20'000, start);
        // The indices did cross the start's neighbourhood (20k ops move far more than 1000 items).
        CHECK(static_cast<std::uint32_t>(u32_at(block.data(), 64) - start) > 1000);
    }
}

TEST_CASE("a full ring reports full across the index wrap") {
    Block block(4096);
    quaver::SpscRingView<int>::create(block.data(), block.size(), 4);
    set_u32_at(block.data(), 64, 0xFFFFFFFEu);
    set_u32_at(block.data(), 128, 0xFFFFFFFEu);
    auto view = quaver::SpscRingView<int>::attach(block.data(), block.size());
    const int items[4] = {1, 2, 3, 4};
    CHECK(view.write(items) == 4);
    CHECK(u32_at(block.data(), 64) == 2);
    CHECK(view.read_available() == 4);
    CHECK_FALSE(view.try_push(5));
    int out[4] = {};
    CHECK(view.read(out) == 4);
    CHECK(out[3] == 4);
    CHECK(view.read_available() == 0);
}

TEST_CASE("a view never reads or writes past the ring when the other side corrupts the indices") {
    Block block(4096);
    using V = quaver::SpscRingView<int>;
    V::create(block.data(), block.size(), 4);
    set_u32_at(block.data(), 64, 1000);  // write index far ahead of read index 0
    auto reader = V::attach(block.data(), block.size());
    int out[8] = {};
    CHECK(reader.read(out) == 0);
    CHECK(reader.read_available() == 4);  // clamped to the capacity
    set_u32_at(block.data(), 64, 0);
    set_u32_at(block.data(), 128, 1000);  // read index ahead of write index
    auto writer = V::attach(block.data(), block.size());
    const int items[2] = {1, 2};
    CHECK(writer.write(items) == 0);
    CHECK_FALSE(writer.try_push(1));
}

TEST_CASE("multi-channel planar and interleaved transfers agree with a model") {
    constexpr std::size_t channels = 3;
    Block block(8192);
    auto view = quaver::SpscRingView<std::int32_t>::create(block.data(), block.size(), 32, channels);
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::size_t> size_dist(0, 50);
    std::deque<std::array<std::int32_t, channels>> model;
    std::int32_t next = 0;
    std::vector<std::int32_t> planar[channels];
    for (auto& p : planar) p.resize(64);
    std::vector<std::int32_t> interleaved(64 * channels);
    for (int op = 0; op < 20'000; ++op) {
        const std::size_t n = size_dist(rng);
        const bool use_interleaved = rng() & 1;
        if (rng() & 1) {
            for (std::size_t f = 0; f < n; ++f)
                for (std::size_t c = 0; c < channels; ++c) {
                    const std::int32_t v = next + static_cast<std::int32_t>(f * 1000 + c);
                    planar[c][f] = v;
                    interleaved[f * channels + c] = v;
                }
            const std::int32_t* planes[channels] = {planar[0].data(), planar[1].data(), planar[2].data()};
            const std::size_t done =
                use_interleaved ? view.write_interleaved(interleaved.data(), n) : view.write_planar(planes, n);
            REQUIRE(done == std::min(n, 32 - model.size()));
            for (std::size_t f = 0; f < done; ++f)
                model.push_back({planar[0][f], planar[1][f], planar[2][f]});
            next += 7;
        } else {
            std::int32_t* planes[channels] = {planar[0].data(), planar[1].data(), planar[2].data()};
            const std::size_t done =
                use_interleaved ? view.read_interleaved(interleaved.data(), n) : view.read_planar(planes, n);
            REQUIRE(done == std::min(n, model.size()));
            for (std::size_t f = 0; f < done; ++f) {
                for (std::size_t c = 0; c < channels; ++c) {
                    const std::int32_t got = use_interleaved ? interleaved[f * channels + c] : planar[c][f];
                    REQUIRE(got == model.front()[c]);
                }
                model.pop_front();
            }
        }
        REQUIRE(view.read_available() == model.size());
    }
}

TEST_CASE("push, pop, bulk transfers and queries do not allocate") {
    quaver::SpscRing<float> ring(64);
    Block block(8192);
    auto stereo = quaver::SpscRingView<float>::create(block.data(), block.size(), 64, 2);
    float buffer[48] = {};
    float left[48] = {}, right[48] = {};
    float* outs[2] = {left, right};
    const float* ins[2] = {left, right};
    float v = 0;
    // Results are collected first: the assertion macros stay outside the scope.
    bool ok = true;
    quaver::test::AllocationScope scope;
    for (int round = 0; round < 10; ++round) {
        ok &= ring.try_push(1.0f);
        ok &= ring.write(buffer) == 48;
        ok &= ring.try_pop(v);
        ok &= ring.read(buffer) == 48;
        ok &= stereo.write_planar(ins, 40) == 40;
        ok &= stereo.read_interleaved(buffer, 20) == 20;
        ok &= stereo.write_interleaved(buffer, 20) == 20;
        ok &= stereo.read_planar(outs, 40) == 40;
        ok &= ring.read_available() + ring.write_available() == 64;
        ok &= stereo.capacity() == 64;
    }
    const std::size_t allocations = scope.count();
    CHECK(ok);
    CHECK(allocations == 0);
}
