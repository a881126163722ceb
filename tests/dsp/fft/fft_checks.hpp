#pragma once
// The checks shared by the fast and the Bluestein lengths: accuracy (one
// plan, forward and inverse on every SIMD target, against FFTW in double
// precision) and the allocations the transforms make.
#include <doctest/doctest.h>

#include <quaver/dsp/fft.hpp>

#include <algorithm>

#include "fft_targets.hpp"
#include "fft_test_support.hpp"
#include "support/alloc_counter.hpp"

namespace quaver::test {

/// Checks ComplexFft(n) forward and inverse against `bound`; returns the largest error seen.
inline double check_complex_accuracy(std::size_t n, double bound) {
    const auto x = random_complex(n, static_cast<unsigned>(n));
    const auto want_forward = reference_dft(x, -1);
    auto want_inverse = reference_dft(x, +1);
    for (auto& v : want_inverse) v /= static_cast<double>(n);
    ComplexFft fft(n);
    REQUIRE(fft.size() == n);
    std::vector<cplx> y(n);
    double worst = 0;
    for_each_simd_target([&] {
        CAPTURE(n);
        fft.forward(x.data(), y.data());
        const double ef = rms_relative_error(y, want_forward);
        CHECK(ef < bound);
        fft.inverse(x.data(), y.data());
        const double ei = rms_relative_error(y, want_inverse);
        CHECK(ei < bound);
        worst = std::max({worst, ef, ei});
    });
    return worst;
}

/// Checks RealFft(n) forward (and its real DC and Nyquist bins) and the inverse
/// of a Hermitian spectrum against `bound`.
inline void check_real_accuracy(std::size_t n, double bound) {
    const auto x = random_real(n, static_cast<unsigned>(n));
    const auto want_forward = reference_dft(x);
    // A Hermitian spectrum (imaginary DC and Nyquist zero) and its exact inverse.
    auto spectrum = random_complex(n / 2 + 1, static_cast<unsigned>(n) + 1);
    spectrum[0].imag(0), spectrum[n / 2].imag(0);
    std::vector<cplx> full(n);
    for (std::size_t k = 0; k <= n / 2; ++k) full[k] = spectrum[k];
    for (std::size_t k = n / 2 + 1; k < n; ++k) full[k] = std::conj(spectrum[n - k]);
    auto want_inverse = reference_dft(full, +1);
    for (auto& v : want_inverse) v /= static_cast<double>(n);
    RealFft fft(n);
    REQUIRE(fft.size() == n);
    std::vector<cplx> y(n / 2 + 1);
    std::vector<float> t(n);
    for_each_simd_target([&] {
        CAPTURE(n);
        fft.forward(x.data(), y.data());
        CHECK(rms_relative_error(y, want_forward) < bound);
        CHECK(y[0].imag() == 0.0f);
        CHECK(y[n / 2].imag() == 0.0f);
        fft.inverse(spectrum.data(), t.data());
        CHECK(rms_relative_error(t, want_inverse) < bound);
    });
}

/// Allocations made by forward and inverse (out of place, and complex in
/// place) of ComplexFft(n) and RealFft(real_n), plans built beforehand.
inline std::size_t transform_allocations(std::size_t n, std::size_t real_n) {
    ComplexFft fft(n);
    RealFft rfft(real_n);
    auto x = random_complex(n, 8);
    auto r = random_real(real_n, 9);
    std::vector<cplx> X(std::max(n, real_n / 2 + 1));
    AllocationScope scope;
    fft.forward(x.data(), X.data());
    fft.inverse(X.data(), x.data());
    fft.forward(x.data(), x.data());
    rfft.forward(r.data(), X.data());
    rfft.inverse(X.data(), r.data());
    return scope.count();
}

}  // namespace quaver::test
