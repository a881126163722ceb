#include <doctest/doctest.h>

#include <quaver/dsp/spectrum_analyzer.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "support/alloc_counter.hpp"

using quaver::SpectrumAnalyzer;
using quaver::SpectrumAnalyzerOptions;

namespace {
constexpr double pi = 3.14159265358979323846;

std::vector<float> sine(std::size_t n, double cycles_per_sample, double amplitude = 1.0) {
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(amplitude * std::sin(2 * pi * cycles_per_sample * i));
    return x;
}

SpectrumAnalyzerOptions options(std::size_t fft_size, double smoothing) {
    SpectrumAnalyzerOptions o;
    o.fft_size = fft_size;
    o.smoothing_time_constant = smoothing;
    return o;
}
}  // namespace

TEST_CASE("the defaults are the AnalyserNode's: 2048 points, -100..-30 dB, smoothing 0.8") {
    SpectrumAnalyzer a;
    CHECK(a.fft_size() == 2048);
    CHECK(a.frequency_bin_count() == 1024);
    CHECK(a.min_decibels() == -100.0);
    CHECK(a.max_decibels() == -30.0);
    CHECK(a.smoothing_time_constant() == 0.8);
}

TEST_CASE("fft sizes that are not powers of two in [32, 32768] are rejected with std::invalid_argument") {
    for (std::size_t bad : {0u, 1u, 16u, 31u, 33u, 48u, 1000u, 65536u}) {
        CAPTURE(bad);
        CHECK_THROWS_AS(SpectrumAnalyzer(options(bad, 0.8)), std::invalid_argument);
        SpectrumAnalyzer a;
        CHECK_THROWS_AS(a.set_fft_size(bad), std::invalid_argument);
        CHECK(a.fft_size() == 2048);
    }
    for (std::size_t good : {32u, 64u, 32768u}) CHECK_NOTHROW(SpectrumAnalyzer(options(good, 0.8)));
}

TEST_CASE("a decibel range that is empty, inverted or not finite is rejected with std::invalid_argument") {
    auto with_range = [](double lo, double hi) {
        SpectrumAnalyzerOptions o;
        o.min_decibels = lo;
        o.max_decibels = hi;
        return o;
    };
    CHECK_THROWS_AS(SpectrumAnalyzer(with_range(-30, -30)), std::invalid_argument);
    CHECK_THROWS_AS(SpectrumAnalyzer(with_range(-30, -100)), std::invalid_argument);
    CHECK_THROWS_AS(SpectrumAnalyzer(with_range(std::nan(""), -30)), std::invalid_argument);
    CHECK_THROWS_AS(SpectrumAnalyzer(with_range(-100, std::numeric_limits<double>::infinity())), std::invalid_argument);

    SpectrumAnalyzer a;
    CHECK_THROWS_AS(a.set_min_decibels(-30), std::invalid_argument);
    CHECK_THROWS_AS(a.set_min_decibels(-20), std::invalid_argument);
    CHECK_THROWS_AS(a.set_max_decibels(-100), std::invalid_argument);
    CHECK_THROWS_AS(a.set_max_decibels(std::nan("")), std::invalid_argument);
    CHECK_THROWS_AS(a.set_decibel_range(0, 0), std::invalid_argument);
    CHECK(a.min_decibels() == -100.0);
    CHECK(a.max_decibels() == -30.0);
    a.set_decibel_range(10, 20);  // disjoint from the old range: one call, no intermediate invalid state
    CHECK(a.min_decibels() == 10.0);
    CHECK(a.max_decibels() == 20.0);
}

TEST_CASE("a smoothing time constant outside [0, 1] is rejected with std::invalid_argument") {
    CHECK_THROWS_AS(SpectrumAnalyzer(options(2048, -0.01)), std::invalid_argument);
    CHECK_THROWS_AS(SpectrumAnalyzer(options(2048, 1.01)), std::invalid_argument);
    CHECK_THROWS_AS(SpectrumAnalyzer(options(2048, std::nan(""))), std::invalid_argument);
    SpectrumAnalyzer a;
    CHECK_THROWS_AS(a.set_smoothing_time_constant(2), std::invalid_argument);
    CHECK(a.smoothing_time_constant() == 0.8);
    a.set_smoothing_time_constant(0);
    a.set_smoothing_time_constant(1);
    CHECK(a.smoothing_time_constant() == 1.0);
}

