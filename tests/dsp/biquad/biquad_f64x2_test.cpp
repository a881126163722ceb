// The f64x2 cascade (biquad_f64x2.hpp, the WASM SIMD128 path) against the
// scalar reference: bit-identical output and state for every channel count,
// section count, block length and ramp. Natively it runs on the portable
// two-double struct. Compiled with `em++ -std=c++20 -O3 -msimd128
// -DDOCTEST_CONFIG_IMPLEMENT_WITH_MAIN` and run in node it checks SIMD128
// itself; tests/js/dsp-biquad-simd.test.mjs checks the package's builds.
#include <doctest/doctest.h>

#include <quaver/dsp/biquad_f64x2.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using quaver::BiquadCoefficients;
using quaver::detail::BiquadSection;

namespace {

BiquadCoefficients random_stable(std::mt19937& rng) {
    // Poles inside the unit circle: a2 = r^2, a1 = -2 r cos(theta).
    std::uniform_real_distribution<double> u(0, 1);
    const double r = 0.3 + 0.69 * u(rng), theta = 3.1 * u(rng);
    return {0.2 + u(rng), u(rng) - 0.5, u(rng) - 0.5, -2 * r * std::cos(theta), r * r};
}

std::vector<float> noise(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1, 1);
    std::vector<float> x(n);
    for (auto& v : x) v = u(rng);
    return x;
}

// Equal bits, or both NaN (a NaN's sign and payload are not specified, in
// WASM least of all). A native build for a CPU with FMA (-march=native) may
// contract the two cascades' expressions differently: there, float rounding.
template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::memcmp(&a[i], &b[i], sizeof(T)) == 0 || (std::isnan(a[i]) && std::isnan(b[i]))) continue;
#if defined(__FMA__) && !defined(__wasm__)
        if (std::fabs(a[i] - b[i]) <= 1e-6 * (1 + std::fabs(b[i]))) continue;
#endif
        return false;
    }
    return true;
}

struct Case {
    std::size_t channels, filter_channels, sections, frames;
    bool ramp;
    float poison = 0;  // a non-zero value is written at frame 37 of channel 0
};

// Runs both cascades three calls in a row; processes `channels` of a state
// made for `filter_channels` (the rest must stay untouched).
void check(const Case& k, std::mt19937& rng) {
    std::vector<BiquadSection> sections(k.sections);
    for (auto& s : sections)
        s = k.ramp ? BiquadSection::ramp(random_stable(rng), random_stable(rng), k.frames)
                   : BiquadSection::fixed(random_stable(rng));
    const std::size_t stride = quaver::detail::biquad_state_stride(k.filter_channels);
    std::vector<double> s_vec(4 * k.sections * stride), s_ref;
    for (auto& v : s_vec) v = 0.25 * std::uniform_real_distribution<double>(-1, 1)(rng);  // untouched slots must stay
    s_ref = s_vec;
    std::vector<std::vector<float>> in(k.channels), out(k.channels), ref(k.channels);
    std::vector<const float*> ip(k.channels);
    std::vector<float*> op(k.channels), rp(k.channels);
    for (int call = 0; call < 3; ++call) {
        for (std::size_t c = 0; c < k.channels; ++c) {
            in[c] = noise(k.frames, static_cast<unsigned>(1000 * call + 31 * c + k.frames + k.sections));
            if (k.poison != 0 && c == 0 && k.frames > 37 && call == 0) in[c][37] = k.poison;
            out[c].assign(k.frames, -1), ref[c].assign(k.frames, -2);
            ip[c] = in[c].data(), op[c] = out[c].data(), rp[c] = ref[c].data();
        }
        quaver::detail::biquad_f64x2_cascade(sections.data(), k.sections, s_vec.data(), stride, ip.data(), op.data(),
                                             k.channels, k.frames, k.ramp);
        quaver::detail::biquad_cascade_reference(sections.data(), k.sections, s_ref.data(), stride, ip.data(),
                                                 rp.data(), k.channels, k.frames);
        INFO("channels " << k.channels << " of " << k.filter_channels << ", sections " << k.sections << ", frames "
                         << k.frames << ", ramp " << k.ramp << ", call " << call);
        for (std::size_t c = 0; c < k.channels; ++c) REQUIRE(same_bits(out[c], ref[c]));
        REQUIRE(same_bits(s_vec, s_ref));
    }
}

}  // namespace

TEST_CASE("the f64x2 cascade is bit-identical to the scalar reference") {
    std::mt19937 rng(42);
    for (std::size_t channels : {1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 9u})
        for (std::size_t n_sections : {0u, 1u, 2u, 3u, 4u, 5u, 7u, 8u, 9u})
            for (std::size_t frames : {1u, 3u, 4u, 5u, 128u, 300u})
                for (bool ramp : {false, true}) check({channels, channels, n_sections, frames, ramp}, rng);
}

TEST_CASE("the f64x2 cascade leaves the channels it is not given alone") {
    std::mt19937 rng(3);
    for (std::size_t filter_channels : {2u, 3u, 5u, 8u})
        for (std::size_t channels = 1; channels < filter_channels; ++channels)
            for (bool ramp : {false, true}) check({channels, filter_channels, 3, 257, ramp}, rng);
}

TEST_CASE("the f64x2 cascade recovers from NaN and infinity at the chunk boundary, like the reference") {
    std::mt19937 rng(9);
    for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()})
        for (std::size_t channels : {1u, 2u, 3u, 8u}) {
            // Bit-identical includes the NaNs' positions; the state is finite again after the chunk.
            Case k{channels, channels, 8, 600, false, bad};
            check(k, rng);
            k.ramp = true;
            check(k, rng);
        }
}
