// quaver-spectrum: what is in a sound file. Mixes the channels to mono, runs
// quaver::stft over it (on a quaver::WorkerPool with --threads) and prints
// either the average spectrum, as its strongest peaks and a bar plot over
// log-spaced bands, or (--spectrogram) a coarse picture of time x frequency.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include <quaver/dsp/stft.hpp>
#include <quaver/dsp/window.hpp>
#include <quaver/sched/worker_pool.hpp>

#include "cli.hpp"
#include "sound_file.hpp"

namespace {

constexpr const char* usage = R"(usage: quaver-spectrum [options] INPUT.wav

Prints the average spectrum of INPUT (channels mixed to mono): the strongest
peaks with their frequency and level in dBFS, and a bar plot over log-spaced
bands. With --spectrogram, prints time (rows) against frequency (columns).

options:
  --fft N          frame length, even, up to 2^24 (default 4096; 2^a 3^b 5^c is fastest)
  --hop N          samples from one frame to the next (default fft/4)
  --window W       rectangular, hann, hamming, blackman, blackman-harris or
                   flat-top (default hann; flat-top reads levels best)
  --peaks K        peaks to list (default 5, 0 for none)
  --bands B        bars in the band plot (default 24)
  --spectrogram    print a spectrogram instead
  --rows R         spectrogram rows (default 24)
  --cols C         spectrogram columns (default 72)
  --range DB       dB shown below the loudest value (default 90)
  --threads N      run the STFT on a worker pool of N threads (default: none)
  --help           this text
)";

struct Options {
    std::size_t fft = 4096, hop = 0, peaks = 5, bands = 24, rows = 24, cols = 72;
    std::optional<std::size_t> threads;
    quaver::WindowType window = quaver::WindowType::hann;
    std::string window_name = "hann";
    double range_db = 90;
    bool spectrogram = false;
    std::string input;
};

quaver::WindowType parse_window(const std::string& name) {
    using quaver::WindowType;
    if (name == "rectangular") return WindowType::rectangular;
    if (name == "hann") return WindowType::hann;
    if (name == "hamming") return WindowType::hamming;
    if (name == "blackman") return WindowType::blackman;
    if (name == "blackman-harris") return WindowType::blackman_harris;
    if (name == "flat-top") return WindowType::flat_top;
    throw examples::UsageError("unknown window '" + name + "'");
}

// Half the width of the window's main lobe, in bins: a peak must be the
// largest value this close to it, which rules out the window's side lobes.
std::size_t main_lobe_half_width(quaver::WindowType w) {
    switch (w) {
        case quaver::WindowType::rectangular: return 1;
        case quaver::WindowType::hann:
        case quaver::WindowType::hamming: return 2;
        case quaver::WindowType::blackman: return 3;
        case quaver::WindowType::blackman_harris: return 4;
        case quaver::WindowType::flat_top: return 5;
    }
    return 2;
}

Options parse(int argc, char** argv) {
    using examples::option_value;
    using examples::parse_count;
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help") std::fputs(usage, stdout), std::exit(0);
        else if (arg == "--fft") o.fft = parse_count(option_value(argc, argv, i), "--fft", 2, 1 << 20);
        else if (arg == "--hop") o.hop = parse_count(option_value(argc, argv, i), "--hop", 1, 1 << 20);
        else if (arg == "--window") o.window = parse_window(o.window_name = option_value(argc, argv, i));
        else if (arg == "--peaks") o.peaks = parse_count(option_value(argc, argv, i), "--peaks", 0, 1000);
        else if (arg == "--bands") o.bands = parse_count(option_value(argc, argv, i), "--bands", 1, 1000);
        else if (arg == "--rows") o.rows = parse_count(option_value(argc, argv, i), "--rows", 1, 1000);
        else if (arg == "--cols") o.cols = parse_count(option_value(argc, argv, i), "--cols", 8, 1000);
        else if (arg == "--threads") o.threads = parse_count(option_value(argc, argv, i), "--threads", 0, 256);
        else if (arg == "--spectrogram") o.spectrogram = true;
        else if (arg == "--range") {
            o.range_db = examples::parse_number(option_value(argc, argv, i), "--range");
            if (!(o.range_db >= 10 && o.range_db <= 300)) throw examples::UsageError("--range must be in [10, 300] dB");
        } else if (arg.starts_with("-")) throw examples::UsageError("unknown option " + arg);
        else if (o.input.empty()) o.input = arg;
        else throw examples::UsageError("more than one input file given");
    }
    if (o.input.empty()) throw examples::UsageError("no input file given");
    if (o.fft % 2 != 0 || !quaver::is_supported_fft_size(o.fft / 2)) {
        throw examples::UsageError("--fft must be even, from 2 to 2^24, got " + std::to_string(o.fft));
    }
    if (o.hop == 0) o.hop = std::max<std::size_t>(1, o.fft / 4);
    return o;
}

double to_db(double amplitude) { return 20 * std::log10(std::max(amplitude, 1e-12)); }

