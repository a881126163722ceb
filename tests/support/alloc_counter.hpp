#pragma once
// Counts heap allocations made by the calling thread, so a test can back a
// "Real-time: ... no allocation" claim: open a scope around the call and
// check that count() stayed zero.
#include <cstddef>

namespace quaver::test {

/// Heap allocations (operator new and friends) made by this thread so far.
std::size_t allocations_on_this_thread() noexcept;

/// Counts this thread's allocations from construction on.
class AllocationScope {
public:
    AllocationScope() noexcept : start_(allocations_on_this_thread()) {}
    std::size_t count() const noexcept { return allocations_on_this_thread() - start_; }

private:
    std::size_t start_;
};

}  // namespace quaver::test
