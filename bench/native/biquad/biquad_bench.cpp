// Quaver's biquads and EQ against naive scalar loops. Names follow
// kernel/impl/param; ratios are only meaningful within one run.
//   biquad_mono/<impl>/<frames>         one filter, one channel, per call
//   biquad_8ch/<impl>/<frames>          one filter, 8 planar channels
//   eq_cascade/<impl>/8/<frames>        8-band stereo EQ per block
//   biquad_silent_tail/<impl>/<frames>  silence right after a loud signal
#include <benchmark/benchmark.h>

#include <quaver/dsp/biquad.hpp>
#include <quaver/dsp/parametric_eq.hpp>

#include <random>
#include <vector>

namespace {

using quaver::BiquadCoefficients;
using quaver::BiquadParams;
using quaver::BiquadType;

constexpr double fs = 48000;

std::vector<float> noise(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1, 1);
    std::vector<float> x(n);
    for (auto& v : x) v = u(rng);
    return x;
}

// The textbook loop: transposed direct form II, coefficients and state in T.
template <class T>
struct NaiveBiquad {
    T b0, b1, b2, a1, a2, s1 = 0, s2 = 0;
    explicit NaiveBiquad(const BiquadCoefficients& c)
        : b0(T(c.b0)), b1(T(c.b1)), b2(T(c.b2)), a1(T(c.a1)), a2(T(c.a2)) {}
    void process(const float* in, float* out, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            const T x = in[i];
            const T y = b0 * x + s1;
            s1 = b1 * x - a1 * y + s2;
            s2 = b2 * x - a2 * y;
            out[i] = static_cast<float>(y);
        }
    }
};

const BiquadParams mono_filter{BiquadType::peaking, 1000, 2, 6};

