#pragma once
// Bluestein's algorithm: the DFT of any length n as a circular convolution
// of a fast length m >= 2n - 1 (bluestein_convolution_length). With the
// chirp w[k] = e^{-i pi k^2 / n}, since kt = (k^2 + t^2 - (k - t)^2) / 2,
//
//     X[k] = w[k] sum_t (x[t] w[t]) conj(w[k - t]),
//
// a convolution done as two transforms of length m and a product with the
// precomputed transform of conj(w). So a length with a large prime factor
// costs about as much as two or three transforms of a fast length near 2n.
#include <complex>
#include <cstddef>
#include <cstdint>
#include <cmath>
#include <numbers>

#include "quaver/dsp/fft_plan.hpp"

namespace quaver::detail {

/// The convolution length for a Bluestein transform of length n: the
/// smallest 2^a c >= 2n - 1, c in {1, 3, 5, 9, 15}, a >= 3. Its passes of
/// radix 3 and 5 then run at a stride that is a multiple of 8, on whole
/// vectors (a length like 2025 = 3^4 5^2 would run them on single lanes).
inline std::size_t bluestein_convolution_length(std::size_t n) {
    const std::size_t need = 2 * n - 1;
    std::size_t best = 0;
    for (std::size_t c : {1, 3, 5, 9, 15}) {
        std::size_t m = 8 * c;
        while (m < need) m *= 2;
        if (best == 0 || m < best) best = m;
    }
    return best;
}

// The kernel that runs one fast complex transform of a plan (fft.hpp hands
// in the dispatched one, so this header stays free of the SIMD set-up).
using FftComplexKernel = void (*)(const FftPlanData*, const float*, float*, bool);

class BluesteinFft {
public:
    // Allocates every table and the scratch. Precondition: 1 <= n <= 2^23.
    BluesteinFft(std::size_t n, FftComplexKernel kernel)
        : n_(n), m_(bluestein_convolution_length(n)), kernel_(kernel), inner_(m_, false),
          chirp_(2 * n), filter_(2 * m_), work_(2 * m_) {
        for (std::size_t k = 0; k < n; ++k) {
            // k^2 mod 2n keeps the angle exact in double for large k.
            const std::uint64_t k2 = (std::uint64_t{k} * k) % (2 * std::uint64_t{n});
            const double angle = -std::numbers::pi * static_cast<double>(k2) / static_cast<double>(n);
            chirp_.data[2 * k] = static_cast<float>(std::cos(angle));
            chirp_.data[2 * k + 1] = static_cast<float>(std::sin(angle));
        }
        // conj(w[j]) at j and m - j, transformed once.
        float* f = filter_.data.get();
        for (std::size_t j = 0; j < n; ++j) {
            f[2 * j] = chirp_.data[2 * j], f[2 * j + 1] = -chirp_.data[2 * j + 1];
            if (j > 0) f[2 * (m_ - j)] = f[2 * j], f[2 * (m_ - j) + 1] = f[2 * j + 1];
        }
        kernel_(&inner_.data(), f, f, false);
    }

    std::size_t size() const noexcept { return n_; }
    std::size_t convolution_size() const noexcept { return m_; }

