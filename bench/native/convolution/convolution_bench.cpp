// Partitioned FFT convolution: quaver::FftConvolver against uniformly
// partitioned overlap-save written here on FFTW 3 (float, FFTW_MEASURE), the
// convolver a C++ developer would otherwise write. One block of B frames per
// iteration (mono noise in; the response is L taps of noise decaying by
// 60 dB). For the peer each iteration is one forward FFT, P = ceil(L / B)
// complex products and one inverse FFT of 2B points; so is Quaver's up to
// L = 64 B (the same algorithm), while beyond that Quaver's tail takes the
// taps from 32 B on in partitions of 16 B, its work spread over 16 blocks
// (fft_convolver.hpp): there the ratio compares the two designs.
// Names: convolver/<impl>/<B>/<L>; counters: partitions (of B taps),
// tail_partitions (Quaver), seconds_per_frame, dearest_block_ns.
// Before the first run of each (B, L), both convolve the same input and must
// agree (relative rms error below 1e-4) or the program aborts; the FFTW peer
// is also checked against a direct sum on a few outputs.
#include <benchmark/benchmark.h>
#include <fftw3.h>

#include <quaver/dsp/fft_convolver.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace {

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "convolution_bench: %s\n", what.c_str());
    std::abort();
}

struct FftwFree {
    void operator()(float* p) const noexcept { fftwf_free(p); }
};
// Zeroed floats from fftwf_alloc_real (aligned for FFTW's SIMD codelets).
using FftwFloats = std::unique_ptr<float[], FftwFree>;
FftwFloats fftw_floats(std::size_t count) {
    FftwFloats p(fftwf_alloc_real(count));
    if (!p) fail("fftwf_alloc_real failed");
    std::fill(p.get(), p.get() + count, 0.0f);
    return p;
}

std::vector<float> noise(std::size_t count, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(count);
    for (auto& x : v) x = u(rng);
    return v;
}

// L taps of noise under an exponential decay reaching -60 dB at the last tap
// (no denormals anywhere in the products).
std::vector<float> impulse_response(std::size_t length) {
    std::vector<float> h = noise(length, 2);
    for (std::size_t j = 0; j < length; ++j)
        h[j] *= std::exp(-6.9078f * static_cast<float>(j) / static_cast<float>(length));
    return h;
}

// acc += x0 h0 + x1 h1 over `bins` complex bins, interleaved (re, im): two
// partitions per pass halve the loads and stores of the accumulator. Written
// out on floats: std::complex's operator* calls __mulsc3 for its NaN rules.
// The real part as (sum of re re) - (sum of im im) is the form GCC 12 -O3
// (SSE2) vectorizes by deinterleaving re and im, four bins per pass; written
// x0r h0r - x0i h0i + x1r h1r - x1i h1i it pairs re with im in each vector
// and shuffles per product instead, as slow as one partition per pass
// (L = 48000, B = 64..1024: 24-32 against 37-46 us for a block's products).
// With -march=native (AVX2, FMA) it is the other way round: a whole block
// takes 15-19 us with one partition per pass, 42-49 us with this loop.
void multiply_accumulate_2(float* __restrict acc, const float* __restrict x0, const float* __restrict h0,
                           const float* __restrict x1, const float* __restrict h1, std::size_t bins) noexcept {
    for (std::size_t k = 0; k < 2 * bins; k += 2) {
        acc[k] += x0[k] * h0[k] + x1[k] * h1[k] - (x0[k + 1] * h0[k + 1] + x1[k + 1] * h1[k + 1]);
        acc[k + 1] += x0[k] * h0[k + 1] + x0[k + 1] * h0[k] + x1[k] * h1[k + 1] + x1[k + 1] * h1[k];
    }
}

void multiply_accumulate(float* __restrict acc, const float* __restrict x, const float* __restrict h,
                         std::size_t bins) noexcept {
    for (std::size_t k = 0; k < 2 * bins; k += 2) {
        acc[k] += x[k] * h[k] - x[k + 1] * h[k + 1];
        acc[k + 1] += x[k] * h[k + 1] + x[k + 1] * h[k];
    }
}

