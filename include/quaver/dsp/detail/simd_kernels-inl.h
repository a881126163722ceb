// Every Highway kernel file of Quaver, re-included once per SIMD target by
// foreach_target.h (see simd_kernels.hpp). No include guard on purpose; each
// listed file guards itself with Highway's HWY_TARGET_TOGGLE idiom.
#include "quaver/dsp/detail/simd_target-inl.h"
#if __has_include("quaver/dsp/fft-inl.h")
#include "quaver/dsp/fft-inl.h"
#endif
#if __has_include("quaver/dsp/convolution-inl.h")
#include "quaver/dsp/convolution-inl.h"
#endif
#if __has_include("quaver/dsp/analysis-inl.h")
#include "quaver/dsp/analysis-inl.h"
#endif
#if __has_include("quaver/dsp/biquad-inl.h")
#include "quaver/dsp/biquad-inl.h"
#endif
