#pragma once
// ParametricEq: up to 32 Web Audio biquad bands in series over N planar
// channels. A control thread changes bands through a MessageQueue; the audio
// thread picks the changes up once per process() call and glides to them, so
// sweeping a band's gain, frequency or Q makes no zipper noise.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "quaver/core/assert.hpp"
#include "quaver/dsp/biquad.hpp"
#include "quaver/dsp/biquad_design.hpp"
#include "quaver/dsp/biquad_kernel.hpp"
#include "quaver/ring/message_queue.hpp"

namespace quaver {

namespace detail {
struct EqSetBand {
    std::uint32_t index;
    BiquadParams params;
};
struct EqResetState {};
}  // namespace detail

/// A cascade of biquad bands (any of the eight Web Audio types) over N channels.
///
/// Threads: the control functions (set_band, band, request_reset,
/// frequency_response) belong to one control thread at a time (a UI thread);
/// process() and the audio-side accessors belong to the audio thread. They
/// talk only through a lock-free message queue.
///
/// Smoothing: frequency (on a log scale), Q and gain follow their targets with
/// a one-pole glide (time constant `glide_seconds`, 10 ms by default) updated
/// every 64 frames; the coefficients move linearly from one update to the
/// next within those 64 frames. The stability region of (a1, a2) is convex, so
/// a straight line between two stable filters stays stable. A change of type,
/// or to or from frequency 0, is not glided: the band jumps.
class ParametricEq {
public:
    static constexpr std::size_t max_bands = 32;
    /// Frames between two updates of the glide.
    static constexpr std::size_t glide_frames = 64;

    /// `bands` bands, all initially neutral (peaking, 1 kHz, Q 1, 0 dB). With a
    /// glide time of 0 a change takes effect exactly at the next process();
    /// `queue_capacity` bounds the changes in flight between two process() calls.
    /// Throws: std::invalid_argument for 0 channels, bands above max_bands, a
    /// sample rate that is not positive, or a negative glide time.
    /// Real-time: no (allocates).
    ParametricEq(double sample_rate, std::size_t channels, std::size_t bands, double glide_seconds = 0.01,
                 std::size_t queue_capacity = 256)
        : sample_rate_(sample_rate),
          channels_(channels),
          bands_(bands),
          stride_(detail::biquad_state_stride(channels)),
          queue_(queue_capacity) {
        if (channels == 0) throw std::invalid_argument("ParametricEq: channels must be at least 1");
        if (bands > max_bands) throw std::invalid_argument("ParametricEq: at most 32 bands");
        if (!(sample_rate > 0)) throw std::invalid_argument("ParametricEq: sample rate must be positive");
        if (!(glide_seconds >= 0)) throw std::invalid_argument("ParametricEq: glide time must not be negative");
        glide_step_ = glide_seconds > 0 ? 1 - std::exp(-static_cast<double>(glide_frames) / (glide_seconds * sample_rate))
                                        : 1.0;
        state_.assign(4 * max_bands * stride_, 0.0);
        in_ptrs_.resize(channels);
        out_ptrs_.resize(channels);
        const BiquadParams neutral{BiquadType::peaking, 1000, 1, 0, 0};
        for (std::size_t b = 0; b < max_bands; ++b) {
            control_[b] = neutral;
            audio_[b] = {neutral, neutral, design_biquad(neutral, sample_rate)};
        }
    }

    /// Real-time: wait-free, no allocation.
    std::size_t channels() const noexcept { return channels_; }
    /// Real-time: wait-free, no allocation.
    std::size_t bands() const noexcept { return bands_; }
    /// Real-time: wait-free, no allocation.
    double sample_rate() const noexcept { return sample_rate_; }

    // ------------------------------------------------------------ control thread

    /// Asks the audio thread to move band `index` to `params` (it glides there).
    /// Returns: false, and nothing changes, when the message queue is full.
    /// Preconditions: index < bands(); the parameters are finite.
    /// Real-time: lock-free, no allocation.
    bool set_band(std::size_t index, const BiquadParams& params) noexcept {
        QUAVER_ASSERT(index < bands_, "band index out of range");
        if (!queue_.try_send(detail::EqSetBand{static_cast<std::uint32_t>(index), params})) return false;
        control_[index] = params;
        return true;
    }

