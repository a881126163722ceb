// quaver-eq: filters a sound file through a quaver::ParametricEq, block by
// block as an audio callback would, writes the result and prints the EQ's
// magnitude response.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <quaver/dsp/parametric_eq.hpp>

#include "cli.hpp"
#include "sound_file.hpp"

namespace {

constexpr const char* usage = R"(usage: quaver-eq [options] --band T:F:Q:G [--band ...] INPUT.wav OUTPUT.wav

Filters INPUT through Web Audio biquad bands in series (quaver::ParametricEq)
and writes OUTPUT with the same sample rate, channels and sample format.

options:
  --band T:F:Q:G  one band, up to 32, applied in the order given:
                    T  lowpass, highpass, bandpass, lowshelf, highshelf,
                       peaking, notch or allpass
                    F  frequency in Hz, 0 < F <= sample rate / 2
                    Q  in dB for lowpass and highpass (-100 .. 100); linear
                       for bandpass, notch, allpass and peaking (0 < Q <= 1000);
                       ignored by the shelves
                    G  gain in dB (-120 .. 120), used by the shelves and peaking
                  e.g. --band peaking:1000:1.0:+6 --band highpass:80:0:0
  --block N       frames per process() call (default 128, an AudioWorklet's quantum)
  --float         write 32-bit float samples whatever the input's format
  --help          this text
)";

struct Band {
    std::string text;
    quaver::BiquadParams params;
};

quaver::BiquadType parse_type(const std::string& name, const std::string& band) {
    using quaver::BiquadType;
    static constexpr std::pair<const char*, BiquadType> types[] = {
        {"lowpass", BiquadType::lowpass},     {"highpass", BiquadType::highpass}, {"bandpass", BiquadType::bandpass},
        {"lowshelf", BiquadType::lowshelf},   {"highshelf", BiquadType::highshelf}, {"peaking", BiquadType::peaking},
        {"notch", BiquadType::notch},         {"allpass", BiquadType::allpass}};
    for (const auto& [n, t] : types) {
        if (name == n) return t;
    }
    throw examples::UsageError("--band '" + band + "': unknown type '" + name +
                               "' (lowpass, highpass, bandpass, lowshelf, highshelf, peaking, notch, allpass)");
}

// "type:frequency:Q:gain"; the frequency's upper bound needs the file's rate,
// so it is checked later, in check_frequency.
Band parse_band(const std::string& text) {
    std::vector<std::string> fields;
    for (std::size_t start = 0;;) {
        const std::size_t colon = text.find(':', start);
        fields.push_back(text.substr(start, colon - start));
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    if (fields.size() != 4) {
        throw examples::UsageError("--band '" + text + "': expected type:frequency:Q:gain_dB (4 fields), got " +
                                   std::to_string(fields.size()));
    }
    Band b{text, {}};
    b.params.type = parse_type(fields[0], text);
    b.params.frequency = examples::parse_number(fields[1], "--band '" + text + "': frequency");
    b.params.q = examples::parse_number(fields[2], "--band '" + text + "': Q");
    b.params.gain_db = examples::parse_number(fields[3], "--band '" + text + "': gain");
    using quaver::BiquadType;
    const BiquadType t = b.params.type;
    const double q = b.params.q;
    if ((t == BiquadType::lowpass || t == BiquadType::highpass) && !(q >= -100 && q <= 100)) {
        throw examples::UsageError("--band '" + text + "': Q of lowpass and highpass is in dB, -100 .. 100");
    }
    if ((t == BiquadType::bandpass || t == BiquadType::notch || t == BiquadType::allpass ||
         t == BiquadType::peaking) && !(q > 0 && q <= 1000)) {
        throw examples::UsageError("--band '" + text + "': Q must be in (0, 1000]");
    }
    if (!(std::abs(b.params.gain_db) <= 120)) {
        throw examples::UsageError("--band '" + text + "': gain must be within +-120 dB");
    }
    return b;
}

void check_frequency(const Band& b, double sample_rate) {
    if (!(b.params.frequency > 0 && b.params.frequency <= sample_rate / 2)) {
        char nyquist[32];
        std::snprintf(nyquist, sizeof nyquist, "%g", sample_rate / 2);
        throw examples::UsageError("--band '" + b.text + "': frequency must be in (0, " + nyquist +
                                   "] Hz at this file's sample rate");
    }
}

}  // namespace

int main(int argc, char** argv) try {
    std::vector<Band> bands;
    std::size_t block = 128;
    bool as_float = false;
    std::vector<std::string> files;
    using examples::option_value;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help") return std::fputs(usage, stdout), 0;
        else if (arg == "--band") bands.push_back(parse_band(option_value(argc, argv, i)));
        else if (arg == "--block") block = examples::parse_count(option_value(argc, argv, i), "--block", 1, 65536);
        else if (arg == "--float") as_float = true;
        else if (arg.starts_with("-")) throw examples::UsageError("unknown option " + arg);
        else files.push_back(arg);
    }
    if (files.size() != 2) throw examples::UsageError("expected INPUT.wav and OUTPUT.wav");
    if (bands.empty()) throw examples::UsageError("no --band given");
    if (bands.size() > quaver::ParametricEq::max_bands) throw examples::UsageError("at most 32 bands");

