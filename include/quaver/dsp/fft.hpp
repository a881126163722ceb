#pragma once
// Complex and real FFTs, SIMD (Highway) kernels with run-time dispatch to
// the machine's best target (SIMD128 in WASM). Lengths 2^a 3^b 5^c run the
// fast kernels; any other length (up to 2^23 complex, 2^24 real) runs
// Bluestein's algorithm on them (fft_bluestein.hpp), at the cost of two or
// three transforms of a fast length near 2n.
//
// Accuracy: for every supported length n up to 65536, on every target
// (tested against a double-precision FFT on random input in [-1, 1)), the
// rms-relative error ||X - X_exact||_2 / ||X_exact||_2 of forward and inverse
// transforms is below 1e-7 * (log2(n) + 4). Measured errors are 8e-8 (n = 64)
// to 1.4e-7 (n = 65536), about 10% below FFTW's single-precision transforms
// (tests/dsp/fft/fft_accuracy_test.cpp prints both). Bluestein lengths stay
// below the bound of the fast length 2n, 1e-7 * (log2(2n) + 4); measured up
// to 3.2e-7 for lengths up to 65537 (tests/dsp/fft/fft_bluestein_test.cpp).
//
// Threads: a plan owns its scratch, so one plan is used by one thread at a
// time; different plans are independent.
#include <complex>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <variant>

#include "quaver/dsp/detail/simd_kernels.hpp"
#include "quaver/dsp/fft_bluestein.hpp"
#include "quaver/dsp/fft_plan.hpp"

namespace quaver {
QUAVER_HWY_EXPORT(fft_complex);
QUAVER_HWY_EXPORT(fft_real_forward);
QUAVER_HWY_EXPORT(fft_real_inverse);

namespace detail {
inline void fft_complex_dispatched(const FftPlanData* plan, const float* in, float* out, bool inverse) {
    QUAVER_HWY_DISPATCH(fft_complex)(plan, in, out, inverse);
}
}  // namespace detail

/// Complex FFT of one fixed length n: the fast kernels for n = 2^a 3^b 5^c,
/// Bluestein's algorithm (fft_bluestein.hpp) for any other n up to 2^23.
class ComplexFft {
public:
    /// Plans a transform of length n: twiddle tables and scratch are allocated here, once.
    /// Throws: std::invalid_argument unless is_supported_fft_size(n).
    /// Real-time: no (allocates).
    explicit ComplexFft(std::size_t n) : impl_(make(n)) {}

    ComplexFft(ComplexFft&&) noexcept = default;
    ComplexFft& operator=(ComplexFft&&) noexcept = default;

    /// Real-time: wait-free, no allocation.
    std::size_t size() const noexcept {
        if (const auto* b = std::get_if<detail::BluesteinFft>(&impl_)) return b->size();
        return std::get<detail::FftPlanStorage>(impl_).data().n;
    }

    /// Effects: out[k] = sum_t in[t] e^{-2 pi i k t / n} for k < n (unnormalised).
    /// Preconditions: in and out hold n values each; they are the same array or do not overlap.
    /// Real-time: wait-free, no allocation.
    void forward(const std::complex<float>* in, std::complex<float>* out) noexcept { run(in, out, false); }

    /// Effects: out[t] = (1/n) sum_k in[k] e^{+2 pi i k t / n}, so inverse(forward(x)) == x.
    /// Preconditions: as for forward().
    /// Real-time: wait-free, no allocation.
    void inverse(const std::complex<float>* in, std::complex<float>* out) noexcept { run(in, out, true); }

private:
    using Impl = std::variant<detail::FftPlanStorage, detail::BluesteinFft>;
    static Impl make(std::size_t n) {
        if (!is_supported_fft_size(n))
            throw std::invalid_argument("quaver::ComplexFft: unsupported length " + std::to_string(n) +
                                        " (supported: 1 <= n <= 2^23, or n = 2^a 3^b 5^c up to 2^24)");
        if (is_fast_fft_size(n)) return Impl(std::in_place_type<detail::FftPlanStorage>, n, false);
        return Impl(std::in_place_type<detail::BluesteinFft>, n, &detail::fft_complex_dispatched);
    }
    void run(const std::complex<float>* in, std::complex<float>* out, bool inverse) noexcept {
        const float* i = reinterpret_cast<const float*>(in);
        float* o = reinterpret_cast<float*>(out);
        if (auto* b = std::get_if<detail::BluesteinFft>(&impl_)) return b->transform(i, o, inverse);
        detail::fft_complex_dispatched(&std::get<detail::FftPlanStorage>(impl_).data(), i, o, inverse);
    }

