// quaver::SpectrumAnalyzer and quaver::stft for JS.
//
// The analyser exchanges samples and spectra through one block of the WASM
// heap (max_fft_size floats) that JS views. An STFT is a job object: JS
// copies the signal into its heap block, then either runs it on this thread
// (the builds without threads) or, in the threaded build, submits it to the
// package's worker pool (pool.cpp) as a PoolJob: a worker runs quaver::stft
// with the pool, its chunks spread over the other workers, and the result
// comes back through the pool's completion queue like any pool job, so the
// main thread never blocks.
//
// JS (bindings/js/src/dsp.js) checks every argument before calling in; the
// factories return null when the heap has no room rather than abort.
#include <emscripten/bind.h>

#include "dsp_heap.hpp"
#include "pool_job.hpp"

#include <cstdint>
#include <span>
#include <vector>

#include "quaver/dsp/spectrum_analyzer.hpp"
#include "quaver/dsp/stft.hpp"
#include "quaver/sched/worker_pool.hpp"

namespace {

using quaver_embind::address;
using quaver_embind::heap_has_room;

class JsAnalyzer {
public:
    static constexpr std::size_t block = quaver::SpectrumAnalyzer::max_fft_size;

    JsAnalyzer(std::uint32_t fft_size, double smoothing, double min_db, double max_db)
        : analyzer_(quaver::SpectrumAnalyzerOptions{fft_size, min_db, max_db, smoothing}), floats_(block), bytes_(block) {}

    std::uint32_t float_address() const { return address(floats_.data()); }
    std::uint32_t byte_address() const { return address(bytes_.data()); }

    void set_fft_size(std::uint32_t n) { analyzer_.set_fft_size(n); }
    void set_smoothing(double v) { analyzer_.set_smoothing_time_constant(v); }
    void set_decibel_range(double lo, double hi) { analyzer_.set_decibel_range(lo, hi); }

    /// Appends floats_[0 .. count), count <= block.
    void push(std::uint32_t count) { analyzer_.push(floats_.data(), count); }
    void float_frequency(std::uint32_t count) { analyzer_.get_float_frequency_data(std::span(floats_.data(), count)); }
    void byte_frequency(std::uint32_t count) { analyzer_.get_byte_frequency_data(std::span(bytes_.data(), count)); }
    void float_time(std::uint32_t count) { analyzer_.get_float_time_domain_data(std::span(floats_.data(), count)); }
    void byte_time(std::uint32_t count) { analyzer_.get_byte_time_domain_data(std::span(bytes_.data(), count)); }

private:
    quaver::SpectrumAnalyzer analyzer_;
    std::vector<float> floats_;
    std::vector<std::uint8_t> bytes_;
};

/// Null when the heap has no room. Preconditions (checked in JS): the
/// analyser's (a power of two in [32, 32768], finite min < max, 0 <= smoothing <= 1).
JsAnalyzer* create_analyzer(std::uint32_t fft_size, double smoothing, double min_db, double max_db) {
    // History, window, frame, bins and magnitudes: under 8 blocks of floats.
    if (!heap_has_room(8 * JsAnalyzer::block * sizeof(float))) return nullptr;
    return new JsAnalyzer(fft_size, smoothing, min_db, max_db);
}

class JsStft final : public quaver_embind::PoolJob {
public:
    JsStft(std::uint32_t samples, const quaver::StftOptions& options) : signal_(samples), options_(options) {}

    std::uint32_t signal_address() const { return address(signal_.data()); }
    /// The address of this job as a PoolJob, for pool.js to submit.
    std::uint32_t job_address() { return address(static_cast<quaver_embind::PoolJob*>(this)); }

    /// Computes on the calling thread.
    /// Real-time: no (allocates).
    void run() { result_ = quaver::stft(signal_, options_); }

    /// Computes on a worker of `pool`, spreading frames over the others
    /// (bit-identical to run()).
    /// Real-time: no (allocates; waits for its chunks, helping meanwhile).
    double run(quaver::WorkerPool& pool, std::uint32_t priority) override {
        result_ = quaver::stft(signal_, options_, &pool, static_cast<quaver::Priority>(priority));
        return static_cast<double>(result_.frames);
    }

    std::uint32_t frames() const { return static_cast<std::uint32_t>(result_.frames); }
    std::uint32_t bins() const { return static_cast<std::uint32_t>(result_.bins); }
    std::uint32_t magnitudes_address() const { return address(result_.magnitudes.data()); }

private:
    std::vector<float> signal_;
    quaver::StftOptions options_;
    quaver::Spectrogram result_;
};

/// Null when the heap has no room for the signal, the spectrogram and a plan.
/// Preconditions (checked in JS): fft_size even 2^a 3^b 5^c, hop >= 1, window < 6.
JsStft* create_stft(std::uint32_t samples, std::uint32_t fft_size, std::uint32_t hop, std::uint32_t window,
                    bool centered) {
    quaver::StftOptions options;
    options.fft_size = fft_size;
    options.hop = hop;
    options.window = static_cast<quaver::WindowType>(window);
    options.framing = centered ? quaver::StftFraming::centered : quaver::StftFraming::start;
    options.output = quaver::StftOutput::magnitude;
    const std::uint64_t frames = quaver::stft_frame_count(samples, options);
    // The signal, the spectrogram, and a plan, window and scratch of a few fft_size floats.
    const std::uint64_t floats = std::uint64_t{samples} + frames * (fft_size / 2 + 1) + 16 * std::uint64_t{fft_size};
    if (!heap_has_room(floats * sizeof(float))) return nullptr;
    return new JsStft(samples, options);
}

}  // namespace

EMSCRIPTEN_BINDINGS(quaver_analysis) {
    using namespace emscripten;
    class_<JsAnalyzer>("QuaverSpectrumAnalyzer")
        .function("floatAddress", &JsAnalyzer::float_address)
        .function("byteAddress", &JsAnalyzer::byte_address)
        .function("setFftSize", &JsAnalyzer::set_fft_size)
        .function("setSmoothingTimeConstant", &JsAnalyzer::set_smoothing)
        .function("setDecibelRange", &JsAnalyzer::set_decibel_range)
        .function("push", &JsAnalyzer::push)
        .function("getFloatFrequencyData", &JsAnalyzer::float_frequency)
        .function("getByteFrequencyData", &JsAnalyzer::byte_frequency)
        .function("getFloatTimeDomainData", &JsAnalyzer::float_time)
        .function("getByteTimeDomainData", &JsAnalyzer::byte_time);
    function("createSpectrumAnalyzer", &create_analyzer, allow_raw_pointers());
    class_<JsStft>("QuaverStft")
        .function("signalAddress", &JsStft::signal_address)
        .function("jobAddress", &JsStft::job_address)
        .function("run", static_cast<void (JsStft::*)()>(&JsStft::run))
        .function("frames", &JsStft::frames)
        .function("bins", &JsStft::bins)
        .function("magnitudesAddress", &JsStft::magnitudes_address);
    function("createStft", &create_stft, allow_raw_pointers());
}
