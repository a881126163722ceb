// quaver::SpectrumAnalyzer and quaver::stft for JS.
//
// The analyser exchanges samples and spectra through one block of the WASM
// heap (max_fft_size floats) that JS views. An STFT is a job object: JS
// copies the signal into its heap block, then either runs it on this thread
// or, in the threaded build, starts it on a pthread of its own; the job
// stores 1 into a 32-bit word when done and notifies it (memory.atomic.notify),
// which the main thread awaits with Atomics.waitAsync, never blocking.
//
// JS (bindings/js/src/dsp.js) checks every argument before calling in; the
// factories return null when the heap has no room rather than abort.
#include <emscripten/bind.h>

#include "dsp_heap.hpp"

#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

#ifdef __EMSCRIPTEN_PTHREADS__
#include <thread>
#endif

#include "quaver/dsp/spectrum_analyzer.hpp"
#include "quaver/dsp/stft.hpp"
#include "quaver/sched/detail/parking.hpp"

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

class JsStft {
public:
    JsStft(std::uint32_t samples, const quaver::StftOptions& options) : signal_(samples), options_(options) {}

    ~JsStft() {
#ifdef __EMSCRIPTEN_PTHREADS__
        if (thread_.joinable()) thread_.join();  // JS deletes a job only once it is done
#endif
    }

    std::uint32_t signal_address() const { return address(signal_.data()); }
    std::uint32_t done_address() const { return address(&done_); }

    /// Computes on the calling thread.
    void run() {
        result_ = quaver::stft(signal_, options_);
        done_.store(1, std::memory_order_release);
    }

    /// Computes on a new pthread (the threaded build; JS checks that the
    /// module has a free pthread first) and notifies done_ at the end.
    void start() {
#ifdef __EMSCRIPTEN_PTHREADS__
        thread_ = std::thread([this] {
            run();
            quaver::detail::unpark_all(done_);
        });
#else
        run();
#endif
    }

    std::uint32_t frames() const { return static_cast<std::uint32_t>(result_.frames); }
    std::uint32_t bins() const { return static_cast<std::uint32_t>(result_.bins); }
    std::uint32_t magnitudes_address() const { return address(result_.magnitudes.data()); }

private:
    std::vector<float> signal_;
    quaver::StftOptions options_;
    quaver::Spectrogram result_;
    alignas(4) std::atomic<std::uint32_t> done_{0};
#ifdef __EMSCRIPTEN_PTHREADS__
    std::thread thread_;
#endif
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
        .function("doneAddress", &JsStft::done_address)
        .function("run", &JsStft::run)
        .function("start", &JsStft::start)
        .function("frames", &JsStft::frames)
        .function("bins", &JsStft::bins)
        .function("magnitudesAddress", &JsStft::magnitudes_address);
    function("createStft", &create_stft, allow_raw_pointers());
}
