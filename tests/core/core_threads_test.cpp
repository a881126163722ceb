#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "support/alloc_counter.hpp"

TEST_CASE("allocation counts are per thread") {
    quaver::test::AllocationScope scope;
    std::atomic<int> other_thread_count{-1};
    std::thread t([&] {
        quaver::test::AllocationScope inner;
        int* volatile p = new int(3);  // volatile: the allocation may not be elided
        delete p;
        other_thread_count = static_cast<int>(inner.count());
    });
    t.join();
    CHECK(other_thread_count.load() == 1);
}
