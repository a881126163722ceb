#pragma once
// Runs a test body once per SIMD target the machine supports (re-dispatching
// through Highway), or once when a single target is compiled in.
#include <doctest/doctest.h>

#include <quaver/dsp/fft.hpp>

#include <string>

namespace quaver::test {

template <class Body>
void for_each_simd_target(Body&& body) {
#if QUAVER_HWY_STATIC_DISPATCH
    CAPTURE(std::string(simd_target_name()));
    body();
#else
    for (const int64_t target : hwy::SupportedAndGeneratedTargets()) {
        hwy::SetSupportedTargetsForTest(target);
        const std::string name = simd_target_name();
        CAPTURE(name);
        CHECK(name == hwy::TargetName(target));
        body();
    }
    hwy::SetSupportedTargetsForTest(0);
#endif
}

}  // namespace quaver::test
