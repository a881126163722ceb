#pragma once
// quaver::SpectrumAnalyzer: the Web Audio AnalyserNode, outside a browser.
//
// Same numbers as Chromium's AnalyserNode (tests/dsp/analysis/ compares with
// fixtures recorded from Chromium itself): the newest fft_size samples are
// multiplied by the periodic Blackman window (alpha 0.16), transformed, and
// each of the fft_size/2 bins (DC .. one below Nyquist) is smoothed over time,
//   X^[k] = tau X^_prev[k] + (1 - tau) |X[k]| / fft_size,
// then reported as 20 log10(X^[k]) dB (-inf for an exact 0: silence), or as
// bytes floor(255 (dB - min_decibels) / (max_decibels - min_decibels))
// clamped to 0..255.
//
// When a new spectrum is computed: Chromium computes one (and applies one
// smoothing step) only when currentTime has advanced since the last
// get*FrequencyData call, i.e. at most once per render quantum; further calls
// in the same quantum return the same spectrum. Here the clock is push():
// the first frequency read after new samples arrived computes a new spectrum,
// later reads reuse it. So, as in the browser, the smoothing rate follows
// how often the spectrum is read, not how much audio went by.
//
// Agreement with Chromium 156 on a fixed signal (analyser_chromium_test):
// within 0.0013 dB (AVX2) / 0.0021 dB (portable) over bins above -100 dB,
// byte data identical. The small differences come from the FFT (ours vs
// PFFFT) and from smoothing and dB in float SIMD where Chromium uses double.
//
// One object, one thread: push() and the getters must not run concurrently.
// To feed it from an audio thread and draw on another, move the samples
// through an AudioRing and push them on the drawing side.
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "quaver/core/assert.hpp"
#include "quaver/dsp/detail/simd_kernels.hpp"
#include "quaver/dsp/fft.hpp"
#include "quaver/dsp/window.hpp"

namespace quaver {

QUAVER_HWY_EXPORT(analysis_window_multiply);
QUAVER_HWY_EXPORT(analysis_magnitude);
QUAVER_HWY_EXPORT(analysis_magnitude_smooth);
QUAVER_HWY_EXPORT(analysis_to_decibels);
QUAVER_HWY_EXPORT(analysis_to_bytes);

namespace detail {
// Dispatched entry points of the kernels in analysis-inl.h, shared with stft.hpp.
inline void window_multiply(const float* in, const float* window, float* out, std::size_t n) noexcept {
    QUAVER_HWY_DISPATCH(analysis_window_multiply)(in, window, out, n);
}
inline void magnitude(const std::complex<float>* bins, float* out, std::size_t n, float scale) noexcept {
    QUAVER_HWY_DISPATCH(analysis_magnitude)(reinterpret_cast<const float*>(bins), out, n, scale);
}
inline void magnitude_smooth(const std::complex<float>* bins, float* smoothed, std::size_t n, float scale,
                             float k) noexcept {
    QUAVER_HWY_DISPATCH(analysis_magnitude_smooth)(reinterpret_cast<const float*>(bins), smoothed, n, scale, k);
}
inline void to_decibels(const float* magnitude, float* out, std::size_t n) noexcept {
    QUAVER_HWY_DISPATCH(analysis_to_decibels)(magnitude, out, n);
}
inline void to_bytes(const float* magnitude, std::uint8_t* out, std::size_t n, float min_db,
                     float byte_scale) noexcept {
    QUAVER_HWY_DISPATCH(analysis_to_bytes)(magnitude, out, n, min_db, byte_scale);
}

// Scalar references: Chromium's RealtimeAnalyser arithmetic, in double where
// it uses double. The tests use them as the oracle for the SIMD kernels and
// the benchmarks as the floor.
namespace reference {
inline void magnitude_smooth(const std::complex<float>* bins, float* smoothed, std::size_t n, double scale,
                             double k) noexcept {
    for (std::size_t i = 0; i < n; ++i) {
        const double mag = std::abs(std::complex<double>(bins[i])) * scale;
        smoothed[i] = static_cast<float>(k * smoothed[i] + (1.0 - k) * mag);
    }
}
inline void to_decibels(const float* magnitude, float* out, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) out[i] = 20.0f * std::log10(magnitude[i]);
}
inline void to_bytes(const float* magnitude, std::uint8_t* out, std::size_t n, double min_db,
                     double max_db) noexcept {
    const double range_scale = 1.0 / (max_db - min_db);
    for (std::size_t i = 0; i < n; ++i) {
        const double db = 20.0f * std::log10(magnitude[i]);
        const double scaled = std::clamp(255.0 * (db - min_db) * range_scale, 0.0, 255.0);
        out[i] = static_cast<std::uint8_t>(scaled);
    }
}
inline std::uint8_t time_domain_byte(float x) noexcept {
    return static_cast<std::uint8_t>(std::clamp(128.0 * (static_cast<double>(x) + 1.0), 0.0, 255.0));
}
}  // namespace reference
}  // namespace detail

