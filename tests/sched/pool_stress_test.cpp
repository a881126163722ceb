// Many tasks from several threads at all priorities, some cancelled: every
// task runs exactly once or is cancelled, never both, never lost.
#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "quaver/sched.hpp"

#if defined(__SANITIZE_THREAD__)
constexpr int total_tasks = 100000;  // TSan runs ~10x slower
#else
constexpr int total_tasks = 1000000;
#endif

TEST_CASE("a million tasks from two threads: none lost, none run twice") {
    quaver::PoolOptions o;
    o.workers = 3;
    o.queue_capacity = 1024;  // small enough that submitters often find it full and help
    quaver::WorkerPool pool(o);
    auto runs = std::make_unique<std::atomic<std::uint8_t>[]>(total_tasks);
    std::atomic<int> cancelled{0};
    std::vector<std::thread> submitters;
    for (int t = 0; t < 2; ++t)
        submitters.emplace_back([&, t] {
            quaver::TaskGroup group(pool);
            for (int i = t; i < total_tasks; i += 2) {
                auto body = [&runs, i] { runs[i].fetch_add(1, std::memory_order_relaxed); };
                if (i % 101 == 0) {
                    auto task = pool.submit(quaver::Priority(i % 4), body);
                    if (task.cancel()) {
                        runs[i].fetch_add(1, std::memory_order_relaxed);
                        cancelled.fetch_add(1, std::memory_order_relaxed);
                    }
                } else {
                    group.run(quaver::Priority(i % 4), body);
                }
            }
            group.wait();
        });
    for (auto& t : submitters) t.join();
    pool.shutdown();
    int wrong = 0;
    for (int i = 0; i < total_tasks; ++i) wrong += runs[i].load() != 1;
    CHECK(wrong == 0);
    const auto s = pool.stats();
    std::uint64_t completed = 0, stat_cancelled = 0;
    for (auto& p : s.per_priority) {
        completed += p.completed;
        stat_cancelled += p.cancelled;
    }
    CHECK(completed + stat_cancelled == std::uint64_t(total_tasks));
    CHECK(stat_cancelled == std::uint64_t(cancelled.load()));
}
