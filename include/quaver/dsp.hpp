#pragma once
// DSP: FFT, FFT convolution, windows, spectrum analysis, STFT, biquads, parametric EQ. The
// SIMD kernels behind them are compiled for every target through
// quaver/dsp/detail/simd_kernels.hpp.
#include "quaver/dsp/biquad.hpp"
#include "quaver/dsp/biquad_design.hpp"
#include "quaver/dsp/detail/simd_kernels.hpp"
#include "quaver/dsp/fft.hpp"
#include "quaver/dsp/fft_convolver.hpp"
#include "quaver/dsp/parametric_eq.hpp"
#include "quaver/dsp/spectrum_analyzer.hpp"
#include "quaver/dsp/stft.hpp"
#include "quaver/dsp/window.hpp"
