// RingbufJsView on one thread: the ringbuf.js 0.4.0 layout byte for byte,
// random operations against a model, the checks on attach, no allocation.
#include <doctest/doctest.h>

#include <quaver/ring/ringbuf_js_view.hpp>

#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "ring/ring_model.hpp"
#include "support/alloc_counter.hpp"

using quaver::test::set_u32_at;
using quaver::test::u32_at;

TEST_CASE("the block size and capacity follow ringbuf.js: 8 + (capacity + 1) * item bytes") {
    using V = quaver::RingbufJsView<float>;
    CHECK(V::bytes_required(4) == 8 + 5 * 4);
    CHECK(quaver::RingbufJsView<double>::bytes_required(127) == 8 + 128 * 8);
    alignas(8) std::byte block[8 + 5 * 4];
    auto view = V::create(block, sizeof block);
    CHECK(view.capacity() == 4);
    CHECK(view.size_bytes() == sizeof block);
}

TEST_CASE("indices and data land where ringbuf.js puts them, wrapping modulo capacity + 1") {
    alignas(8) std::byte block[8 + 5 * 4];
    std::memset(block, 0xAB, sizeof block);
    auto view = quaver::RingbufJsView<std::int32_t>::create(block, sizeof block);
    CHECK(u32_at(block, 0) == 0);
    CHECK(u32_at(block, 4) == 0);
    const std::int32_t first[3] = {10, 11, 12};
    CHECK(view.write(first) == 3);
    CHECK(u32_at(block, 0) == 3);  // write_ptr at byte 0
    CHECK(u32_at(block, 8) == 10);
    CHECK(u32_at(block, 16) == 12);
    std::int32_t out[2];
    CHECK(view.read(out) == 2);
    CHECK(u32_at(block, 4) == 2);  // read_ptr at byte 4
    // 1 item readable, capacity 4: 3 more fit, in slots 3, 4, then 0.
    const std::int32_t more[4] = {13, 14, 15, 16};
    CHECK(view.write(more) == 3);
    CHECK(u32_at(block, 0) == 1);  // (3 + 3) % 5
    CHECK(u32_at(block, 8 + 4 * 4) == 14);
    CHECK(u32_at(block, 8 + 0 * 4) == 15);
    CHECK(view.read_available() == 4);
    CHECK(view.write_available() == 0);
    CHECK_FALSE(view.try_push(99));
    std::int32_t all[8];
    CHECK(view.read(all) == 4);
    CHECK(all[0] == 12);
    CHECK(all[3] == 15);
    CHECK(u32_at(block, 4) == 1);  // (2 + 4) % 5
}

TEST_CASE("random operation sequences agree with a deque model") {
    for (std::size_t capacity : {1u, 2u, 7u, 64u}) {
        CAPTURE(capacity);
        std::vector<std::uint64_t> storage(1 + capacity + 1);
        auto view = quaver::RingbufJsView<std::uint32_t>::create(storage.data(), 8 + (capacity + 1) * 4);
        REQUIRE(view.capacity() == capacity);
        quaver::test::run_ring_model(view, 100'000, static_cast<std::uint32_t>(capacity));
    }
}

TEST_CASE("attach checks the block size, alignment and indices") {
    using V = quaver::RingbufJsView<float>;
    alignas(8) std::byte block[8 + 9 * 4];
    V::create(block, sizeof block);
    CHECK_NOTHROW(V::attach(block, sizeof block));
    CHECK_THROWS_AS(V::attach(nullptr, sizeof block), std::invalid_argument);
    CHECK_THROWS_AS(V::attach(block, sizeof block - 1), std::invalid_argument);  // not whole items
    CHECK_THROWS_AS(V::attach(block, 8 + 4), std::invalid_argument);             // one slot: capacity 0
    CHECK_THROWS_AS(V::attach(block, 4), std::invalid_argument);
    CHECK_THROWS_AS(V::attach(block + 2, sizeof block - 4), std::invalid_argument);
    set_u32_at(block, 0, 9);  // slots are 0..8
    CHECK_THROWS_WITH_AS(V::attach(block, sizeof block), doctest::Contains("index"), std::invalid_argument);
    set_u32_at(block, 0, 8);
    set_u32_at(block, 4, 100);
    CHECK_THROWS_AS(V::attach(block, sizeof block), std::invalid_argument);
    set_u32_at(block, 4, 3);
    auto view = V::attach(block, sizeof block);
    CHECK(view.read_available() == 5);  // 8 - 3
    CHECK(view.write_available() == 3);
}

TEST_CASE("a view attached to a block in use continues where the other left off") {
    alignas(8) std::byte block[8 + 4 * 8];
    auto a = quaver::RingbufJsView<double>::create(block, sizeof block);
    CHECK(a.try_push(1.5));
    CHECK(a.try_push(2.5));
    auto b = quaver::RingbufJsView<double>::attach(block, sizeof block);
    double v = 0;
    CHECK(b.try_pop(v));
    CHECK(v == 1.5);
    CHECK(a.read_available() == 1);
}

TEST_CASE("push, pop and bulk transfers do not allocate") {
    alignas(8) std::byte block[8 + 65 * 4];
    auto view = quaver::RingbufJsView<float>::create(block, sizeof block);
    float buffer[40] = {};
    float v = 0;
    bool ok = true;
    quaver::test::AllocationScope scope;
    for (int i = 0; i < 100; ++i) {
        ok &= view.try_push(1.0f);
        ok &= view.write(buffer) == 40;
        ok &= view.try_pop(v);
        ok &= view.read(buffer) == 40;
        ok &= view.read_available() + view.write_available() == 64;
    }
    const std::size_t allocations = scope.count();
    CHECK(ok);
    CHECK(allocations == 0);
}
