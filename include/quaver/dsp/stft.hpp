#pragma once
// quaver::stft: the short-time Fourier transform of a whole signal (a
// spectrogram), sequentially or spread over a WorkerPool.
//
// Framing. With StftFraming::centered (the default, librosa's center=True
// with zero padding) frame t is centred on sample t * hop: it covers samples
// [t hop - n/2, t hop - n/2 + n), zeros standing in outside the signal, and
// there are 1 + size / hop frames, so every sample is covered by n / hop
// frames and the first frame is centred on sample 0. With StftFraming::start
// frame t covers [t hop, t hop + n) and only frames that fit entirely in the
// signal are computed: 1 + (size - n) / hop of them (none if size < n).
//
// Output. Row-major frames x bins, bins = n/2 + 1 (DC .. Nyquist): the
// complex spectra X_t[k] = sum_j w[j] x_t[j] e^{-2 pi i jk/n} (unnormalised)
// and/or their magnitudes |X_t[k]|. For the amplitude of a tone divide by
// sum(w) = n * coherent_gain(w) (and double it for a one-sided spectrum).
//
// Parallel. Frames are independent, so the pool splits them into chunks;
// each thread computes with a RealFft plan of its own (a plan is used by one
// thread at a time) and every frame goes through the same kernels as in the
// sequential path: the results are bit-identical whichever path, thread or
// chunking computed them.
#include <algorithm>
#include <atomic>
#include <complex>
#include <cstddef>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "quaver/dsp/fft.hpp"
#include "quaver/dsp/spectrum_analyzer.hpp"
#include "quaver/dsp/window.hpp"
#include "quaver/sched/worker_pool.hpp"

namespace quaver {

enum class StftFraming {
    centered,  ///< frame t centred on sample t * hop, zero padding at both ends
    start,     ///< frame t starts at sample t * hop, only whole frames
};

enum class StftOutput {
    magnitude,  ///< Spectrogram::magnitudes only
    complex,    ///< Spectrogram::spectra only
    both,
};

struct StftOptions {
    /// Frame length n: even, of the form 2^a 3^b 5^c (what RealFft accepts).
    std::size_t fft_size = 2048;
    /// Samples between the starts of consecutive frames, >= 1.
    std::size_t hop = 512;
    WindowType window = WindowType::hann;
    WindowSymmetry symmetry = WindowSymmetry::periodic;
    StftFraming framing = StftFraming::centered;
    StftOutput output = StftOutput::magnitude;
};

/// frames x bins values, row-major. The vector not asked for is empty.
struct Spectrogram {
    std::size_t frames = 0;
    std::size_t bins = 0;
    std::vector<float> magnitudes;
    std::vector<std::complex<float>> spectra;

    /// Real-time: wait-free, no allocation.
    /// Preconditions: magnitudes were computed; frame < frames.
    std::span<const float> magnitude_row(std::size_t frame) const noexcept {
        QUAVER_ASSERT(frame < frames && !magnitudes.empty(), "Spectrogram::magnitude_row out of range");
        return {magnitudes.data() + frame * bins, bins};
    }
    /// Real-time: wait-free, no allocation.
    /// Preconditions: spectra were computed; frame < frames.
    std::span<const std::complex<float>> spectrum_row(std::size_t frame) const noexcept {
        QUAVER_ASSERT(frame < frames && !spectra.empty(), "Spectrogram::spectrum_row out of range");
        return {spectra.data() + frame * bins, bins};
    }
};

/// The number of frames stft() computes for a signal of `size` samples.
/// Real-time: wait-free, no allocation.
inline std::size_t stft_frame_count(std::size_t size, const StftOptions& options) noexcept {
    if (options.hop == 0) return 0;
    if (options.framing == StftFraming::centered) return size == 0 ? 0 : 1 + size / options.hop;
    return size < options.fft_size ? 0 : 1 + (size - options.fft_size) / options.hop;
}

namespace detail {
// What one thread needs to compute frames: a plan of its own and scratch.
struct StftWorkspace {
    std::atomic<bool> busy{false};
    std::optional<RealFft> fft;
    std::vector<float> frame;
    std::vector<std::complex<float>> bins;

    void prepare(std::size_t n) {
        if (!fft) {
            fft.emplace(n);
            frame.resize(n);
            bins.resize(n / 2 + 1);
        }
    }
};

class StftFrames {
public:
    StftFrames(std::span<const float> signal, const StftOptions& options, const std::vector<float>& window,
               Spectrogram& out)
        : signal_(signal), options_(options), window_(window), out_(out) {}

