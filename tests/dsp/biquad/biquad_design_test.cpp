#include <doctest/doctest.h>

#include <quaver/dsp/biquad_design.hpp>

#include "chromium_fixture.hpp"
#include "support/alloc_counter.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

using quaver::BiquadCoefficients;
using quaver::BiquadType;
using quaver::design_biquad;

namespace {

// The specification's formulas, written out again independently of the
// library (interior frequencies, Q > 0 only), in double.
BiquadCoefficients spec_formulas(BiquadType type, double f0, double Q, double G, double Fs, double detune) {
    const double f = f0 * std::pow(2.0, detune / 1200);
    const double A = std::pow(10.0, G / 40);
    const double w0 = 2 * std::numbers::pi * f / Fs;
    const double aQ = std::sin(w0) / (2 * Q);
    const double aQdB = std::sin(w0) / (2 * std::pow(10.0, Q / 20));
    const double S = 1;
    const double aS = std::sin(w0) / 2 * std::sqrt((A + 1 / A) * (1 / S - 1) + 2);
    const double c = std::cos(w0);
    double b0 = 0, b1 = 0, b2 = 0, a0 = 0, a1 = 0, a2 = 0;
    switch (type) {
        case BiquadType::lowpass:
            b0 = (1 - c) / 2, b1 = 1 - c, b2 = (1 - c) / 2, a0 = 1 + aQdB, a1 = -2 * c, a2 = 1 - aQdB;
            break;
        case BiquadType::highpass:
            b0 = (1 + c) / 2, b1 = -(1 + c), b2 = (1 + c) / 2, a0 = 1 + aQdB, a1 = -2 * c, a2 = 1 - aQdB;
            break;
        case BiquadType::bandpass:
            b0 = aQ, b1 = 0, b2 = -aQ, a0 = 1 + aQ, a1 = -2 * c, a2 = 1 - aQ;
            break;
        case BiquadType::notch:
            b0 = 1, b1 = -2 * c, b2 = 1, a0 = 1 + aQ, a1 = -2 * c, a2 = 1 - aQ;
            break;
        case BiquadType::allpass:
            b0 = 1 - aQ, b1 = -2 * c, b2 = 1 + aQ, a0 = 1 + aQ, a1 = -2 * c, a2 = 1 - aQ;
            break;
        case BiquadType::peaking:
            b0 = 1 + aQ * A, b1 = -2 * c, b2 = 1 - aQ * A, a0 = 1 + aQ / A, a1 = -2 * c, a2 = 1 - aQ / A;
            break;
        case BiquadType::lowshelf:
            b0 = A * ((A + 1) - (A - 1) * c + 2 * aS * std::sqrt(A));
            b1 = 2 * A * ((A - 1) - (A + 1) * c);
            b2 = A * ((A + 1) - (A - 1) * c - 2 * aS * std::sqrt(A));
            a0 = (A + 1) + (A - 1) * c + 2 * aS * std::sqrt(A);
            a1 = -2 * ((A - 1) + (A + 1) * c);
            a2 = (A + 1) + (A - 1) * c - 2 * aS * std::sqrt(A);
            break;
        case BiquadType::highshelf:
            b0 = A * ((A + 1) + (A - 1) * c + 2 * aS * std::sqrt(A));
            b1 = -2 * A * ((A - 1) + (A + 1) * c);
            b2 = A * ((A + 1) + (A - 1) * c - 2 * aS * std::sqrt(A));
            a0 = (A + 1) - (A - 1) * c + 2 * aS * std::sqrt(A);
            a1 = 2 * ((A - 1) - (A + 1) * c);
            a2 = (A + 1) - (A - 1) * c - 2 * aS * std::sqrt(A);
            break;
    }
    return {b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
}

constexpr std::array all_types = {BiquadType::lowpass,   BiquadType::highpass, BiquadType::bandpass,
                                  BiquadType::lowshelf,  BiquadType::highshelf, BiquadType::peaking,
                                  BiquadType::notch,     BiquadType::allpass};

// |a - b| relative to the size of the whole coefficient set, so that a
// coefficient that is mathematically 0 (b1 of bandpass) compares sensibly.
double coefficient_distance(const BiquadCoefficients& x, const BiquadCoefficients& y) {
    const double scale = std::max({1.0, std::abs(y.b0), std::abs(y.b1), std::abs(y.b2), std::abs(y.a1), std::abs(y.a2)});
    return std::max({std::abs(x.b0 - y.b0), std::abs(x.b1 - y.b1), std::abs(x.b2 - y.b2), std::abs(x.a1 - y.a1),
                     std::abs(x.a2 - y.a2)}) /
           scale;
}

double wrapped_angle_difference(double a, double b) {
    double d = std::fmod(a - b, 2 * std::numbers::pi);
    if (d > std::numbers::pi) d -= 2 * std::numbers::pi;
    if (d < -std::numbers::pi) d += 2 * std::numbers::pi;
    return std::abs(d);
}

}  // namespace

TEST_CASE("design_biquad gives the specification's coefficients for every type, to 1e-12") {
    double worst = 0;
    for (BiquadType type : all_types)
        for (double fs : {44100.0, 48000.0, 96000.0})
            for (double f : {20.0, 150.0, 1000.0, 7500.0, 0.45 * fs})
                for (double q : {0.1, 0.7071, 1.0, 4.0, 30.0})
                    for (double g : {-40.0, -6.0, 0.0, 3.0, 24.0})
                        for (double detune : {0.0, -250.0, 100.0}) {
                            if (f * std::pow(2.0, detune / 1200) >= fs / 2) continue;
                            const auto got = design_biquad(type, f, q, g, fs, detune);
                            const auto want = spec_formulas(type, f, q, g, fs, detune);
                            worst = std::max(worst, coefficient_distance(got, want));
                        }
    MESSAGE("worst relative coefficient difference from the spec formulas: " << worst);
    CHECK(worst < 1e-12);
}

TEST_CASE("design_biquad follows Chromium at frequency 0, at Nyquist and for Q <= 0") {
    const double fs = 48000;
    auto gain = [](double g) { return BiquadCoefficients{g, 0, 0, 0, 0}; };
    auto near = [](const BiquadCoefficients& a, const BiquadCoefficients& b) {
        return coefficient_distance(a, b) < 1e-12;
    };
    const double g6 = std::pow(10.0, 6.0 / 20);  // A^2 for a gain of 6 dB
    // Frequency 0.
    CHECK(near(design_biquad(BiquadType::lowpass, 0, 1, 6, fs), gain(0)));
    CHECK(near(design_biquad(BiquadType::highpass, 0, 1, 6, fs), gain(1)));
    CHECK(near(design_biquad(BiquadType::bandpass, 0, 1, 6, fs), gain(0)));
    CHECK(near(design_biquad(BiquadType::lowshelf, 0, 1, 6, fs), gain(1)));
    CHECK(near(design_biquad(BiquadType::highshelf, 0, 1, 6, fs), gain(g6)));
    CHECK(near(design_biquad(BiquadType::peaking, 0, 1, 6, fs), gain(1)));
    CHECK(near(design_biquad(BiquadType::notch, 0, 1, 6, fs), gain(1)));
    CHECK(near(design_biquad(BiquadType::allpass, 0, 1, 6, fs), gain(1)));
    // Nyquist, and above it (clamped).
    for (double f : {fs / 2, fs}) {
        CHECK(near(design_biquad(BiquadType::lowpass, f, 1, 6, fs), gain(1)));
        CHECK(near(design_biquad(BiquadType::highpass, f, 1, 6, fs), gain(0)));
        CHECK(near(design_biquad(BiquadType::bandpass, f, 1, 6, fs), gain(0)));
        CHECK(near(design_biquad(BiquadType::lowshelf, f, 1, 6, fs), gain(g6)));
        CHECK(near(design_biquad(BiquadType::highshelf, f, 1, 6, fs), gain(1)));
        CHECK(near(design_biquad(BiquadType::peaking, f, 1, 6, fs), gain(1)));
        CHECK(near(design_biquad(BiquadType::notch, f, 1, 6, fs), gain(1)));
        CHECK(near(design_biquad(BiquadType::allpass, f, 1, 6, fs), gain(1)));
    }
    // Detune can push an in-range frequency past Nyquist.
    CHECK(near(design_biquad(BiquadType::lowpass, 20000, 1, 0, fs, 1200), gain(1)));
    // Linear Q of 0 or below.
    for (double q : {0.0, -3.0}) {
        CHECK(near(design_biquad(BiquadType::bandpass, 1000, q, 6, fs), gain(1)));
        CHECK(near(design_biquad(BiquadType::notch, 1000, q, 6, fs), gain(0)));
        CHECK(near(design_biquad(BiquadType::allpass, 1000, q, 6, fs), gain(-1)));
        CHECK(near(design_biquad(BiquadType::peaking, 1000, q, 6, fs), gain(g6)));
    }
    // Q in dB may be negative for lowpass and highpass: still the formula.
    CHECK(near(design_biquad(BiquadType::lowpass, 1000, -3, 0, fs), spec_formulas(BiquadType::lowpass, 1000, -3, 0, fs, 0)));
    CHECK(near(design_biquad(BiquadType::highpass, 1000, -3, 0, fs), spec_formulas(BiquadType::highpass, 1000, -3, 0, fs, 0)));
    // Shelves ignore Q.
    CHECK(design_biquad(BiquadType::lowshelf, 1000, 0.1, 6, fs) == design_biquad(BiquadType::lowshelf, 1000, 9, 6, fs));
}

TEST_CASE("frequency_response matches Chromium's getFrequencyResponse to 1e-5 relative above -120 dB") {
    const auto fx = quaver::test::load_chromium_fixture();
    MESSAGE("Chromium " << fx.chromium << ", " << fx.cases.size() << " cases");
    double worst_mag = 0, worst_phase = 0;
    for (const auto& c : fx.cases) {
        const auto coeffs = design_biquad(c.type, c.frequency, c.q, c.gain_db, c.sample_rate, c.detune_cents);
        std::vector<float> mag(c.grid.size()), phase(c.grid.size());
        quaver::frequency_response(coeffs, c.grid, c.sample_rate, mag, phase);
        for (std::size_t k = 0; k < c.grid.size(); ++k) {
            INFO(c.type_name << " fs=" << c.sample_rate << " f=" << c.frequency << " Q=" << c.q << " gain=" << c.gain_db
                             << " detune=" << c.detune_cents << " at " << c.grid[k] << " Hz");
            REQUIRE(std::isnan(mag[k]) == std::isnan(c.magnitude[k]));
            REQUIRE(std::isnan(phase[k]) == std::isnan(c.phase[k]));
            if (std::isnan(mag[k]) || c.magnitude[k] < 1e-6f) continue;
            const double rel = std::abs(mag[k] - c.magnitude[k]) / c.magnitude[k];
            const double dphi = wrapped_angle_difference(phase[k], c.phase[k]);
            worst_mag = std::max(worst_mag, rel);
            worst_phase = std::max(worst_phase, dphi);
            CHECK(rel < 1e-5);
            CHECK(dphi < 1e-5);
        }
    }
    MESSAGE("worst magnitude error " << worst_mag << " (relative), worst phase error " << worst_phase << " rad");
}

TEST_CASE("frequency_response gives NaN outside [0, Nyquist] and an identity for an empty cascade") {
    const float freqs[] = {-1.0f, 0.0f, 1000.0f, 24000.0f, 24001.0f, std::nanf("")};
    float mag[6], phase[6];
    quaver::frequency_response(std::span<const BiquadCoefficients>{}, freqs, 48000, mag, phase);
    CHECK(std::isnan(mag[0]));
    CHECK(std::isnan(phase[0]));
    for (int k = 1; k < 4; ++k) {
        CHECK(mag[k] == 1.0f);
        CHECK(phase[k] == 0.0f);
    }
    CHECK(std::isnan(mag[4]));
    CHECK(std::isnan(mag[5]));
}

TEST_CASE("the response of a cascade is the product of its sections' responses") {
    const double fs = 48000;
    const BiquadCoefficients sections[] = {design_biquad(BiquadType::peaking, 1000, 2, 6, fs),
                                           design_biquad(BiquadType::lowshelf, 200, 1, -4, fs),
                                           design_biquad(BiquadType::highpass, 40, 0, 0, fs)};
    std::vector<float> freqs;
    for (int i = 0; i < 50; ++i) freqs.push_back(20.0f * std::pow(1000.0f, i / 49.0f));
    std::vector<float> mag(freqs.size()), phase(freqs.size()), m(freqs.size()), p(freqs.size());
    quaver::frequency_response(sections, freqs, fs, mag, phase);
    std::vector<double> mag_product(freqs.size(), 1.0), phase_sum(freqs.size(), 0.0);
    for (const auto& s : sections) {
        quaver::frequency_response(s, freqs, fs, m, p);
        for (std::size_t k = 0; k < freqs.size(); ++k) mag_product[k] *= m[k], phase_sum[k] += p[k];
    }
    for (std::size_t k = 0; k < freqs.size(); ++k) {
        CHECK(mag[k] == doctest::Approx(mag_product[k]).epsilon(1e-6));
        CHECK(wrapped_angle_difference(phase[k], phase_sum[k]) < 1e-5);
    }
}

TEST_CASE("designing coefficients and evaluating a response do not allocate") {
    const float freqs[] = {10.0f, 100.0f, 1000.0f};
    float mag[3], phase[3];
    quaver::test::AllocationScope scope;
    const auto c = design_biquad(BiquadType::peaking, 1000, 1, 6, 48000);
    quaver::frequency_response(c, freqs, 48000, mag, phase);
    CHECK(scope.count() == 0);
}
