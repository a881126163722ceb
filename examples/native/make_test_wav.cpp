// quaver-make-test-wav: writes a WAV of known content to try the other
// programs on: by default 1 s, 48 kHz, stereo, 16-bit, a 440 Hz sine at
// amplitude 0.5 (-6 dBFS) plus a 3 kHz sine at 0.25 (-12 dBFS) in every channel.
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

#include "cli.hpp"
#include "sound_file.hpp"

namespace {

constexpr const char* usage = R"(usage: quaver-make-test-wav [options] OUTPUT.wav

Writes a sum of sines to OUTPUT.wav, the same in every channel.

options:
  --seconds S     length (default 1)
  --rate R        sample rate in Hz (default 48000)
  --channels C    channels (default 2)
  --tone F:A      a sine of F Hz and amplitude A; repeatable
                  (default 440:0.5 and 3000:0.25)
  --float         32-bit float samples (default 16-bit PCM)
  --help          this text
)";

struct Tone {
    double frequency, amplitude;
};

Tone parse_tone(const std::string& text) {
    const auto colon = text.find(':');
    if (colon == std::string::npos) throw examples::UsageError("--tone expects F:A, got '" + text + "'");
    return {examples::parse_number(text.substr(0, colon), "tone frequency"),
            examples::parse_number(text.substr(colon + 1), "tone amplitude")};
}

}  // namespace

int main(int argc, char** argv) try {
    double seconds = 1;
    std::size_t rate = 48000, channels = 2;
    bool as_float = false;
    std::vector<Tone> tones;
    std::string output;
    using examples::option_value, examples::parse_count;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help") return std::fputs(usage, stdout), 0;
        else if (arg == "--seconds") seconds = examples::parse_number(option_value(argc, argv, i), "--seconds");
        else if (arg == "--rate") rate = parse_count(option_value(argc, argv, i), "--rate", 1000, 768000);
        else if (arg == "--channels") channels = parse_count(option_value(argc, argv, i), "--channels", 1, 64);
        else if (arg == "--tone") tones.push_back(parse_tone(option_value(argc, argv, i)));
        else if (arg == "--float") as_float = true;
        else if (arg.starts_with("-")) throw examples::UsageError("unknown option " + arg);
        else if (output.empty()) output = arg;
        else throw examples::UsageError("more than one output file given");
    }
    if (output.empty()) throw examples::UsageError("no output file given");
    if (!(seconds > 0 && seconds <= 3600)) throw examples::UsageError("--seconds must be in (0, 3600]");
    if (tones.empty()) tones = {{440, 0.5}, {3000, 0.25}};

    examples::SoundFile wav;
    wav.sample_rate = static_cast<int>(rate);
    wav.channels = static_cast<int>(channels);
    wav.format = SF_FORMAT_WAV | (as_float ? SF_FORMAT_FLOAT : SF_FORMAT_PCM_16);
    const auto frames = static_cast<std::size_t>(std::llround(seconds * static_cast<double>(rate)));
    wav.samples.resize(frames * channels);
    for (std::size_t f = 0; f < frames; ++f) {
        const double seconds_in = static_cast<double>(f) / static_cast<double>(rate);
        double x = 0;
        for (const Tone& t : tones) x += t.amplitude * std::sin(2 * std::numbers::pi * t.frequency * seconds_in);
        for (std::size_t c = 0; c < channels; ++c) wav.samples[f * channels + c] = static_cast<float>(x);
    }
    examples::write_sound_file(output, wav);
    std::printf("wrote %s: %zu frames, %zu Hz, %zu channels, %s\n", output.c_str(), frames, rate, channels,
                as_float ? "float" : "16-bit PCM");
    return 0;
} catch (const examples::UsageError& e) {
    std::fprintf(stderr, "quaver-make-test-wav: %s (see --help)\n", e.what());
    return 2;
} catch (const std::exception& e) {
    std::fprintf(stderr, "quaver-make-test-wav: %s\n", e.what());
    return 1;
}