TEST_CASE("silence gives -infinity dB and byte 0 in every bin, like Chromium") {
    SpectrumAnalyzer a(options(256, 0.8));
    std::vector<float> db(a.frequency_bin_count(), 1.0f);
    std::vector<std::uint8_t> bytes(a.frequency_bin_count(), 7);
    a.get_float_frequency_data(db);
    a.get_byte_frequency_data(bytes);
    for (float v : db) CHECK(v == -std::numeric_limits<float>::infinity());
    for (auto b : bytes) CHECK(b == 0);

    const std::vector<float> zeros(1000, 0.0f);
    a.push(zeros);
    a.get_float_frequency_data(db);
    for (float v : db) CHECK(v == -std::numeric_limits<float>::infinity());
}

TEST_CASE("a full-scale sine on a bin reads 20 log10(0.42 / 2) dB there: Blackman gain over 2, scaled by 1/N") {
    SpectrumAnalyzer a(options(1024, 0.0));
    a.push(sine(4096, 64.0 / 1024.0));
    std::vector<float> db(a.frequency_bin_count());
    a.get_float_frequency_data(db);
    CHECK(db[64] == doctest::Approx(20 * std::log10(0.21)).epsilon(1e-4));
    // Blackman's main lobe is 3 bins wide on either side; beyond it the leakage is below -58 dB.
    for (std::size_t k = 0; k < db.size(); ++k) {
        if (k + 3 < 64 || k > 64 + 3) CHECK(db[k] < db[64] - 58.0f);
    }
}

TEST_CASE("bytes map min_decibels to 0 and max_decibels to 255, truncating and clamping") {
    SpectrumAnalyzerOptions o = options(1024, 0.0);
    o.min_decibels = -40;
    o.max_decibels = 0;
    SpectrumAnalyzer a(o);
    a.push(sine(1024, 64.0 / 1024.0));
    std::vector<float> db(a.frequency_bin_count());
    std::vector<std::uint8_t> bytes(a.frequency_bin_count());
    a.get_float_frequency_data(db);
    a.get_byte_frequency_data(bytes);
    for (std::size_t k = 0; k < db.size(); ++k) {
        const double expected = std::clamp(std::floor(255.0 * (db[k] + 40.0) / 40.0), 0.0, 255.0);
        CAPTURE(k);
        CHECK(std::abs(bytes[k] - expected) <= 1.0);
    }
    CHECK(bytes[64] == static_cast<std::uint8_t>(255.0 * (20 * std::log10(0.21) + 40.0) / 40.0));
    CHECK(bytes[300] == 0);
}

TEST_CASE("a new spectrum is computed only when samples arrived since the last read") {
    SpectrumAnalyzer a(options(256, 0.5));
    const auto x = sine(256, 8.0 / 256.0);
    a.push(x);
    std::vector<float> first(128), again(128), later(128);
    a.get_float_frequency_data(first);
    a.get_float_frequency_data(again);  // no new samples: no second smoothing step
    CHECK(first == again);
    std::vector<std::uint8_t> bytes(128);
    a.get_byte_frequency_data(bytes);  // also reads the same spectrum
    a.get_float_frequency_data(again);
    CHECK(first == again);

    a.push(x);  // same frame again: the smoothed value moves from 0.5 |X| to 0.75 |X|
    a.get_float_frequency_data(later);
    CHECK(later[8] == doctest::Approx(first[8] + 20 * std::log10(1.5)).epsilon(1e-4));
}