    Impl impl_;
};

/// FFT of n real samples to the n/2 + 1 bins from DC to Nyquist: the fast
/// kernels when n = 2^a 3^b 5^c, Bluestein's algorithm for any other even n.
class RealFft {
public:
    /// Plans a transform of length n: twiddle tables and scratch are allocated here, once.
    /// Throws: std::invalid_argument unless n is even and is_supported_fft_size(n / 2)
    /// (every even 2 <= n <= 2^24).
    /// Real-time: no (allocates).
    explicit RealFft(std::size_t n) : impl_(make(n)) {}

    RealFft(RealFft&&) noexcept = default;
    RealFft& operator=(RealFft&&) noexcept = default;

    /// Real-time: wait-free, no allocation.
    std::size_t size() const noexcept {
        if (const auto* b = std::get_if<detail::BluesteinRealFft>(&impl_)) return b->size();
        return 2 * std::get<detail::FftPlanStorage>(impl_).data().n;
    }

    /// Effects: out[k] = sum_t in[t] e^{-2 pi i k t / n} for k <= n/2 (unnormalised);
    /// out[0] and out[n/2] have zero imaginary parts.
    /// Preconditions: in holds n floats, out n/2 + 1 values; they do not overlap.
    /// Real-time: wait-free, no allocation.
    void forward(const float* in, std::complex<float>* out) noexcept {
        if (auto* b = std::get_if<detail::BluesteinRealFft>(&impl_)) return b->forward(in, out);
        const detail::FftPlanData& plan = std::get<detail::FftPlanStorage>(impl_).data();
        float* o = reinterpret_cast<float*>(out);
        if (plan.n == 1) {
            o[0] = in[0] + in[1], o[1] = 0.0f, o[2] = in[0] - in[1], o[3] = 0.0f;
            return;
        }
        QUAVER_HWY_DISPATCH(fft_real_forward)(&plan, in, o);
    }

    /// Effects: the real signal whose spectrum is in[0 .. n/2] (Hermitian extension),
    /// scaled by 1/n so inverse(forward(x)) == x. The imaginary parts of in[0] and
    /// in[n/2] are ignored.
    /// Preconditions: in holds n/2 + 1 values, out n floats; they do not overlap.
    /// Real-time: wait-free, no allocation.
    void inverse(const std::complex<float>* in, float* out) noexcept {
        if (auto* b = std::get_if<detail::BluesteinRealFft>(&impl_)) return b->inverse(in, out);
        const detail::FftPlanData& plan = std::get<detail::FftPlanStorage>(impl_).data();
        const float* i = reinterpret_cast<const float*>(in);
        if (plan.n == 1) {
            out[0] = 0.5f * (i[0] + i[2]), out[1] = 0.5f * (i[0] - i[2]);
            return;
        }
        QUAVER_HWY_DISPATCH(fft_real_inverse)(&plan, i, out);
    }

private:
    using Impl = std::variant<detail::FftPlanStorage, detail::BluesteinRealFft>;
    static Impl make(std::size_t n) {
        if (n % 2 != 0 || !is_supported_fft_size(n / 2))
            throw std::invalid_argument("quaver::RealFft: unsupported length " + std::to_string(n) +
                                        " (supported: even n, 2 <= n <= 2^24)");
        if (is_fast_fft_size(n / 2)) return Impl(std::in_place_type<detail::FftPlanStorage>, n / 2, true);
        return Impl(std::in_place_type<detail::BluesteinRealFft>, n / 2, &detail::fft_complex_dispatched);
    }

    Impl impl_;
};

}  // namespace quaver
