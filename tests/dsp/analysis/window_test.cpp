#include <doctest/doctest.h>

#include <quaver/dsp/window.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "fixture_json.hpp"
#include "support/alloc_counter.hpp"

using quaver::WindowSymmetry;
using quaver::WindowType;

namespace {
WindowType type_named(const std::string& name) {
    if (name == "rectangular") return WindowType::rectangular;
    if (name == "hann") return WindowType::hann;
    if (name == "hamming") return WindowType::hamming;
    if (name == "blackman") return WindowType::blackman;
    if (name == "blackman_harris") return WindowType::blackman_harris;
    if (name == "flat_top") return WindowType::flat_top;
    throw std::runtime_error("unknown window " + name);
}
}  // namespace

TEST_CASE("every window matches scipy.signal.get_window, periodic and symmetric, to float precision") {
    const auto fixture = quaver::test::read_json_file(QUAVER_ANALYSIS_DATA_DIR "/windows.json");
    const auto& windows = fixture["windows"];
    REQUIRE(windows.size() > 0);
    for (std::size_t w = 0; w < windows.size(); ++w) {
        const auto& entry = windows[w];
        const std::string name = entry["type"].string;
        const auto symmetry =
            entry["symmetry"].string == "periodic" ? WindowSymmetry::periodic : WindowSymmetry::symmetric;
        const auto n = static_cast<std::size_t>(entry["n"].number);
        const auto expected = entry["values"].numbers();
        const auto actual = quaver::make_window(type_named(name), n, symmetry);
        CAPTURE(name);
        CAPTURE(entry["symmetry"].string);
        CAPTURE(n);
        REQUIRE(actual.size() == expected.size());
        double worst = 0.0;
        for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, std::abs(actual[i] - expected[i]));
        // float rounding of values up to 1 (half an ulp is 6e-8); the fixture keeps 9 digits.
        CHECK(worst < 2e-7);
    }
}

TEST_CASE("a periodic window is the symmetric window one sample longer, without its last sample") {
    for (auto type : {WindowType::hann, WindowType::hamming, WindowType::blackman, WindowType::blackman_harris,
                      WindowType::flat_top}) {
        const auto periodic = quaver::make_window(type, 64, WindowSymmetry::periodic);
        const auto symmetric = quaver::make_window(type, 65, WindowSymmetry::symmetric);
        for (std::size_t i = 0; i < 64; ++i) CHECK(periodic[i] == doctest::Approx(symmetric[i]).epsilon(1e-6));
    }
}

TEST_CASE("the Blackman window is the Web Audio one: 0.42 - 0.5 cos + 0.08 cos, zero at the ends") {
    const auto w = quaver::make_window(WindowType::blackman, 2048, WindowSymmetry::periodic);
    CHECK(std::abs(w[0]) < 1e-7);
    CHECK(w[1024] == doctest::Approx(1.0).epsilon(1e-7));
    const double x = 300.0 / 2048.0;
    const double two_pi = 6.283185307179586;
    CHECK(w[300] == static_cast<float>(0.42 - 0.5 * std::cos(two_pi * x) + 0.08 * std::cos(two_pi * 2.0 * x)));
}

TEST_CASE("coherent gain and equivalent noise bandwidth have their textbook values") {
    const auto hann = quaver::make_window(WindowType::hann, 4096);
    CHECK(quaver::coherent_gain(hann) == doctest::Approx(0.5).epsilon(1e-6));
    CHECK(quaver::equivalent_noise_bandwidth(hann) == doctest::Approx(1.5).epsilon(1e-5));
    const auto blackman = quaver::make_window(WindowType::blackman, 4096);
    CHECK(quaver::coherent_gain(blackman) == doctest::Approx(0.42).epsilon(1e-6));
    CHECK(quaver::equivalent_noise_bandwidth(blackman) == doctest::Approx(1.7268).epsilon(1e-4));
    const auto rect = quaver::make_window(WindowType::rectangular, 100);
    CHECK(quaver::coherent_gain(rect) == 1.0);
    CHECK(quaver::equivalent_noise_bandwidth(rect) == 1.0);
    const auto flat = quaver::make_window(WindowType::flat_top, 4096);
    CHECK(quaver::equivalent_noise_bandwidth(flat) == doctest::Approx(3.77).epsilon(1e-2));
}

TEST_CASE("a window of length 1 is {1} and of length 0 is empty") {
    for (auto symmetry : {WindowSymmetry::periodic, WindowSymmetry::symmetric}) {
        CHECK(quaver::make_window(WindowType::hann, 1, symmetry) == std::vector<float>{1.0f});
        CHECK(quaver::make_window(WindowType::flat_top, 0, symmetry).empty());
    }
}

TEST_CASE("fill_window writes into caller memory without allocating") {
    std::vector<float> out(1024);
    quaver::test::AllocationScope scope;
    quaver::fill_window(WindowType::blackman_harris, out, WindowSymmetry::symmetric);
    CHECK(scope.count() == 0);
    CHECK(out.front() == doctest::Approx(out.back()));
}