TEST_CASE("with smoothing 0 the spectrum depends on the newest frame only") {
    SpectrumAnalyzer a(options(256, 0.0));
    SpectrumAnalyzer b(options(256, 0.0));
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(-1, 1);
    std::vector<float> noise(1000);
    for (auto& v : noise) v = u(rng);
    a.push(noise);
    std::vector<float> ignored(128);
    a.get_float_frequency_data(ignored);
    const auto x = sine(256, 20.0 / 256.0, 0.3);
    a.push(x);
    b.push(x);
    std::vector<float> da(128), dbv(128);
    a.get_float_frequency_data(da);
    b.get_float_frequency_data(dbv);
    CHECK(da == dbv);
}

TEST_CASE("short output arrays get the first values; the rest of a long array is left alone") {
    SpectrumAnalyzer a(options(64, 0.0));
    a.push(sine(64, 4.0 / 64.0));
    std::vector<float> full(32), shorter(10), longer(40, 123.0f);
    a.get_float_frequency_data(full);
    a.get_float_frequency_data(shorter);
    a.get_float_frequency_data(longer);
    for (std::size_t i = 0; i < 10; ++i) CHECK(shorter[i] == full[i]);
    for (std::size_t i = 0; i < 32; ++i) CHECK(longer[i] == full[i]);
    for (std::size_t i = 32; i < 40; ++i) CHECK(longer[i] == 123.0f);

    std::vector<float> time(10);
    a.get_float_time_domain_data(time);  // the oldest 10 of the 64-sample frame
    const auto x = sine(64, 4.0 / 64.0);
    for (std::size_t i = 0; i < 10; ++i) CHECK(time[i] == x[i]);
}

TEST_CASE("time-domain data is the newest fft_size samples, oldest first, across the ring's wrap") {
    SpectrumAnalyzer a(options(32, 0.8));
    std::vector<float> x(SpectrumAnalyzer::max_fft_size + 100);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i);
    a.push(x.data(), 32700);
    a.push(x.data() + 32700, x.size() - 32700);  // wraps the 32768-sample history
    std::vector<float> time(32);
    a.get_float_time_domain_data(time);
    for (std::size_t i = 0; i < 32; ++i) CHECK(time[i] == x[x.size() - 32 + i]);

    a.push(x);  // more than the whole history at once: only the newest are kept
    a.get_float_time_domain_data(time);
    for (std::size_t i = 0; i < 32; ++i) CHECK(time[i] == x[x.size() - 32 + i]);
}

TEST_CASE("a larger fft size sees samples pushed before the change, as in the browser") {
    SpectrumAnalyzer a(options(32, 0.0));
    std::vector<float> x(4096);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i) / 4096.0f;
    a.push(x);
    a.set_fft_size(4096);
    std::vector<float> time(4096);
    a.get_float_time_domain_data(time);
    CHECK(time == x);
}

TEST_CASE("byte time-domain data is 128 (1 + x), truncated and clamped to 0..255") {
    SpectrumAnalyzer a(options(32, 0.8));
    const std::vector<float> x = {0.0f, 1.0f, -1.0f, 0.5f, -0.5f, 2.0f, -2.0f, 0.999f, -0.004f, 0.004f};
    a.push(x);
    std::vector<std::uint8_t> bytes(32);
    a.get_byte_time_domain_data(bytes);
    const std::vector<std::uint8_t> expected = {128, 255, 0, 192, 64, 255, 0, 255, 127, 128};
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(bytes[32 - x.size() + i] == expected[i]);
    CHECK(bytes[0] == 128);  // zeros before
}

TEST_CASE("push and every getter run without allocating") {
    SpectrumAnalyzer a(options(2048, 0.8));
    const auto x = sine(128, 0.01);
    std::vector<float> db(1024), time(2048);
    std::vector<std::uint8_t> bytes(1024), time_bytes(2048);
    quaver::test::AllocationScope scope;
    for (int quantum = 0; quantum < 40; ++quantum) {
        a.push(x.data(), x.size());
        a.get_float_frequency_data(db);
        a.get_byte_frequency_data(bytes);
        a.get_float_time_domain_data(time);
        a.get_byte_time_domain_data(time_bytes);
    }
    a.set_smoothing_time_constant(0.5);
    a.set_decibel_range(-90, -10);
    CHECK(scope.count() == 0);
}