void set_rate(benchmark::State& state, std::size_t samples_per_iteration) {
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * samples_per_iteration));
    state.counters["ns_per_sample"] = benchmark::Counter(
        static_cast<double>(state.iterations() * samples_per_iteration),
        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// ------------------------------------------------------------------ mono
void biquad_mono_quaver(benchmark::State& state) {
    const auto frames = static_cast<std::size_t>(state.range(0));
    auto x = noise(frames, 1);
    std::vector<float> y(frames);
    quaver::BiquadFilter f(mono_filter, fs);
    for (auto _ : state) {
        f.process(x.data(), y.data(), frames);
        benchmark::DoNotOptimize(y.data());
    }
    set_rate(state, frames);
}
template <class T>
void biquad_mono_naive(benchmark::State& state) {
    const auto frames = static_cast<std::size_t>(state.range(0));
    auto x = noise(frames, 1);
    std::vector<float> y(frames);
    NaiveBiquad<T> f(quaver::design_biquad(mono_filter, fs));
    for (auto _ : state) {
        f.process(x.data(), y.data(), frames);
        benchmark::DoNotOptimize(y.data());
    }
    set_rate(state, frames);
}
BENCHMARK(biquad_mono_quaver)->Name("biquad_mono/quaver")->Arg(128)->Arg(4096);
BENCHMARK(biquad_mono_naive<float>)->Name("biquad_mono/scalar_reference")->Arg(128)->Arg(4096);
BENCHMARK(biquad_mono_naive<double>)->Name("biquad_mono/scalar_reference_double")->Arg(128)->Arg(4096);

// ------------------------------------------------------------------ 8 channels
struct Planar {
    std::vector<std::vector<float>> in, out;
    std::vector<const float*> ip;
    std::vector<float*> op;
    Planar(std::size_t channels, std::size_t frames) {
        for (std::size_t c = 0; c < channels; ++c) {
            in.push_back(noise(frames, static_cast<unsigned>(c + 1)));
            out.emplace_back(frames);
        }
        for (std::size_t c = 0; c < channels; ++c) ip.push_back(in[c].data()), op.push_back(out[c].data());
    }
};

void biquad_8ch_quaver(benchmark::State& state) {
    const auto frames = static_cast<std::size_t>(state.range(0));
    Planar p(8, frames);
    quaver::BiquadFilter f(mono_filter, fs, 8);
    for (auto _ : state) {
        f.process(p.ip.data(), p.op.data(), 8, frames);
        benchmark::DoNotOptimize(p.op.data());
    }
    set_rate(state, 8 * frames);
}
void biquad_8ch_naive(benchmark::State& state) {
    const auto frames = static_cast<std::size_t>(state.range(0));
    Planar p(8, frames);
    std::vector<NaiveBiquad<float>> f(8, NaiveBiquad<float>(quaver::design_biquad(mono_filter, fs)));
    for (auto _ : state) {
        for (std::size_t c = 0; c < 8; ++c) f[c].process(p.ip[c], p.op[c], frames);
        benchmark::DoNotOptimize(p.op.data());
    }
    set_rate(state, 8 * frames);
}
BENCHMARK(biquad_8ch_quaver)->Name("biquad_8ch/quaver")->Arg(128)->Arg(4096);
BENCHMARK(biquad_8ch_naive)->Name("biquad_8ch/scalar_reference")->Arg(128)->Arg(4096);

// ------------------------------------------------------------------ EQ
const BiquadParams eq_bands[8] = {
    {BiquadType::highpass, 30, 0, 0},    {BiquadType::lowshelf, 120, 1, 4}, {BiquadType::peaking, 400, 1.4, -3},
    {BiquadType::peaking, 1000, 2, 5},   {BiquadType::notch, 3000, 8, 0},   {BiquadType::peaking, 6000, 0.7, -2},
    {BiquadType::highshelf, 9000, 1, 3}, {BiquadType::lowpass, 18000, 3, 0},
};

void eq_quaver(benchmark::State& state) {
    const auto frames = static_cast<std::size_t>(state.range(0));
    Planar p(2, frames);
    quaver::ParametricEq eq(fs, 2, 8, 0.0);
    for (std::size_t b = 0; b < 8; ++b) eq.set_band(b, eq_bands[b]);
    for (auto _ : state) {
        eq.process(p.ip.data(), p.op.data(), frames);
        benchmark::DoNotOptimize(p.op.data());
    }
    set_rate(state, 2 * frames);
}
// The same EQ with channels in the lanes instead of bands (2 of 4 lanes used).
void eq_quaver_channels(benchmark::State& state) {
    const auto frames = static_cast<std::size_t>(state.range(0));
    Planar p(2, frames);
    quaver::detail::BiquadSection sections[8];
    for (std::size_t b = 0; b < 8; ++b)
        sections[b] = quaver::detail::BiquadSection::fixed(quaver::design_biquad(eq_bands[b], fs));
    const std::size_t stride = quaver::detail::biquad_state_stride(2);
    std::vector<double> st(4 * 8 * stride, 0.0);
    for (auto _ : state) {
        quaver::detail::biquad_run_channels(sections, 8, st.data(), stride, p.ip.data(), p.op.data(), 2, frames,
                                            false);
        benchmark::DoNotOptimize(p.op.data());
    }
    set_rate(state, 2 * frames);
}
// While a band glides (coefficients ramping every sample).
void eq_quaver_gliding(benchmark::State& state) {
    const auto frames = static_cast<std::size_t>(state.range(0));
    Planar p(2, frames);
    quaver::ParametricEq eq(fs, 2, 8, 10.0);  // a 10 s glide never settles here
    for (std::size_t b = 0; b < 8; ++b) eq.set_band(b, eq_bands[b]);
    bool up = false;
    for (auto _ : state) {
        up = !up;
        BiquadParams moved = eq_bands[3];
        moved.gain_db = up ? 12 : -12;
        eq.set_band(3, moved);
        eq.process(p.ip.data(), p.op.data(), frames);
        benchmark::DoNotOptimize(p.op.data());
    }
    set_rate(state, 2 * frames);
}
void eq_naive(benchmark::State& state) {
    const auto frames = static_cast<std::size_t>(state.range(0));
    Planar p(2, frames);
    std::vector<NaiveBiquad<float>> f;
    for (std::size_t c = 0; c < 2; ++c)
        for (const auto& b : eq_bands) f.emplace_back(quaver::design_biquad(b, fs));
    for (auto _ : state) {
        for (std::size_t c = 0; c < 2; ++c) {
            f[c * 8].process(p.ip[c], p.op[c], frames);
            for (std::size_t b = 1; b < 8; ++b) f[c * 8 + b].process(p.op[c], p.op[c], frames);
        }
        benchmark::DoNotOptimize(p.op.data());
    }
    set_rate(state, 2 * frames);
}
void eq_args(benchmark::internal::Benchmark* b) { b->ArgNames({""})->Arg(128)->Arg(4096); }
BENCHMARK(eq_quaver)->Name("eq_cascade/quaver/8")->Apply(eq_args);
BENCHMARK(eq_quaver_channels)->Name("eq_cascade/quaver_channels/8")->Apply(eq_args);
BENCHMARK(eq_quaver_gliding)->Name("eq_cascade/quaver_gliding/8")->Apply(eq_args);
BENCHMARK(eq_naive)->Name("eq_cascade/scalar_reference/8")->Apply(eq_args);

// ------------------------------------------------------------------ silent tail
// One second of silence right after loud noise through a 1 kHz lowpass. The
// naive float state decays into denormals after about 1200 frames and then
// never reaches zero: 41535 of the 48000 outputs are subnormal (a limit cycle
// of float rounding). Quaver's state is double and flushed below FLT_MIN at
// every 256-frame chunk, so its tail is exact zeros from then on.
const BiquadParams tail_filter{BiquadType::lowpass, 1000, 0, 0};

void silent_tail_quaver(benchmark::State& state) {
    const auto frames = static_cast<std::size_t>(state.range(0));
    const auto loud = noise(4096, 5);
    std::vector<float> silence(frames, 0.0f), out(std::max<std::size_t>(frames, 4096));
    quaver::BiquadFilter primed(tail_filter, fs);
    primed.process(loud.data(), out.data(), loud.size());
    for (auto _ : state) {
        state.PauseTiming();
        quaver::BiquadFilter f = primed;
        state.ResumeTiming();
        f.process(silence.data(), out.data(), frames);
        benchmark::DoNotOptimize(out.data());
    }
    set_rate(state, frames);
}
void silent_tail_naive(benchmark::State& state) {
    const auto frames = static_cast<std::size_t>(state.range(0));
    const auto loud = noise(4096, 5);
    std::vector<float> silence(frames, 0.0f), out(std::max<std::size_t>(frames, 4096));
    NaiveBiquad<float> primed(quaver::design_biquad(tail_filter, fs));
    primed.process(loud.data(), out.data(), loud.size());
    for (auto _ : state) {
        NaiveBiquad<float> f = primed;
        f.process(silence.data(), out.data(), frames);
        benchmark::DoNotOptimize(out.data());
    }
    set_rate(state, frames);
}
BENCHMARK(silent_tail_quaver)->Name("biquad_silent_tail/quaver")->Arg(48000);
BENCHMARK(silent_tail_naive)->Name("biquad_silent_tail/scalar_reference")->Arg(48000);

}  // namespace

BENCHMARK_MAIN();
