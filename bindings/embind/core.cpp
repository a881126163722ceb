// Module-wide facts for JS: version, SIMD target, heap size and use, and the
// test hooks that make the module die on purpose.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>

#include <malloc.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include <hwy/highway.h>  // not foreach_target: one static target in WASM

#include "quaver/version.hpp"

#ifdef __EMSCRIPTEN_PTHREADS__
#include <pthread.h>
#endif

// Where the linker put the end of static data and the main thread's stack:
// the allocator's arena starts here.
extern "C" unsigned char __heap_base;

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

/// How the fixed heap is used, in bytes: { heapBytes, staticBytes (static
/// data and the main stack), arenaBytes (taken by the allocator so far),
/// usedBytes (in live allocations), freeBytes (still allocatable, ignoring
/// fragmentation) }.
/// Not real-time: takes the allocator's lock and allocates the JS object.
emscripten::val memory_stats() {
    const double heap = static_cast<double>(emscripten_get_heap_size());
    const auto base = reinterpret_cast<std::uintptr_t>(&__heap_base);
    const auto top = reinterpret_cast<std::uintptr_t>(sbrk(0));
    const struct mallinfo m = mallinfo();
    emscripten::val out = emscripten::val::object();
    out.set("heapBytes", heap);
    out.set("staticBytes", static_cast<double>(base));
    out.set("arenaBytes", static_cast<double>(top - base));
    out.set("usedBytes", static_cast<double>(m.uordblks));
    out.set("freeBytes", heap - static_cast<double>(top) + static_cast<double>(m.fordblks));
    return out;
}

// ---- Test hooks -------------------------------------------------------------
// They kill the module on purpose, so that tests (and apps checking their
// recovery path) can see how a dead module is reported. Never call them
// otherwise: the module cannot be used afterwards.

/// Kills the module on the calling thread: how 0 executes `unreachable` (a
/// WebAssembly trap), how 1 calls abort().
void debug_trap(std::uint32_t how) {
    if (how == 1) std::abort();
    __builtin_trap();
}

#ifdef __EMSCRIPTEN_PTHREADS__
void* trap_thread(void* how) {
    debug_trap(static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(how)));
    return nullptr;
}
#endif

/// Threaded build: starts a detached pthread that kills the module as
/// debug_trap(how) does. False when no pthread was free (the set is fixed at
/// startup) or the build has no threads.
bool debug_trap_on_thread(std::uint32_t how) {
#ifdef __EMSCRIPTEN_PTHREADS__
    pthread_t thread;
    if (pthread_create(&thread, nullptr, &trap_thread, reinterpret_cast<void*>(static_cast<std::uintptr_t>(how))) != 0) {
        return false;
    }
    pthread_detach(thread);
    return true;
#else
    (void)how;
    return false;
#endif
}

}  // namespace

EMSCRIPTEN_BINDINGS(quaver_core) {
    emscripten::function("version", &version);
    emscripten::function("simdTarget", &simd_target);
    emscripten::function("heapBytes", &heap_bytes);
    emscripten::function("threadsEnabled", &threads_enabled);
    emscripten::function("memoryStats", &memory_stats);
    emscripten::function("debugTrap", &debug_trap);
    emscripten::function("debugTrapOnThread", &debug_trap_on_thread);
}