/// Settings of a SpectrumAnalyzer; the defaults are the AnalyserNode's.
struct SpectrumAnalyzerOptions {
    std::size_t fft_size = 2048;
    double min_decibels = -100.0;
    double max_decibels = -30.0;
    double smoothing_time_constant = 0.8;
};

class SpectrumAnalyzer {
public:
    static constexpr std::size_t min_fft_size = 32;
    static constexpr std::size_t max_fft_size = 32768;

    /// Effects: an analyser whose history holds max_fft_size zeros, so a later
    /// set_fft_size sees the samples already pushed, as in the browser.
    /// Real-time: no (allocates).
    /// Throws: std::invalid_argument when fft_size is not a power of two in
    /// [32, 32768], min_decibels >= max_decibels, either is not finite, or
    /// smoothing_time_constant is outside [0, 1] (the AnalyserNode's IndexSizeError).
    explicit SpectrumAnalyzer(const SpectrumAnalyzerOptions& options = {})
        : history_(max_fft_size, 0.0f) {
        check_fft_size(options.fft_size);
        check_decibels(options.min_decibels, options.max_decibels);
        check_smoothing(options.smoothing_time_constant);
        min_decibels_ = options.min_decibels;
        max_decibels_ = options.max_decibels;
        smoothing_ = options.smoothing_time_constant;
        resize(options.fft_size);
    }

    /// Real-time: wait-free, no allocation.
    std::size_t fft_size() const noexcept { return fft_size_; }
    /// fft_size / 2: the bins DC .. one below Nyquist.
    /// Real-time: wait-free, no allocation.
    std::size_t frequency_bin_count() const noexcept { return fft_size_ / 2; }
    /// Real-time: wait-free, no allocation.
    double min_decibels() const noexcept { return min_decibels_; }
    /// Real-time: wait-free, no allocation.
    double max_decibels() const noexcept { return max_decibels_; }
    /// Real-time: wait-free, no allocation.
    double smoothing_time_constant() const noexcept { return smoothing_; }

    /// Effects: changes the analysis size; the smoothed spectrum restarts from
    /// zero (as in Chromium) and the next frequency read computes a new one.
    /// Real-time: no (allocates).
    /// Throws: std::invalid_argument unless size is a power of two in [32, 32768].
    void set_fft_size(std::size_t size) {
        check_fft_size(size);
        if (size != fft_size_) resize(size);
    }

    /// Real-time: wait-free, no allocation.
    /// Throws: std::invalid_argument if value >= max_decibels() or is not finite.
    void set_min_decibels(double value) {
        check_decibels(value, max_decibels_);
        min_decibels_ = value;
    }

    /// Real-time: wait-free, no allocation.
    /// Throws: std::invalid_argument if value <= min_decibels() or is not finite.
    void set_max_decibels(double value) {
        check_decibels(min_decibels_, value);
        max_decibels_ = value;
    }

    /// Sets both ends at once, for a new range that does not overlap the old one.
    /// Real-time: wait-free, no allocation.
    /// Throws: std::invalid_argument if min_db >= max_db or either is not finite.
    void set_decibel_range(double min_db, double max_db) {
        check_decibels(min_db, max_db);
        min_decibels_ = min_db;
        max_decibels_ = max_db;
    }

    /// Real-time: wait-free, no allocation.
    /// Throws: std::invalid_argument unless 0 <= value <= 1.
    void set_smoothing_time_constant(double value) {
        check_smoothing(value);
        smoothing_ = value;
    }

    /// Appends mono samples to the history (only the newest max_fft_size are kept).
    /// Real-time: wait-free, no allocation.
    void push(const float* samples, std::size_t frames) noexcept {
        QUAVER_ASSERT(samples != nullptr || frames == 0, "push: null samples");
        frames_pushed_ += frames;
        if (frames > max_fft_size) {
            samples += frames - max_fft_size;
            frames = max_fft_size;
        }
        const std::size_t first = std::min(frames, max_fft_size - write_index_);
        std::memcpy(history_.data() + write_index_, samples, first * sizeof(float));
        std::memcpy(history_.data(), samples + first, (frames - first) * sizeof(float));
        write_index_ = (write_index_ + frames) & (max_fft_size - 1);
    }

    /// Real-time: wait-free, no allocation.
    void push(std::span<const float> samples) noexcept { push(samples.data(), samples.size()); }

    /// Writes the spectrum in dB into out[0 .. min(out.size(), frequency_bin_count())).
    /// Elements beyond are left alone, as in the browser.
    /// Effects: computes a new smoothed spectrum if samples were pushed since the last frequency read.
    /// Real-time: wait-free, no allocation.
    void get_float_frequency_data(std::span<float> out) noexcept {
        analyse_if_new();
        detail::to_decibels(magnitude_.data(), out.data(), std::min(out.size(), frequency_bin_count()));
    }

