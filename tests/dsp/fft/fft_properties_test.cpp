// The algebra every DFT obeys, and the plan's contract: round trips,
// linearity, Parseval, real against complex, in place, rejected lengths,
// no allocation in the transforms. Run on every SIMD target of the machine.
#include <doctest/doctest.h>

#include <quaver/dsp/fft.hpp>

#include <stdexcept>
#include <utility>

#include "fft_checks.hpp"
#include "fft_targets.hpp"
#include "fft_test_support.hpp"

using namespace quaver;
using namespace quaver::test;

namespace {

// A spread of lengths: every one up to 100, then powers of two and common
// audio block sizes.
std::vector<std::size_t> lengths() {
    auto sizes = smooth_sizes(1, 100);
    for (std::size_t n : {128, 160, 192, 240, 256, 384, 480, 512, 960, 1000, 1024, 1920, 2048, 4096, 8192, 16384})
        sizes.push_back(n);
    return sizes;
}

double max_abs_diff(const std::vector<cplx>& a, const std::vector<cplx>& b) {
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, double(std::abs(a[i] - b[i])));
    return m;
}

}  // namespace

TEST_CASE("inverse(forward(x)) returns x for complex and real transforms") {
    for_each_simd_target([] {
        for (std::size_t n : lengths()) {
            CAPTURE(n);
            const auto x = random_complex(n, 1);
            ComplexFft fft(n);
            std::vector<cplx> X(n), y(n);
            fft.forward(x.data(), X.data());
            fft.inverse(X.data(), y.data());
            CHECK(max_abs_diff(x, y) < 1e-6 * std::log2(double(n) + 1) + 1e-6);
            if (n % 2) continue;
            const auto r = random_real(n, 2);
            RealFft rfft(n);
            std::vector<cplx> R(n / 2 + 1);
            std::vector<float> back(n);
            rfft.forward(r.data(), R.data());
            rfft.inverse(R.data(), back.data());
            double err = 0;
            for (std::size_t i = 0; i < n; ++i) err = std::max(err, double(std::abs(back[i] - r[i])));
            CHECK(err < 1e-6 * std::log2(double(n)) + 1e-6);
        }
    });
}

TEST_CASE("the transform is linear") {
    for_each_simd_target([] {
        for (std::size_t n : {12, 64, 480, 1024}) {
            CAPTURE(n);
            const auto x = random_complex(n, 3), y = random_complex(n, 4);
            const cplx a{0.75f, -0.5f}, b{-1.25f, 0.25f};
            std::vector<cplx> mix(n), X(n), Y(n), M(n), want(n);
            for (std::size_t i = 0; i < n; ++i) mix[i] = a * x[i] + b * y[i];
            ComplexFft fft(n);
            fft.forward(x.data(), X.data());
            fft.forward(y.data(), Y.data());
            fft.forward(mix.data(), M.data());
            for (std::size_t i = 0; i < n; ++i) want[i] = a * X[i] + b * Y[i];
            CHECK(max_abs_diff(M, want) < 1e-5 * std::sqrt(double(n)));
        }
    });
}

TEST_CASE("energy is preserved up to the factor n (Parseval)") {
    for_each_simd_target([] {
        for (std::size_t n : {8, 90, 256, 1920, 4096}) {
            CAPTURE(n);
            const auto x = random_complex(n, 5);
            std::vector<cplx> X(n);
            ComplexFft(n).forward(x.data(), X.data());
            double ex = 0, eX = 0;
            for (std::size_t i = 0; i < n; ++i) ex += std::norm(cplxd(x[i])), eX += std::norm(cplxd(X[i]));
            CHECK(eX / double(n) == doctest::Approx(ex).epsilon(1e-5));
        }
    });
}

