#include <doctest/doctest.h>

#include <quaver/quaver.hpp>

#include <memory>
#include <vector>

#include "support/alloc_counter.hpp"

TEST_CASE("the umbrella header names the library version") {
    CHECK(quaver::version_string == std::string_view("0.1.0"));
}

TEST_CASE("the allocation counter sees heap allocations on this thread only") {
    quaver::test::AllocationScope scope;
    CHECK(scope.count() == 0);
    auto p = std::make_unique<int>(7);
    CHECK(scope.count() == 1);
    std::vector<int> v(100);
    CHECK(scope.count() == 2);
}
