#include <doctest/doctest.h>

#include <quaver/dsp/parametric_eq.hpp>

#include "support/alloc_counter.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <vector>

using quaver::BiquadCoefficients;
using quaver::BiquadParams;
using quaver::BiquadType;
using quaver::ParametricEq;
using quaver::design_biquad;

namespace {

constexpr double fs = 48000;

const BiquadParams eight_bands[] = {
    {BiquadType::highpass, 30, 0, 0},       {BiquadType::lowshelf, 120, 1, 4},    {BiquadType::peaking, 400, 1.4, -3},
    {BiquadType::peaking, 1000, 2, 5},      {BiquadType::notch, 3000, 8, 0},      {BiquadType::peaking, 6000, 0.7, -2},
    {BiquadType::highshelf, 9000, 1, 3},    {BiquadType::lowpass, 18000, 3, 0},
};

struct Planar {
    std::vector<std::vector<float>> data;
    std::vector<const float*> in;
    std::vector<float*> out;
    Planar(std::size_t channels, std::size_t frames) : data(channels, std::vector<float>(frames)) {
        for (auto& d : data) in.push_back(d.data()), out.push_back(d.data());
    }
    void offset(std::size_t frames) {
        for (std::size_t c = 0; c < data.size(); ++c) in[c] = data[c].data() + frames, out[c] = data[c].data() + frames;
    }
};

std::vector<float> noise(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1, 1);
    std::vector<float> x(n);
    for (auto& v : x) v = u(rng);
    return x;
}

std::vector<float> sine(std::size_t n, double f, double amplitude) {
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(amplitude * std::sin(2 * std::numbers::pi * f * i / fs));
    return x;
}

// Zipper noise is broadband: it shows above the signal. This is the peak of
// the output after two 8 kHz high-pass sections (-24 dB/octave below 8 kHz),
// which leave a 1-2 kHz sine at about -60 dB, from frame `from` on.
double zipper_peak(const std::vector<float>& x, std::size_t from) {
    quaver::BiquadFilter hp1({BiquadType::highpass, 8000, 0, 0}, fs), hp2({BiquadType::highpass, 8000, 0, 0}, fs);
    std::vector<float> h(x.size());
    hp1.process(x.data(), h.data(), h.size());
    hp2.process(h.data(), h.data(), h.size());
    double m = 0;
    for (std::size_t n = from; n < h.size(); ++n) m = std::max(m, static_cast<double>(std::abs(h[n])));
    return m;
}

// Runs a mono EQ over x in 128-frame blocks, calling `control(block)` before each.
template <class F>
std::vector<float> run_mono(ParametricEq& eq, std::vector<float> x, F&& control) {
    for (std::size_t start = 0, block = 0; start < x.size(); start += 128, ++block) {
        control(block);
        float* p = x.data() + start;
        const float* ip = p;
        eq.process(&ip, &p, std::min<std::size_t>(128, x.size() - start));
    }
    return x;
}

}  // namespace

TEST_CASE("with fixed bands the EQ is the scalar cascade of its bands, for 1 to 5 channels and 1 to 32 bands") {
    MESSAGE("SIMD target " << std::string(quaver::simd_target_name()));
    std::mt19937 rng(3);
    for (std::size_t channels : {1u, 2u, 3u, 5u}) {
        for (std::size_t bands : {1u, 2u, 3u, 8u, 32u}) {
            ParametricEq eq(fs, channels, bands, 0.0);
            std::vector<quaver::detail::BiquadSection> sections(bands);
            for (std::size_t b = 0; b < bands; ++b) {
                BiquadParams p = eight_bands[b % 8];
                p.frequency *= 1 + 0.01 * static_cast<double>(b);
                REQUIRE(eq.set_band(b, p));
                sections[b] = quaver::detail::BiquadSection::fixed(design_biquad(p, fs));
            }
            const std::size_t frames = 1000;
            Planar x(channels, frames), ref(channels, frames);
            for (std::size_t c = 0; c < channels; ++c) x.data[c] = ref.data[c] = noise(frames, static_cast<unsigned>(c + 1));
            const std::size_t stride = quaver::detail::biquad_state_stride(channels);
            std::vector<double> state(4 * bands * stride, 0.0);
            for (std::size_t start = 0; start < frames; start += 100) {  // blocks of 100 frames
                x.offset(start), ref.offset(start);
                eq.process(x.in.data(), x.out.data(), 100);
                quaver::detail::biquad_cascade_reference(sections.data(), bands, state.data(), stride, ref.in.data(),
                                                         ref.out.data(), channels, 100);
            }
            for (std::size_t c = 0; c < channels; ++c)
                for (std::size_t n = 0; n < frames; ++n) {
                    INFO("channels " << channels << " bands " << bands << " channel " << c << " frame " << n);
                    REQUIRE(x.data[c][n] == doctest::Approx(ref.data[c][n]).epsilon(1e-6).scale(1.0));
                }
        }
    }
}

