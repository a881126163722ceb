#pragma once
// Biquad coefficient design exactly as Web Audio's BiquadFilterNode defines it
// (specification, "Filters characteristics"), with Chromium's choices where the
// specification is silent (frequency 0 or Nyquist, Q <= 0), and the matching
// getFrequencyResponse().
//
// Everything is computed in double. Chromium differs from this in two places
// the specification does not ask for: it rounds A = 10^(gain/40) and Q_dB's
// 10^(Q/20) through float (fdlibm::expf), and it rounds the normalised
// frequency of getFrequencyResponse to float. Both move results by a few
// parts in 10^8, far inside the agreement the tests state.
#include <cmath>
#include <complex>
#include <cstddef>
#include <numbers>
#include <span>

#include "quaver/core/assert.hpp"

namespace quaver {

/// The eight filter types of Web Audio's BiquadFilterNode.
enum class BiquadType : unsigned char { lowpass, highpass, bandpass, lowshelf, highshelf, peaking, notch, allpass };

/// H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2), normalised so a0 = 1.
struct BiquadCoefficients {
    double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;

    /// The identity filter H(z) = 1.
    static constexpr BiquadCoefficients identity() noexcept { return {}; }
    friend constexpr bool operator==(const BiquadCoefficients&, const BiquadCoefficients&) = default;
};

/// A filter as Web Audio's BiquadFilterNode describes it.
/// `q` is in dB for lowpass and highpass, linear for bandpass, notch, allpass
/// and peaking, and ignored by the shelves; `gain_db` is used only by the
/// shelves and peaking.
struct BiquadParams {
    BiquadType type = BiquadType::lowpass;
    double frequency = 350;  // Hz, Web Audio's default
    double q = 1;
    double gain_db = 0;
    double detune_cents = 0;
    friend constexpr bool operator==(const BiquadParams&, const BiquadParams&) = default;
};

namespace detail {
constexpr BiquadCoefficients biquad_normalise(double b0, double b1, double b2, double a0, double a1, double a2) noexcept {
    const double inv = 1 / a0;
    return {b0 * inv, b1 * inv, b2 * inv, a1 * inv, a2 * inv};
}
constexpr BiquadCoefficients biquad_gain_only(double g) noexcept { return {g, 0, 0, 0, 0}; }
}  // namespace detail

/// Coefficients of a Web Audio BiquadFilterNode with these parameter values.
/// Effects: computedFrequency = frequency * 2^(detune/1200), where frequency is
/// first clamped to [0, sample_rate/2] as the AudioParam's nominal range does,
/// then the normalised frequency is clamped to [0, 1] (1 = Nyquist).
/// Edge cases follow Chromium: at frequency 0 lowpass and bandpass give 0,
/// highpass, notch, peaking, allpass and lowshelf give 1, highshelf gives A^2;
/// at Nyquist lowpass gives 1, highpass and bandpass 0, lowshelf A^2, the
/// others 1. Negative linear Q is treated as 0, where bandpass gives 1, notch
/// 0, allpass -1 and peaking A^2. Q in dB (lowpass, highpass) may be negative.
/// Preconditions: every argument finite, sample_rate > 0.
/// Real-time: wait-free, no allocation.
inline BiquadCoefficients design_biquad(BiquadType type, double frequency, double Q, double gain_db,
                                        double sample_rate, double detune_cents = 0) noexcept {
    QUAVER_ASSERT(std::isfinite(frequency) && std::isfinite(Q) && std::isfinite(gain_db) &&
                      std::isfinite(detune_cents),
                  "biquad parameters must be finite");
    QUAVER_ASSERT(sample_rate > 0 && std::isfinite(sample_rate), "sample rate must be positive");
    using detail::biquad_gain_only;
    using detail::biquad_normalise;
    const double nyquist = 0.5 * sample_rate;
    frequency = frequency < 0 ? 0 : (frequency > nyquist ? nyquist : frequency);
    double f = frequency / nyquist;
    if (detune_cents != 0) f *= std::exp2(detune_cents / 1200);
    f = f < 0 ? 0 : (f > 1 ? 1 : f);

    const double A = std::pow(10.0, gain_db / 40);
    const bool interior = f > 0 && f < 1;
    const double w0 = std::numbers::pi * f;
    const double sin_w0 = std::sin(w0);
    const double cos_w0 = std::cos(w0);
    const double q = Q > 0 ? Q : 0;  // linear Q never goes negative (unstable)

    switch (type) {
        case BiquadType::lowpass: {
            if (f == 1) return biquad_gain_only(1);
            if (f == 0) return biquad_gain_only(0);
            const double alpha = sin_w0 / (2 * std::pow(10.0, Q / 20));
            const double beta = (1 - cos_w0) / 2;
            return biquad_normalise(beta, 2 * beta, beta, 1 + alpha, -2 * cos_w0, 1 - alpha);
        }
        case BiquadType::highpass: {
            if (f == 1) return biquad_gain_only(0);
            // At 0 the formulas give a quadratic over itself: H(z) = 1.
            if (f == 0) return biquad_gain_only(1);
            const double alpha = sin_w0 / (2 * std::pow(10.0, Q / 20));
            const double beta = (1 + cos_w0) / 2;
            return biquad_normalise(beta, -2 * beta, beta, 1 + alpha, -2 * cos_w0, 1 - alpha);
        }
        case BiquadType::bandpass: {
            if (!interior) return biquad_gain_only(0);
            if (q == 0) return biquad_gain_only(1);
            const double alpha = sin_w0 / (2 * q);
            return biquad_normalise(alpha, 0, -alpha, 1 + alpha, -2 * cos_w0, 1 - alpha);
        }
        case BiquadType::notch: {
            if (!interior) return biquad_gain_only(1);
            if (q == 0) return biquad_gain_only(0);
            const double alpha = sin_w0 / (2 * q);
            return biquad_normalise(1, -2 * cos_w0, 1, 1 + alpha, -2 * cos_w0, 1 - alpha);
        }
        case BiquadType::allpass: {
            if (!interior) return biquad_gain_only(1);
            if (q == 0) return biquad_gain_only(-1);
            const double alpha = sin_w0 / (2 * q);
            return biquad_normalise(1 - alpha, -2 * cos_w0, 1 + alpha, 1 + alpha, -2 * cos_w0, 1 - alpha);
        }
        case BiquadType::peaking: {
            if (!interior) return biquad_gain_only(1);
            if (q == 0) return biquad_gain_only(A * A);
            const double alpha = sin_w0 / (2 * q);
            return biquad_normalise(1 + alpha * A, -2 * cos_w0, 1 - alpha * A, 1 + alpha / A, -2 * cos_w0, 1 - alpha / A);
        }
        case BiquadType::lowshelf:
        case BiquadType::highshelf: {
            const bool low = type == BiquadType::lowshelf;
            if (f == 0) return biquad_gain_only(low ? 1 : A * A);
            if (f == 1) return biquad_gain_only(low ? A * A : 1);
            // Slope S = 1: alpha_S = sin(w0)/2 * sqrt((A + 1/A)(1/S - 1) + 2).
            const double alpha = 0.5 * sin_w0 * std::sqrt(2.0);
            const double k2 = 2 * std::sqrt(A) * alpha;
            const double ap = A + 1, am = A - 1;
            if (low)
                return biquad_normalise(A * (ap - am * cos_w0 + k2), 2 * A * (am - ap * cos_w0), A * (ap - am * cos_w0 - k2),
                                 ap + am * cos_w0 + k2, -2 * (am + ap * cos_w0), ap + am * cos_w0 - k2);
            return biquad_normalise(A * (ap + am * cos_w0 + k2), -2 * A * (am + ap * cos_w0), A * (ap + am * cos_w0 - k2),
                             ap - am * cos_w0 + k2, 2 * (am - ap * cos_w0), ap - am * cos_w0 - k2);
        }
    }
    return biquad_gain_only(1);
}

/// design_biquad() for a BiquadParams.
/// Real-time: wait-free, no allocation.
inline BiquadCoefficients design_biquad(const BiquadParams& p, double sample_rate) noexcept {
    return design_biquad(p.type, p.frequency, p.q, p.gain_db, sample_rate, p.detune_cents);
}

/// H(e^{jw}) of one section at normalised angular frequency w (radians/sample).
/// Real-time: wait-free, no allocation.
inline std::complex<double> biquad_response(const BiquadCoefficients& c, double w) noexcept {
    // z1 = e^{-jw}; Horner in z1 as Chromium evaluates it.
    const std::complex<double> z1(std::cos(w), -std::sin(w));
    const std::complex<double> num = c.b0 + (c.b1 + c.b2 * z1) * z1;
    const std::complex<double> den = 1.0 + (c.a1 + c.a2 * z1) * z1;
    return num / den;
}

/// Magnitude and phase (radians, in [-pi, pi]) of a cascade of sections, as
/// getFrequencyResponse() reports them; an empty cascade is the identity.
/// Effects: a frequency outside [0, sample_rate/2] (or NaN) gives NaN in both
/// outputs, as the specification requires.
/// Preconditions: magnitude and phase_rad are at least as long as frequencies_hz.
/// Real-time: wait-free, no allocation.
inline void frequency_response(std::span<const BiquadCoefficients> sections, std::span<const float> frequencies_hz,
                               double sample_rate, std::span<float> magnitude, std::span<float> phase_rad) noexcept {
    QUAVER_ASSERT(magnitude.size() >= frequencies_hz.size() && phase_rad.size() >= frequencies_hz.size(),
                  "output spans must be as long as the frequency list");
    const double nyquist = 0.5 * sample_rate;
    for (std::size_t k = 0; k < frequencies_hz.size(); ++k) {
        const double f = frequencies_hz[k] / nyquist;
        if (!(f >= 0 && f <= 1)) {
            magnitude[k] = phase_rad[k] = std::nanf("");
            continue;
        }
        std::complex<double> h = 1.0;
        for (const BiquadCoefficients& c : sections) h *= biquad_response(c, std::numbers::pi * f);
        magnitude[k] = static_cast<float>(std::abs(h));
        phase_rad[k] = static_cast<float>(std::atan2(h.imag(), h.real()));
    }
}

/// frequency_response() of a single section.
/// Real-time: wait-free, no allocation.
inline void frequency_response(const BiquadCoefficients& c, std::span<const float> frequencies_hz, double sample_rate,
                               std::span<float> magnitude, std::span<float> phase_rad) noexcept {
    frequency_response(std::span<const BiquadCoefficients>(&c, 1), frequencies_hz, sample_rate, magnitude, phase_rad);
}

}  // namespace quaver
