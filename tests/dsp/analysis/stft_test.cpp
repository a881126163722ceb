#include <doctest/doctest.h>

#include <quaver/dsp/stft.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "fixture_json.hpp"

using quaver::StftFraming;
using quaver::StftOptions;
using quaver::StftOutput;

namespace {
constexpr double pi = 3.14159265358979323846;

StftOptions make_options(std::size_t n, std::size_t hop, StftFraming framing = StftFraming::centered,
                         StftOutput output = StftOutput::magnitude) {
    StftOptions o;
    o.fft_size = n;
    o.hop = hop;
    o.framing = framing;
    o.output = output;
    return o;
}
}  // namespace

TEST_CASE("centred STFT magnitudes match NumPy's rfft of zero-padded, Hann-windowed frames") {
    const auto fixture = quaver::test::read_json_file(QUAVER_ANALYSIS_DATA_DIR "/stft.json");
    const double sr = fixture["sample_rate"].number;
    const auto n = static_cast<std::size_t>(fixture["n"].number);
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double di = static_cast<double>(i);
        double v = 0.6 * std::sin(2 * pi * 1000.0 * di / sr) + 0.3 * std::sin(2 * pi * 3150.0 * di / sr);
        v += 0.05 * std::sin(0.37 * di * di / static_cast<double>(n));
        x[i] = static_cast<float>(v);
    }
    const auto options = make_options(static_cast<std::size_t>(fixture["fft_size"].number),
                                      static_cast<std::size_t>(fixture["hop"].number));
    const auto s = quaver::stft(x, options);
    REQUIRE(s.frames == static_cast<std::size_t>(fixture["frames"].number));
    REQUIRE(s.bins == static_cast<std::size_t>(fixture["bins"].number));
    CHECK(s.spectra.empty());
    const auto expected = fixture["magnitudes"].numbers();
    REQUIRE(s.magnitudes.size() == expected.size());
    double worst = 0;
    for (std::size_t t = 0; t < s.frames; ++t) {
        const double row_max = *std::max_element(expected.begin() + t * s.bins, expected.begin() + (t + 1) * s.bins);
        for (std::size_t k = 0; k < s.bins; ++k) {
            const double e = expected[t * s.bins + k];
            // Float FFT error relative to the frame's peak; the fixture keeps 6 digits.
            worst = std::max(worst, std::abs(s.magnitudes[t * s.bins + k] - e) / (row_max + 1e-30));
        }
    }
    MESSAGE("max |quaver - numpy| / frame peak = " << worst);
    CHECK(worst < 5e-6);  // measured 1.2e-6 (AVX2)
}

TEST_CASE("the STFT of a pure tone peaks at the tone's bin with amplitude n/2 times the window's mean") {
    const std::size_t n = 2048, hop = 512;
    const double bin = 100;
    std::vector<float> x(48000);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(0.5 * std::sin(2 * pi * bin * i / n));
    const auto s = quaver::stft(x, make_options(n, hop));
    REQUIRE(s.frames == 1 + x.size() / hop);
    // Frames reaching past either end of the signal see a partial tone; the rest see it whole.
    for (std::size_t t = n / (2 * hop); t + n / (2 * hop) < s.frames; ++t) {
        const auto row = s.magnitude_row(t);
        const auto peak = static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin());
        CAPTURE(t);
        CHECK(peak == 100);
        CHECK(row[peak] == doctest::Approx(0.5 * n / 2 * 0.5).epsilon(1e-4));  // Hann: coherent gain 0.5
    }
}

TEST_CASE("frame counts follow the framing: 1 + size / hop centred, whole frames only otherwise") {
    auto centred = make_options(512, 128);
    CHECK(quaver::stft_frame_count(0, centred) == 0);
    CHECK(quaver::stft_frame_count(1, centred) == 1);
    CHECK(quaver::stft_frame_count(127, centred) == 1);
    CHECK(quaver::stft_frame_count(128, centred) == 2);
    CHECK(quaver::stft_frame_count(4000, centred) == 32);
    auto start = make_options(512, 128, StftFraming::start);
    CHECK(quaver::stft_frame_count(511, start) == 0);
    CHECK(quaver::stft_frame_count(512, start) == 1);
    CHECK(quaver::stft_frame_count(639, start) == 1);
    CHECK(quaver::stft_frame_count(640, start) == 2);
    CHECK(quaver::stft(std::vector<float>{}, centred).frames == 0);
}

TEST_CASE("start framing gives the centred frames shifted by n / (2 hop)") {
    std::vector<float> x(5000);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(std::sin(0.001 * i * i));
    const auto centred = quaver::stft(x, make_options(256, 64, StftFraming::centered, StftOutput::both));
    const auto start = quaver::stft(x, make_options(256, 64, StftFraming::start, StftOutput::both));
    REQUIRE(start.frames == 1 + (5000 - 256) / 64);
    for (std::size_t t = 0; t < start.frames; ++t) {
        const auto a = start.spectrum_row(t);
        const auto b = centred.spectrum_row(t + 2);
        for (std::size_t k = 0; k < start.bins; ++k) REQUIRE(a[k] == b[k]);
    }
}

TEST_CASE("complex output holds the spectra whose moduli are the magnitudes") {
    std::vector<float> x(3000);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(std::cos(0.05 * i) + 0.1 * std::sin(0.9 * i));
    const auto both = quaver::stft(x, make_options(480, 120, StftFraming::centered, StftOutput::both));
    const auto mags = quaver::stft(x, make_options(480, 120, StftFraming::centered, StftOutput::magnitude));
    const auto cplx = quaver::stft(x, make_options(480, 120, StftFraming::centered, StftOutput::complex));
    CHECK(both.magnitudes == mags.magnitudes);
    CHECK(both.spectra == cplx.spectra);
    CHECK(cplx.magnitudes.empty());
    for (std::size_t i = 0; i < both.spectra.size(); ++i) {
        CHECK(both.magnitudes[i] == doctest::Approx(std::abs(both.spectra[i])).epsilon(1e-6));
    }
}

TEST_CASE("invalid STFT options are rejected with std::invalid_argument") {
    const std::vector<float> x(1000, 0.0f);
    CHECK_THROWS_AS(quaver::stft(x, make_options(512, 0)), std::invalid_argument);
    CHECK_THROWS_AS(quaver::stft(x, make_options(511, 128)), std::invalid_argument);
    CHECK_THROWS_AS(quaver::stft(x, make_options(0, 128)), std::invalid_argument);
    CHECK_THROWS_AS(quaver::stft(x, make_options((std::size_t{1} << 24) + 2, 128)), std::invalid_argument);
    CHECK_NOTHROW(quaver::stft(x, make_options(2 * 7 * 11, 128)));  // Bluestein's algorithm
}
