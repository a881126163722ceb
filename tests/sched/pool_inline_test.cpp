// The pool's contract on one thread: with zero workers every task runs when a
// thread waits for it or calls run_pending(), which makes order, aging,
// cancellation and telemetry exactly reproducible.
#include <doctest/doctest.h>

#include <array>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "quaver/sched.hpp"
#include "support/alloc_counter.hpp"

using quaver::Priority;
using quaver::PoolOptions;
using quaver::WorkerPool;

namespace {
PoolOptions no_workers() {
    PoolOptions o;
    o.workers = 0;
    return o;
}
}  // namespace

TEST_CASE("a task's value comes back through get()") {
    WorkerPool pool(no_workers());
    auto task = pool.submit(Priority::normal, [] { return std::string("forty-two"); });
    CHECK(task.valid());
    CHECK_FALSE(task.ready());
    CHECK(task.get() == "forty-two");
}

TEST_CASE("move-only results and callables larger than the inline storage work") {
    WorkerPool pool(no_workers());
    std::array<char, 200> big{};
    big[199] = 7;
    auto large = pool.submit(Priority::high, [big] { return int(big[199]); });
    auto owned = pool.submit(Priority::high, [] { return std::make_unique<int>(5); });
    CHECK(large.get() == 7);
    CHECK(*owned.get() == 5);
}

TEST_CASE("tasks run highest priority first, oldest first within a class") {
    PoolOptions o = no_workers();
    o.aging_limit = 1000;  // no aging in this test
    WorkerPool pool(o);
    std::vector<int> order;
    const Priority classes[] = {Priority::background, Priority::normal, Priority::high, Priority::realtime};
    for (int round = 0; round < 3; ++round)
        for (Priority p : classes) pool.post(p, [&order, p, round] { order.push_back(int(p) * 10 + round); });
    CHECK(pool.run_pending() == 12);
    CHECK(order == std::vector<int>{0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32});
}

TEST_CASE("aging: a class passed over aging_limit times gets the next pick") {
    PoolOptions o = no_workers();
    o.aging_limit = 8;
    WorkerPool pool(o);
    std::string order;
    for (int i = 0; i < 3; ++i) pool.post(Priority::background, [&] { order += 'B'; });
    for (int i = 0; i < 20; ++i) pool.post(Priority::normal, [&] { order += 'n'; });
    pool.run_pending();
    CHECK(order == "nnnnnnnnBnnnnnnnnBnnnnB");
}

TEST_CASE("realtime tasks are never delayed by aging") {
    PoolOptions o = no_workers();
    o.aging_limit = 1;
    WorkerPool pool(o);
    std::string order;
    pool.post(Priority::background, [&] { order += 'B'; });
    for (int i = 0; i < 3; ++i) pool.post(Priority::realtime, [&] { order += 'R'; });
    pool.run_pending();
    CHECK(order == "RRRB");
}

TEST_CASE("a cancelled task never runs and get() reports the cancellation") {
    WorkerPool pool(no_workers());
    bool ran = false;
    auto task = pool.submit(Priority::normal, [&] { ran = true; });
    CHECK(task.cancel());
    CHECK_FALSE(task.cancel());  // only once
    CHECK(task.ready());
    CHECK(pool.run_pending() == 0);
    CHECK_FALSE(ran);
    CHECK_THROWS_AS(task.get(), quaver::TaskCancelled);
    CHECK(pool.stats()[Priority::normal].cancelled == 1);
}

TEST_CASE("a finished task cannot be cancelled") {
    WorkerPool pool(no_workers());
    auto task = pool.submit(Priority::normal, [] { return 1; });
    task.wait();
    CHECK_FALSE(task.cancel());
    CHECK(task.get() == 1);
}

