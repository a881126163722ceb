#pragma once
// Runs random operation sequences on a one-channel ring and on a std::deque
// model side by side; every result and every item must agree.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <random>
#include <span>
#include <vector>

namespace quaver::test {

/// The 32-bit header word at `offset` in a ring's block (unaligned-safe).
inline std::uint32_t u32_at(const void* block, std::size_t offset) {
    std::uint32_t v;
    std::memcpy(&v, static_cast<const std::byte*>(block) + offset, 4);
    return v;
}

/// Overwrites the 32-bit header word at `offset` (to corrupt a header on purpose).
inline void set_u32_at(void* block, std::size_t offset, std::uint32_t v) {
    std::memcpy(static_cast<std::byte*>(block) + offset, &v, 4);
}

/// Drives `ring` (try_push, try_pop, write, read, read_available,
/// write_available, capacity) through `ops` random operations, checking each
/// against a deque. Items are consecutive integers, so loss, duplication or
/// reordering shows up as a mismatch.
template <class Ring>
void run_ring_model(Ring& ring, std::size_t ops, std::uint32_t seed, std::uint32_t first_item = 0) {
    using T = typename Ring::value_type;
    std::mt19937 rng(seed);
    std::deque<T> model;
    const std::size_t capacity = ring.capacity();
    std::uniform_int_distribution<int> op_dist(0, 3);
    std::uniform_int_distribution<std::size_t> size_dist(0, capacity + capacity / 2 + 2);
    std::uint32_t next = first_item;
    std::vector<T> buffer(capacity * 2 + 3);
    for (std::size_t i = 0; i < ops; ++i) {
        REQUIRE(ring.read_available() == model.size());
        REQUIRE(ring.write_available() == capacity - model.size());
        switch (op_dist(rng)) {
            case 0: {
                const T item = static_cast<T>(next);
                const bool pushed = ring.try_push(item);
                REQUIRE(pushed == (model.size() < capacity));
                if (pushed) {
                    model.push_back(item);
                    ++next;
                }
                break;
            }
            case 1: {
                T item{};
                const bool popped = ring.try_pop(item);
                REQUIRE(popped == !model.empty());
                if (popped) {
                    REQUIRE(item == model.front());
                    model.pop_front();
                }
                break;
            }
            case 2: {
                const std::size_t n = size_dist(rng);
                for (std::size_t k = 0; k < n; ++k) buffer[k] = static_cast<T>(next + k);
                const std::size_t written = ring.write(std::span<const T>(buffer.data(), n));
                REQUIRE(written == std::min(n, capacity - model.size()));
                for (std::size_t k = 0; k < written; ++k) model.push_back(buffer[k]);
                next += static_cast<std::uint32_t>(written);
                break;
            }
            default: {
                const std::size_t n = size_dist(rng);
                const std::size_t got = ring.read(std::span<T>(buffer.data(), n));
                REQUIRE(got == std::min(n, model.size()));
                for (std::size_t k = 0; k < got; ++k) {
                    REQUIRE(buffer[k] == model.front());
                    model.pop_front();
                }
                break;
            }
        }
    }
}

}  // namespace quaver::test
