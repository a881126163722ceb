#pragma once
// A small JSON reader for the committed fixtures under data/ (objects,
// arrays, numbers, strings, true/false/null). Enough for files we write
// ourselves; not a general-purpose parser.
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace quaver::test {

struct Json {
    enum class Kind { null, boolean, number, string, array, object } kind = Kind::null;
    bool boolean = false;
    double number = 0.0;
    std::string string;
    std::vector<Json> array;
    std::map<std::string, Json> object;

    const Json& operator[](const std::string& key) const {
        auto it = object.find(key);
        if (kind != Kind::object || it == object.end()) throw std::runtime_error("fixture: missing key " + key);
        return it->second;
    }
    const Json& operator[](std::size_t i) const { return array.at(i); }
    std::size_t size() const { return kind == Kind::array ? array.size() : object.size(); }
    bool has(const std::string& key) const { return kind == Kind::object && object.count(key) != 0; }
    bool is_null() const { return kind == Kind::null; }

    /// Numbers of an array; null reads as `null_value` (our fixtures write -Infinity as null).
    std::vector<double> numbers(double null_value = -std::numeric_limits<double>::infinity()) const {
        std::vector<double> out;
        out.reserve(array.size());
        for (const Json& v : array) out.push_back(v.kind == Kind::null ? null_value : v.number);
        return out;
    }
};

namespace detail {
class JsonParser {
public:
    explicit JsonParser(const std::string& text) : s_(text) {}

    Json parse() {
        Json v = value();
        skip();
        if (pos_ != s_.size()) fail("trailing characters");
        return v;
    }

private:
    [[noreturn]] void fail(const char* what) const {
        throw std::runtime_error(std::string("fixture JSON: ") + what + " at offset " + std::to_string(pos_));
    }
    void skip() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t')) ++pos_;
    }
    bool literal(const char* word) {
        const std::string w(word);
        if (s_.compare(pos_, w.size(), w) == 0) {
            pos_ += w.size();
            return true;
        }
        return false;
    }
    std::string string_value() {
        ++pos_;  // opening quote
        std::string out;
        while (pos_ < s_.size() && s_[pos_] != '"') {
            if (s_[pos_] == '\\') {
                ++pos_;
                if (pos_ >= s_.size()) fail("bad escape");
                const char c = s_[pos_];
                out += c == 'n' ? '\n' : c == 't' ? '\t' : c;  // enough for our own files
            } else {
                out += s_[pos_];
            }
            ++pos_;
        }
        if (pos_ >= s_.size()) fail("unterminated string");
        ++pos_;
        return out;
    }
    Json value() {
        skip();
        if (pos_ >= s_.size()) fail("unexpected end");
        Json v;
        const char c = s_[pos_];
        if (c == '{') {
            v.kind = Json::Kind::object;
            ++pos_;
            skip();
            if (s_[pos_] == '}') {
                ++pos_;
                return v;
            }
            for (;;) {
                skip();
                if (s_[pos_] != '"') fail("expected key");
                std::string key = string_value();
                skip();
                if (s_[pos_] != ':') fail("expected ':'");
                ++pos_;
                v.object.emplace(std::move(key), value());
                skip();
                if (s_[pos_] == ',') {
                    ++pos_;
                } else if (s_[pos_] == '}') {
                    ++pos_;
                    return v;
                } else {
                    fail("expected ',' or '}'");
                }
            }
        }
        if (c == '[') {
            v.kind = Json::Kind::array;
            ++pos_;
            skip();
            if (s_[pos_] == ']') {
                ++pos_;
                return v;
            }
            for (;;) {
                v.array.push_back(value());
                skip();
                if (s_[pos_] == ',') {
                    ++pos_;
                } else if (s_[pos_] == ']') {
                    ++pos_;
                    return v;
                } else {
                    fail("expected ',' or ']'");
                }
            }
        }
        if (c == '"') {
            v.kind = Json::Kind::string;
            v.string = string_value();
            return v;
        }
        if (literal("null")) return v;
        if (literal("true")) {
            v.kind = Json::Kind::boolean;
            v.boolean = true;
            return v;
        }
        if (literal("false")) {
            v.kind = Json::Kind::boolean;
            return v;
        }
        char* end = nullptr;
        v.kind = Json::Kind::number;
        v.number = std::strtod(s_.c_str() + pos_, &end);
        if (end == s_.c_str() + pos_) fail("unexpected character");
        pos_ = static_cast<std::size_t>(end - s_.c_str());
        return v;
    }

    const std::string& s_;
    std::size_t pos_ = 0;
};
}  // namespace detail

/// Parses a fixture file; throws std::runtime_error if it is missing or malformed.
inline Json read_json_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open fixture " + path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    return detail::JsonParser(text).parse();
}

}  // namespace quaver::test
