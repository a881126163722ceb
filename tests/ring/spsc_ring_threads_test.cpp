// SpscRing and SpscRingView with a real producer thread and consumer thread:
// items carry sequence numbers, so loss, duplication or reordering is caught.
#include <doctest/doctest.h>

#include <quaver/ring/spsc_ring.hpp>
#include <quaver/ring/spsc_ring_view.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include "ring/stress_count.hpp"

using quaver::test::stress_items;

TEST_CASE("one item at a time, every item arrives once and in order") {
    quaver::SpscRing<std::uint64_t> ring(64);
    std::thread producer([&] {
        for (std::uint64_t i = 0; i < stress_items;) {
            if (ring.try_push(i)) {
                ++i;
            } else {
                std::this_thread::yield();
            }
        }
    });
    std::uint64_t expected = 0;
    bool in_order = true;
    while (expected < stress_items) {
        std::uint64_t v;
        if (ring.try_pop(v)) {
            in_order &= (v == expected);
            ++expected;
        } else {
            std::this_thread::yield();
        }
    }
    producer.join();
    CHECK(in_order);
    CHECK(ring.read_available() == 0);
}

TEST_CASE("bulk writes and reads of random sizes deliver the exact sequence") {
    quaver::SpscRing<std::uint32_t> ring(100);  // 128 after rounding
    std::thread producer([&] {
        std::mt19937 rng(1);
        std::vector<std::uint32_t> chunk(200);
        std::uint32_t next = 0;
        while (next < stress_items) {
            const std::size_t n = std::min<std::size_t>(rng() % 200 + 1, stress_items - next);
            for (std::size_t k = 0; k < n; ++k) chunk[k] = next + static_cast<std::uint32_t>(k);
            std::size_t done = 0;
            while (done < n) {
                const std::size_t w = ring.write(std::span<const std::uint32_t>(chunk.data() + done, n - done));
                if (w == 0) std::this_thread::yield();
                done += w;
            }
            next += static_cast<std::uint32_t>(n);
        }
    });
    std::mt19937 rng(2);
    std::vector<std::uint32_t> chunk(200);
    std::uint32_t expected = 0;
    bool in_order = true;
    while (expected < stress_items) {
        const std::size_t got = ring.read(std::span<std::uint32_t>(chunk.data(), rng() % 200 + 1));
        if (got == 0) std::this_thread::yield();
        for (std::size_t k = 0; k < got; ++k) in_order &= (chunk[k] == expected++);
    }
    producer.join();
    CHECK(in_order);
    CHECK(expected == stress_items);
}

TEST_CASE("a producer view and a consumer view attached to one block agree across the index wrap") {
    using V = quaver::SpscRingView<std::uint32_t>;
    alignas(64) static std::byte block[192 + 32 * 4];
    V::create(block, sizeof block, 32);
    // Start a little before 2^32 so the free-running indices wrap mid-run.
    const std::uint32_t start = 0xFFFFFFFFu - 50'000;
    std::memcpy(block + 64, &start, 4);
    std::memcpy(block + 128, &start, 4);
    auto producer_view = V::attach(block, sizeof block);
    auto consumer_view = V::attach(block, sizeof block);
    const std::uint32_t count = static_cast<std::uint32_t>(std::min<std::size_t>(stress_items, 200'000));
    std::thread producer([&] {
        std::uint32_t chunk[16];
        for (std::uint32_t next = 0; next < count;) {
            const std::uint32_t n = std::min<std::uint32_t>(16, count - next);
            for (std::uint32_t k = 0; k < n; ++k) chunk[k] = next + k;
            const std::size_t w = producer_view.write(std::span<const std::uint32_t>(chunk, n));
            if (w == 0) std::this_thread::yield();
            next += static_cast<std::uint32_t>(w);
        }
    });
    std::uint32_t expected = 0;
    bool in_order = true;
    while (expected < count) {
        std::uint32_t v;
        if (consumer_view.try_pop(v)) {
            in_order &= (v == expected++);
        } else {
            std::this_thread::yield();
        }
    }
    producer.join();
    CHECK(in_order);
    std::uint32_t write_index;
    std::memcpy(&write_index, block + 64, 4);
    CHECK(write_index == start + count);
}
