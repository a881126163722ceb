#include <doctest/doctest.h>

#include <quaver/dsp.hpp>

#include <string_view>

TEST_CASE("the DSP kernels report the SIMD target they run on") {
    std::string_view name = quaver::simd_target_name();
    CHECK(!name.empty());
    MESSAGE("DSP kernels dispatch to " << name);
}
