#pragma once
// Reads Chromium's BiquadFilterNode reference (data/chromium_biquad.{json,f32},
// made by chromium/make_fixture.mjs). The JSON index keeps one case per line,
// which is all the parsing this needs.
#include <quaver/dsp/biquad_design.hpp>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace quaver::test {

struct ChromiumCase {
    BiquadType type;
    std::string type_name;
    double sample_rate, frequency, q, gain_db, detune_cents;
    std::span<const float> output, magnitude, phase, grid;
};

struct ChromiumFixture {
    std::string chromium;
    std::vector<float> floats;
    std::span<const float> input;
    std::vector<ChromiumCase> cases;
};

inline BiquadType biquad_type_from_name(const std::string& s) {
    static const char* names[] = {"lowpass", "highpass", "bandpass", "lowshelf",
                                  "highshelf", "peaking", "notch", "allpass"};
    for (int i = 0; i < 8; ++i)
        if (s == names[i]) return static_cast<BiquadType>(i);
    throw std::runtime_error("unknown biquad type " + s);
}

namespace fixture_detail {
inline bool find_value(const std::string& line, const std::string& key, std::string& value) {
    const std::string k = "\"" + key + "\":";
    const auto at = line.find(k);
    if (at == std::string::npos) return false;
    auto begin = line.find_first_not_of(' ', at + k.size());
    if (line[begin] == '"') {
        const auto end = line.find('"', begin + 1);
        value = line.substr(begin + 1, end - begin - 1);
    } else {
        const auto end = line.find_first_of(",}", begin);
        value = line.substr(begin, end - begin);
    }
    return true;
}
inline double number(const std::string& line, const std::string& key) {
    std::string v;
    if (!find_value(line, key, v)) throw std::runtime_error("fixture: missing " + key);
    return std::strtod(v.c_str(), nullptr);
}
}  // namespace fixture_detail

inline ChromiumFixture load_chromium_fixture(const std::string& dir = QUAVER_BIQUAD_DATA_DIR) {
    using namespace fixture_detail;
    ChromiumFixture fx;
    std::ifstream bin(dir + "/chromium_biquad.f32", std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(bin)), std::istreambuf_iterator<char>());
    if (bytes.empty()) throw std::runtime_error("fixture: cannot read chromium_biquad.f32 in " + dir);
    fx.floats.resize(bytes.size() / 4);
    std::memcpy(fx.floats.data(), bytes.data(), fx.floats.size() * 4);

    std::ifstream idx(dir + "/chromium_biquad.json");
    std::string line, value;
    std::size_t frames = 0, input = 0;
    struct Grid { double rate; std::size_t offset, size; };
    std::vector<Grid> grids;
    double pending_rate = 0;
    std::vector<std::string> case_lines;
    while (std::getline(idx, line)) {
        if (find_value(line, "chromium", value)) fx.chromium = value;
        else if (line.find("\"type\"") != std::string::npos) case_lines.push_back(line);
        else if (find_value(line, "frames", value)) frames = std::stoul(value);
        else if (find_value(line, "input", value)) input = std::stoul(value);
        else if (line.find("\": {") != std::string::npos && std::isdigit(static_cast<unsigned char>(line[line.find('"') + 1])))
            pending_rate = std::strtod(line.substr(line.find('"') + 1).c_str(), nullptr);
        else if (find_value(line, "offset", value)) grids.push_back({pending_rate, std::stoul(value), 0});
        else if (find_value(line, "size", value)) grids.back().size = std::stoul(value);
    }
    const float* base = fx.floats.data();
    fx.input = {base + input, frames};
    for (const std::string& l : case_lines) {
        ChromiumCase c;
        find_value(l, "type", c.type_name);
        c.type = biquad_type_from_name(c.type_name);
        c.sample_rate = number(l, "sample_rate");
        c.frequency = number(l, "frequency");
        c.q = number(l, "Q");
        c.gain_db = number(l, "gain");
        c.detune_cents = number(l, "detune");
        std::size_t grid_size = 0;
        for (const Grid& g : grids)
            if (g.rate == c.sample_rate) {
                c.grid = {base + g.offset, g.size};
                grid_size = g.size;
            }
        if (!grid_size) throw std::runtime_error("fixture: no frequency grid for a case's rate");
        c.output = {base + static_cast<std::size_t>(number(l, "output")), frames};
        c.magnitude = {base + static_cast<std::size_t>(number(l, "magnitude")), grid_size};
        c.phase = {base + static_cast<std::size_t>(number(l, "phase")), grid_size};
        fx.cases.push_back(c);
    }
    if (fx.cases.empty()) throw std::runtime_error("fixture: no cases");
    return fx;
}

}  // namespace quaver::test
