// MpmcQueue and MessageQueue on one thread: FIFO order against a model,
// capacities, move-only items, destruction, and no allocation.
#include <doctest/doctest.h>

#include <quaver/ring/message_queue.hpp>
#include <quaver/ring/mpmc_queue.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/alloc_counter.hpp"

TEST_CASE("random pushes and pops agree with a deque model") {
    for (std::size_t capacity : {1u, 2u, 5u, 64u}) {
        CAPTURE(capacity);
        quaver::MpmcQueue<std::uint64_t> queue(capacity);
        const std::size_t real_capacity = queue.capacity();
        std::deque<std::uint64_t> model;
        std::mt19937 rng(static_cast<std::uint32_t>(capacity));
        std::uint64_t next = 0;
        for (int op = 0; op < 100'000; ++op) {
            if (rng() % 2) {
                const bool pushed = (rng() % 2) ? queue.try_push(next) : queue.try_emplace(next);
                REQUIRE(pushed == (model.size() < real_capacity));
                if (pushed) model.push_back(next++);
            } else {
                std::uint64_t v = 0;
                const bool popped = queue.try_pop(v);
                REQUIRE(popped == !model.empty());
                if (popped) {
                    REQUIRE(v == model.front());
                    model.pop_front();
                }
            }
            REQUIRE(queue.size() == model.size());
        }
    }
}

TEST_CASE("capacity is rounded up to a power of two and checked") {
    CHECK(quaver::MpmcQueue<int>(1).capacity() == 1);
    CHECK(quaver::MpmcQueue<int>(3).capacity() == 4);
    CHECK(quaver::MpmcQueue<int>(1024).capacity() == 1024);
    CHECK_THROWS_AS(quaver::MpmcQueue<int>(0), std::invalid_argument);
    CHECK_THROWS_AS(quaver::MpmcQueue<int>((std::size_t{1} << 30) + 1), std::length_error);
}

TEST_CASE("a queue of capacity 1 alternates between full and empty") {
    quaver::MpmcQueue<int> queue(1);
    int v = 0;
    for (int i = 0; i < 10; ++i) {
        CHECK(queue.try_push(i));
        CHECK_FALSE(queue.try_push(100));
        CHECK(queue.size() == 1);
        CHECK(queue.try_pop(v));
        CHECK(v == i);
        CHECK_FALSE(queue.try_pop(v));
        CHECK(queue.empty());
    }
}

TEST_CASE("move-only items go in and out by move") {
    quaver::MpmcQueue<std::unique_ptr<int>> queue(4);
    auto p = std::make_unique<int>(5);
    CHECK(queue.try_push(std::move(p)));
    CHECK(p == nullptr);
    CHECK(queue.try_emplace(new int(6)));
    std::unique_ptr<int> out;
    CHECK(queue.try_pop(out));
    CHECK(*out == 5);
    CHECK(queue.try_pop(out));
    CHECK(*out == 6);
    // A refused move leaves the item with the caller.
    quaver::MpmcQueue<std::unique_ptr<int>> tiny(1);
    CHECK(tiny.try_push(std::make_unique<int>(1)));
    auto kept = std::make_unique<int>(2);
    CHECK_FALSE(tiny.try_push(std::move(kept)));
    REQUIRE(kept != nullptr);
    CHECK(*kept == 2);
}

namespace {
struct Counted {
    static inline int alive = 0;
    int value;
    explicit Counted(int v) noexcept : value(v) { ++alive; }
    Counted(Counted&& other) noexcept : value(other.value) { ++alive; }
    Counted& operator=(Counted&& other) noexcept {
        value = other.value;
        return *this;
    }
    ~Counted() { --alive; }
};
}  // namespace

TEST_CASE("items left in the queue are destroyed with it, popped items at once") {
    {
        quaver::MpmcQueue<Counted> queue(8);
        for (int i = 0; i < 5; ++i) CHECK(queue.try_emplace(i));
        CHECK(Counted::alive == 5);
        Counted out(0);
        CHECK(queue.try_pop(out));
        CHECK(out.value == 0);
        CHECK(Counted::alive == 5);  // 4 queued + out
        CHECK(queue.try_consume([](Counted& c) { CHECK(c.value == 1); }));
        CHECK(Counted::alive == 4);
    }
    CHECK(Counted::alive == 0);
}