TEST_CASE("an exception is carried to get() and counted as a failure") {
    WorkerPool pool(no_workers());
    auto bad = pool.submit(Priority::high, []() -> int { throw std::runtime_error("boom"); });
    auto good = pool.submit(Priority::high, [] { return 3; });
    CHECK_THROWS_WITH_AS(bad.get(), "boom", std::runtime_error);
    CHECK(good.get() == 3);
    const auto s = pool.stats();
    CHECK(s[Priority::high].failed == 1);
    CHECK(s[Priority::high].completed == 1);
}

TEST_CASE("stats count queued, completed and cancelled tasks per priority") {
    WorkerPool pool(no_workers());
    for (int i = 0; i < 5; ++i) pool.post(Priority::background, [] {});
    auto c = pool.submit(Priority::background, [] {});
    c.cancel();
    auto s = pool.stats();
    CHECK(s[Priority::background].queued == 5);
    CHECK(s[Priority::background].cancelled == 1);
    pool.run_pending();
    s = pool.stats();
    CHECK(s[Priority::background].queued == 0);
    CHECK(s[Priority::background].running == 0);
    CHECK(s[Priority::background].completed == 5);
    CHECK(s[Priority::background].latency_max_ns > 0);
    CHECK(s[Priority::background].latency_p50_ns <= s[Priority::background].latency_p99_ns);
    CHECK(s[Priority::realtime].completed == 0);
    CHECK(s.workers == 0);
}

TEST_CASE("try_submit fails instead of allocating when the queue is full") {
    PoolOptions o = no_workers();
    o.queue_capacity = 4;
    WorkerPool pool(o);
    int ran = 0;
    for (int i = 0; i < 4; ++i) CHECK(pool.try_post(Priority::normal, [&] { ++ran; }));
    CHECK_FALSE(pool.try_post(Priority::normal, [&] { ++ran; }));
    CHECK_FALSE(pool.try_submit(Priority::normal, [&] { ++ran; }).valid());
    CHECK(pool.try_post(Priority::high, [&] { ++ran; }));  // other classes have their own room
    pool.run_pending();
    CHECK(ran == 5);
}

TEST_CASE("try_submit fails when every task slot is taken") {
    PoolOptions o = no_workers();
    o.max_tasks = 2;
    WorkerPool pool(o);
    auto a = pool.try_submit(Priority::normal, [] { return 1; });
    auto b = pool.try_submit(Priority::normal, [] { return 2; });
    auto c = pool.try_submit(Priority::normal, [] { return 3; });
    CHECK(a.valid());
    CHECK(b.valid());
    CHECK_FALSE(c.valid());
    CHECK(a.get() + b.get() == 3);
}

TEST_CASE("submit overflows to the heap when handles hold every slot") {
    PoolOptions o = no_workers();
    o.max_tasks = 2;
    WorkerPool pool(o);
    std::vector<quaver::Task<int>> tasks;
    for (int i = 0; i < 10; ++i) tasks.push_back(pool.submit(Priority::normal, [i] { return i; }));
    int sum = 0;
    for (auto& t : tasks) sum += t.get();
    CHECK(sum == 45);
}

TEST_CASE("submitting a small callable does not allocate once the pool is built") {
    WorkerPool pool(no_workers());
    std::array<double, 7> captures{};  // 56 bytes plus a pointer: 64
    int runs = 0;
    {
        quaver::test::AllocationScope scope;
        for (int i = 0; i < 100; ++i) {
            pool.post(Priority::normal, [captures, &runs] { runs += int(captures[0]) + 1; });
            auto task = pool.submit(Priority::high, [captures] { return captures[6]; });
            CHECK(pool.try_post(Priority::realtime, [&runs] { ++runs; }));
            auto rt = pool.try_submit(Priority::realtime, [] { return 1; });
            pool.run_pending();
            CHECK(task.get() == 0.0);
            CHECK(rt.get() == 1);
        }
        CHECK(scope.count() == 0);
    }
    CHECK(runs == 200);
}