    /// Computes frames [begin, end) with the workspace's plan and scratch.
    void run(std::size_t begin, std::size_t end, StftWorkspace& ws) const {
        const std::size_t n = options_.fft_size;
        ws.prepare(n);
        for (std::size_t t = begin; t < end; ++t) {
            gather(t, ws.frame.data());
            detail::window_multiply(ws.frame.data(), window_.data(), ws.frame.data(), n);
            std::complex<float>* spectrum = out_.spectra.empty() ? ws.bins.data() : out_.spectra.data() + t * out_.bins;
            ws.fft->forward(ws.frame.data(), spectrum);
            if (!out_.magnitudes.empty()) {
                detail::magnitude(spectrum, out_.magnitudes.data() + t * out_.bins, out_.bins, 1.0f);
            }
        }
    }

private:
    // Copies frame t's samples, zeros where it reaches outside the signal.
    void gather(std::size_t t, float* frame) const noexcept {
        const std::size_t n = options_.fft_size;
        const std::ptrdiff_t size = static_cast<std::ptrdiff_t>(signal_.size());
        std::ptrdiff_t first = static_cast<std::ptrdiff_t>(t * options_.hop);
        if (options_.framing == StftFraming::centered) first -= static_cast<std::ptrdiff_t>(n / 2);
        const std::ptrdiff_t lo = std::clamp<std::ptrdiff_t>(first, 0, size);
        const std::ptrdiff_t hi = std::clamp<std::ptrdiff_t>(first + static_cast<std::ptrdiff_t>(n), 0, size);
        std::fill(frame, frame + n, 0.0f);
        if (hi > lo) {
            std::memcpy(frame + (lo - first), signal_.data() + lo, static_cast<std::size_t>(hi - lo) * sizeof(float));
        }
    }

    std::span<const float> signal_;
    const StftOptions& options_;
    const std::vector<float>& window_;
    Spectrogram& out_;
};
}  // namespace detail

/// The STFT of signal, on the pool if one is given (the calling thread takes
/// part), on the calling thread otherwise. Identical results either way.
/// Real-time: no (allocates; with a pool, may block).
/// Throws: std::invalid_argument if hop is 0 or fft_size is not even in
/// [2, 2^24] (as RealFft); what the pool throws.
inline Spectrogram stft(std::span<const float> signal, const StftOptions& options, WorkerPool* pool = nullptr,
                        Priority priority = Priority::normal) {
    if (options.hop == 0) throw std::invalid_argument("quaver::stft: hop must be at least 1");
    if (options.fft_size < 2 || options.fft_size % 2 != 0 || !is_supported_fft_size(options.fft_size / 2)) {
        throw std::invalid_argument("quaver::stft: fft_size must be even, from 2 to 2^24, got " +
                                    std::to_string(options.fft_size));
    }
    Spectrogram out;
    out.frames = stft_frame_count(signal.size(), options);
    out.bins = options.fft_size / 2 + 1;
    if (options.output != StftOutput::complex) out.magnitudes.assign(out.frames * out.bins, 0.0f);
    if (options.output != StftOutput::magnitude) out.spectra.assign(out.frames * out.bins, {});
    if (out.frames == 0) return out;

    const std::vector<float> window = make_window(options.window, options.fft_size, options.symmetry);
    const detail::StftFrames frames(signal, options, window, out);
    if (pool == nullptr || pool->worker_count() == 0 || out.frames < 2) {
        detail::StftWorkspace ws;
        frames.run(0, out.frames, ws);
        return out;
    }
    // Planning a 2048-point RealFft costs about as much as 12 frames (47 us
    // against 3.9 us a frame, CPU time: fft_real_plan and stft/quaver_seq in
    // analysis_bench, Zen 5), so plans are not made per chunk: each of the at
    // most worker_count() + 1 threads running chunks at once takes a free
    // workspace and plans it on first use.
    const std::size_t participants = pool->worker_count() + 1;
    std::unique_ptr<detail::StftWorkspace[]> workspaces(new detail::StftWorkspace[participants]);
    // Small chunks (8 per participant) keep the threads evenly loaded.
    const std::size_t grain = std::max<std::size_t>(1, out.frames / (8 * participants));
    pool->parallel_for(priority, 0, out.frames, grain, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = 0; i < participants; ++i) {
            detail::StftWorkspace& ws = workspaces[i];
            if (!ws.busy.exchange(true, std::memory_order_acquire)) {
                frames.run(begin, end, ws);
                ws.busy.store(false, std::memory_order_release);
                return;
            }
        }
        detail::StftWorkspace own;  // only if the pool grew meanwhile
        frames.run(begin, end, own);
    });
    return out;
}

/// stft(signal, options, &pool, priority).
/// Real-time: no (allocates, may block).
inline Spectrogram stft(std::span<const float> signal, const StftOptions& options, WorkerPool& pool,
                        Priority priority = Priority::normal) {
    return stft(signal, options, &pool, priority);
}

}  // namespace quaver
