#ifndef QUAVER_DSP_DETAIL_SIMD_KERNELS_HPP
#define QUAVER_DSP_DETAIL_SIMD_KERNELS_HPP
// The one place where Quaver's Highway kernels are compiled for every SIMD
// target. Highway's foreach_target.h may be included only once per
// translation unit, so all kernels (*-inl.h, listed in simd_kernels-inl.h)
// go through this hub; public headers include it and then export and
// dispatch their own functions with QUAVER_HWY_EXPORT / QUAVER_HWY_DISPATCH
// at namespace scope in `namespace quaver`.
//
// Natively the best target is picked at run time (AVX-512, AVX2, SSE4, ...);
// this needs libhwy. With Emscripten, or when a single target is forced
// (HWY_COMPILE_ONLY_STATIC / _EMU128 / _SCALAR, used by the tests to run the
// portable paths), the one compiled target is called directly and libhwy is
// not needed.
//
// A translation unit that includes Quaver's DSP headers cannot also use
// foreach_target.h for its own kernels.

// QUAVER_SIMD_BASELINE_ONLY: compile the kernels for the baseline target
// only (faster builds, e.g. under sanitizers).
#if (defined(__EMSCRIPTEN__) || defined(QUAVER_SIMD_BASELINE_ONLY)) && !defined(HWY_COMPILE_ONLY_STATIC) && !defined(HWY_COMPILE_ONLY_EMU128) && \
    !defined(HWY_COMPILE_ONLY_SCALAR)
#define HWY_COMPILE_ONLY_STATIC 1
#endif

#if defined(HWY_COMPILE_ONLY_STATIC) || defined(HWY_COMPILE_ONLY_EMU128) || defined(HWY_COMPILE_ONLY_SCALAR)
#ifndef QUAVER_HWY_STATIC_DISPATCH
#define QUAVER_HWY_STATIC_DISPATCH 1
#endif
#endif

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "quaver/dsp/detail/simd_kernels-inl.h"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include "quaver/dsp/detail/simd_kernels-inl.h"

#if QUAVER_HWY_STATIC_DISPATCH
#define QUAVER_HWY_EXPORT(fn) static_assert(true, "")
#define QUAVER_HWY_DISPATCH(fn) HWY_STATIC_DISPATCH(fn)
#else
#define QUAVER_HWY_EXPORT(fn) HWY_EXPORT(fn)
#define QUAVER_HWY_DISPATCH(fn) HWY_DYNAMIC_DISPATCH(fn)
#endif

#include <hwy/targets.h>

namespace quaver {
QUAVER_HWY_EXPORT(simd_target_id);

/// Name of the SIMD target the DSP kernels run on in this process
/// (e.g. "AVX2", "WASM", "EMU128").
/// Real-time: wait-free, no allocation.
inline const char* simd_target_name() noexcept { return hwy::TargetName(QUAVER_HWY_DISPATCH(simd_target_id)()); }
}  // namespace quaver

#endif  // QUAVER_DSP_DETAIL_SIMD_KERNELS_HPP
