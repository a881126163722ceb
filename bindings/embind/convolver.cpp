// quaver::FftConvolver for JS. The object owns an input/output block of the
// WASM heap that JS copies audio into and out of (block_frames per call), and,
// until load(), a staging block for the impulse response: JS writes the
// response there, then load() transforms it and frees the staging block.
//
// JS (bindings/js/src/dsp.js) checks every argument before calling in; the
// factory returns null when the heap has no room rather than abort.
#include <emscripten/bind.h>

#include "dsp_heap.hpp"

#include <cstdint>
#include <optional>
#include <vector>

#include "quaver/dsp/fft_convolver.hpp"

namespace {

// Frames JS hands over per process() call; longer buffers go in several calls.
constexpr std::size_t block_frames = 2048;

using quaver_embind::address;
using quaver_embind::heap_has_room;

class JsConvolver {
public:
    JsConvolver(std::uint32_t length, std::uint32_t block_size, quaver::ConvolverLatency latency)
        : response_(length), block_size_(block_size), latency_(latency), audio_(block_frames) {}

    std::uint32_t response_address() const { return address(response_.data()); }
    std::uint32_t audio_address() const { return address(audio_.data()); }
    std::uint32_t partitions() const { return convolver_ ? static_cast<std::uint32_t>(convolver_->partitions()) : 0; }
    std::uint32_t tail_block_size() const {
        return convolver_ ? static_cast<std::uint32_t>(convolver_->tail_block_size()) : 0;
    }

    // Transforms the staged response.
    void load() {
        convolver_.emplace(response_.data(), response_.size(), block_size_, latency_);
        std::vector<float>().swap(response_);
    }
    // In place on the first `frames` floats of the audio block.
    void process(std::uint32_t frames) { convolver_->process(audio_.data(), audio_.data(), frames); }
    void reset() { convolver_->reset(); }

private:
    std::vector<float> response_;
    std::size_t block_size_;
    quaver::ConvolverLatency latency_;
    std::vector<float> audio_;
    std::optional<quaver::FftConvolver> convolver_;
};

/// Null when the heap has no room. Preconditions (checked in JS): length >= 1,
/// block_size a supported block size (quaver::FftConvolver).
JsConvolver* create_convolver(std::uint32_t length, std::uint32_t block_size, bool zero_latency) {
    const std::uint64_t bins = (std::uint64_t{block_size} + 1 + 15) / 16 * 16;
    const std::uint64_t partitions = (std::uint64_t{length} + block_size - 1) / block_size;
    // Staging, two rings of spectra, the plan (8 B) and 6 B of buffers: an
    // upper bound for the head alone, and for a head and tail (whose
    // partitions hold the same taps in 16 times fewer, 16 times longer
    // spectra, plus a plan and buffers of 16 B each, generously; the direct
    // taps of zero latency are within that).
    const std::uint64_t floats = length + 2 * partitions * 2 * bins + 24 * 17 * std::uint64_t{block_size} +
                                 2 * 17 * bins + block_frames;
    if (!heap_has_room(floats * sizeof(float) + 4096)) return nullptr;
    return new JsConvolver(length, block_size,
                           zero_latency ? quaver::ConvolverLatency::zero : quaver::ConvolverLatency::block);
}

}  // namespace

EMSCRIPTEN_BINDINGS(quaver_convolver) {
    using namespace emscripten;
    class_<JsConvolver>("QuaverConvolver")
        .function("responseAddress", &JsConvolver::response_address)
        .function("audioAddress", &JsConvolver::audio_address)
        .function("partitions", &JsConvolver::partitions)
        .function("tailBlockSize", &JsConvolver::tail_block_size)
        .function("load", &JsConvolver::load)
        .function("process", &JsConvolver::process)
        .function("reset", &JsConvolver::reset);
    function("createConvolver", &create_convolver, allow_raw_pointers());
    constant("quaverConvolverBlockFrames", static_cast<std::uint32_t>(block_frames));
}