// Log-spaced edges from the first bin above DC to Nyquist, as bin indices:
// column j covers bins [edges[j], edges[j + 1]), at least one bin each.
std::vector<std::size_t> log_band_edges(std::size_t count, std::size_t bins) {
    std::vector<std::size_t> edges(count + 1);
    const double lo = 1, hi = static_cast<double>(bins);
    for (std::size_t j = 0; j <= count; ++j) {
        edges[j] = static_cast<std::size_t>(std::lround(lo * std::pow(hi / lo, static_cast<double>(j) / count)));
        if (j > 0) edges[j] = std::max(edges[j], edges[j - 1] + 1);
    }
    edges[count] = std::min(edges[count], bins);
    return edges;
}

// How much lower a tone `delta` bins off centre reads than a centred one:
// the window's transform at delta against its value at 0.
double scalloping_loss_db(const std::vector<float>& window, double delta) {
    double re = 0, im = 0, sum = 0;
    const double n = static_cast<double>(window.size());
    for (std::size_t j = 0; j < window.size(); ++j) {
        const double phase = 2 * std::numbers::pi * delta * static_cast<double>(j) / n;
        re += window[j] * std::cos(phase);
        im += window[j] * std::sin(phase);
        sum += window[j];
    }
    return -to_db(std::hypot(re, im) / sum);
}

void print_average(const quaver::Spectrogram& s, const Options& o, const std::vector<float>& window, double rate,
                   double scale) {
    // The average magnitude of every bin over the frames, as a tone amplitude in dBFS.
    std::vector<double> db(s.bins);
    for (std::size_t k = 0; k < s.bins; ++k) {
        double sum = 0;
        for (std::size_t t = 0; t < s.frames; ++t) sum += s.magnitude_row(t)[k];
        db[k] = to_db(scale * sum / static_cast<double>(s.frames));
    }
    const double bin_hz = rate / static_cast<double>(o.fft);

    // Peaks: the largest bin within a main lobe. The tone's frequency comes
    // from a parabola through it and its neighbours (in dB, where a window's
    // main lobe is close to a parabola); its level adds back what the window
    // loses that far off a bin centre.
    struct Peak {
        double hz, db;
    };
    std::vector<Peak> peaks;
    const std::size_t w = main_lobe_half_width(o.window);
    for (std::size_t k = 1; k + 1 < s.bins; ++k) {
        bool largest = true;
        for (std::size_t j = k >= w ? k - w : 0; j <= std::min(s.bins - 1, k + w) && largest; ++j) {
            largest = j == k || (j < k ? db[j] < db[k] : db[j] <= db[k]);
        }
        if (!largest) continue;
        const double a = db[k - 1], b = db[k], c = db[k + 1];
        const double curve = a - 2 * b + c;
        const double delta = curve < 0 ? std::clamp(0.5 * (a - c) / curve, -0.5, 0.5) : 0;
        peaks.push_back({(static_cast<double>(k) + delta) * bin_hz, b + scalloping_loss_db(window, delta)});
    }
    std::sort(peaks.begin(), peaks.end(), [](const Peak& x, const Peak& y) { return x.db > y.db; });
    if (o.peaks > 0) {
        std::printf("\nstrongest peaks:\n");
        for (std::size_t i = 0; i < std::min(o.peaks, peaks.size()); ++i) {
            std::printf("  %2zu  %10.2f Hz  %7.2f dB\n", i + 1, peaks[i].hz, peaks[i].db);
        }
    }

    // Bars: the loudest bin of each log-spaced band.
    const std::vector<std::size_t> edges = log_band_edges(o.bands, s.bins);
    const double top = *std::max_element(db.begin(), db.end());
    constexpr int bar_width = 50;
    std::printf("\naverage spectrum (dBFS, bar = %.0f dB below the top to the top):\n", o.range_db);
    for (std::size_t j = 0; j < o.bands && edges[j] < s.bins; ++j) {
        const double level = *std::max_element(db.begin() + edges[j], db.begin() + std::min(edges[j + 1], s.bins));
        const double fill = std::clamp((level - top + o.range_db) / o.range_db, 0.0, 1.0);
        const std::string bar(static_cast<std::size_t>(std::lround(fill * bar_width)), '#');
        // Bins are centred on their frequencies, so a band's edges are half a bin out.
        const double lo_hz = (static_cast<double>(edges[j]) - 0.5) * bin_hz;
        const double hi_hz = std::min((static_cast<double>(edges[j + 1]) - 0.5) * bin_hz, rate / 2);
        std::printf("  %8.0f - %8.0f Hz %7.1f  %s\n", lo_hz, hi_hz, level, bar.c_str());
    }
}

