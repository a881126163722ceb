// Reports which SIMD target a dispatched call lands on.
#if defined(QUAVER_DSP_DETAIL_SIMD_TARGET_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef QUAVER_DSP_DETAIL_SIMD_TARGET_INL_H_
#undef QUAVER_DSP_DETAIL_SIMD_TARGET_INL_H_
#else
#define QUAVER_DSP_DETAIL_SIMD_TARGET_INL_H_
#endif

#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace quaver {
namespace HWY_NAMESPACE {
inline int64_t simd_target_id() { return HWY_TARGET; }
}  // namespace HWY_NAMESPACE
}  // namespace quaver
HWY_AFTER_NAMESPACE();

#endif