TEST_CASE("the SIMD kernels agree with the scalar references, ragged tails included") {
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> u(-100.0f, 100.0f);
    for (std::size_t n : {1u, 3u, 7u, 8u, 15u, 16u, 17u, 31u, 64u, 100u, 1025u}) {
        CAPTURE(n);
        std::vector<std::complex<float>> bins(n);
        for (auto& c : bins) c = {u(rng), u(rng)};
        bins[0] = {0.0f, 0.0f};
        std::vector<float> prev(n);
        for (auto& v : prev) v = std::abs(u(rng));

        std::vector<float> simd = prev, ref = prev;
        quaver::detail::magnitude_smooth(bins.data(), simd.data(), n, 1.0f / 256, 0.8f);
        quaver::detail::reference::magnitude_smooth(bins.data(), ref.data(), n, 1.0 / 256, 0.8);
        for (std::size_t i = 0; i < n; ++i) CHECK(simd[i] == doctest::Approx(ref[i]).epsilon(1e-6));

        std::vector<float> mag(n);
        quaver::detail::magnitude(bins.data(), mag.data(), n, 2.0f);
        for (std::size_t i = 0; i < n; ++i) CHECK(mag[i] == doctest::Approx(2.0 * std::abs(bins[i])).epsilon(1e-6));

        // Magnitudes spanning normal, subnormal and zero values.
        std::vector<float> m(n);
        for (std::size_t i = 0; i < n; ++i) m[i] = std::abs(u(rng)) * std::pow(10.0f, -static_cast<float>(i % 45));
        m[0] = 0.0f;
        std::vector<float> db(n), db_ref(n);
        quaver::detail::to_decibels(m.data(), db.data(), n);
        quaver::detail::reference::to_decibels(m.data(), db_ref.data(), n);
        CHECK(db[0] == -std::numeric_limits<float>::infinity());
        // A few float ulps: 1e-4 dB near 0 dB, relative 1e-6 for the very small (-800 dB) values.
        for (std::size_t i = 1; i < n; ++i) CHECK(std::abs(db[i] - db_ref[i]) < 1e-4 + 1e-6 * std::abs(db_ref[i]));

        std::vector<std::uint8_t> b(n), b_ref(n);
        quaver::detail::to_bytes(m.data(), b.data(), n, -100.0f, static_cast<float>(255.0 / 70.0));
        quaver::detail::reference::to_bytes(m.data(), b_ref.data(), n, -100.0, -30.0);
        for (std::size_t i = 0; i < n; ++i) CHECK(std::abs(int(b[i]) - int(b_ref[i])) <= 1);

        std::vector<float> in(n), w(n), out(n);
        for (std::size_t i = 0; i < n; ++i) {
            in[i] = u(rng);
            w[i] = u(rng);
        }
        quaver::detail::window_multiply(in.data(), w.data(), out.data(), n);
        for (std::size_t i = 0; i < n; ++i) CHECK(out[i] == in[i] * w[i]);
    }
}

TEST_CASE("the spectrum does not depend on how the pushed samples were chunked") {
    std::vector<float> x(5000);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(std::sin(0.0007 * i * i));
    SpectrumAnalyzer by_quantum(options(1024, 0.0)), at_once(options(1024, 0.0)), ragged(options(1024, 0.0));
    for (std::size_t i = 0; i + 128 <= 4992; i += 128) by_quantum.push(x.data() + i, 128);
    at_once.push(x.data(), 4992);
    for (std::size_t i = 0, step = 1; i < 4992; i += step, step = step * 3 % 97 + 1) {
        ragged.push(x.data() + i, std::min(step, 4992 - i));
    }
    std::vector<float> a(512), b(512), c(512);
    by_quantum.get_float_frequency_data(a);
    at_once.get_float_frequency_data(b);
    ragged.get_float_frequency_data(c);
    CHECK(a == b);
    CHECK(a == c);
}