    // out[k] = sum_t in[t] e^{-+2 pi i k t / n}, scaled by 1/n when inverse.
    // Interleaved complex; in and out are the same array or do not overlap.
    // Real-time: wait-free, no allocation.
    void transform(const float* in, float* out, bool inverse) noexcept {
        // The inverse is conj(forward(conj(in))) / n.
        const float sign = inverse ? -1.0f : 1.0f;
        const float* w = chirp_.data.get();
        float* a = work_.data.get();
        for (std::size_t k = 0; k < n_; ++k) {
            const float re = in[2 * k], im = sign * in[2 * k + 1];
            a[2 * k] = re * w[2 * k] - im * w[2 * k + 1];
            a[2 * k + 1] = re * w[2 * k + 1] + im * w[2 * k];
        }
        for (std::size_t k = 2 * n_; k < 2 * m_; ++k) a[k] = 0.0f;
        kernel_(&inner_.data(), a, a, false);
        const float* f = filter_.data.get();
        for (std::size_t j = 0; j < m_; ++j) {
            const float re = a[2 * j], im = a[2 * j + 1];
            a[2 * j] = re * f[2 * j] - im * f[2 * j + 1];
            a[2 * j + 1] = re * f[2 * j + 1] + im * f[2 * j];
        }
        kernel_(&inner_.data(), a, a, true);  // scaled by 1/m
        const float scale = inverse ? 1.0f / static_cast<float>(n_) : 1.0f;
        for (std::size_t k = 0; k < n_; ++k) {
            const float re = a[2 * k], im = a[2 * k + 1];
            out[2 * k] = scale * (re * w[2 * k] - im * w[2 * k + 1]);
            out[2 * k + 1] = sign * scale * (re * w[2 * k + 1] + im * w[2 * k]);
        }
    }

private:
    std::size_t n_, m_;
    FftComplexKernel kernel_;
    FftPlanStorage inner_;
    AlignedFloats chirp_;   // w[k], interleaved
    AlignedFloats filter_;  // transform of conj(w) wrapped around m
    AlignedFloats work_;
};

// A real transform of length 2n whose complex half-length n is not fast:
// the same split as the fast real kernels (z[t] = x[2t] + i x[2t+1], one
// complex transform of length n, then bins k and n - k from Z[k] and
// Z[n - k]), with the complex transform done by Bluestein's algorithm and the
// O(n) step in scalar code, which is cheap next to it.
class BluesteinRealFft {
public:
    BluesteinRealFft(std::size_t half_length, FftComplexKernel kernel)
        : complex_(half_length, kernel), twiddles_(2 * half_length) {
        for (std::size_t k = 0; k < half_length; ++k) {
            const double angle = -std::numbers::pi * static_cast<double>(k) / static_cast<double>(half_length);
            twiddles_.data[2 * k] = static_cast<float>(std::cos(angle));
            twiddles_.data[2 * k + 1] = static_cast<float>(std::sin(angle));
        }
    }

    std::size_t size() const noexcept { return 2 * complex_.size(); }

    // in: 2n floats; out: n + 1 interleaved bins. Real-time: wait-free, no allocation.
    void forward(const float* in, std::complex<float>* out) noexcept {
        const std::size_t n = complex_.size();
        complex_.transform(in, reinterpret_cast<float*>(out), false);  // Z in out[0 .. n)
        const std::complex<float> z0 = out[0];
        out[0] = {z0.real() + z0.imag(), 0.0f};
        out[n] = {z0.real() - z0.imag(), 0.0f};
        for (std::size_t k = 1; 2 * k <= n; ++k) {
            const std::complex<float> a = out[k], b = out[n - k];
            out[k] = bin(a, b, k);
            out[n - k] = bin(b, a, n - k);
        }
    }

    // in: n + 1 bins (imaginary parts of the first and last ignored); out: 2n
    // floats, scaled by 1/(2n). Real-time: wait-free, no allocation.
    void inverse(const std::complex<float>* in, float* out) noexcept {
        const std::size_t n = complex_.size();
        auto* z = reinterpret_cast<std::complex<float>*>(out);
        z[0] = {0.5f * (in[0].real() + in[n].real()), 0.5f * (in[0].real() - in[n].real())};
        for (std::size_t k = 1; k < n; ++k) {
            // Z = E + i O, E = (X[k] + conj X[n-k]) / 2, O = (X[k] - conj X[n-k]) conj(w^k) / 2
            const std::complex<float> e = 0.5f * (in[k] + std::conj(in[n - k]));
            const std::complex<float> o = times(0.5f * (in[k] - std::conj(in[n - k])), std::conj(twiddle(k)));
            z[k] = {e.real() - o.imag(), e.imag() + o.real()};  // E + i O
        }
        complex_.transform(out, out, true);
    }

private:
    // Plain product: std::complex's operator* calls the C99 NaN/infinity
    // fix-up (__mulsc3) in GCC, several times slower.
    static std::complex<float> times(std::complex<float> a, std::complex<float> b) noexcept {
        return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
    }
    std::complex<float> twiddle(std::size_t k) const noexcept {
        return {twiddles_.data[2 * k], twiddles_.data[2 * k + 1]};
    }
    // X[k] = E + O w^k, E = (Z[k] + conj Z[n-k]) / 2, O = (Z[k] - conj Z[n-k]) / 2i.
    std::complex<float> bin(std::complex<float> zk, std::complex<float> zmirror, std::size_t k) const noexcept {
        const std::complex<float> e = 0.5f * (zk + std::conj(zmirror));
        const std::complex<float> d = zk - std::conj(zmirror);
        const std::complex<float> o{0.5f * d.imag(), -0.5f * d.real()};  // d / 2i
        return e + times(o, twiddle(k));
    }

    BluesteinFft complex_;
    AlignedFloats twiddles_;  // e^{-2 pi i k / 2n}, interleaved
};

}  // namespace quaver::detail