    /// The parameters last set for band `index` (what the audio thread glides towards).
    /// Real-time: wait-free, no allocation.
    const BiquadParams& band(std::size_t index) const noexcept {
        QUAVER_ASSERT(index < bands_, "band index out of range");
        return control_[index];
    }

    /// Asks the audio thread to clear the filter state (e.g. after a seek).
    /// Returns: false when the message queue is full.
    /// Real-time: lock-free, no allocation.
    bool request_reset() noexcept { return queue_.try_send(detail::EqResetState{}); }

    /// Magnitude and phase of the whole EQ as set (the glide's destination),
    /// like getFrequencyResponse(); NaN outside [0, sample_rate/2].
    /// Preconditions: magnitude and phase_rad are as long as frequencies_hz.
    /// Real-time: wait-free, no allocation.
    void frequency_response(std::span<const float> frequencies_hz, std::span<float> magnitude,
                            std::span<float> phase_rad) const noexcept {
        std::array<BiquadCoefficients, max_bands> c;
        for (std::size_t b = 0; b < bands_; ++b) c[b] = design_biquad(control_[b], sample_rate_);
        quaver::frequency_response(std::span<const BiquadCoefficients>(c.data(), bands_), frequencies_hz,
                                   sample_rate_, magnitude, phase_rad);
    }

    // ------------------------------------------------------------ audio thread

    /// Applies pending changes, then filters `frames` frames of every channel.
    /// `in[c] == out[c]` (in place) is allowed.
    /// Preconditions: in and out hold channels() pointers to `frames` floats.
    /// Real-time: wait-free, no allocation.
    void process(const float* const* in, float* const* out, std::size_t frames) noexcept {
        queue_.drain([this](const auto& msg) { apply(msg); });
        std::size_t done = 0;
        while (done < frames) {
            for (std::size_t c = 0; c < channels_; ++c) in_ptrs_[c] = in[c] + done, out_ptrs_[c] = out[c] + done;
            if (!gliding_) {
                // Everything holds still: the rest of the call in one go.
                run(frames - done, false);
                return;
            }
            // The glide advances at fixed 64-frame boundaries, whatever the call sizes.
            const std::size_t n = std::min(frames - done, glide_frames - glide_phase_);
            const bool ramp = prepare_glide_segment(n);
            run(n, ramp);
            glide_phase_ = (glide_phase_ + n) % glide_frames;
            done += n;
        }
    }

    /// Clears the filter state now (audio thread).
    /// Real-time: wait-free, no allocation.
    void reset() noexcept { std::fill(state_.begin(), state_.end(), 0.0); }

    /// The coefficients band `index` uses at this moment (audio thread).
    /// Real-time: wait-free, no allocation.
    const BiquadCoefficients& current_coefficients(std::size_t index) const noexcept {
        QUAVER_ASSERT(index < bands_, "band index out of range");
        return audio_[index].coefficients;
    }

private:
    struct AudioBand {
        BiquadParams current;  // where the glide is
        BiquadParams target;
        BiquadCoefficients coefficients;  // of `current`
    };

    void apply(const detail::EqSetBand& m) noexcept {
        AudioBand& b = audio_[m.index];
        b.target = m.params;
        const bool jump = b.current.type != b.target.type || !(b.current.frequency > 0) || !(b.target.frequency > 0) ||
                          glide_step_ >= 1;
        if (jump) {
            b.current = b.target;
            b.coefficients = design_biquad(b.current, sample_rate_);
            segment_from_[m.index] = segment_to_[m.index] = b.coefficients;
        }
        gliding_ = gliding_ || b.current != b.target;
    }
    void apply(const detail::EqResetState&) noexcept { reset(); }