    examples::SoundFile sound = examples::read_sound_file(files[0]);
    const double rate = sound.sample_rate;
    for (const Band& b : bands) check_frequency(b, rate);

    // No glide: a file is filtered with its final settings from the first sample.
    const auto channels = static_cast<std::size_t>(sound.channels);
    quaver::ParametricEq eq(rate, channels, bands.size(), /*glide_seconds=*/0);
    for (std::size_t i = 0; i < bands.size(); ++i) eq.set_band(i, bands[i].params);

    // The audio-callback part: planar blocks in, filtered in place, back out.
    std::vector<std::vector<float>> planar(channels, std::vector<float>(block));
    std::vector<float*> ptrs;
    for (auto& c : planar) ptrs.push_back(c.data());
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t at = 0; at < sound.frames(); at += block) {
        const std::size_t n = std::min(block, sound.frames() - at);
        float* frames = sound.samples.data() + at * channels;
        for (std::size_t f = 0; f < n; ++f)
            for (std::size_t c = 0; c < channels; ++c) planar[c][f] = frames[f * channels + c];
        eq.process(ptrs.data(), ptrs.data(), n);
        for (std::size_t f = 0; f < n; ++f)
            for (std::size_t c = 0; c < channels; ++c) frames[f * channels + c] = planar[c][f];
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    if (as_float) sound.format = (sound.format & SF_FORMAT_TYPEMASK) | SF_FORMAT_FLOAT;
    examples::write_sound_file(files[1], sound);
    std::printf("%s -> %s: %zu frames x %zu channel(s) at %.0f Hz, %zu band(s), blocks of %zu, %.1f ms\n",
                files[0].c_str(), files[1].c_str(), sound.frames(), channels, rate, bands.size(), block, seconds * 1e3);
    examples::print_output_peak(sound);

    // The response at octave frequencies and at every band's own frequency.
    std::vector<float> freqs;
    for (double f = 31.25; f <= rate / 2; f *= 2) freqs.push_back(static_cast<float>(f));
    for (const Band& b : bands) freqs.push_back(static_cast<float>(b.params.frequency));
    std::sort(freqs.begin(), freqs.end());
    freqs.erase(std::unique(freqs.begin(), freqs.end()), freqs.end());
    std::vector<float> magnitude(freqs.size()), phase(freqs.size());
    eq.frequency_response(freqs, magnitude, phase);
    std::printf("\nmagnitude response:\n");
    for (std::size_t i = 0; i < freqs.size(); ++i) {
        std::printf("  %9.2f Hz  %+8.2f dB\n", freqs[i], 20 * std::log10(std::max(magnitude[i], 1e-15f)));
    }
    return 0;
} catch (const examples::UsageError& e) {
    std::fprintf(stderr, "quaver-eq: %s (see --help)\n", e.what());
    return 2;
} catch (const std::exception& e) {
    std::fprintf(stderr, "quaver-eq: %s\n", e.what());
    return 1;
}
