// Module-wide facts for JS: version, SIMD target, heap size.
#include <emscripten/bind.h>
#include <emscripten/heap.h>

#include <string>

#include <hwy/highway.h>  // not foreach_target: one static target in WASM

#include "quaver/version.hpp"

namespace {

std::string version() { return quaver::version_string; }
// Emscripten builds use Highway's static dispatch: the one compiled target is
// the one the DSP kernels run on (WASM with -msimd128, EMU128 without).
std::string simd_target() { return hwy::TargetName(HWY_STATIC_TARGET); }
double heap_bytes() { return static_cast<double>(emscripten_get_heap_size()); }

bool threads_enabled() {
#ifdef __EMSCRIPTEN_PTHREADS__
    return true;
#else
    return false;
#endif
}

}  // namespace

EMSCRIPTEN_BINDINGS(quaver_core) {
    emscripten::function("version", &version);
    emscripten::function("simdTarget", &simd_target);
    emscripten::function("heapBytes", &heap_bytes);
    emscripten::function("threadsEnabled", &threads_enabled);
}
