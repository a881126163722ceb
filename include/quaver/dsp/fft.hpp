#pragma once
// Complex and real FFTs of lengths 2^a 3^b 5^c, SIMD (Highway) kernels with
// run-time dispatch to the machine's best target (SIMD128 in WASM).
//
// Accuracy: for every supported length n up to 65536, on every target
// (tested against a double-precision FFT on random input in [-1, 1)), the
// rms-relative error ||X - X_exact||_2 / ||X_exact||_2 of forward and inverse
// transforms is below 1e-7 * (log2(n) + 4). Measured errors are 8e-8 (n = 64)
// to 1.4e-7 (n = 65536), about 10% below FFTW's single-precision transforms
// (tests/dsp/fft/fft_accuracy_test.cpp prints both).
//
// Threads: a plan owns its scratch, so one plan is used by one thread at a
// time; different plans are independent.
#include <complex>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "quaver/dsp/detail/simd_kernels.hpp"
#include "quaver/dsp/fft_plan.hpp"

namespace quaver {
QUAVER_HWY_EXPORT(fft_complex);
QUAVER_HWY_EXPORT(fft_real_forward);
QUAVER_HWY_EXPORT(fft_real_inverse);

/// Complex FFT of one fixed length n.
class ComplexFft {
public:
    /// Plans a transform of length n: twiddle tables and scratch are allocated here, once.
    /// Throws: std::invalid_argument unless is_supported_fft_size(n).
    /// Real-time: no (allocates).
    explicit ComplexFft(std::size_t n) : plan_(checked(n), false) {}

    ComplexFft(ComplexFft&&) noexcept = default;
    ComplexFft& operator=(ComplexFft&&) noexcept = default;

    /// Real-time: wait-free, no allocation.
    std::size_t size() const noexcept { return plan_.data().n; }

    /// Effects: out[k] = sum_t in[t] e^{-2 pi i k t / n} for k < n (unnormalised).
    /// Preconditions: in and out hold n values each; they are the same array or do not overlap.
    /// Real-time: wait-free, no allocation.
    void forward(const std::complex<float>* in, std::complex<float>* out) noexcept {
        QUAVER_HWY_DISPATCH(fft_complex)(&plan_.data(), floats(in), floats(out), false);
    }

    /// Effects: out[t] = (1/n) sum_k in[k] e^{+2 pi i k t / n}, so inverse(forward(x)) == x.
    /// Preconditions: as for forward().
    /// Real-time: wait-free, no allocation.
    void inverse(const std::complex<float>* in, std::complex<float>* out) noexcept {
        QUAVER_HWY_DISPATCH(fft_complex)(&plan_.data(), floats(in), floats(out), true);
    }

private:
    static std::size_t checked(std::size_t n) {
        if (!is_supported_fft_size(n))
            throw std::invalid_argument("quaver::ComplexFft: unsupported length " + std::to_string(n) +
                                        " (supported: n = 2^a 3^b 5^c, 1 <= n <= 2^24)");
        return n;
    }
    static const float* floats(const std::complex<float>* p) noexcept { return reinterpret_cast<const float*>(p); }
    static float* floats(std::complex<float>* p) noexcept { return reinterpret_cast<float*>(p); }

    detail::FftPlanStorage plan_;
};

/// FFT of n real samples to the n/2 + 1 bins from DC to Nyquist.
class RealFft {
public:
    /// Plans a transform of length n: twiddle tables and scratch are allocated here, once.
    /// Throws: std::invalid_argument unless n is even and is_supported_fft_size(n).
    /// Real-time: no (allocates).
    explicit RealFft(std::size_t n) : plan_(checked(n) / 2, true) {}

    RealFft(RealFft&&) noexcept = default;
    RealFft& operator=(RealFft&&) noexcept = default;

    /// Real-time: wait-free, no allocation.
    std::size_t size() const noexcept { return 2 * plan_.data().n; }

    /// Effects: out[k] = sum_t in[t] e^{-2 pi i k t / n} for k <= n/2 (unnormalised);
    /// out[0] and out[n/2] have zero imaginary parts.
    /// Preconditions: in holds n floats, out n/2 + 1 values; they do not overlap.
    /// Real-time: wait-free, no allocation.
    void forward(const float* in, std::complex<float>* out) noexcept {
        float* o = reinterpret_cast<float*>(out);
        if (plan_.data().n == 1) {
            o[0] = in[0] + in[1], o[1] = 0.0f, o[2] = in[0] - in[1], o[3] = 0.0f;
            return;
        }
        QUAVER_HWY_DISPATCH(fft_real_forward)(&plan_.data(), in, o);
    }

    /// Effects: the real signal whose spectrum is in[0 .. n/2] (Hermitian extension),
    /// scaled by 1/n so inverse(forward(x)) == x. The imaginary parts of in[0] and
    /// in[n/2] are ignored.
    /// Preconditions: in holds n/2 + 1 values, out n floats; they do not overlap.
    /// Real-time: wait-free, no allocation.
    void inverse(const std::complex<float>* in, float* out) noexcept {
        const float* i = reinterpret_cast<const float*>(in);
        if (plan_.data().n == 1) {
            out[0] = 0.5f * (i[0] + i[2]), out[1] = 0.5f * (i[0] - i[2]);
            return;
        }
        QUAVER_HWY_DISPATCH(fft_real_inverse)(&plan_.data(), i, out);
    }

private:
    static std::size_t checked(std::size_t n) {
        if (n % 2 != 0 || !is_supported_fft_size(n))
            throw std::invalid_argument("quaver::RealFft: unsupported length " + std::to_string(n) +
                                        " (supported: even n = 2^a 3^b 5^c, 2 <= n <= 2^24)");
        return n;
    }

    detail::FftPlanStorage plan_;
};

}  // namespace quaver
