// Whether the WASM heap can still hold `bytes`, asked before constructing a
// DSP object: the heap never grows and a failed allocation aborts the module
// (Emscripten's malloc aborts on OOM without memory growth, and a build
// without -fexceptions aborts when operator new fails), so a size JS accepted
// must be refused here instead, as a null handle.
#pragma once
#include <emscripten/heap.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdint>

namespace quaver_embind {

// The room above the break plus the free top chunk below it: contiguous, so
// a set of allocations whose sum fits (with 64 KiB for chunk headers) cannot
// fail, whatever fragmentation elsewhere. Free chunks inside the heap are not
// counted: the answer errs on the side of refusing.
inline bool heap_has_room(std::uint64_t bytes) {
    const std::uint64_t heap = emscripten_get_heap_size();
    const std::uint64_t brk = reinterpret_cast<std::uintptr_t>(sbrk(0));
    const std::uint64_t room = (heap > brk ? heap - brk : 0) + static_cast<std::uint64_t>(mallinfo().keepcost);
    return bytes + 65536 <= room;
}

inline std::uint32_t address(const void* p) { return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(p)); }

}  // namespace quaver_embind