// The same loop compiled for AVX2 and FMA, which Quaver's kernels use on
// such a machine (run-time dispatch): without it the ratio would mostly
// measure SSE2 against AVX2. One partition per pass is the faster form here.
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define QUAVER_BENCH_HAS_AVX2_PEER 1
__attribute__((target("avx2,fma"))) void multiply_accumulate_avx2(float* __restrict acc, const float* __restrict x,
                                                                  const float* __restrict h,
                                                                  std::size_t bins) noexcept {
    for (std::size_t k = 0; k < 2 * bins; k += 2) {
        acc[k] += x[k] * h[k] - x[k + 1] * h[k + 1];
        acc[k + 1] += x[k] * h[k + 1] + x[k + 1] * h[k];
    }
}
bool machine_has_avx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
#else
#define QUAVER_BENCH_HAS_AVX2_PEER 0
bool machine_has_avx2() { return false; }
#endif

// The peer: uniformly partitioned overlap-save with a frequency-domain delay
// line on FFTW's real transforms of 2B points, interleaved complex spectra of
// B + 1 bins. process_block takes exactly B frames and returns their outputs
// in the same call (no added latency: out[t] = sum_j h[j] in[t - j]).
// Partitions run outermost with the accumulator in a buffer. Bins outermost
// was slower here: 1.5-2.4x with one bin's sum in registers per walk over
// the partitions, and no faster than one partition per pass with blocks of
// 8 bins (GCC does not keep the interleaved block sums in registers).
class FftwConvolver {
public:
    FftwConvolver(const float* h, std::size_t length, std::size_t block)
        : block_(block),
          size_(2 * block),
          bins_(block + 1),
          stride_((2 * bins_ + 15) / 16 * 16),  // 64-byte slots: every slot aligned as the planned one
          partitions_((length + block - 1) / block),
          window_(fftw_floats(size_)),
          time_(fftw_floats(size_)),
          acc_(fftw_floats(stride_)),
          response_(fftw_floats(partitions_ * stride_)),
          history_(fftw_floats(partitions_ * stride_)) {
        // FFTW_MEASURE overwrites the arrays it plans with: plan first.
        forward_ = fftwf_plan_dft_r2c_1d(static_cast<int>(size_), window_.get(), spectrum(history_, 0), FFTW_MEASURE);
        inverse_ = fftwf_plan_dft_c2r_1d(static_cast<int>(size_), spectrum(acc_, 0), time_.get(), FFTW_MEASURE);
        if (!forward_ || !inverse_) fail("FFTW planning failed");
        // Partition p of the response, zero-padded to 2B samples.
        for (std::size_t p = 0; p < partitions_; ++p) {
            std::fill(window_.get(), window_.get() + size_, 0.0f);
            const std::size_t first = p * block_, count = std::min(block_, length - first);
            std::copy(h + first, h + first + count, window_.get());
            fftwf_execute_dft_r2c(forward_, window_.get(), spectrum(response_, p));
        }
        reset();
    }
    ~FftwConvolver() {
        fftwf_destroy_plan(forward_);
        fftwf_destroy_plan(inverse_);
    }
    FftwConvolver(const FftwConvolver&) = delete;
    FftwConvolver& operator=(const FftwConvolver&) = delete;

    std::size_t partitions() const noexcept { return partitions_; }

    void reset() noexcept {
        std::fill(window_.get(), window_.get() + size_, 0.0f);
        std::fill(history_.get(), history_.get() + partitions_ * stride_, 0.0f);
        newest_ = 0;
    }

    // in and out hold block_size floats.
    void process_block(const float* in, float* out) noexcept {
        // Window: [previous B | new B].
        float* window = window_.get();
        std::memmove(window, window + block_, block_ * sizeof(float));
        std::memcpy(window + block_, in, block_ * sizeof(float));
        // The ring runs backwards, so X_{i-p} is slot newest + p (mod P).
        newest_ = newest_ == 0 ? partitions_ - 1 : newest_ - 1;
        fftwf_execute_dft_r2c(forward_, window, spectrum(history_, newest_));

        float* acc = acc_.get();
        std::fill(acc, acc + 2 * bins_, 0.0f);
        std::size_t p = 0;
#if QUAVER_BENCH_HAS_AVX2_PEER
        if (avx2_) {
            for (; p < partitions_; ++p) multiply_accumulate_avx2(acc, input_spectrum(p), response_spectrum(p), bins_);
        }
#endif
        for (; p + 1 < partitions_; p += 2)
            multiply_accumulate_2(acc, input_spectrum(p), response_spectrum(p), input_spectrum(p + 1),
                                  response_spectrum(p + 1), bins_);
        if (p < partitions_) multiply_accumulate(acc, input_spectrum(p), response_spectrum(p), bins_);

        fftwf_execute(inverse_);  // c2r overwrites acc, which the next block clears anyway
        // Overlap-save: the first B samples of the circular result are aliased.
        const float scale = 1.0f / static_cast<float>(size_);
        const float* time = time_.get() + block_;
        for (std::size_t i = 0; i < block_; ++i) out[i] = time[i] * scale;
    }

private:
    fftwf_complex* spectrum(const FftwFloats& base, std::size_t slot) const {
        return reinterpret_cast<fftwf_complex*>(base.get() + slot * stride_);
    }
    const float* input_spectrum(std::size_t p) const {
        std::size_t slot = newest_ + p;
        if (slot >= partitions_) slot -= partitions_;
        return history_.get() + slot * stride_;
    }
    const float* response_spectrum(std::size_t p) const { return response_.get() + p * stride_; }

