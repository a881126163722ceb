#pragma once
// Shared by the FFT tests: reference transforms in double precision (FFTW's
// double plans, which are exact to about 1e-15) and error measures.
#include <fftw3.h>

#include <cmath>
#include <complex>
#include <cstddef>
#include <random>
#include <vector>

#include "support/random_signal.hpp"

namespace quaver::test {

using cplx = std::complex<float>;
using cplxd = std::complex<double>;

// Every length 2^a 3^b 5^c from lo to hi, ascending.
inline std::vector<std::size_t> smooth_sizes(std::size_t lo, std::size_t hi) {
    std::vector<std::size_t> sizes;
    for (std::size_t n = lo; n <= hi; ++n) {
        std::size_t m = n;
        for (std::size_t f : {2, 3, 5})
            while (m % f == 0) m /= f;
        if (m == 1) sizes.push_back(n);
    }
    return sizes;
}

inline std::vector<cplx> random_complex(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<cplx> x(n);
    for (auto& v : x) v = {u(rng), u(rng)};
    return x;
}

// Exact (double) DFT with sign -1 (forward) or +1 (unnormalised inverse).
inline std::vector<cplxd> reference_dft(const std::vector<cplx>& x, int sign) {
    const int n = static_cast<int>(x.size());
    std::vector<cplxd> in(x.begin(), x.end()), out(x.size());
    fftw_plan plan = fftw_plan_dft_1d(n, reinterpret_cast<fftw_complex*>(in.data()),
                                      reinterpret_cast<fftw_complex*>(out.data()), sign < 0 ? FFTW_FORWARD : FFTW_BACKWARD,
                                      FFTW_ESTIMATE);
    fftw_execute(plan);
    fftw_destroy_plan(plan);
    return out;
}

inline std::vector<cplxd> reference_dft(const std::vector<float>& x) {
    std::vector<cplx> c(x.begin(), x.end());
    auto full = reference_dft(c, -1);
    full.resize(x.size() / 2 + 1);
    return full;
}

// ||got - want||_2 / ||want||_2
template <class T>
double rms_relative_error(const std::vector<T>& got, const std::vector<cplxd>& want) {
    double num = 0, den = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        num += std::norm(cplxd(got[i]) - want[i]);
        den += std::norm(want[i]);
    }
    return den > 0 ? std::sqrt(num / den) : std::sqrt(num);
}

// The bound stated in fft.hpp.
inline double fft_error_bound(std::size_t n) { return 1e-7 * (std::log2(static_cast<double>(n)) + 4.0); }

}  // namespace quaver::test
