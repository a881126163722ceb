// Complex and real forward FFTs: Quaver against FFTW 3 (float, FFTW_MEASURE,
// out of place, aligned buffers) and KissFFT, one transform per iteration.
// Names: fft_complex/<impl>/<n>, fft_real/<impl>/<n>. The sizes outside
// 2^a 3^b 5^c (441 = 3^2 7^2, 1009 prime; real 882, 2018) time Quaver's
// Bluestein path against FFTW's own algorithms for such sizes.
#include <benchmark/benchmark.h>
#include <fftw3.h>
#include <kiss_fft.h>
#include <kiss_fftr.h>

#include <quaver/dsp/fft.hpp>

#include <complex>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

namespace {

using cplx = std::complex<float>;

std::vector<float> noise(std::size_t count) {
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(count);
    for (auto& x : v) x = u(rng);
    return v;
}

// Quaver gets 64-byte aligned buffers, as FFTW does from fftwf_alloc_*:
// with std::vector's 16-byte alignment a 1024-point complex transform takes
// 14% more cycles (fft_cycles; the cause is not pinned down).
using AlignedFloats = quaver::detail::AlignedFloats;
cplx* complex_view(const AlignedFloats& buffer) { return reinterpret_cast<cplx*>(buffer.data.get()); }

void set_counters(benchmark::State& state, std::size_t n) {
    state.counters["n"] = static_cast<double>(n);
}

void complex_quaver(benchmark::State& state, std::size_t n) {
    quaver::ComplexFft fft(n);
    const auto src = noise(2 * n);
    AlignedFloats in(2 * n), out(2 * n);
    for (std::size_t i = 0; i < 2 * n; ++i) in.data[i] = src[i];
    for (auto _ : state) {
        fft.forward(complex_view(in), complex_view(out));
        benchmark::DoNotOptimize(out.data.get());
        benchmark::ClobberMemory();
    }
    set_counters(state, n);
}

void real_quaver(benchmark::State& state, std::size_t n) {
    quaver::RealFft fft(n);
    const auto src = noise(n);
    AlignedFloats in(n), out(n + 2);
    for (std::size_t i = 0; i < n; ++i) in.data[i] = src[i];
    for (auto _ : state) {
        fft.forward(in.data.get(), complex_view(out));
        benchmark::DoNotOptimize(out.data.get());
        benchmark::ClobberMemory();
    }
    set_counters(state, n);
}

// Times `plan`, then frees it and the buffers it reads and writes.
void time_fftw(benchmark::State& state, fftwf_plan plan, void* in, void* out, std::size_t n) {
    for (auto _ : state) {
        fftwf_execute(plan);
        benchmark::DoNotOptimize(out);
        benchmark::ClobberMemory();
    }
    fftwf_destroy_plan(plan);
    fftwf_free(in);
    fftwf_free(out);
    set_counters(state, n);
}

void complex_fftw(benchmark::State& state, std::size_t n) {
    auto* in = fftwf_alloc_complex(n);
    auto* out = fftwf_alloc_complex(n);
    fftwf_plan plan = fftwf_plan_dft_1d(static_cast<int>(n), in, out, FFTW_FORWARD, FFTW_MEASURE);
    const auto src = noise(2 * n);
    for (std::size_t i = 0; i < n; ++i) in[i][0] = src[2 * i], in[i][1] = src[2 * i + 1];
    time_fftw(state, plan, in, out, n);
}

void real_fftw(benchmark::State& state, std::size_t n) {
    float* in = fftwf_alloc_real(n);
    auto* out = fftwf_alloc_complex(n / 2 + 1);
    fftwf_plan plan = fftwf_plan_dft_r2c_1d(static_cast<int>(n), in, out, FFTW_MEASURE);
    const auto src = noise(n);
    for (std::size_t i = 0; i < n; ++i) in[i] = src[i];
    time_fftw(state, plan, in, out, n);
}

void complex_kissfft(benchmark::State& state, std::size_t n) {
    kiss_fft_cfg cfg = kiss_fft_alloc(static_cast<int>(n), 0, nullptr, nullptr);
    const auto src = noise(2 * n);
    std::vector<kiss_fft_cpx> in(n), out(n);
    for (std::size_t i = 0; i < n; ++i) in[i] = {src[2 * i], src[2 * i + 1]};
    for (auto _ : state) {
        kiss_fft(cfg, in.data(), out.data());
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    kiss_fft_free(cfg);
    set_counters(state, n);
}

void real_kissfft(benchmark::State& state, std::size_t n) {
    kiss_fftr_cfg cfg = kiss_fftr_alloc(static_cast<int>(n), 0, nullptr, nullptr);
    const auto in = noise(n);
    std::vector<kiss_fft_cpx> out(n / 2 + 1);
    for (auto _ : state) {
        kiss_fftr(cfg, in.data(), out.data());
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    kiss_fft_free(cfg);
    set_counters(state, n);
}

void register_all() {
    std::vector<std::size_t> sizes;
    for (std::size_t n = 64; n <= 16384; n *= 2) sizes.push_back(n);
    for (std::size_t n : {480, 960, 1920}) sizes.push_back(n);
    using Fn = void (*)(benchmark::State&, std::size_t);
    struct Entry {
        const char* kernel;
        const char* impl;
        Fn fn;
    };
    const Entry entries[] = {
        {"fft_complex", "quaver", complex_quaver}, {"fft_complex", "fftw", complex_fftw},
        {"fft_complex", "kissfft", complex_kissfft}, {"fft_real", "quaver", real_quaver},
        {"fft_real", "fftw", real_fftw},          {"fft_real", "kissfft", real_kissfft},
    };
    for (const Entry& e : entries) {
        std::vector<std::size_t> these = sizes;
        const bool real = std::string(e.kernel) == "fft_real";
        for (std::size_t n : {441, 1009}) these.push_back(real ? 2 * n : n);
        for (std::size_t n : these) {
            const std::string name = std::string(e.kernel) + "/" + e.impl + "/" + std::to_string(n);
            benchmark::RegisterBenchmark(name.c_str(), [fn = e.fn, n](benchmark::State& s) { fn(s, n); });
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    register_all();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