TEST_CASE("a real transform equals the first n/2 + 1 bins of the complex transform of the same signal") {
    for_each_simd_target([] {
        for (std::size_t n : {2, 4, 6, 10, 16, 30, 64, 480, 512, 1024, 3840}) {
            CAPTURE(n);
            const auto r = random_real(n, 6);
            std::vector<cplx> c(r.begin(), r.end()), C(n), R(n / 2 + 1);
            ComplexFft(n).forward(c.data(), C.data());
            RealFft(n).forward(r.data(), R.data());
            C.resize(n / 2 + 1);
            CHECK(max_abs_diff(R, C) < 2e-6 * std::sqrt(double(n)) * std::log2(double(n)));
        }
    });
}

TEST_CASE("transforming in place gives exactly the out-of-place result") {
    for_each_simd_target([] {
        for (std::size_t n : {1, 2, 3, 4, 5, 8, 15, 64, 96, 1024, 1920}) {
            CAPTURE(n);
            ComplexFft fft(n);
            const auto x = random_complex(n, 7);
            std::vector<cplx> out(n), buf = x;
            fft.forward(x.data(), out.data());
            fft.forward(buf.data(), buf.data());
            CHECK(buf == out);
            fft.inverse(x.data(), out.data());
            buf = x;
            fft.inverse(buf.data(), buf.data());
            CHECK(buf == out);
        }
    });
}

TEST_CASE("a single impulse transforms to a pure phase ramp") {
    for_each_simd_target([] {
        const std::size_t n = 240, t0 = 7;
        std::vector<cplx> x(n), X(n);
        x[t0] = 1.0f;
        ComplexFft(n).forward(x.data(), X.data());
        for (std::size_t k = 0; k < n; ++k) {
            const double angle = -2.0 * 3.14159265358979323846 * double(k * t0 % n) / double(n);
            CHECK(std::abs(cplxd(X[k]) - std::polar(1.0, angle)) < 1e-6);
        }
    });
}

TEST_CASE("unsupported lengths are rejected with std::invalid_argument") {
    for (std::size_t n : {std::size_t{0}, (std::size_t{1} << 23) + 1, (std::size_t{1} << 24) + 2})
        CHECK_THROWS_AS(ComplexFft{n}, std::invalid_argument);
    for (std::size_t n : {0, 1, 3, 5, 15, 1025})
        CHECK_THROWS_AS(RealFft{n}, std::invalid_argument);
    CHECK(is_fast_fft_size(1));
    CHECK(is_fast_fft_size(480));
    CHECK(is_fast_fft_size(65536));
    CHECK(is_fast_fft_size(1 << 20));
    CHECK_FALSE(is_fast_fft_size(0));
    CHECK_FALSE(is_fast_fft_size(7 * 64));
    CHECK(is_supported_fft_size(7 * 64));  // through Bluestein's algorithm
    CHECK_FALSE(is_supported_fft_size(0));
    CHECK_NOTHROW(RealFft{2});
    CHECK_NOTHROW(ComplexFft{1});
}

TEST_CASE("forward and inverse do not allocate") {
    for_each_simd_target([] {
        for (std::size_t n : {2, 30, 1024, 1920}) {
            CAPTURE(n);
            CHECK(transform_allocations(n, n) == 0);
        }
    });
}

TEST_CASE("a plan can be moved and keeps working") {
    ComplexFft a(64);
    ComplexFft b = std::move(a);
    RealFft c(64);
    RealFft d(32);
    d = std::move(c);
    CHECK(b.size() == 64);
    CHECK(d.size() == 64);
    const auto x = random_complex(64, 10);
    std::vector<cplx> X(64), y(64);
    b.forward(x.data(), X.data());
    b.inverse(X.data(), y.data());
    CHECK(max_abs_diff(x, y) < 1e-5);
    const auto r = random_real(64, 11);
    std::vector<float> back(64);
    d.forward(r.data(), X.data());
    d.inverse(X.data(), back.data());
    CHECK(std::abs(back[5] - r[5]) < 1e-5);
}
