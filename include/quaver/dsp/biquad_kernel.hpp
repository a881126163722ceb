#pragma once
// What Quaver's biquad kernels (biquad-inl.h) share with their callers: the
// section and state layout, the per-chunk housekeeping, and the plain scalar
// cascade that the tests use as the oracle.
//
// Arithmetic: direct form I in double, float only at the input and output.
// Chromium's BiquadFilterNode computes the same way (double coefficients and
// state, output rounded to float), so this matches it to float rounding.
// Measured on Chromium's own output (tests/dsp/biquad/data, 512 frames of
// impulse + noise): float coefficients with a float transposed direct form II
// are off by up to 1e-4 of full scale (lowpass 100 Hz, Q 10 dB, 48 kHz) and
// 5e-5 (peaking 20 Hz); the same form in double by 3e-5 at worst; direct form
// I in double gives bit-identical output for lowpass. Double costs almost
// nothing here: one channel is bound by the latency of its feedback chain,
// which is the same in float and double, and with several channels the lanes
// are channels, so double halves the lanes but not the per-channel latency.
// Direct form I also has no internal state that can overflow ahead of the
// output (unlike direct form II), and with the recurrence written as
//   y = (b0 x + b1 x1 + b2 x2 - a2 y2) - a1 y1
// the only loop-carried dependency from y1 is one FMA; direct form II
// transposed carries y through an FMA and an add per sample.
#include <cfloat>
#include <cmath>
#include <cstddef>

#include "quaver/dsp/biquad_design.hpp"

namespace quaver::detail {

/// Frames processed between two housekeeping passes (denormal flush and
/// non-finite reset); also the size of the kernels' stack scratch per lane.
inline constexpr std::size_t biquad_chunk_frames = 256;
/// Widest SIMD group the kernels use (4 doubles: AVX2; wider vectors are capped).
inline constexpr std::size_t biquad_max_lanes = 4;

/// One section's coefficients during a call: at frame n of the call (0-based)
/// the section uses c0 + (n + 1) * dc, so a ramp reaches c0 + frames * dc on
/// the last frame. dc is all zero when the coefficients hold still.
struct BiquadSection {
    double c0[5] = {1, 0, 0, 0, 0};  // b0, b1, b2, a1, a2
    double dc[5] = {0, 0, 0, 0, 0};

    static BiquadSection fixed(const BiquadCoefficients& c) noexcept {
        BiquadSection s;
        s.c0[0] = c.b0, s.c0[1] = c.b1, s.c0[2] = c.b2, s.c0[3] = c.a1, s.c0[4] = c.a2;
        return s;
    }
    /// Moves linearly from `from` (before the first frame) to `to` (at the last).
    static BiquadSection ramp(const BiquadCoefficients& from, const BiquadCoefficients& to, std::size_t frames) noexcept {
        BiquadSection s = fixed(from);
        const double t[5] = {to.b0, to.b1, to.b2, to.a1, to.a2};
        for (int k = 0; k < 5; ++k) s.dc[k] = (t[k] - s.c0[k]) / static_cast<double>(frames);
        return s;
    }
    bool ramps() const noexcept { return dc[0] != 0 || dc[1] != 0 || dc[2] != 0 || dc[3] != 0 || dc[4] != 0; }
};

/// State layout shared by every kernel: for section s, channel c, the values
/// x1, x2, y1, y2 (j = 0..3) live at state[(4 * s + j) * stride + c], where
/// stride >= channels is a multiple of biquad_max_lanes.
constexpr std::size_t biquad_state_index(std::size_t section, std::size_t j, std::size_t channel,
                                         std::size_t stride) noexcept {
    return (4 * section + j) * stride + channel;
}
constexpr std::size_t biquad_state_stride(std::size_t channels) noexcept {
    return (channels + biquad_max_lanes - 1) / biquad_max_lanes * biquad_max_lanes;
}

/// The housekeeping after each chunk, for one section and channel (x1, x2, y1,
/// y2 at stride apart). A state value below FLT_MIN is flushed to zero, as
/// Chromium does: it is far below what a float output can show, and it keeps a
/// decaying tail from ever reaching double denormals. A non-finite value (NaN
/// or infinity from the input, or an unstable filter) resets the section, so
/// the filter recovers by itself at the next chunk boundary.
inline void biquad_housekeep(double* s, std::size_t stride) noexcept {
    bool finite = true;
    for (int j = 0; j < 4; ++j) {
        double& v = s[j * stride];
        const double a = std::fabs(v);
        finite = finite && a <= DBL_MAX;
        if (a < FLT_MIN) v = 0;
    }
    if (!finite)
        for (int j = 0; j < 4; ++j) s[j * stride] = 0;
}

/// The oracle: the cascade one sample, one section, one channel at a time, in
/// double, with the kernels' chunking and housekeeping. Chunks restart at
/// every `chunk_origin` multiple of biquad_chunk_frames.
inline void biquad_cascade_reference(const BiquadSection* sections, std::size_t n_sections, double* state,
                                     std::size_t stride, const float* const* in, float* const* out,
                                     std::size_t channels, std::size_t frames) noexcept {
    for (std::size_t c = 0; c < channels; ++c) {
        for (std::size_t start = 0; start < frames; start += biquad_chunk_frames) {
            const std::size_t end = start + biquad_chunk_frames < frames ? start + biquad_chunk_frames : frames;
            for (std::size_t n = start; n < end; ++n) {
                double v = in[c][n];
                for (std::size_t s = 0; s < n_sections; ++s) {
                    const BiquadSection& q = sections[s];
                    const double i = static_cast<double>(n + 1);
                    const double b0 = q.c0[0] + i * q.dc[0], b1 = q.c0[1] + i * q.dc[1], b2 = q.c0[2] + i * q.dc[2];
                    const double a1 = q.c0[3] + i * q.dc[3], a2 = q.c0[4] + i * q.dc[4];
                    double* st = state + biquad_state_index(s, 0, c, stride);
                    double& x1 = st[0];
                    double& x2 = st[stride];
                    double& y1 = st[2 * stride];
                    double& y2 = st[3 * stride];
                    const double y = (b0 * v + b1 * x1 + b2 * x2 - a2 * y2) - a1 * y1;
                    x2 = x1, x1 = v, y2 = y1, y1 = y;
                    v = y;
                }
                out[c][n] = static_cast<float>(v);
            }
            for (std::size_t s = 0; s < n_sections; ++s) biquad_housekeep(state + biquad_state_index(s, 0, c, stride), stride);
        }
    }
}

}  // namespace quaver::detail