    // Moves every gliding band one step towards its target and builds the
    // sections that ramp over the next n frames; false when nothing moves.
    bool prepare_glide_segment(std::size_t n) noexcept {
        const bool boundary = glide_phase_ == 0;
        bool any_ramp = false, moving = false;
        for (std::size_t i = 0; i < bands_; ++i) {
            AudioBand& b = audio_[i];
            if (boundary && b.current != b.target) {
                const BiquadCoefficients from = b.coefficients;
                b.current = glide(b.current, b.target);
                b.coefficients = design_biquad(b.current, sample_rate_);
                // The new coefficients are reached at the end of this 64-frame
                // segment; a call that ends mid-segment continues the same
                // line next time (segment_from_/segment_to_ keep it).
                segment_from_[i] = from;
                segment_to_[i] = b.coefficients;
            } else if (boundary) {
                segment_from_[i] = segment_to_[i] = b.coefficients;
            }
            moving = moving || b.current != b.target;
            // Position along this segment's line: frames glide_phase_ .. glide_phase_ + n.
            const double t0 = static_cast<double>(glide_phase_) / glide_frames;
            const double t1 = static_cast<double>(glide_phase_ + n) / glide_frames;
            const BiquadCoefficients a = lerp(segment_from_[i], segment_to_[i], t0);
            const BiquadCoefficients z = lerp(segment_from_[i], segment_to_[i], t1);
            sections_[i] = detail::BiquadSection::ramp(a, z, n);
            any_ramp = any_ramp || sections_[i].ramps();
        }
        // Stop once every band has arrived and this segment has been played out.
        if (glide_phase_ + n == glide_frames && !moving) gliding_ = false;
        return any_ramp;
    }

    static BiquadCoefficients lerp(const BiquadCoefficients& a, const BiquadCoefficients& b, double t) noexcept {
        if (t <= 0) return a;
        if (t >= 1) return b;
        return {a.b0 + (b.b0 - a.b0) * t, a.b1 + (b.b1 - a.b1) * t, a.b2 + (b.b2 - a.b2) * t,
                a.a1 + (b.a1 - a.a1) * t, a.a2 + (b.a2 - a.a2) * t};
    }

    // One glide step: log-frequency, Q and gain move by glide_step_ of the way;
    // within a small distance they snap, so a glide ends exactly on target.
    BiquadParams glide(BiquadParams p, const BiquadParams& t) const noexcept {
        auto move = [this](double& v, double target, double snap) {
            v += (target - v) * glide_step_;
            if (std::abs(target - v) < snap) v = target;
        };
        double lf = std::log2(p.frequency);
        move(lf, std::log2(t.frequency), 1e-4);  // 1e-4 octave
        p.frequency = lf == std::log2(t.frequency) ? t.frequency : std::exp2(lf);
        move(p.q, t.q, 1e-4 * std::max(1.0, std::abs(t.q)));
        move(p.gain_db, t.gain_db, 1e-3);
        move(p.detune_cents, t.detune_cents, 0.01);
        return p;
    }

    void run(std::size_t n, bool ramp) noexcept {
        if (!ramp)
            for (std::size_t i = 0; i < bands_; ++i) sections_[i] = detail::BiquadSection::fixed(audio_[i].coefficients);
        // Bands in lanes (the pipeline) for one or two channels; beyond two
        // channels, or for a single band, channels fill the lanes.
        if (channels_ <= 2 && bands_ >= 2)
            detail::biquad_run_pipelined(sections_.data(), bands_, state_.data(), stride_, in_ptrs_.data(),
                                         out_ptrs_.data(), channels_, n, ramp);
        else
            detail::biquad_run_channels(sections_.data(), bands_, state_.data(), stride_, in_ptrs_.data(),
                                        out_ptrs_.data(), channels_, n, ramp);
    }

    double sample_rate_;
    std::size_t channels_, bands_, stride_;
    double glide_step_ = 1;
    MessageQueue<detail::EqSetBand, detail::EqResetState> queue_;
    // Control thread.
    std::array<BiquadParams, max_bands> control_{};
    // Audio thread.
    std::array<AudioBand, max_bands> audio_{};
    std::array<detail::BiquadSection, max_bands> sections_{};
    std::array<BiquadCoefficients, max_bands> segment_from_{}, segment_to_{};
    std::vector<double> state_;
    std::vector<const float*> in_ptrs_;
    std::vector<float*> out_ptrs_;
    bool gliding_ = false;
    std::size_t glide_phase_ = 0;
};

}  // namespace quaver
