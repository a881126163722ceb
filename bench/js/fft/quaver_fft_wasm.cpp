// Plain C exports of Quaver's FFT for the WASM benchmark and the WASM test
// (no Embind: the JS side calls the transforms on heap pointers directly).
#include <emscripten/emscripten.h>

#include <quaver/dsp/fft.hpp>

#include <complex>

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* quaver_simd_target() { return quaver::simd_target_name(); }

EMSCRIPTEN_KEEPALIVE quaver::RealFft* quaver_rfft_new(int n) {
    if (n <= 0 || n % 2 || !quaver::is_supported_fft_size(static_cast<std::size_t>(n))) return nullptr;
    return new quaver::RealFft(static_cast<std::size_t>(n));
}
EMSCRIPTEN_KEEPALIVE void quaver_rfft_delete(quaver::RealFft* fft) { delete fft; }
EMSCRIPTEN_KEEPALIVE void quaver_rfft_forward(quaver::RealFft* fft, const float* in, float* out) {
    fft->forward(in, reinterpret_cast<std::complex<float>*>(out));
}
EMSCRIPTEN_KEEPALIVE void quaver_rfft_inverse(quaver::RealFft* fft, const float* in, float* out) {
    fft->inverse(reinterpret_cast<const std::complex<float>*>(in), out);
}

EMSCRIPTEN_KEEPALIVE quaver::ComplexFft* quaver_cfft_new(int n) {
    if (n <= 0 || !quaver::is_supported_fft_size(static_cast<std::size_t>(n))) return nullptr;
    return new quaver::ComplexFft(static_cast<std::size_t>(n));
}
EMSCRIPTEN_KEEPALIVE void quaver_cfft_delete(quaver::ComplexFft* fft) { delete fft; }
EMSCRIPTEN_KEEPALIVE void quaver_cfft_forward(quaver::ComplexFft* fft, const float* in, float* out) {
    fft->forward(reinterpret_cast<const std::complex<float>*>(in), reinterpret_cast<std::complex<float>*>(out));
}
EMSCRIPTEN_KEEPALIVE void quaver_cfft_inverse(quaver::ComplexFft* fft, const float* in, float* out) {
    fft->inverse(reinterpret_cast<const std::complex<float>*>(in), reinterpret_cast<std::complex<float>*>(out));
}

}  // extern "C"
