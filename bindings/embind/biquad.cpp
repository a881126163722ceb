// quaver::BiquadFilter and quaver::ParametricEq for JS. Each object owns a
// planar block of the WASM heap (channels x block_frames floats) that JS
// copies audio into and out of, and a small block for frequency responses.
//
// JS (bindings/js/src/dsp.js) checks every argument before calling in; the
// factories return null when the heap has no room rather than abort.
#include <emscripten/bind.h>

#include "dsp_heap.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "quaver/dsp/biquad.hpp"
#include "quaver/dsp/biquad_design.hpp"
#include "quaver/dsp/parametric_eq.hpp"

namespace {

// Frames per channel JS hands over per call; longer buffers go in several calls.
constexpr std::size_t block_frames = 2048;
// Frequencies per getFrequencyResponse call into C++.
constexpr std::size_t response_points = 1024;

using quaver_embind::address;
using quaver_embind::heap_has_room;

// The planar audio block and the response block both kinds share.
class Blocks {
public:
    explicit Blocks(std::size_t channels)
        : audio_(channels * block_frames), response_(3 * response_points), pointers_(channels) {
        for (std::size_t c = 0; c < channels; ++c) pointers_[c] = audio_.data() + c * block_frames;
    }
    std::uint32_t audio_address() const { return address(audio_.data()); }
    std::uint32_t response_address() const { return address(response_.data()); }

protected:
    std::span<const float> frequencies(std::size_t n) const { return {response_.data(), n}; }
    std::span<float> magnitudes(std::size_t n) { return {response_.data() + response_points, n}; }
    std::span<float> phases(std::size_t n) { return {response_.data() + 2 * response_points, n}; }
    float* const* channels() const { return pointers_.data(); }

private:
    std::vector<float> audio_;
    std::vector<float> response_;
    std::vector<float*> pointers_;
};

quaver::BiquadParams params(std::uint32_t type, double frequency, double q, double gain, double detune) {
    return {static_cast<quaver::BiquadType>(type), frequency, q, gain, detune};
}

class JsBiquad : public Blocks {
public:
    JsBiquad(double sample_rate, std::uint32_t channels) : Blocks(channels), filter_(channels), sample_rate_(sample_rate) {}

    // Embind binds a base-class member function to the base class: these forward.
    std::uint32_t audio_block() const { return audio_address(); }
    std::uint32_t response_block() const { return response_address(); }

    void set_params(std::uint32_t type, double frequency, double q, double gain, double detune) {
        filter_.set(quaver::design_biquad(params(type, frequency, q, gain, detune), sample_rate_));
    }
    /// Filters the first `channels` channels of the audio block in place.
    void process(std::uint32_t channels, std::uint32_t frames) { filter_.process(this->channels(), this->channels(), channels, frames); }
    void reset() { filter_.reset(); }
    void frequency_response(std::uint32_t n) {
        quaver::frequency_response(filter_.coefficients(), frequencies(n), sample_rate_, magnitudes(n), phases(n));
    }

private:
    quaver::BiquadFilter filter_;
    double sample_rate_;
};

class JsEq : public Blocks {
public:
    JsEq(double sample_rate, std::uint32_t channels, std::uint32_t bands, double glide_seconds)
        : Blocks(channels), eq_(sample_rate, channels, bands, glide_seconds) {}

    std::uint32_t audio_block() const { return audio_address(); }
    std::uint32_t response_block() const { return response_address(); }

    /// False when the EQ's message queue is full (process() drains it).
    bool set_band(std::uint32_t index, std::uint32_t type, double frequency, double q, double gain, double detune) {
        return eq_.set_band(index, params(type, frequency, q, gain, detune));
    }
    /// Filters every channel of the audio block in place.
    void process(std::uint32_t frames) { eq_.process(channels(), channels(), frames); }
    void reset() { eq_.reset(); }
    void frequency_response(std::uint32_t n) { eq_.frequency_response(frequencies(n), magnitudes(n), phases(n)); }

private:
    quaver::ParametricEq eq_;
};

std::uint64_t block_bytes(std::uint32_t channels) {
    return (std::uint64_t{channels} * block_frames + 3 * response_points) * sizeof(float) + 65536;
}

/// Null when the heap has no room. Preconditions (checked in JS): sample_rate > 0, 1 <= channels <= 32.
JsBiquad* create_biquad(double sample_rate, std::uint32_t channels) {
    if (!heap_has_room(block_bytes(channels))) return nullptr;
    return new JsBiquad(sample_rate, channels);
}

/// Null when the heap has no room. Preconditions (checked in JS): sample_rate > 0,
/// 1 <= channels <= 32, bands <= 32, glide_seconds >= 0.
JsEq* create_eq(double sample_rate, std::uint32_t channels, std::uint32_t bands, double glide_seconds) {
    if (!heap_has_room(block_bytes(channels))) return nullptr;
    return new JsEq(sample_rate, channels, bands, glide_seconds);
}

}  // namespace

EMSCRIPTEN_BINDINGS(quaver_biquad) {
    using namespace emscripten;
    constant("quaverBiquadBlockFrames", static_cast<std::uint32_t>(block_frames));
    constant("quaverBiquadResponsePoints", static_cast<std::uint32_t>(response_points));
    class_<JsBiquad>("QuaverBiquadFilter")
        .function("audioAddress", &JsBiquad::audio_block)
        .function("responseAddress", &JsBiquad::response_block)
        .function("setParams", &JsBiquad::set_params)
        .function("process", &JsBiquad::process)
        .function("reset", &JsBiquad::reset)
        .function("frequencyResponse", &JsBiquad::frequency_response);
    class_<JsEq>("QuaverParametricEq")
        .function("audioAddress", &JsEq::audio_block)
        .function("responseAddress", &JsEq::response_block)
        .function("setBand", &JsEq::set_band)
        .function("process", &JsEq::process)
        .function("reset", &JsEq::reset)
        .function("frequencyResponse", &JsEq::frequency_response);
    function("createBiquadFilter", &create_biquad, allow_raw_pointers());
    function("createParametricEq", &create_eq, allow_raw_pointers());
}