TEST_CASE("a constructor that throws leaves the queue unchanged") {
    struct Picky {
        int v;
        explicit Picky(int x) : v(x) {
            if (x < 0) throw std::runtime_error("negative");
        }
        Picky(Picky&&) noexcept = default;
        Picky& operator=(Picky&&) noexcept = default;
    };
    quaver::MpmcQueue<Picky> queue(2);
    CHECK_THROWS_AS(queue.try_emplace(-1), std::runtime_error);
    CHECK(queue.size() == 0);
    CHECK(queue.try_emplace(3));
    Picky out(0);
    CHECK(queue.try_pop(out));
    CHECK(out.v == 3);
}

TEST_CASE("push and pop do not allocate") {
    quaver::MpmcQueue<std::uint64_t> queue(64);
    bool ok = true;
    std::uint64_t v = 0;
    quaver::test::AllocationScope scope;
    for (std::uint64_t i = 0; i < 1000; ++i) {
        ok &= queue.try_push(i);
        ok &= queue.try_emplace(i + 1);
        ok &= queue.try_pop(v) && v == i;
        ok &= queue.try_pop(v) && v == i + 1;
        ok &= queue.size() == 0;
    }
    const std::size_t allocations = scope.count();
    CHECK(ok);
    CHECK(allocations == 0);
}

namespace {
struct SetGain {
    int band;
    float gain_db;
};
struct Bypass {
    bool on;
};
struct Reset {};
}  // namespace

TEST_CASE("messages are drained in the order they were sent, each to its own overload") {
    quaver::MessageQueue<SetGain, Bypass, Reset> queue(8);
    CHECK(queue.capacity() == 8);
    CHECK(queue.try_send(SetGain{2, -3.0f}));
    const Bypass bypass{true};
    CHECK(queue.try_send(bypass));
    CHECK(queue.try_send(Reset{}));
    CHECK(queue.size() == 3);
    std::vector<std::string> seen;
    struct Visitor {
        std::vector<std::string>& seen;
        void operator()(const SetGain& m) const { seen.push_back("gain " + std::to_string(m.band)); }
        void operator()(const Bypass& m) const { seen.push_back(m.on ? "bypass on" : "bypass off"); }
        void operator()(const Reset&) const { seen.push_back("reset"); }
    };
    CHECK(queue.drain(Visitor{seen}) == 3);
    CHECK(seen == std::vector<std::string>{"gain 2", "bypass on", "reset"});
    CHECK(queue.drain(Visitor{seen}) == 0);
}

TEST_CASE("drain stops at max_messages and sending fails only when full") {
    quaver::MessageQueue<int, double> queue(4);
    for (int i = 0; i < 4; ++i) CHECK(queue.try_send(i));
    CHECK_FALSE(queue.try_send(1.5));
    int sum = 0;
    auto add = [&](const auto& m) { sum += static_cast<int>(m); };
    CHECK(queue.drain(add, 2) == 2);
    CHECK(sum == 0 + 1);
    CHECK(queue.try_send(2.5));
    CHECK(queue.drain(add) == 3);
    CHECK(sum == 1 + 2 + 3 + 2);
}

TEST_CASE("sending and draining do not allocate") {
    quaver::MessageQueue<SetGain, Bypass, Reset> queue(16);
    int handled = 0;
    auto visit = [&](const auto&) { ++handled; };
    bool ok = true;
    quaver::test::AllocationScope scope;
    for (int i = 0; i < 100; ++i) {
        ok &= queue.try_send(SetGain{i, 1.0f});
        ok &= queue.try_send(Bypass{false});
        ok &= queue.try_send(Reset{});
        ok &= queue.drain(visit) == 3;
    }
    const std::size_t allocations = scope.count();
    CHECK(ok);
    CHECK(handled == 300);
    CHECK(allocations == 0);
}
