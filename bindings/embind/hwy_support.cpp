// hwy::Abort, which Highway's HWY_ASSERT / HWY_ABORT call, lives in libhwy;
// the WASM builds use Highway's headers only (static dispatch), so Quaver
// provides it here: print where and why, then abort, which Emscripten turns
// into a JS RuntimeError.
#include <hwy/base.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace hwy {

HWY_NORETURN void HWY_FORMAT(3, 4) Abort(const char* file, int line, const char* format, ...) {
    char message[512];
    va_list args;
    va_start(args, format);
    std::vsnprintf(message, sizeof message, format, args);
    va_end(args);
    std::fprintf(stderr, "quaver-dsp: Highway abort at %s:%d: %s\n", file, line, message);
    std::abort();
}

}  // namespace hwy