void print_spectrogram(const quaver::Spectrogram& s, const Options& o, double rate, double scale) {
    // Each cell shows the loudest bin among its frames and bins.
    const std::size_t rows = std::min(o.rows, s.frames), cols = std::min(o.cols, s.bins - 1);
    const std::vector<std::size_t> edges = log_band_edges(cols, s.bins);
    std::vector<double> cell(rows * cols, -1e300);
    for (std::size_t t = 0; t < s.frames; ++t) {
        const std::size_t r = t * rows / s.frames;
        const auto row = s.magnitude_row(t);
        for (std::size_t j = 0; j < cols; ++j) {
            for (std::size_t k = edges[j]; k < std::min(edges[j + 1], s.bins); ++k) {
                cell[r * cols + j] = std::max(cell[r * cols + j], to_db(scale * row[k]));
            }
        }
    }
    const double top = *std::max_element(cell.begin(), cell.end());
    static constexpr char ramp[] = " .:-=+*#%@";
    constexpr int steps = sizeof(ramp) - 2;
    const double bin_hz = rate / static_cast<double>(o.fft);
    std::printf("\nspectrogram (rows: time in s, columns: log frequency; \"%s\" spans %.0f dB up to %.1f dBFS):\n",
                ramp, o.range_db, top);
    for (std::size_t r = 0; r < rows; ++r) {
        std::string line;
        for (std::size_t j = 0; j < cols; ++j) {
            const double x = std::clamp((cell[r * cols + j] - top + o.range_db) / o.range_db, 0.0, 1.0);
            line += ramp[static_cast<int>(std::lround(x * steps))];
        }
        const double seconds = static_cast<double>(r * s.frames / rows * o.hop) / rate;
        std::printf("%7.2f |%s|\n", seconds, line.c_str());
    }
    // A frequency axis under the picture, labels where they fit.
    std::string axis(cols + 1, ' ');
    for (double f : {50.0, 100.0, 200.0, 500.0, 1e3, 2e3, 5e3, 1e4, 2e4}) {
        const double bin = f / bin_hz;
        const auto j = std::upper_bound(edges.begin(), edges.end(), static_cast<std::size_t>(bin)) - edges.begin() - 1;
        if (bin < 1 || j < 0 || j >= static_cast<std::ptrdiff_t>(cols)) continue;
        const std::string label = f >= 1000 ? std::to_string(static_cast<int>(f / 1000)) + "k"
                                            : std::to_string(static_cast<int>(f));
        const auto at = static_cast<std::size_t>(j);  // the label starts at its column
        if (axis.substr(at > 0 ? at - 1 : 0, label.size() + 2).find_first_not_of(' ') != std::string::npos) continue;
        axis.replace(at, label.size(), label);
    }
    std::printf("     Hz  %s\n", axis.c_str());
}

}  // namespace

int main(int argc, char** argv) try {
    const Options o = parse(argc, argv);
    const examples::SoundFile sound = examples::read_sound_file(o.input);
    const double rate = sound.sample_rate;

    // Mixed to mono; a file shorter than one frame is padded with silence.
    std::vector<float> mono(std::max(sound.frames(), o.spectrogram ? std::size_t{1} : o.fft), 0.0f);
    const auto channels = static_cast<std::size_t>(sound.channels);
    for (std::size_t f = 0; f < sound.frames(); ++f) {
        float sum = 0;
        for (std::size_t c = 0; c < channels; ++c) sum += sound.samples[f * channels + c];
        mono[f] = sum / static_cast<float>(channels);
    }

    quaver::StftOptions stft_options;
    stft_options.fft_size = o.fft;
    stft_options.hop = o.hop;
    stft_options.window = o.window;
    // The average uses whole frames only (a zero-padded edge frame would read
    // low); the spectrogram centres frames so that row 0 is time 0.
    stft_options.framing = o.spectrogram ? quaver::StftFraming::centered : quaver::StftFraming::start;

    std::optional<quaver::WorkerPool> pool;
    if (o.threads) pool.emplace(quaver::PoolOptions{.workers = *o.threads});
    const auto start = std::chrono::steady_clock::now();
    const quaver::Spectrogram s = quaver::stft(mono, stft_options, pool ? &*pool : nullptr);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

    std::printf("%s: %d Hz, %d channel(s), %.3f s, mixed to mono\n", o.input.c_str(), sound.sample_rate,
                sound.channels, static_cast<double>(sound.frames()) / rate);
    std::printf("stft: %zu frames of %zu (%.2f Hz per bin), hop %zu, %s window, %.1f ms", s.frames, o.fft,
                rate / static_cast<double>(o.fft), o.hop, o.window_name.c_str(), ms);
    if (pool) std::printf(" on %zu worker(s) and the main thread", pool->worker_count());
    std::printf("\n");

    // |X[k]| of a tone of amplitude A centred on bin k is A sum(w) / 2.
    const std::vector<float> window = quaver::make_window(o.window, o.fft);
    const double scale = 2 / (quaver::coherent_gain(window) * static_cast<double>(o.fft));
    if (o.spectrogram) print_spectrogram(s, o, rate, scale);
    else print_average(s, o, window, rate, scale);
    return 0;
} catch (const examples::UsageError& e) {
    std::fprintf(stderr, "quaver-spectrum: %s (see --help)\n", e.what());
    return 2;
} catch (const std::exception& e) {
    std::fprintf(stderr, "quaver-spectrum: %s\n", e.what());
    return 1;
}