    std::size_t block_;       // B
    std::size_t size_;        // 2B, the transform size
    std::size_t bins_;        // B + 1 complex bins
    std::size_t stride_;      // floats per spectrum slot, 2 bins_ rounded up to 16
    std::size_t partitions_;  // P
    FftwFloats window_;       // the last 2B inputs
    FftwFloats time_;         // the inverse transform's 2B samples
    FftwFloats acc_;          // sum_p X_{i-p} H_p
    FftwFloats response_;     // H_p, P slots
    FftwFloats history_;      // X_i, a ring of P slots
    fftwf_plan forward_ = nullptr;
    fftwf_plan inverse_ = nullptr;
    std::size_t newest_ = 0;  // slot of the newest input spectrum
    bool avx2_ = machine_has_avx2();
};

double relative_rms(const float* got, const double* want, std::size_t count) {
    double err = 0.0, ref = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
        err += (got[i] - want[i]) * (got[i] - want[i]);
        ref += want[i] * want[i];
    }
    return std::sqrt(err / ref);
}

// Both convolvers on the same P + 4 blocks of noise, and the FFTW peer
// against a direct sum (in double) on the last 32 outputs. Once per (B, L).
void check_agreement(std::size_t block, std::size_t length) {
    static std::set<std::pair<std::size_t, std::size_t>> checked;
    if (!checked.insert({block, length}).second) return;
    constexpr double tolerance = 1e-4;
    const std::string what = "B = " + std::to_string(block) + ", L = " + std::to_string(length) + ": ";

    const auto h = impulse_response(length);
    quaver::FftConvolver quaver_convolver(h.data(), length, block);
    FftwConvolver fftw_convolver(h.data(), length, block);
    if (quaver_convolver.latency() != block) fail(what + "Quaver's latency is not B");
    const std::size_t total = (fftw_convolver.partitions() + 4) * block;  // the whole response, and more
    const auto in = noise(total, 3);
    std::vector<float> quaver_out(total), fftw_out(total);
    for (std::size_t t = 0; t < total; t += block) {
        quaver_convolver.process(in.data() + t, quaver_out.data() + t, block);
        fftw_convolver.process_block(in.data() + t, fftw_out.data() + t);
    }

    // Quaver is B samples late: quaver_out[t + B] = fftw_out[t].
    const std::vector<double> fftw_wide(fftw_out.begin(), fftw_out.end() - block);
    const double quaver_error = relative_rms(quaver_out.data() + block, fftw_wide.data(), total - block);
    if (!(quaver_error < tolerance))
        fail(what + "Quaver and the FFTW peer differ, relative rms " + std::to_string(quaver_error));

    constexpr std::size_t direct_count = 32;
    std::vector<double> direct(direct_count);
    for (std::size_t i = 0; i < direct_count; ++i) {
        const std::size_t t = total - direct_count + i;
        for (std::size_t j = 0; j < length && j <= t; ++j) direct[i] += double(h[j]) * in[t - j];
    }
    const double fftw_error = relative_rms(fftw_out.data() + total - direct_count, direct.data(), direct_count);
    if (!(fftw_error < tolerance))
        fail(what + "the FFTW peer differs from a direct sum, relative rms " + std::to_string(fftw_error));
}

