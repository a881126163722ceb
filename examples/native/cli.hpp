#pragma once
// Strict argument parsing for the example programs: a number must be the whole
// argument and finite, so "12abc", "nan" and "inf" are errors, not values.
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace examples {

/// Thrown for a bad command line; main() prints it with a hint to --help.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline double parse_number(const std::string& text, const std::string& what) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v)) {
        throw UsageError(what + " must be a finite number, got '" + text + "'");
    }
    return v;
}

inline std::size_t parse_count(const std::string& text, const std::string& what, std::size_t min, std::size_t max) {
    const double v = parse_number(text, what);
    if (v != std::floor(v) || v < static_cast<double>(min) || v > static_cast<double>(max)) {
        throw UsageError(what + " must be a whole number in [" + std::to_string(min) + ", " + std::to_string(max) +
                         "], got '" + text + "'");
    }
    return static_cast<std::size_t>(v);
}

/// The value after option argv[i] (advancing i), or a UsageError.
inline std::string option_value(int argc, char** argv, int& i) {
    if (i + 1 >= argc) throw UsageError(std::string("option ") + argv[i] + " needs a value");
    return argv[++i];
}

}  // namespace examples
