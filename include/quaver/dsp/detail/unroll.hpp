#pragma once
// QUAVER_UNROLL before a loop of constant trip count asks the compiler to
// unroll it. Kernels keep vectors in small arrays indexed by such loops;
// unless the loops are unrolled the arrays live in memory. GCC unrolls them
// at -O3 but not at -O2 (an FFT of 1024 points at -O2 took 2x the cycles of
// -O3), so unrolling is requested explicitly.
#ifndef QUAVER_UNROLL
#if defined(__clang__)
#define QUAVER_UNROLL _Pragma("unroll")
#elif defined(__GNUC__)
#define QUAVER_UNROLL _Pragma("GCC unroll 16")
#else
#define QUAVER_UNROLL
#endif
#endif
