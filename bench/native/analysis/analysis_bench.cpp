// analyser_frame/<impl>/<fft_size>: one render quantum of an AnalyserNode
// that is read every quantum: push 128 samples, then get_float_frequency_data
// (window, FFT, magnitude + smoothing, dB).
//   quaver            SpectrumAnalyzer (Highway kernels)
//   scalar_reference  the same steps as plain scalar float loops (window
//                     multiply, sqrt magnitude, smoothing, 20 log10f) around the
//                     same ring copy and RealFft: the floor of the SIMD kernels
//   chromium_style    Chromium's RealtimeAnalyser arithmetic: the Blackman
//                     window recomputed with cos() on every analysis, magnitude
//                     and smoothing in double (std::abs of a complex<double>),
//                     same RealFft
// stft/<impl>/2048: 10 s of 48 kHz audio, fft 2048, hop 512, Hann, magnitudes.
//   quaver_seq        on the calling thread
//   quaver_pool       on a WorkerPool with default_worker_count() workers plus the caller
#include <benchmark/benchmark.h>

#include <quaver/dsp/spectrum_analyzer.hpp>
#include <quaver/dsp/stft.hpp>

#include <cmath>
#include <complex>
#include <cstring>
#include <vector>

namespace {
constexpr double pi = 3.14159265358979323846;

std::vector<float> test_signal(std::size_t n) {
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / 48000.0;
        x[i] = static_cast<float>(0.5 * std::sin(2 * pi * 440 * t) + 0.1 * std::sin(2 * pi * 3000 * t * t));
    }
    return x;
}

const std::vector<float>& input() {
    static const std::vector<float> x = test_signal(48000);
    return x;
}

void bm_analyser_quaver(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    quaver::SpectrumAnalyzerOptions options;
    options.fft_size = n;
    quaver::SpectrumAnalyzer analyser(options);
    std::vector<float> db(n / 2);
    const auto& x = input();
    std::size_t pos = 0;
    for (auto _ : state) {
        analyser.push(x.data() + pos, 128);
        analyser.get_float_frequency_data(db);
        benchmark::DoNotOptimize(db.data());
        pos = (pos + 128) % (x.size() - 128);
    }
}

// The scalar pipelines, with the analyser's ring copy and FFT.
template <bool chromium>
void bm_analyser_scalar(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<float> history(n, 0.0f), frame(n), magnitude(n / 2, 0.0f), db(n / 2);
    std::vector<std::complex<float>> bins(n / 2 + 1);
    const auto window = quaver::make_window(quaver::WindowType::blackman, n);
    quaver::RealFft fft(n);
    const auto& x = input();
    std::size_t pos = 0, write = 0;
    for (auto _ : state) {
        std::memcpy(history.data() + write, x.data() + pos, 128 * sizeof(float));
        write = (write + 128) & (n - 1);
        std::memcpy(frame.data(), history.data() + write, (n - write) * sizeof(float));
        std::memcpy(frame.data() + (n - write), history.data(), write * sizeof(float));
        if constexpr (chromium) {
            for (std::size_t i = 0; i < n; ++i) {
                const double w = static_cast<double>(i) / static_cast<double>(n);
                frame[i] *= static_cast<float>(0.42 - 0.5 * std::cos(2 * pi * w) + 0.08 * std::cos(4 * pi * w));
            }
            fft.forward(frame.data(), bins.data());
            quaver::detail::reference::magnitude_smooth(bins.data(), magnitude.data(), n / 2, 1.0 / n, 0.8);
        } else {
            for (std::size_t i = 0; i < n; ++i) frame[i] *= window[i];
            fft.forward(frame.data(), bins.data());
            const float scale = 1.0f / static_cast<float>(n);
            for (std::size_t i = 0; i < n / 2; ++i) {
                const float re = bins[i].real(), im = bins[i].imag();
                magnitude[i] = 0.8f * magnitude[i] + 0.2f * scale * std::sqrt(re * re + im * im);
            }
        }
        quaver::detail::reference::to_decibels(magnitude.data(), db.data(), n / 2);
        benchmark::DoNotOptimize(db.data());
        pos = (pos + 128) % (x.size() - 128);
    }
}

void analyser_sizes(benchmark::internal::Benchmark* b) {
    for (long n : {256, 1024, 2048, 8192, 32768}) b->Arg(n);
}

BENCHMARK(bm_analyser_quaver)->Name("analyser_frame/quaver")->Apply(analyser_sizes);
BENCHMARK(bm_analyser_scalar<false>)->Name("analyser_frame/scalar_reference")->Apply(analyser_sizes);
BENCHMARK(bm_analyser_scalar<true>)->Name("analyser_frame/chromium_style")->Apply(analyser_sizes);

const std::vector<float>& ten_seconds() {
    static const std::vector<float> x = test_signal(480000);
    return x;
}

quaver::StftOptions stft_options(std::size_t n) {
    quaver::StftOptions o;
    o.fft_size = n;
    o.hop = 512;
    return o;
}

void bm_stft_seq(benchmark::State& state) {
    const auto options = stft_options(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        auto s = quaver::stft(ten_seconds(), options);
        benchmark::DoNotOptimize(s.magnitudes.data());
    }
}

void bm_stft_pool(benchmark::State& state) {
    const auto options = stft_options(static_cast<std::size_t>(state.range(0)));
    quaver::WorkerPool pool;
    state.counters["workers"] = static_cast<double>(pool.worker_count());
    for (auto _ : state) {
        auto s = quaver::stft(ten_seconds(), options, pool);
        benchmark::DoNotOptimize(s.magnitudes.data());
    }
}

BENCHMARK(bm_stft_seq)->Name("stft/quaver_seq")->Arg(2048)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(bm_stft_pool)->Name("stft/quaver_pool")->Arg(2048)->Unit(benchmark::kMillisecond)->UseRealTime();

// Planning cost, to size the parallel STFT's chunks (one plan per chunk).
void bm_plan(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    for (auto _ : state) {
        quaver::RealFft fft(n);
        benchmark::DoNotOptimize(&fft);
    }
}
BENCHMARK(bm_plan)->Name("fft_real_plan/quaver")->Arg(2048);
}  // namespace

BENCHMARK_MAIN();
