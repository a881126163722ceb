#include <doctest/doctest.h>

#include <quaver/dsp/stft.hpp>

#include <cmath>
#include <cstring>
#include <vector>

namespace {
std::vector<float> test_signal(std::size_t n) {
    std::vector<float> x(n);
    std::uint32_t state = 12345;
    for (std::size_t i = 0; i < n; ++i) {
        state = state * 1664525u + 1013904223u;  // a little noise on a chirp
        x[i] = static_cast<float>(0.5 * std::sin(1e-5 * static_cast<double>(i) * static_cast<double>(i)) +
                                  0.01 * (static_cast<double>(state >> 8) / 16777216.0 - 0.5));
    }
    return x;
}

bool bit_identical(const quaver::Spectrogram& a, const quaver::Spectrogram& b) {
    return a.frames == b.frames && a.bins == b.bins && a.magnitudes.size() == b.magnitudes.size() &&
           a.spectra.size() == b.spectra.size() &&
           std::memcmp(a.magnitudes.data(), b.magnitudes.data(), a.magnitudes.size() * sizeof(float)) == 0 &&
           std::memcmp(a.spectra.data(), b.spectra.data(), a.spectra.size() * sizeof(std::complex<float>)) == 0;
}
}  // namespace

TEST_CASE("the STFT on a worker pool is bit-identical to the sequential STFT") {
    const auto x = test_signal(3 * 16000 + 77);
    for (std::size_t workers : {1u, 3u}) {
        quaver::PoolOptions pool_options;
        pool_options.workers = workers;
        quaver::WorkerPool pool(pool_options);
        for (auto framing : {quaver::StftFraming::centered, quaver::StftFraming::start}) {
            quaver::StftOptions options;
            options.fft_size = 1024;
            options.hop = 256;
            options.framing = framing;
            options.output = quaver::StftOutput::both;
            const auto sequential = quaver::stft(x, options);
            const auto parallel = quaver::stft(x, options, pool);
            const auto background = quaver::stft(x, options, &pool, quaver::Priority::background);
            CAPTURE(workers);
            CHECK(sequential.frames > 100);
            CHECK(bit_identical(sequential, parallel));
            CHECK(bit_identical(sequential, background));
        }
    }
}

TEST_CASE("a pool without worker threads computes the STFT on the calling thread") {
    const auto x = test_signal(5000);
    quaver::PoolOptions pool_options;
    pool_options.workers = 0;
    quaver::WorkerPool pool(pool_options);
    quaver::StftOptions options;
    options.fft_size = 512;
    options.hop = 100;
    CHECK(bit_identical(quaver::stft(x, options), quaver::stft(x, options, pool)));
}
