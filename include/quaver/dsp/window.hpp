#pragma once
// Analysis windows: the generalised-cosine family
//   w[i] = a0 - a1 cos(2 pi i / M) + a2 cos(4 pi i / M) - a3 cos(6 pi i / M) + ...
// with M = n for a periodic window (the one to use before an FFT: its
// n-point DFT has exactly the leakage the coefficients promise) and M = n - 1
// for a symmetric one (filter design). The coefficients are the ones SciPy's
// scipy.signal.get_window uses, which the tests check sample by sample.
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <vector>

namespace quaver {

enum class WindowType {
    rectangular,
    /// 0.5, 0.5.
    hann,
    /// 0.54, 0.46.
    hamming,
    /// The Web Audio AnalyserNode's window: alpha = 0.16, so a0 = 0.42, a1 = 0.5, a2 = 0.08.
    blackman,
    /// 4-term Blackman-Harris (-92 dB side lobes): 0.35875, 0.48829, 0.14128, 0.01168.
    blackman_harris,
    /// 5-term flat top of D'Antona and Ferrero, as in MATLAB's flattopwin and
    /// SciPy's flattop: 0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368.
    /// Amplitude error under 0.01 dB wherever a tone falls between bins.
    flat_top,
};

enum class WindowSymmetry {
    /// Denominator n: one period of a periodic function (spectral analysis).
    periodic,
    /// Denominator n - 1: first and last samples equal (FIR design).
    symmetric,
};

namespace detail {
struct CosineTerms {
    const double* a;
    std::size_t count;
};

inline CosineTerms window_terms(WindowType type) {
    static constexpr double rectangular[] = {1.0};
    static constexpr double hann[] = {0.5, 0.5};
    static constexpr double hamming[] = {0.54, 0.46};
    static constexpr double blackman[] = {0.42, 0.5, 0.08};
    static constexpr double blackman_harris[] = {0.35875, 0.48829, 0.14128, 0.01168};
    static constexpr double flat_top[] = {0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368};
    switch (type) {
        case WindowType::rectangular: return {rectangular, 1};
        case WindowType::hann: return {hann, 2};
        case WindowType::hamming: return {hamming, 2};
        case WindowType::blackman: return {blackman, 3};
        case WindowType::blackman_harris: return {blackman_harris, 4};
        case WindowType::flat_top: return {flat_top, 5};
    }
    throw std::invalid_argument("quaver::window: unknown WindowType");
}
}  // namespace detail

/// Writes the window of length out.size() into out.
/// Computed in double and rounded once, the way Chromium computes the
/// AnalyserNode's Blackman window, so the two agree to the last bit.
/// A window of length 1 is {1}, as in SciPy.
/// Real-time: wait-free, no allocation.
/// Throws: std::invalid_argument for a WindowType value outside the enum.
inline void fill_window(WindowType type, std::span<float> out,
                        WindowSymmetry symmetry = WindowSymmetry::periodic) {
    const detail::CosineTerms terms = detail::window_terms(type);
    const std::size_t n = out.size();
    if (n == 1) {
        out[0] = 1.0f;
        return;
    }
    constexpr double two_pi = 6.283185307179586476925286766559;
    const double m = static_cast<double>(symmetry == WindowSymmetry::periodic ? n : n - 1);
    for (std::size_t i = 0; i < n; ++i) {
        const double x = static_cast<double>(i) / m;
        double w = terms.a[0];
        for (std::size_t k = 1; k < terms.count; ++k) {
            const double term = terms.a[k] * std::cos(two_pi * static_cast<double>(k) * x);
            w = (k % 2 == 1) ? w - term : w + term;
        }
        out[i] = static_cast<float>(w);
    }
}

/// The window of length n.
/// Real-time: no (allocates).
/// Throws: std::invalid_argument for a WindowType value outside the enum.
inline std::vector<float> make_window(WindowType type, std::size_t n,
                                      WindowSymmetry symmetry = WindowSymmetry::periodic) {
    std::vector<float> w(n);
    fill_window(type, w, symmetry);
    return w;
}

/// Coherent gain: the mean of the window, the factor by which it scales a
/// tone centred on a bin (0.5 for Hann, 0.42 for Blackman).
/// Real-time: wait-free, no allocation.
/// Preconditions: !window.empty().
inline double coherent_gain(std::span<const float> window) noexcept {
    double sum = 0.0;
    for (float w : window) sum += w;
    return sum / static_cast<double>(window.size());
}

/// Equivalent noise bandwidth in bins: n * sum(w^2) / sum(w)^2
/// (1.5 for a periodic Hann window, about 3.77 for the flat top).
/// Real-time: wait-free, no allocation.
/// Preconditions: the window's sum is not zero.
inline double equivalent_noise_bandwidth(std::span<const float> window) noexcept {
    double sum = 0.0;
    double sum_sq = 0.0;
    for (float w : window) {
        sum += w;
        sum_sq += static_cast<double>(w) * w;
    }
    return static_cast<double>(window.size()) * sum_sq / (sum * sum);
}

}  // namespace quaver
