// MpmcQueue with two producers and two consumers, MessageQueue with three
// senders and one drainer: every item is received exactly once.
#include <doctest/doctest.h>

#include <quaver/ring/message_queue.hpp>
#include <quaver/ring/mpmc_queue.hpp>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "ring/stress_count.hpp"

using quaver::test::stress_items;

TEST_CASE("two producers and two consumers: no item lost, none duplicated, each producer's order kept") {
    constexpr int producers = 2;
    constexpr int consumers = 2;
    const std::uint64_t per_producer = stress_items / 2;
    quaver::MpmcQueue<std::uint64_t> queue(64);
    // seen[p][i] counts how often item i of producer p arrived.
    std::vector<std::vector<std::uint8_t>> seen(producers);
    std::atomic<std::uint64_t> received{0};
    std::atomic<bool> order_kept{true};
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p) {
        threads.emplace_back([&, p] {
            for (std::uint64_t i = 0; i < per_producer;) {
                // The producer's id in the top bits, its sequence number below.
                if (queue.try_push((std::uint64_t(p) << 48) | i)) {
                    ++i;
                } else {
                    std::this_thread::yield();
                }
            }
        });
    }
    std::vector<std::vector<std::uint64_t>> got(consumers);
    for (int c = 0; c < consumers; ++c) {
        threads.emplace_back([&, c] {
            std::uint64_t last[producers];
            bool first[producers] = {true, true};
            std::vector<std::uint64_t>& mine = got[c];
            mine.reserve(per_producer * producers);
            while (received.load(std::memory_order_relaxed) < per_producer * producers) {
                std::uint64_t v;
                if (queue.try_pop(v)) {
                    received.fetch_add(1, std::memory_order_relaxed);
                    const int p = static_cast<int>(v >> 48);
                    const std::uint64_t seq = v & ((std::uint64_t(1) << 48) - 1);
                    // One consumer sees one producer's items in increasing order.
                    if (!first[p] && seq <= last[p]) order_kept.store(false, std::memory_order_relaxed);
                    first[p] = false;
                    last[p] = seq;
                    mine.push_back(v);
                } else {
                    std::this_thread::yield();
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    for (auto& s : seen) s.assign(per_producer, 0);
    for (const auto& mine : got)
        for (std::uint64_t v : mine) ++seen[v >> 48][v & ((std::uint64_t(1) << 48) - 1)];
    bool each_once = true;
    for (const auto& s : seen)
        for (std::uint8_t n : s) each_once &= (n == 1);
    CHECK(received.load() == per_producer * producers);
    CHECK(each_once);
    CHECK(order_kept.load());
    CHECK(queue.size() == 0);
}

namespace {
struct Note {
    int sender;
    std::uint32_t seq;
};
struct Marker {
    int sender;
    std::uint32_t seq;
    double payload;
};
}  // namespace

TEST_CASE("three senders, one drainer: every message arrives once, each sender's in order") {
    constexpr int senders = 3;
    const std::uint32_t per_sender = static_cast<std::uint32_t>(stress_items / 10);
    quaver::MessageQueue<Note, Marker> queue(32);
    std::vector<std::thread> threads;
    for (int s = 0; s < senders; ++s) {
        threads.emplace_back([&, s] {
            for (std::uint32_t i = 0; i < per_sender;) {
                const bool sent = (i % 3 == 0) ? queue.try_send(Marker{s, i, 0.5}) : queue.try_send(Note{s, i});
                if (sent) {
                    ++i;
                } else {
                    std::this_thread::yield();
                }
            }
        });
    }
    std::uint32_t next[senders] = {};
    bool in_order = true;
    bool right_type = true;
    std::size_t total = 0;
    auto visit = [&](const auto& m) {
        in_order &= (m.seq == next[m.sender]);
        ++next[m.sender];
        if constexpr (std::is_same_v<std::decay_t<decltype(m)>, Marker>) {
            right_type &= (m.seq % 3 == 0) && m.payload == 0.5;
        } else {
            right_type &= (m.seq % 3 != 0);
        }
    };
    while (total < std::size_t{per_sender} * senders) {
        const std::size_t n = queue.drain(visit, 16);
        if (n == 0) std::this_thread::yield();
        total += n;
    }
    for (auto& t : threads) t.join();
    CHECK(in_order);
    CHECK(right_type);
    CHECK(total == std::size_t{per_sender} * senders);
    for (std::uint32_t n : next) CHECK(n == per_sender);
}