TEST_CASE("submitting after shutdown is an error, not a hang") {
    WorkerPool pool(no_workers());
    int ran = 0;
    pool.post(Priority::normal, [&] { ++ran; });
    pool.shutdown(quaver::ShutdownMode::drain);
    CHECK(ran == 1);
    CHECK_THROWS_AS(pool.post(Priority::normal, [] {}), std::logic_error);
    CHECK_THROWS_AS((void)pool.submit(Priority::normal, [] {}), std::logic_error);
    CHECK_FALSE(pool.try_post(Priority::normal, [] {}));
    CHECK_FALSE(pool.try_submit(Priority::normal, [] {}).valid());
    CHECK_THROWS_AS(pool.resize(1), std::logic_error);
    pool.shutdown();  // a second call does nothing
}

TEST_CASE("shutdown with cancel drops the queued tasks") {
    WorkerPool pool(no_workers());
    int ran = 0;
    auto task = pool.submit(Priority::normal, [&] { ++ran; });
    for (int i = 0; i < 10; ++i) pool.post(Priority::background, [&] { ++ran; });
    pool.shutdown(quaver::ShutdownMode::cancel);
    CHECK(ran == 0);
    CHECK_THROWS_AS(task.get(), quaver::TaskCancelled);
    CHECK(pool.stats()[Priority::background].cancelled == 10);
}

TEST_CASE("parallel_for visits every index exactly once") {
    WorkerPool pool(no_workers());
    std::vector<int> hits(1000, 0);
    pool.parallel_for(Priority::normal, 0, hits.size(), 7, [&](std::size_t i) { ++hits[i]; });
    CHECK(std::count(hits.begin(), hits.end(), 1) == 1000);
    std::vector<int> chunks(1000, 0);
    pool.parallel_for(Priority::normal, 10, 1000, 64, [&](std::size_t b, std::size_t e) {
        CHECK(e - b <= 64);
        for (std::size_t i = b; i < e; ++i) ++chunks[i];
    });
    CHECK(std::count(chunks.begin(), chunks.begin() + 10, 0) == 10);
    CHECK(std::count(chunks.begin() + 10, chunks.end(), 1) == 990);
    pool.parallel_for(Priority::normal, 5, 5, 1, [&](std::size_t) { FAIL("empty range"); });
}

TEST_CASE("parallel_for rethrows the first exception of its body") {
    WorkerPool pool(no_workers());
    CHECK_THROWS_AS(pool.parallel_for(Priority::normal, 0, 100, 1,
                                      [](std::size_t i) {
                                          if (i == 50) throw std::out_of_range("50");
                                      }),
                    std::out_of_range);
}

TEST_CASE("a task group waits for its tasks and rethrows the first exception") {
    WorkerPool pool(no_workers());
    quaver::TaskGroup group(pool);
    int sum = 0;
    for (int i = 1; i <= 10; ++i) group.run(Priority::normal, [&sum, i] { sum += i; });
    CHECK(group.pending() == 10);
    group.wait();
    CHECK(sum == 55);
    CHECK(group.pending() == 0);
    group.run(Priority::normal, [] { throw std::invalid_argument("x"); });
    CHECK(group.try_run(Priority::normal, [&sum] { sum += 1; }));
    CHECK_THROWS_AS(group.wait(), std::invalid_argument);
    CHECK(sum == 56);
    group.wait();  // the error was reported once
}

TEST_CASE("options that cannot work are rejected at construction") {
    PoolOptions o = no_workers();
    o.queue_capacity = 0;
    CHECK_THROWS_AS(WorkerPool{o}, std::invalid_argument);
    o = no_workers();
    o.max_tasks = 0;
    CHECK_THROWS_AS(WorkerPool{o}, std::invalid_argument);
}

TEST_CASE("the default worker count leaves one core to the submitting thread") {
#if QUAVER_HAS_THREADS
    const unsigned hw = std::thread::hardware_concurrency();
    CHECK(quaver::default_worker_count() == (hw > 2 ? hw - 1 : 1));
#else
    CHECK(quaver::default_worker_count() == 0);  // WASM without pthreads: tasks run cooperatively
    CHECK(WorkerPool().worker_count() == 0);
#endif
}