TEST_CASE("without a glide, set_band takes effect exactly at the next process call") {
    ParametricEq eq(fs, 1, 1, 0.0);
    const auto x = noise(512, 8);
    const BiquadParams a{BiquadType::peaking, 1000, 1, 6}, b{BiquadType::lowpass, 2000, 3, 0};
    eq.set_band(0, a);
    auto y = run_mono(eq, x, [&](std::size_t block) {
        if (block == 2) eq.set_band(0, b);
    });
    // Reference: coefficients a for two blocks, then b, state carried over.
    const quaver::detail::BiquadSection sa = quaver::detail::BiquadSection::fixed(design_biquad(a, fs));
    const quaver::detail::BiquadSection sb = quaver::detail::BiquadSection::fixed(design_biquad(b, fs));
    std::vector<double> state(4 * 4, 0.0);
    std::vector<float> ref(512);
    const float* ip = x.data();
    float* op = ref.data();
    quaver::detail::biquad_cascade_reference(&sa, 1, state.data(), 4, &ip, &op, 1, 256);
    ip += 256, op += 256;
    quaver::detail::biquad_cascade_reference(&sb, 1, state.data(), 4, &ip, &op, 1, 256);
    for (std::size_t n = 0; n < 512; ++n) REQUIRE(y[n] == doctest::Approx(ref[n]).epsilon(1e-6).scale(1.0));
}

TEST_CASE("a 24 dB gain jump glides without a zipper: no more high-frequency content than the steady output") {
    // A 1 kHz sine through a peaking band at 1 kHz whose gain jumps from -12
    // to +12 dB at 0.27 s, with the 10 ms glide and without it.
    const double amplitude = 0.5, f = 1000;
    const auto x = sine(48000, f, amplitude);
    auto run = [&](double glide, double from_db, double to_db) {
        ParametricEq eq(fs, 1, 1, glide);
        eq.set_band(0, {BiquadType::peaking, f, 2, from_db});
        return run_mono(eq, x, [&](std::size_t block) {
            if (block == 100) eq.set_band(0, {BiquadType::peaking, f, 2, to_db});
        });
    };
    const double steady = zipper_peak(run(0.01, 12, 12), 4800);
    const double glided = zipper_peak(run(0.01, -12, 12), 4800);
    const double jumped = zipper_peak(run(0.0, -12, 12), 4800);
    MESSAGE("peak above 8 kHz: steady +12 dB " << steady << ", glided " << glided << ", jumped " << jumped);
    CHECK(glided <= 1.5 * steady);
    CHECK(jumped > 3 * steady);  // the measure does see a zipper when there is one
    // And the glide arrives: the last 100 ms are the +12 dB steady state.
    const auto y = run(0.01, -12, 12);
    double peak = 0;
    for (std::size_t n = 43200; n < 48000; ++n) peak = std::max(peak, static_cast<double>(std::abs(y[n])));
    CHECK(peak == doctest::Approx(amplitude * std::pow(10.0, 12.0 / 20)).epsilon(0.01));
}

TEST_CASE("sweeping a band's frequency from 100 Hz to 8 kHz once per block stays smooth") {
    // A 2 kHz sine through a +12 dB peaking band swept across it in 1 s, the
    // UI sending a new frequency every 128 frames, against the band parked at
    // 2 kHz (the loudest the output gets).
    const double amplitude = 0.25, f = 2000;
    const auto x = sine(48000, f, amplitude);
    ParametricEq parked(fs, 1, 1);
    parked.set_band(0, {BiquadType::peaking, f, 4, 12});
    const double steady = zipper_peak(run_mono(parked, x, [](std::size_t) {}), 4800);
    ParametricEq eq(fs, 1, 1);
    const auto y = run_mono(eq, x, [&](std::size_t block) {
        eq.set_band(0, {BiquadType::peaking, 100 * std::pow(80.0, block / 375.0), 4, 12});
    });
    const double swept = zipper_peak(y, 4800);
    MESSAGE("peak above 8 kHz: parked " << steady << ", swept " << swept);
    CHECK(swept <= 1.5 * steady);
}

