// quaver::RealFft and quaver::ComplexFft for JS. Each transform owns its
// input and output blocks in the WASM heap: JS copies into one view,
// transforms, and reads the other (or fills the view itself and copies nothing).
//
// JS (bindings/js/src/dsp.js) checks every argument before calling in; the
// factories return null when the heap has no room rather than abort.
#include <emscripten/bind.h>

#include "dsp_heap.hpp"

#include <complex>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "quaver/dsp/fft.hpp"

namespace {

using quaver_embind::address;
using quaver_embind::heap_has_room;

// Plans hold twiddles and scratch of a few n floats; 8 n floats on top of the
// buffers is a generous bound. A Bluestein plan (lengths outside 2^a 3^b 5^c)
// holds a plan of length m < 5n / 2 and three buffers of m: 48 n floats.
std::uint64_t plan_bytes(std::uint32_t complex_length) {
    return std::uint64_t{complex_length} * sizeof(float) * (quaver::is_fast_fft_size(complex_length) ? 8 : 48);
}

// A transform with its two blocks: n samples and their spectrum (n / 2 + 1
// bins for a real transform, n for a complex one).
template <class Fft, class Sample>
class JsFft {
public:
    explicit JsFft(std::size_t n)
        : fft_(n), signal_(n), spectrum_(std::is_same_v<Sample, float> ? n / 2 + 1 : n) {}

    std::uint32_t size() const { return static_cast<std::uint32_t>(fft_.size()); }
    std::uint32_t signal_address() const { return address(signal_.data()); }
    std::uint32_t spectrum_address() const { return address(spectrum_.data()); }
    void forward() { fft_.forward(signal_.data(), spectrum_.data()); }
    void inverse() { fft_.inverse(spectrum_.data(), signal_.data()); }

    static void bind(const char* name) {
        emscripten::class_<JsFft>(name)
            .function("size", &JsFft::size)
            .function("signalAddress", &JsFft::signal_address)
            .function("spectrumAddress", &JsFft::spectrum_address)
            .function("forward", &JsFft::forward)
            .function("inverse", &JsFft::inverse);
    }

private:
    Fft fft_;
    std::vector<Sample> signal_;
    std::vector<std::complex<float>> spectrum_;
};

using JsRealFft = JsFft<quaver::RealFft, float>;
using JsComplexFft = JsFft<quaver::ComplexFft, std::complex<float>>;

/// Null when the heap has no room. Precondition (checked in JS): n even, n <= 2^24.
JsRealFft* create_real_fft(std::uint32_t n) {
    if (n % 2 != 0 || !quaver::is_supported_fft_size(n / 2)) return nullptr;
    if (!heap_has_room(std::uint64_t{n} * 2 * sizeof(float) + 2 * plan_bytes(n / 2) + 4096)) return nullptr;
    return new JsRealFft(n);
}

/// Null when the heap has no room. Precondition (checked in JS): is_supported_fft_size(n).
JsComplexFft* create_complex_fft(std::uint32_t n) {
    if (!quaver::is_supported_fft_size(n)) return nullptr;
    if (!heap_has_room(std::uint64_t{n} * 4 * sizeof(float) + plan_bytes(n) + 4096)) return nullptr;
    return new JsComplexFft(n);
}

}  // namespace

EMSCRIPTEN_BINDINGS(quaver_fft) {
    using namespace emscripten;
    JsRealFft::bind("QuaverRealFft");
    JsComplexFft::bind("QuaverComplexFft");
    function("createRealFft", &create_real_fft, allow_raw_pointers());
    function("createComplexFft", &create_complex_fft, allow_raw_pointers());
}
