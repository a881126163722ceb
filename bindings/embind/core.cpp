// Module-wide facts for JS: version, SIMD target, heap size.
#include <emscripten/bind.h>
#include <emscripten/heap.h>

#include <string>

#include "quaver/dsp/detail/simd_kernels.hpp"
#include "quaver/version.hpp"

namespace {

std::string version() { return quaver::version_string; }
std::string simd_target() { return quaver::simd_target_name(); }
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