TEST_CASE("a glide ends exactly on the coefficients of the target") {
    ParametricEq eq(fs, 2, 3);
    const BiquadParams target{BiquadType::highshelf, 5000, 1, -9};
    eq.set_band(1, target);
    std::vector<float> l(64, 0.1f), r(64, 0.1f);
    const float* in[] = {l.data(), r.data()};
    float* out[] = {l.data(), r.data()};
    for (int i = 0; i < 200; ++i) eq.process(in, out, 37);  // odd block size: glide segments span calls
    CHECK(eq.current_coefficients(1) == design_biquad(target, fs));
    CHECK(eq.band(1) == target);
}

TEST_CASE("the EQ's frequency response is the product of its bands' responses") {
    ParametricEq eq(fs, 1, 8);
    for (std::size_t b = 0; b < 8; ++b) eq.set_band(b, eight_bands[b]);
    std::vector<float> freqs{0, 20, 100, 1000, 3000, 10000, 24000, 30000};
    std::vector<float> mag(freqs.size()), phase(freqs.size()), m(freqs.size()), p(freqs.size());
    eq.frequency_response(freqs, mag, phase);
    std::vector<BiquadCoefficients> c;
    for (const auto& b : eight_bands) c.push_back(design_biquad(b, fs));
    quaver::frequency_response(c, freqs, fs, m, p);
    for (std::size_t k = 0; k + 1 < freqs.size(); ++k) {
        CHECK(mag[k] == m[k]);
        CHECK(phase[k] == p[k]);
    }
    CHECK(std::isnan(mag.back()));
}

TEST_CASE("the EQ recovers from a NaN in the input and resets on request") {
    ParametricEq eq(fs, 2, 4);
    for (std::size_t b = 0; b < 4; ++b) eq.set_band(b, eight_bands[b + 2]);
    std::vector<float> l = noise(1024, 1), r = noise(1024, 2);
    l[10] = std::numeric_limits<float>::quiet_NaN();
    const float* in[] = {l.data(), r.data()};
    float* out[] = {l.data(), r.data()};
    eq.process(in, out, 128);
    CHECK(std::isnan(l[10]));
    in[0] += 128, in[1] += 128, out[0] += 128, out[1] += 128;
    eq.process(in, out, 896);
    CHECK(std::all_of(l.begin() + 128, l.end(), [](float v) { return std::isfinite(v); }));
    CHECK(eq.request_reset());
    std::vector<float> z(256, 0.0f), z2(256, 0.0f);
    const float* zin[] = {z.data(), z2.data()};
    float* zout[] = {z.data(), z2.data()};
    eq.process(zin, zout, 256);
    CHECK(std::all_of(z.begin(), z.end(), [](float v) { return v == 0.0f; }));
}

TEST_CASE("ParametricEq::process and set_band do not allocate") {
    ParametricEq eq(fs, 3, 8);
    std::vector<float> a(256, 0.25f), b(256), c(256);
    const float* in[] = {a.data(), a.data(), a.data()};
    float* out[] = {b.data(), c.data(), b.data()};
    quaver::test::AllocationScope scope;
    for (int i = 0; i < 20; ++i) {
        eq.set_band(static_cast<std::size_t>(i % 8), eight_bands[(i * 3) % 8]);
        eq.process(in, out, 256);
    }
    eq.request_reset();
    eq.process(in, out, 100);
    CHECK(scope.count() == 0);
}

TEST_CASE("ParametricEq rejects impossible configurations") {
    CHECK_THROWS_AS(ParametricEq(fs, 0, 4), std::invalid_argument);
    CHECK_THROWS_AS(ParametricEq(fs, 2, 33), std::invalid_argument);
    CHECK_THROWS_AS(ParametricEq(0, 2, 4), std::invalid_argument);
    CHECK_THROWS_AS(ParametricEq(fs, 2, 4, -1.0), std::invalid_argument);
}
