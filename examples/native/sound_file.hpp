#pragma once
// Whole-file WAV (and any other libsndfile format) input and output for the
// example programs: samples as interleaved floats in [-1, 1].
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace examples {

struct SoundFile {
    int sample_rate = 0;
    int channels = 0;
    int format = 0;  ///< libsndfile's SF_FORMAT_* bits: container | subtype
    std::vector<float> samples;  ///< frames() * channels, interleaved

    std::size_t frames() const { return channels == 0 ? 0 : samples.size() / static_cast<std::size_t>(channels); }
};

namespace detail {
struct SndfileCloser {
    void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfileHandle = std::unique_ptr<SNDFILE, SndfileCloser>;
}  // namespace detail

/// Reads a whole file. Throws std::runtime_error with libsndfile's reason.
inline SoundFile read_sound_file(const std::string& path) {
    SF_INFO info{};
    detail::SndfileHandle file(sf_open(path.c_str(), SFM_READ, &info));
    if (!file) throw std::runtime_error("cannot read '" + path + "': " + sf_strerror(nullptr));
    SoundFile out;
    out.sample_rate = info.samplerate;
    out.channels = info.channels;
    out.format = info.format;
    out.samples.resize(static_cast<std::size_t>(info.frames) * static_cast<std::size_t>(info.channels));
    const sf_count_t got = sf_readf_float(file.get(), out.samples.data(), info.frames);
    out.samples.resize(static_cast<std::size_t>(got) * static_cast<std::size_t>(info.channels));
    return out;
}

/// Writes `sound` with its sample rate, channels and format. Samples beyond
/// [-1, 1] are clipped when the format is integer (rather than wrapping).
/// Throws std::runtime_error with libsndfile's reason.
inline void write_sound_file(const std::string& path, const SoundFile& sound) {
    SF_INFO info{};
    info.samplerate = sound.sample_rate;
    info.channels = sound.channels;
    info.format = sound.format;
    if (!sf_format_check(&info)) throw std::runtime_error("libsndfile cannot write this format to '" + path + "'");
    detail::SndfileHandle file(sf_open(path.c_str(), SFM_WRITE, &info));
    if (!file) throw std::runtime_error("cannot write '" + path + "': " + sf_strerror(nullptr));
    sf_command(file.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
    const auto frames = static_cast<sf_count_t>(sound.frames());
    if (sf_writef_float(file.get(), sound.samples.data(), frames) != frames) {
        throw std::runtime_error("writing '" + path + "' failed: " + sf_strerror(file.get()));
    }
}

/// Prints "output peak P (D dBFS)", adding ", clipped" when the file's
/// integer format could not hold it (written clipped, see write_sound_file).
inline void print_output_peak(const SoundFile& sound) {
    float peak = 0;
    for (float x : sound.samples) peak = std::max(peak, std::abs(x));
    const bool clipped = peak > 1 && (sound.format & SF_FORMAT_SUBMASK) != SF_FORMAT_FLOAT;
    std::printf("output peak %.3f (%.1f dBFS)%s\n", peak, 20 * std::log10(std::max(peak, 1e-12f)),
                clipped ? ", clipped" : "");
}

}  // namespace examples