void set_counters(benchmark::State& state, std::size_t block, std::size_t partitions) {
    state.counters["partitions"] = static_cast<double>(partitions);
    // CPU seconds per frame (the console prints it as e.g. 143.6ns).
    state.counters["seconds_per_frame"] = benchmark::Counter(
        static_cast<double>(block), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

FftwFloats noise_block(std::size_t block) {
    const auto src = noise(block, 1);
    FftwFloats in = fftw_floats(block);
    std::copy(src.begin(), src.end(), in.get());
    return in;
}

// The dearest of 16 consecutive blocks, in ns: per position in a period of 16
// (Quaver's tail spreads its work over 16 blocks, two of which also run an
// FFT of 32 B points), the median over 64 periods, then the largest of those
// medians. The benchmark's time is the mean; an audio callback cares about this.
template <class ProcessBlock>
double dearest_block_ns(ProcessBlock&& process_block) {
    constexpr std::size_t steps = 16, periods = 64;
    std::vector<std::vector<double>> ns(steps, std::vector<double>(periods));
    for (std::size_t i = 0; i < steps * periods; ++i) process_block();  // warm up
    for (std::size_t period = 0; period < periods; ++period) {
        for (std::size_t step = 0; step < steps; ++step) {
            const auto start = std::chrono::steady_clock::now();
            process_block();
            ns[step][period] = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
        }
    }
    double dearest = 0.0;
    for (auto& at_step : ns) {
        std::nth_element(at_step.begin(), at_step.begin() + periods / 2, at_step.end());
        dearest = std::max(dearest, at_step[periods / 2]);
    }
    return dearest;
}

void convolve_quaver_with(benchmark::State& state, std::size_t block, std::size_t length,
                          quaver::ConvolverLatency latency) {
    check_agreement(block, length);
    const auto h = impulse_response(length);
    quaver::FftConvolver convolver(h.data(), length, block, latency);
    const FftwFloats in = noise_block(block);
    const FftwFloats out = fftw_floats(block);
    for (auto _ : state) {
        convolver.process(in.get(), out.get(), block);  // one block per call: frames == B from the start
        benchmark::DoNotOptimize(out.get());
        benchmark::ClobberMemory();
    }
    set_counters(state, block, convolver.partitions());
    state.counters["tail_partitions"] = static_cast<double>(convolver.tail_partitions());
    state.counters["dearest_block_ns"] = dearest_block_ns([&] { convolver.process(in.get(), out.get(), block); });
}

void convolve_quaver(benchmark::State& state, std::size_t block, std::size_t length) {
    convolve_quaver_with(state, block, length, quaver::ConvolverLatency::block);
}

// No latency, as the ConvolverNode: the first B taps convolved directly.
void convolve_quaver_zero_latency(benchmark::State& state, std::size_t block, std::size_t length) {
    convolve_quaver_with(state, block, length, quaver::ConvolverLatency::zero);
}

void convolve_fftw(benchmark::State& state, std::size_t block, std::size_t length) {
    check_agreement(block, length);
    const auto h = impulse_response(length);
    FftwConvolver convolver(h.data(), length, block);
    const FftwFloats in = noise_block(block);
    const FftwFloats out = fftw_floats(block);
    for (auto _ : state) {
        convolver.process_block(in.get(), out.get());
        benchmark::DoNotOptimize(out.get());
        benchmark::ClobberMemory();
    }
    set_counters(state, block, convolver.partitions());
    state.counters["dearest_block_ns"] = dearest_block_ns([&] { convolver.process_block(in.get(), out.get()); });
}

void register_all() {
    // One second at 48 kHz over the usual block sizes, then shorter
    // responses (a cabinet, a small room) and a 5-second hall at B = 128.
    std::vector<std::pair<std::size_t, std::size_t>> shapes;
    for (std::size_t block : {64, 128, 256, 512, 1024}) shapes.push_back({block, 48000});
    for (std::size_t length : {1024, 8192, 240000}) shapes.push_back({128, length});
    using Fn = void (*)(benchmark::State&, std::size_t, std::size_t);
    const std::pair<const char*, Fn> impls[] = {
        {"quaver", convolve_quaver}, {"quaver_zero_latency", convolve_quaver_zero_latency}, {"fftw", convolve_fftw}};
    for (const auto& [block, length] : shapes) {
        for (const auto& [impl, fn] : impls) {
            const std::string name =
                std::string("convolver/") + impl + "/" + std::to_string(block) + "/" + std::to_string(length);
            benchmark::RegisterBenchmark(name.c_str(),
                                         [fn = fn, block = block, length = length](benchmark::State& s) {
                                             fn(s, block, length);
                                         });
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
