#pragma once
// DSP: FFT, windows, spectrum analysis, STFT, biquads, parametric EQ.
#include "quaver/dsp/detail/simd_kernels.hpp"