    /// Writes the spectrum as bytes scaled between min_decibels (0) and max_decibels (255).
    /// Effects: as get_float_frequency_data.
    /// Real-time: wait-free, no allocation.
    void get_byte_frequency_data(std::span<std::uint8_t> out) noexcept {
        analyse_if_new();
        const float byte_scale = static_cast<float>(255.0 / (max_decibels_ - min_decibels_));
        detail::to_bytes(magnitude_.data(), out.data(), std::min(out.size(), frequency_bin_count()),
                         static_cast<float>(min_decibels_), byte_scale);
    }

    /// Writes the newest min(out.size(), fft_size()) samples, oldest first.
    /// Real-time: wait-free, no allocation.
    void get_float_time_domain_data(std::span<float> out) const noexcept {
        copy_frame(out.data(), std::min(out.size(), fft_size_));
    }

    /// Writes the newest samples as bytes: clamp(128 (1 + x), 0, 255), truncated.
    /// Real-time: wait-free, no allocation.
    void get_byte_time_domain_data(std::span<std::uint8_t> out) const noexcept {
        const std::size_t n = std::min(out.size(), fft_size_);
        const std::size_t start = (write_index_ - fft_size_) & (max_fft_size - 1);
        for (std::size_t i = 0; i < n; ++i) {
            out[i] = detail::reference::time_domain_byte(history_[(start + i) & (max_fft_size - 1)]);
        }
    }

private:
    static void check_fft_size(std::size_t size) {
        if (size < min_fft_size || size > max_fft_size || (size & (size - 1)) != 0) {
            throw std::invalid_argument("quaver::SpectrumAnalyzer: fft_size must be a power of two in [32, 32768], got " +
                                        std::to_string(size));
        }
    }
    static void check_decibels(double min_db, double max_db) {
        if (!std::isfinite(min_db) || !std::isfinite(max_db)) {
            throw std::invalid_argument("quaver::SpectrumAnalyzer: min_decibels and max_decibels must be finite");
        }
        if (!(min_db < max_db)) {
            throw std::invalid_argument("quaver::SpectrumAnalyzer: min_decibels (" + std::to_string(min_db) +
                                        ") must be less than max_decibels (" + std::to_string(max_db) + ")");
        }
    }
    static void check_smoothing(double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw std::invalid_argument("quaver::SpectrumAnalyzer: smoothing_time_constant must be in [0, 1]");
        }
    }

    void resize(std::size_t size) {
        fft_.emplace(size);
        window_ = make_window(WindowType::blackman, size, WindowSymmetry::periodic);
        frame_.assign(size, 0.0f);
        bins_.assign(size / 2 + 1, {});
        magnitude_.assign(size / 2, 0.0f);
        fft_size_ = size;
        has_analysis_ = false;
    }

    // The first n samples of the current frame (the newest fft_size_ samples):
    // like the browser, a short array gets the oldest part of the frame.
    void copy_frame(float* out, std::size_t n) const noexcept {
        const std::size_t start = (write_index_ - fft_size_) & (max_fft_size - 1);
        const std::size_t first = std::min(n, max_fft_size - start);
        std::memcpy(out, history_.data() + start, first * sizeof(float));
        std::memcpy(out + first, history_.data(), (n - first) * sizeof(float));
    }

    void analyse_if_new() noexcept {
        if (has_analysis_ && analysed_at_ == frames_pushed_) return;
        has_analysis_ = true;
        analysed_at_ = frames_pushed_;
        copy_frame(frame_.data(), fft_size_);
        detail::window_multiply(frame_.data(), window_.data(), frame_.data(), fft_size_);
        fft_->forward(frame_.data(), bins_.data());
        const std::size_t bins = frequency_bin_count();
        const float scale = 1.0f / static_cast<float>(fft_size_);
        if (smoothing_ == 0.0) {
            detail::magnitude(bins_.data(), magnitude_.data(), bins, scale);
        } else {
            detail::magnitude_smooth(bins_.data(), magnitude_.data(), bins, scale, static_cast<float>(smoothing_));
        }
    }

    std::vector<float> history_;
    std::size_t write_index_ = 0;
    std::uint64_t frames_pushed_ = 0;
    std::uint64_t analysed_at_ = 0;
    bool has_analysis_ = false;

    std::size_t fft_size_ = 0;
    std::optional<RealFft> fft_;
    std::vector<float> window_;
    std::vector<float> frame_;
    std::vector<std::complex<float>> bins_;
    std::vector<float> magnitude_;

    double min_decibels_ = -100.0;
    double max_decibels_ = -30.0;
    double smoothing_ = 0.8;
};

}  // namespace quaver
