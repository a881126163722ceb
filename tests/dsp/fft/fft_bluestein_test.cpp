// Lengths outside 2^a 3^b 5^c: Bluestein's algorithm (fft_bluestein.hpp),
// against FFTW in double precision, on every SIMD target of the machine.
#include <doctest/doctest.h>

#include <quaver/dsp/fft.hpp>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "fft_checks.hpp"
#include "fft_test_support.hpp"

using namespace quaver;
using namespace quaver::test;

namespace {

// Primes, products with large primes, and common non-smooth audio lengths
// (441 = 44100 / 100, 882, 1764, 44100 = 2^2 3^2 5^2 7^2).
constexpr std::size_t complex_lengths[] = {7,    11,   13,   14,   17,   97,    127,   221,   441,
                                           882,  1001, 1009, 1764, 4097, 10007, 44100, 65537};
constexpr std::size_t real_lengths[] = {14, 22, 34, 194, 254, 882, 1764, 2002, 2018, 8194, 20014, 44100};

// The bound stated in fft.hpp for Bluestein lengths: that of a fast length
// 2n (two transforms of length m >= 2n - 1 and the chirp products). The
// largest error measured here is 3.2e-7 (printed by the first test).
double bluestein_error_bound(std::size_t n) { return fft_error_bound(2 * n); }

}  // namespace

TEST_CASE("lengths outside 2^a 3^b 5^c run Bluestein's algorithm within its stated error bound") {
    double worst = 0;
    for (std::size_t n : complex_lengths) {
        CHECK(is_supported_fft_size(n));
        CHECK_FALSE(is_fast_fft_size(n));
        worst = std::max(worst, check_complex_accuracy(n, bluestein_error_bound(n)));
    }
    std::printf("Bluestein complex transforms: largest rms-relative error %.2e\n", worst);
}

TEST_CASE("real transforms of even lengths whose half is not 2^a 3^b 5^c match FFTW in double precision") {
    for (std::size_t n : real_lengths) {
        CHECK_FALSE(is_fast_fft_size(n / 2));
        check_real_accuracy(n, bluestein_error_bound(n));
    }
}

TEST_CASE("a Bluestein transform in place gives exactly the out-of-place result") {
    const auto x = random_complex(1000, 3);
    ComplexFft fft(1000);
    std::vector<cplx> out(1000), inplace = x;
    fft.forward(x.data(), out.data());
    fft.forward(inplace.data(), inplace.data());
    CHECK(out == inplace);
}

TEST_CASE("Bluestein transforms do not allocate") {
    CHECK(transform_allocations(1009, 2018) == 0);
}

TEST_CASE("lengths beyond the limits are still rejected with std::invalid_argument") {
    for (std::size_t n : {std::size_t{0}, (std::size_t{1} << 23) + 1, (std::size_t{1} << 24) + 2})
        CHECK_THROWS_AS(ComplexFft{n}, std::invalid_argument);
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{15}, std::size_t{1001}, (std::size_t{1} << 24) + 2})
        CHECK_THROWS_AS(RealFft{n}, std::invalid_argument);
    CHECK(is_supported_fft_size(std::size_t{1} << 23));
    CHECK(is_supported_fft_size(std::size_t{1} << 24));  // fast
    CHECK_FALSE(is_supported_fft_size((std::size_t{1} << 23) + 1));
}
