// quaver-reverb: convolves a sound file with an impulse response (a room, a
// hall, a cabinet) through quaver::FftConvolver, block by block as an audio
// callback would, and writes the result with the response's whole tail.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <quaver/dsp/fft_convolver.hpp>

#include "cli.hpp"
#include "sound_file.hpp"

namespace {

constexpr const char* usage = R"(usage: quaver-reverb [options] INPUT.wav RESPONSE.wav OUTPUT.wav

Convolves every channel of INPUT with RESPONSE (quaver::FftConvolver) and
writes OUTPUT: INPUT's channels, sample rate and sample format, and
len(INPUT) + len(RESPONSE) - 1 frames, the response's whole tail. RESPONSE
has one channel (used for every channel) or as many as INPUT, and INPUT's
sample rate.

options:
  --block N   frames per process() call and the convolver's partition, of the
              form 2^a 3^b 5^c from 2 to 65536 (default 128, an AudioWorklet's
              quantum); the output is moved back by the latency it adds
  --wet W     wet/dry mix, 0 (dry) .. 1 (only the convolution, the default)
  --float     write 32-bit float samples whatever the input's format
  --help      this text
)";

}  // namespace

int main(int argc, char** argv) try {
    std::size_t block = 128;
    double wet = 1.0;
    bool as_float = false;
    std::vector<std::string> files;
    using examples::option_value;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help") return std::fputs(usage, stdout), 0;
        else if (arg == "--block") block = examples::parse_count(option_value(argc, argv, i), "--block", 2, 65536);
        else if (arg == "--wet") wet = examples::parse_number(option_value(argc, argv, i), "--wet");
        else if (arg == "--float") as_float = true;
        else if (arg.starts_with("-")) throw examples::UsageError("unknown option " + arg);
        else files.push_back(arg);
    }
    if (files.size() != 3) throw examples::UsageError("expected INPUT.wav, RESPONSE.wav and OUTPUT.wav");
    if (!quaver::is_fast_fft_size(block))
        throw examples::UsageError("--block must be of the form 2^a 3^b 5^c (e.g. 128, 480, 512), got " +
                                   std::to_string(block));
    if (!(wet >= 0 && wet <= 1)) throw examples::UsageError("--wet must be in [0, 1]");

    examples::SoundFile sound = examples::read_sound_file(files[0]);
    const examples::SoundFile response = examples::read_sound_file(files[1]);
    if (response.sample_rate != sound.sample_rate)
        throw examples::UsageError("RESPONSE's sample rate (" + std::to_string(response.sample_rate) +
                                   " Hz) differs from INPUT's (" + std::to_string(sound.sample_rate) + " Hz)");
    if (response.channels != 1 && response.channels != sound.channels)
        throw examples::UsageError("RESPONSE has " + std::to_string(response.channels) + " channels; INPUT has " +
                                   std::to_string(sound.channels) + " (use 1 or as many)");
    if (response.frames() == 0) throw examples::UsageError("RESPONSE is empty");

    const auto channels = static_cast<std::size_t>(sound.channels);
    const std::size_t taps = response.frames(), frames_in = sound.frames();
    const std::size_t frames_out = frames_in + taps - 1;
    std::vector<quaver::FftConvolver> convolvers;
    for (std::size_t c = 0; c < channels; ++c) {
        std::vector<float> h(taps);
        const std::size_t from = response.channels == 1 ? 0 : c, stride = static_cast<std::size_t>(response.channels);
        for (std::size_t t = 0; t < taps; ++t) h[t] = response.samples[t * stride + from];
        convolvers.emplace_back(h.data(), taps, block);
    }
    const std::size_t latency = convolvers[0].latency();

    // The audio-callback part: planar blocks in, convolved in place, back out.
    // Input runs on with silence until the response's tail and the latency are out.
    std::vector<float> out(frames_out * channels);
    std::vector<std::vector<float>> planar(channels, std::vector<float>(block));
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t at = 0; at < frames_out + latency; at += block) {
        const std::size_t n = std::min(block, frames_out + latency - at);
        for (std::size_t c = 0; c < channels; ++c) {
            float* x = planar[c].data();
            for (std::size_t f = 0; f < n; ++f) x[f] = at + f < frames_in ? sound.samples[(at + f) * channels + c] : 0.0f;
            convolvers[c].process(x, x, n);
            for (std::size_t f = 0; f < n; ++f) {
                if (at + f < latency) continue;
                const std::size_t t = at + f - latency;  // the output frame this sample belongs to
                const float dry = t < frames_in ? sound.samples[t * channels + c] : 0.0f;
                out[t * channels + c] = static_cast<float>(wet * x[f] + (1 - wet) * dry);
            }
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    sound.samples = std::move(out);
    if (as_float) sound.format = (sound.format & SF_FORMAT_TYPEMASK) | SF_FORMAT_FLOAT;
    examples::write_sound_file(files[2], sound);
    const double audio_seconds = static_cast<double>(frames_out) / sound.sample_rate;
    std::printf("%s * %s -> %s: %zu frames x %zu channel(s) at %d Hz, response %zu taps\n", files[0].c_str(),
                files[1].c_str(), files[2].c_str(), frames_out, channels, sound.sample_rate, taps);
    std::printf("blocks of %zu: %zu partitions of %zu", block, convolvers[0].partitions(), block);
    if (convolvers[0].tail_block_size() > 0)
        std::printf(" + %zu of %zu", convolvers[0].tail_partitions(), convolvers[0].tail_block_size());
    std::printf(", %.1f ms (%.0fx real time)\n", seconds * 1e3, audio_seconds / std::max(seconds, 1e-9));
    examples::print_output_peak(sound);
    return 0;
} catch (const examples::UsageError& e) {
    std::fprintf(stderr, "quaver-reverb: %s (see --help)\n", e.what());
    return 2;
} catch (const std::exception& e) {
    std::fprintf(stderr, "quaver-reverb: %s\n", e.what());
    return 1;
}
