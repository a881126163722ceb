#pragma once
// BiquadFilter: one Web Audio biquad (design_biquad) over one or more planar
// channels, computed like Chromium's BiquadFilterNode (see biquad_kernel.hpp),
// with the channels spread over SIMD lanes.
#include <cstddef>
#include <stdexcept>
#include <vector>

#include "quaver/core/assert.hpp"
#include "quaver/dsp/biquad_design.hpp"
#include "quaver/dsp/biquad_kernel.hpp"
#include "quaver/dsp/detail/simd_kernels.hpp"

namespace quaver {

QUAVER_HWY_EXPORT(biquad_cascade_channels);
QUAVER_HWY_EXPORT(biquad_cascade_pipelined);

namespace detail {
/// Runs `sections` over planar channels, one channel per SIMD lane.
/// Real-time: wait-free, no allocation.
inline void biquad_run_channels(const BiquadSection* sections, std::size_t n_sections, double* state,
                                std::size_t stride, const float* const* in, float* const* out, std::size_t channels,
                                std::size_t frames, bool ramp) noexcept {
    QUAVER_HWY_DISPATCH(biquad_cascade_channels)(sections, n_sections, state, stride, in, out, channels, frames, ramp);
}
/// Runs `sections` over 1 or 2 planar channels, one section per SIMD lane.
/// Real-time: wait-free, no allocation.
inline void biquad_run_pipelined(const BiquadSection* sections, std::size_t n_sections, double* state,
                                 std::size_t stride, const float* const* in, float* const* out, std::size_t channels,
                                 std::size_t frames, bool ramp) noexcept {
    QUAVER_ASSERT(channels == 1 || channels == 2, "the pipelined cascade runs one or two channels");
    QUAVER_HWY_DISPATCH(biquad_cascade_pipelined)(sections, n_sections, state, stride, in, out, channels, frames, ramp);
}
}  // namespace detail

/// One biquad section applied to every channel of a planar buffer.
/// Coefficients change instantly with set(); for glitch-free parameter sweeps
/// use ParametricEq, which interpolates.
///
/// A NaN or infinity in the input (or an unstable filter) makes the output
/// non-finite until the end of the current chunk of 256 frames (counted from
/// the start of each process call); the filter then resets that channel by
/// itself. Denormals cannot arise: state below FLT_MIN is flushed to zero at
/// every chunk boundary.
class BiquadFilter {
public:
    /// A pass-through filter for `channels` channels.
    /// Throws: std::invalid_argument if channels is 0.
    /// Real-time: no (allocates).
    explicit BiquadFilter(std::size_t channels = 1)
        : channels_(channels), stride_(detail::biquad_state_stride(channels)) {
        if (channels == 0) throw std::invalid_argument("BiquadFilter: channels must be at least 1");
        state_.assign(4 * stride_, 0.0);
    }

    /// A filter with Web Audio parameters.
    /// Real-time: no (allocates).
    BiquadFilter(const BiquadParams& params, double sample_rate, std::size_t channels = 1) : BiquadFilter(channels) {
        set(design_biquad(params, sample_rate));
    }

    /// Uses these coefficients from the next process() call on; the state is kept.
    /// Real-time: wait-free, no allocation.
    void set(const BiquadCoefficients& c) noexcept {
        coefficients_ = c;
        section_ = detail::BiquadSection::fixed(c);
    }
    /// Real-time: wait-free, no allocation.
    const BiquadCoefficients& coefficients() const noexcept { return coefficients_; }
    /// Real-time: wait-free, no allocation.
    std::size_t channels() const noexcept { return channels_; }

    /// Clears the state of every channel (silence in, silence out).
    /// Real-time: wait-free, no allocation.
    void reset() noexcept {
        for (double& v : state_) v = 0;
    }

    /// Filters channel 0. `in == out` is allowed.
    /// Preconditions: in and out hold `frames` floats.
    /// Real-time: wait-free, no allocation.
    void process(const float* in, float* out, std::size_t frames) noexcept {
        detail::biquad_run_channels(&section_, 1, state_.data(), stride_, &in, &out, 1, frames, false);
    }

    /// Filters channels [0, channels) of planar buffers; `in[c] == out[c]` is allowed.
    /// Preconditions: channels <= this->channels(); each in[c], out[c] holds `frames` floats.
    /// Real-time: wait-free, no allocation.
    void process(const float* const* in, float* const* out, std::size_t channels, std::size_t frames) noexcept {
        QUAVER_ASSERT(channels <= channels_, "more channels than the filter was made for");
        detail::biquad_run_channels(&section_, 1, state_.data(), stride_, in, out, channels, frames, false);
    }

private:
    std::size_t channels_;
    std::size_t stride_;
    std::vector<double> state_;
    BiquadCoefficients coefficients_{};
    detail::BiquadSection section_{};
};

}  // namespace quaver
