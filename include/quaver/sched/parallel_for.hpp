#pragma once
// WorkerPool::parallel_for. Chunks are claimed from one shared atomic index
// (self-balancing, one submission per helper rather than one per chunk); the
// calling thread always takes part, so the loop finishes even if no helper
// ever starts. Helpers give way between chunks when a higher-priority task is
// queued, which keeps a long loop from delaying realtime work by more than
// one chunk.
#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <exception>
#include <type_traits>

#include "quaver/sched/worker_pool.hpp"

namespace quaver {

template <class Body>
void WorkerPool::parallel_for(Priority p, std::size_t begin, std::size_t end, std::size_t grain, Body&& body) {
    QUAVER_ASSERT(grain >= 1, "parallel_for needs grain >= 1");
    if (begin >= end) return;
    if (grain == 0) grain = 1;
    using B = std::remove_reference_t<Body>;

    struct Shared {
        std::atomic<std::size_t> next;
        std::size_t end;
        std::size_t grain;
        B* body;
        WorkerPool* pool;
        Priority priority;
        std::atomic<bool> stop{false};
        std::atomic<bool> has_error{false};
        std::exception_ptr error;

        void run(bool give_way) noexcept {
            while (!stop.load(std::memory_order_relaxed)) {
                const std::size_t b = next.fetch_add(grain, std::memory_order_relaxed);
                if (b >= end) break;
                const std::size_t e = end - b > grain ? b + grain : end;
                try {
                    if constexpr (std::is_invocable_v<B&, std::size_t, std::size_t>) {
                        (*body)(b, e);
                    } else {
                        for (std::size_t i = b; i < e; ++i) (*body)(i);
                    }
                } catch (...) {
                    if (!has_error.exchange(true, std::memory_order_acq_rel)) error = std::current_exception();
                    stop.store(true, std::memory_order_relaxed);
                }
                if (give_way && pool->queued_above(priority)) break;
            }
        }
    };
    Shared shared{{begin}, end, grain, &body, this, p, {false}, {false}, nullptr};

    constexpr std::size_t max_helpers = 64;
    const std::size_t chunks = (end - begin - 1) / grain + 1;
    const std::size_t wanted = std::min({worker_count(), chunks - 1, max_helpers});
    std::array<Task<void>, max_helpers> helpers;
    std::size_t started = 0;
    for (; started < wanted; ++started) {
        helpers[started] = try_submit(p, [s = &shared]() noexcept { s->run(true); });
        if (!helpers[started]) break;  // no free slot: the caller does the rest
    }
    shared.run(false);
    // A helper still queued is cancelled; one that started is waited for,
    // since it reads `shared` until it returns.
    for (std::size_t i = 0; i < started; ++i)
        if (!helpers[i].cancel()) helpers[i].wait();
    if (shared.error) std::rethrow_exception(shared.error);
}

}  // namespace quaver
