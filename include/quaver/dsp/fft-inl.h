// FFT kernels, compiled once per SIMD target (see detail/simd_kernels.hpp).
//
// Layout choice. The transform is a Stockham autosort FFT (no bit-reversal
// pass: every pass reads one buffer and writes the other in an order that
// leaves the result sorted) run on split complex data (separate re and im
// arrays), so every butterfly is plain vertical SIMD arithmetic with no
// shuffles. Pass k of radix r, stride s = r_0 ... r_{k-1}, m = n / (s r):
//
//     y[q + s (r p + j)] = w^(p j) * sum_t x[q + s (p + t m)] e^{-2 pi i t j / r}
//     for p < m, q < s, w = e^{-2 pi i / (r m)}
//
// Once s is a multiple of the vector width the loop over q is contiguous in
// both buffers and the twiddle is one broadcast per butterfly (most passes).
// The first pass (s = 1) runs over p instead: its loads and its twiddles are
// contiguous, and its r outputs are r-way interleaved, which Highway's
// StoreInterleaved2/3/4 do in registers. With 8 lanes (AVX2) the second pass
// has s = 4 and interleaves 4-float halves (ConcatLowerLower/UpperUpper);
// there the first two passes also hand data over lane-permuted, which saves
// the shuffles that cross 128-bit halves. Anything else takes the same code
// on half vectors or, for odd strides of 3/5-smooth sizes and tiny n, on
// 1-lane vectors. Radices are 4 (first pass), then 8, closing with a 4, then
// 3s and 5s (fft_plan.hpp): radix 8 halves the passes of radix 2 and its 16
// split-complex vectors still mostly fit in AVX2's 16 registers.
//
// Addressing. A radix-8 butterfly reads 8 and writes 8 split-complex
// vectors: GCC gives each of those 32 streams a pointer of its own, more
// than x86 has registers, and the spills and address arithmetic outnumbered
// the floating-point instructions. Each butterfly instead takes one base
// address per array, hidden from the optimiser (opaque()), plus the stride
// multiples 1, 3, 5, 7 in registers (StrideMultiples): every access is then
// base + index * (1, 2 or 4). That made complex transforms of 1024 to 4096
// points 8% to 12% faster.
//
// Complex output. Interleaving re and im into std::complex costs an unpack
// and a vperm2f128 per output vector; with AVX2 the passes of a complex
// transform instead keep every 8-float block in the element order 0 1 4 5
// 2 3 6 7 from pass 1 on (pass_first_permuted_x8, kComplexOut), so the last
// pass needs the in-half unpacks only. With one twiddle base per butterfly
// in the passes over the stride (GCC had spilled 14 hoisted pointers), 3% to
// 6% fewer instructions for 256 to 4096 points, 2% to 4% fewer cycles. That
// order only needs pass 1 to have an even count of butterflies (64 = 4 4 4
// qualifies), so real transforms whose pass 1 misses the multiple of 8
// their own order needs take it too, the last pass storing each block back
// in natural order (SplitOutAs<true>): real 128 and 1920 run 15% faster.
//
// Real transforms. The post-processing (and the inverse's pre-processing)
// takes bins k and n - k together (real_post_block<true>): one load of each
// mirror, one twiddle product for both, the factors 1/2 folded into the
// twiddle table. It writes (reads) interleaved bins for the API, or split
// ones for the convolver (InterleavedBins, SplitBins). Fusing it into the last complex pass instead (saving one
// write and read of the spectrum) keeps two butterflies' 16 vectors live;
// V8 allocates SIMD128 from 15 xmm registers, spilled, and ran 5% to 15%
// slower than the separate pass.
//
// What this costs (bench/RESULTS.md, AVX2): complex transforms take 0.99x
// (n = 1024) to 1.05x of FFTW 3.3.10's cycles for n = 256..4096 (buffers
// aligned to 64 bytes like FFTW's; on 16-byte aligned std::vector output
// n = 1024 takes 14% more cycles), real ones 1.1x to 1.4x; in WASM the real
// transform runs at 1.0x-1.14x of PFFFT's for n = 256..16384.
//
// Why not PFFFT's layout (lanes = interleaved sub-transforms, then a
// transposed finalize pass): it needs an LxL transpose per lane count and
// an internal element order that differs from the API's, whereas here only
// the first two passes depend on the lane count and the data stays in
// natural order. Interleaved std::complex input and output are split and
// joined inside the first and last passes (LoadInterleaved2 /
// StoreInterleaved2), so there is no separate conversion pass. The inverse
// transform swaps re and im on the way in and out (ifft(x) = swap(fft(swap(x)))),
// sharing every kernel with the forward one, and folds the 1/n scale into
// the last store. The real transform of length 2n is the complex transform
// of length n of z[t] = x[2t] + i x[2t+1], plus one O(n) SIMD pass.
#if defined(QUAVER_DSP_FFT_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef QUAVER_DSP_FFT_INL_H_
#undef QUAVER_DSP_FFT_INL_H_
#else
#define QUAVER_DSP_FFT_INL_H_
#endif

#include <hwy/highway.h>

#include <cstddef>
#include <type_traits>

#include "quaver/dsp/detail/unroll.hpp"
#include "quaver/dsp/fft_plan.hpp"

HWY_BEFORE_NAMESPACE();
namespace quaver {
namespace HWY_NAMESPACE {
namespace fft_detail {
namespace hn = hwy::HWY_NAMESPACE;
using ::quaver::detail::FftPass;
using ::quaver::detail::FftPlanData;

// At most 8 lanes: the first two passes are written for 8 (they interleave
// 4-float halves), and no 16-lane pass for the AVX3 targets has been run or
// timed on a machine with AVX-512 (bench/RESULTS.md, FFT).
using DV = hn::CappedTag<float, 8>;
using D1 = hn::CappedTag<float, 1>;

// --- where a pass reads and writes ---------------------------------------

// Hides a pointer's value from the optimiser, so that a butterfly's R loads
// and R stores stay one base register plus a scaled stride register each
// (see StrideMultiples) instead of 4 R pointers of their own, which on x86
// spill and cost more integer instructions than the butterfly's arithmetic.
template <class T>
HWY_INLINE void opaque(T*& p) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    asm("" : "+r"(p));
#else
    (void)p;
#endif
}

// j * stride (in bytes) for j < 8 from the four odd multiples: every
// address is then base + index * (1, 2 or 4).
struct StrideMultiples {
    std::ptrdiff_t x1, x3, x5, x7;
    explicit StrideMultiples(std::size_t stride_floats) {
        x1 = static_cast<std::ptrdiff_t>(stride_floats * sizeof(float));
        x3 = 3 * x1, x5 = 5 * x1, x7 = 7 * x1;
    }
    HWY_INLINE std::ptrdiff_t operator()(std::size_t j) const {
        switch (j) {
            case 0: return 0;
            case 1: return x1;
            case 2: return 2 * x1;
            case 3: return x3;
            case 4: return 4 * x1;
            case 5: return x5;
            case 6: return 2 * x3;
            default: return x7;
        }
    }
};

struct SplitIn {
    static constexpr bool kInterleaved = false;
    const float* HWY_RESTRICT re;
    const float* HWY_RESTRICT im;
    template <class D>
    HWY_INLINE void load(D d, std::size_t i, hn::Vec<D>& r, hn::Vec<D>& m) const {
        r = hn::LoadU(d, re + i);
        m = hn::LoadU(d, im + i);
    }
    struct At {
        const char* re;
        const char* im;
        template <class D>
        HWY_INLINE void load(D d, std::ptrdiff_t bytes, hn::Vec<D>& r, hn::Vec<D>& m) const {
            r = hn::LoadU(d, reinterpret_cast<const float*>(re + bytes));
            m = hn::LoadU(d, reinterpret_cast<const float*>(im + bytes));
        }
    };
    HWY_INLINE At at(std::size_t i) const {
        At a{reinterpret_cast<const char*>(re + i), reinterpret_cast<const char*>(im + i)};
        opaque(a.re), opaque(a.im);
        return a;
    }
};

// Interleaved complex input; kSwap exchanges re and im (inverse transform).
template <bool kSwap>
struct InterleavedIn {
    static constexpr bool kInterleaved = true;
    static constexpr bool kSwapped = kSwap;
    const float* HWY_RESTRICT p;
    template <class D>
    HWY_INLINE void load(D d, std::size_t i, hn::Vec<D>& r, hn::Vec<D>& m) const {
        if constexpr (kSwap)
            hn::LoadInterleaved2(d, p + 2 * i, m, r);
        else
            hn::LoadInterleaved2(d, p + 2 * i, r, m);
    }
    struct At {
        const char* p;
        template <class D>
        HWY_INLINE void load(D d, std::ptrdiff_t bytes, hn::Vec<D>& r, hn::Vec<D>& m) const {
            const float* a = reinterpret_cast<const float*>(p + 2 * bytes);
            if constexpr (kSwap)
                hn::LoadInterleaved2(d, a, m, r);
            else
                hn::LoadInterleaved2(d, a, r, m);
        }
    };
    HWY_INLINE At at(std::size_t i) const {
        At a{reinterpret_cast<const char*>(p + 2 * i)};
        opaque(a.p);
        return a;
    }
};

// Split complex output. kLanePerm (AVX2 real transforms after the
// complex-order first passes, see permuted_pass in fft_plan.hpp): every
// 8-float block arrives as elements 0 1 4 5 2 3 6 7 and is stored in natural
// order, one vpermpd per vector.
template <bool kLanePerm = false>
struct SplitOutAs {
    float* HWY_RESTRICT re;
    float* HWY_RESTRICT im;
    static constexpr bool kSplit = true;
    template <class D>
    static HWY_INLINE void store_to(D d, float* HWY_RESTRICT a, hn::Vec<D> v) {
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2
        if constexpr (kLanePerm && hn::MaxLanes(D()) == 8) {
            const __m256d pairs = _mm256_castps_pd(v.raw);
            return _mm256_storeu_ps(a, _mm256_castpd_ps(_mm256_permute4x64_pd(pairs, _MM_SHUFFLE(3, 1, 2, 0))));
        }
#endif
        hn::StoreU(v, d, a);
    }
    template <class D>
    HWY_INLINE void store(D d, std::size_t i, hn::Vec<D> r, hn::Vec<D> m) const {
        store_to(d, re + i, r);
        store_to(d, im + i, m);
    }
    struct At {
        char* re;
        char* im;
        template <class D>
        HWY_INLINE void store(D d, std::ptrdiff_t bytes, hn::Vec<D> r, hn::Vec<D> m) const {
            store_to(d, reinterpret_cast<float*>(re + bytes), r);
            store_to(d, reinterpret_cast<float*>(im + bytes), m);
        }
    };
    HWY_INLINE At at(std::size_t i) const {
        At a{reinterpret_cast<char*>(re + i), reinterpret_cast<char*>(im + i)};
        opaque(a.re), opaque(a.im);
        return a;
    }
};
using SplitOut = SplitOutAs<false>;

// Interleaved complex output, scaled (by 1/n for the inverse).
// kLanePerm (AVX2 complex transforms, see pass_first_permuted_x8): every
// 8-float block of the split input holds elements 0 1 4 5 2 3 6 7, so the
// in-half unpacks alone interleave re and im (no vperm2f128).
template <bool kSwap, bool kLanePerm = false>
struct InterleavedOut {
    float* HWY_RESTRICT p;
    float scale;
    static constexpr bool kSplit = false;
    template <class D>
    static HWY_INLINE void store_to(D d, float* HWY_RESTRICT a, float scale, hn::Vec<D> r, hn::Vec<D> m) {
        if constexpr (kSwap) {
            const auto s = hn::Set(d, scale);
            const auto t = hn::Mul(m, s);
            m = hn::Mul(r, s);
            r = t;
        }
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2
        if constexpr (kLanePerm && hn::MaxLanes(D()) == 8) {
            _mm256_storeu_ps(a, _mm256_unpacklo_ps(r.raw, m.raw));
            _mm256_storeu_ps(a + 8, _mm256_unpackhi_ps(r.raw, m.raw));
            return;
        }
#endif
        hn::StoreInterleaved2(r, m, d, a);
    }
    template <class D>
    HWY_INLINE void store(D d, std::size_t i, hn::Vec<D> r, hn::Vec<D> m) const {
        store_to(d, p + 2 * i, scale, r, m);
    }
    struct At {
        char* p;
        float scale;
        template <class D>
        HWY_INLINE void store(D d, std::ptrdiff_t bytes, hn::Vec<D> r, hn::Vec<D> m) const {
            store_to(d, reinterpret_cast<float*>(p + 2 * bytes), scale, r, m);
        }
    };
    HWY_INLINE At at(std::size_t i) const {
        At a{reinterpret_cast<char*>(p + 2 * i), scale};
        opaque(a.p);
        return a;
    }
};

// --- butterflies: r-point DFTs on split complex vectors, in place ----------

// m x + a and a - m x. In a relaxed-SIMD WASM build (-mrelaxed-simd) these
// are f32x4.relaxed_madd / relaxed_nmadd, fused where the engine has FMA: on
// x86 V8 then issues them on the multiply pipes, and the adds they replace
// were the saturated ones. Clang 14 (Emscripten 3.1.6) only knows them under
// the proposal's prototype names and opcodes; bench/js/fft/relaxed.py
// renumbers them to the final ones after linking.
template <class V>
HWY_INLINE V mul_add(V m, V x, V a) {
#if HWY_TARGET == HWY_WASM && defined(__wasm_relaxed_simd__)
    return V{__builtin_wasm_fma_f32x4(m.raw, x.raw, a.raw)};  // m x + a once renumbered
#else
    return hn::MulAdd(m, x, a);
#endif
}
template <class V>
HWY_INLINE V neg_mul_add(V m, V x, V a) {
#if HWY_TARGET == HWY_WASM && defined(__wasm_relaxed_simd__)
    return V{__builtin_wasm_fms_f32x4(m.raw, x.raw, a.raw)};  // a - m x once renumbered
#else
    return hn::NegMulAdd(m, x, a);
#endif
}

template <class V>
HWY_INLINE void cmul(V& r, V& i, V wr, V wi) {
    const V nr = neg_mul_add(i, wi, hn::Mul(r, wr));
    const V ni = mul_add(r, wi, hn::Mul(i, wr));
    r = nr;
    i = ni;
}

template <std::size_t R, class D, class V = hn::Vec<D>>
HWY_INLINE void butterfly(D d, V* ar, V* ai) {
    if constexpr (R == 2) {
        const V r0 = hn::Add(ar[0], ar[1]), i0 = hn::Add(ai[0], ai[1]);
        ar[1] = hn::Sub(ar[0], ar[1]);
        ai[1] = hn::Sub(ai[0], ai[1]);
        ar[0] = r0;
        ai[0] = i0;
    } else if constexpr (R == 4) {
        const V t0r = hn::Add(ar[0], ar[2]), t0i = hn::Add(ai[0], ai[2]);
        const V t1r = hn::Sub(ar[0], ar[2]), t1i = hn::Sub(ai[0], ai[2]);
        const V t2r = hn::Add(ar[1], ar[3]), t2i = hn::Add(ai[1], ai[3]);
        const V t3r = hn::Sub(ar[1], ar[3]), t3i = hn::Sub(ai[1], ai[3]);
        ar[0] = hn::Add(t0r, t2r), ai[0] = hn::Add(t0i, t2i);
        ar[2] = hn::Sub(t0r, t2r), ai[2] = hn::Sub(t0i, t2i);
        ar[1] = hn::Add(t1r, t3i), ai[1] = hn::Sub(t1i, t3r);  // t1 - i t3
        ar[3] = hn::Sub(t1r, t3i), ai[3] = hn::Add(t1i, t3r);  // t1 + i t3
    } else if constexpr (R == 3) {
        const V c = hn::Set(d, -0.5f), s = hn::Set(d, 0.866025403784438646763723170752936183f);
        const V t1r = hn::Add(ar[1], ar[2]), t1i = hn::Add(ai[1], ai[2]);
        const V t2r = hn::Sub(ar[1], ar[2]), t2i = hn::Sub(ai[1], ai[2]);
        const V mr = mul_add(c, t1r, ar[0]), mi = mul_add(c, t1i, ai[0]);
        ar[0] = hn::Add(ar[0], t1r), ai[0] = hn::Add(ai[0], t1i);
        ar[1] = mul_add(s, t2i, mr), ai[1] = neg_mul_add(s, t2r, mi);
        ar[2] = neg_mul_add(s, t2i, mr), ai[2] = mul_add(s, t2r, mi);
    } else if constexpr (R == 5) {
        const V c1 = hn::Set(d, 0.309016994374947424102293417182819059f);
        const V c2 = hn::Set(d, -0.809016994374947424102293417182819059f);
        const V s1 = hn::Set(d, 0.951056516295153572116439333379382143f);
        const V s2 = hn::Set(d, 0.587785252292473129168705954639072769f);
        const V t1r = hn::Add(ar[1], ar[4]), t1i = hn::Add(ai[1], ai[4]);
        const V t2r = hn::Add(ar[2], ar[3]), t2i = hn::Add(ai[2], ai[3]);
        const V t3r = hn::Sub(ar[1], ar[4]), t3i = hn::Sub(ai[1], ai[4]);
        const V t4r = hn::Sub(ar[2], ar[3]), t4i = hn::Sub(ai[2], ai[3]);
        const V m1r = mul_add(c2, t2r, mul_add(c1, t1r, ar[0]));
        const V m1i = mul_add(c2, t2i, mul_add(c1, t1i, ai[0]));
        const V m2r = mul_add(c1, t2r, mul_add(c2, t1r, ar[0]));
        const V m2i = mul_add(c1, t2i, mul_add(c2, t1i, ai[0]));
        const V n1r = mul_add(s2, t4r, hn::Mul(s1, t3r)), n1i = mul_add(s2, t4i, hn::Mul(s1, t3i));
        const V n2r = neg_mul_add(s1, t4r, hn::Mul(s2, t3r)), n2i = neg_mul_add(s1, t4i, hn::Mul(s2, t3i));
        ar[0] = hn::Add(ar[0], hn::Add(t1r, t2r)), ai[0] = hn::Add(ai[0], hn::Add(t1i, t2i));
        ar[1] = hn::Add(m1r, n1i), ai[1] = hn::Sub(m1i, n1r);  // m1 - i n1
        ar[4] = hn::Sub(m1r, n1i), ai[4] = hn::Add(m1i, n1r);  // m1 + i n1
        ar[2] = hn::Add(m2r, n2i), ai[2] = hn::Sub(m2i, n2r);  // m2 - i n2
        ar[3] = hn::Sub(m2r, n2i), ai[3] = hn::Add(m2i, n2r);  // m2 + i n2
    } else if constexpr (R == 8) {
        // Radix 2 then two radix-4 DFTs: b[2k] = dft4(a[j] + a[j+4]),
        // b[2k+1] = dft4((a[j] - a[j+4]) w8^j), w8 = e^{-2 pi i / 8}.
        const V c = hn::Set(d, 0.707106781186547524400844362104849039f);
        V ur[4], ui[4], vr[4], vi[4];
        QUAVER_UNROLL
        for (int j = 0; j < 4; ++j) {
            ur[j] = hn::Add(ar[j], ar[j + 4]), ui[j] = hn::Add(ai[j], ai[j + 4]);
            vr[j] = hn::Sub(ar[j], ar[j + 4]), vi[j] = hn::Sub(ai[j], ai[j + 4]);
        }
        const V v1r = hn::Mul(c, hn::Add(vr[1], vi[1])), v1i = hn::Mul(c, hn::Sub(vi[1], vr[1]));
        const V v2r = vi[2], v2i = hn::Neg(vr[2]);
        const V v3r = hn::Mul(c, hn::Sub(vi[3], vr[3])), v3i = hn::Neg(hn::Mul(c, hn::Add(vr[3], vi[3])));
        vr[1] = v1r, vi[1] = v1i, vr[2] = v2r, vi[2] = v2i, vr[3] = v3r, vi[3] = v3i;
        butterfly<4>(d, ur, ui);
        butterfly<4>(d, vr, vi);
        QUAVER_UNROLL
        for (int k = 0; k < 4; ++k) {
            ar[2 * k] = ur[k], ai[2 * k] = ui[k];
            ar[2 * k + 1] = vr[k], ai[2 * k + 1] = vi[k];
        }
    }
}

// --- passes ----------------------------------------------------------------

// Vectorised over q (needs s to be a multiple of Lanes(d)); any s with D1.
// Butterfly p = 0 has unit twiddles (the whole of the last pass).
template <std::size_t R, bool kTwiddle, class D, class In, class Out>
HWY_INLINE void butterflies_over_stride(D d, const FftPass& ps, std::size_t p, const In in, const Out out) {
    using V = hn::Vec<D>;
    const std::size_t s = ps.stride, m = ps.count, N = hn::Lanes(d);
    const float* twr = ps.tw_re + p * (R - 1);
    const float* twi = ps.tw_im + p * (R - 1);
    const StrideMultiples in_step(s * m), out_step(s);
    for (std::size_t q = 0; q < s; q += N) {
        V ar[R], ai[R];
        const auto src = in.at(q + s * p);
        QUAVER_UNROLL
        for (std::size_t t = 0; t < R; ++t) src.load(d, in_step(t), ar[t], ai[t]);
        butterfly<R>(d, ar, ai);
        const auto dst = out.at(q + s * R * p);
        dst.store(d, 0, ar[0], ai[0]);
        // One base register per table, re-derived per butterfly: otherwise
        // GCC hoists 2 (R - 1) twiddle pointers out of the loop and spills them.
        const float* wr = twr;
        const float* wi = twi;
        opaque(wr), opaque(wi);
        QUAVER_UNROLL
        for (std::size_t k = 1; k < R; ++k) {
            if constexpr (kTwiddle) cmul(ar[k], ai[k], hn::Set(d, wr[k - 1]), hn::Set(d, wi[k - 1]));
            dst.store(d, out_step(k), ar[k], ai[k]);
        }
    }
}

template <std::size_t R, class D, class In, class Out>
HWY_INLINE void pass_over_stride(D d, const FftPass& ps, const In in, const Out out) {
    butterflies_over_stride<R, false>(d, ps, 0, in, out);
    for (std::size_t p = 1; p < ps.count; ++p) butterflies_over_stride<R, true>(d, ps, p, in, out);
}

// The passes vectorised over i: the R inputs at i + step(t), their DFT, and
// outputs 1 .. R - 1 times the twiddle vectors at tw + i + step(k - 1).
template <std::size_t R, class D, class In, class V = hn::Vec<D>>
HWY_INLINE void butterfly_twiddled(D d, const In in, const float* HWY_RESTRICT tw_re, const float* HWY_RESTRICT tw_im,
                                   const StrideMultiples& step, std::size_t i, V* ar, V* ai) {
    const auto src = in.at(i);
    QUAVER_UNROLL
    for (std::size_t t = 0; t < R; ++t) src.load(d, step(t), ar[t], ai[t]);
    butterfly<R>(d, ar, ai);
    const auto tw = SplitIn{tw_re, tw_im}.at(i);
    QUAVER_UNROLL
    for (std::size_t k = 1; k < R; ++k) {
        V wr, wi;
        tw.load(d, step(k - 1), wr, wi);
        cmul(ar[k], ai[k], wr, wi);
    }
}

// First pass (s = 1), vectorised over p; the outputs are r-way interleaved.
template <std::size_t R, class D, class In>
HWY_INLINE void pass_first(D d, const FftPass& ps, const In in, const SplitOut out) {
    using V = hn::Vec<D>;
    const std::size_t m = ps.count, N = hn::Lanes(d);
    const float* HWY_RESTRICT twr = ps.twx_re;
    const float* HWY_RESTRICT twi = ps.twx_im;
    const StrideMultiples step(m);
    for (std::size_t p = 0; p < m; p += N) {
        V ar[R], ai[R];
        butterfly_twiddled<R>(d, in, twr, twi, step, p, ar, ai);
        if constexpr (R == 2) {
            hn::StoreInterleaved2(ar[0], ar[1], d, out.re + R * p);
            hn::StoreInterleaved2(ai[0], ai[1], d, out.im + R * p);
        } else if constexpr (R == 3) {
            hn::StoreInterleaved3(ar[0], ar[1], ar[2], d, out.re + R * p);
            hn::StoreInterleaved3(ai[0], ai[1], ai[2], d, out.im + R * p);
        } else {
            static_assert(R == 4);
            hn::StoreInterleaved4(ar[0], ar[1], ar[2], ar[3], d, out.re + R * p);
            hn::StoreInterleaved4(ai[0], ai[1], ai[2], ai[3], d, out.im + R * p);
        }
    }
}

#if HWY_TARGET != HWY_SCALAR
// Second pass with 8 lanes and s = 4: vectorised over i = q + 4 p, two
// values of p per vector, whose outputs interleave in 4-float halves.
template <std::size_t R, class D, class In>
HWY_INLINE void pass_stride4_x8(D d, const FftPass& ps, const In in, const SplitOut out) {
    using V = hn::Vec<D>;
    const std::size_t sm = 4 * ps.count;
    const float* HWY_RESTRICT twr = ps.twx_re;
    const float* HWY_RESTRICT twi = ps.twx_im;
    const StrideMultiples step(sm);
    std::size_t i = 0;
    for (; i + 8 <= sm; i += 8) {
        V ar[R], ai[R];
        butterfly_twiddled<R>(d, in, twr, twi, step, i, ar, ai);
        // Outputs of p = i/4 then p + 1, each as R blocks of 4 (one per k).
        float* re = out.re + R * i;
        float* im = out.im + R * i;
        QUAVER_UNROLL
        for (std::size_t k = 0; k < R; k += 2) {
            hn::StoreU(hn::ConcatLowerLower(d, ar[k + 1], ar[k]), d, re + 4 * k);
            hn::StoreU(hn::ConcatLowerLower(d, ai[k + 1], ai[k]), d, im + 4 * k);
            hn::StoreU(hn::ConcatUpperUpper(d, ar[k + 1], ar[k]), d, re + 4 * R + 4 * k);
            hn::StoreU(hn::ConcatUpperUpper(d, ai[k + 1], ai[k]), d, im + 4 * R + 4 * k);
        }
    }
    // Odd m (120 = 4 2 3 5 has m = 15 here): the last butterfly on half vectors.
    if (i < sm) butterflies_over_stride<R, true>(hn::CappedTag<float, 4>(), ps, ps.count - 1, in, out);
}

#endif

#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2
// The first two passes with 8 lanes, handing over lane-permuted data to save
// the shuffles that cross 128-bit halves (a third of the first pass's time):
// pass 0 deinterleaves std::complex input within halves (vshufps, lanes hold
// p + 0 1 4 5 2 3 6 7) and stores its 4-way interleave without the final
// half swaps (4-float blocks in the order p + 0 2 1 3 4 6 5 7); pass 1 reads
// those blocks two per vector and stores each half where it belongs. The
// twiddles of both are laid out in the same orders (FftPass::twx_perm_*).
// kComplexOut (std::complex output): pass 0 instead stores each vector as
// q = 0 1 of p, 0 1 of p + 1 | 2 3 of p, 2 3 of p + 1 (its shuffles cross
// halves instead of pass 1's), pass 1 then writes 8-float blocks holding
// elements 0 1 4 5 2 3 6 7 with in-half unpacks (vunpcklpd), the later
// passes keep that order (they are vertical over 8-float blocks) and the
// last one interleaves re and im with in-half unpacks only
// (InterleavedOut<kSwap, true>): 1024 points, 4 8 8 4, drop 256 vperm2f128.
template <bool kSwap, bool kComplexOut, class D>
HWY_INLINE void pass_first_permuted_x8(D d, const FftPass& ps, const float* HWY_RESTRICT in, const SplitOut out) {
    using V = hn::Vec<D>;
    const std::size_t m = ps.count;
    const float* HWY_RESTRICT twr = ps.twx_perm_re;
    const float* HWY_RESTRICT twi = ps.twx_perm_im;
    const hn::RepartitionToWide<D> dw;
    const StrideMultiples step(m);
    for (std::size_t p = 0; p < m; p += 8) {
        V ar[4], ai[4];
        const char* base = reinterpret_cast<const char*>(in + 2 * p);
        opaque(base);
        QUAVER_UNROLL
        for (std::size_t t = 0; t < 4; ++t) {
            const float* src = reinterpret_cast<const float*>(base + 2 * step(t));
            const __m256 a = _mm256_loadu_ps(src), b = _mm256_loadu_ps(src + 8);
            const V even{_mm256_shuffle_ps(a, b, 0x88)}, odd{_mm256_shuffle_ps(a, b, 0xDD)};
            ar[t] = kSwap ? odd : even;
            ai[t] = kSwap ? even : odd;
        }
        butterfly<4>(d, ar, ai);
        const auto tw = SplitIn{twr, twi}.at(p);
        QUAVER_UNROLL
        for (std::size_t k = 1; k < 4; ++k) {
            V wr, wi;
            tw.load(d, step(k - 1), wr, wi);
            cmul(ar[k], ai[k], wr, wi);
        }
        V* parts[2] = {ar, ai};
        float* dst[2] = {out.re + 4 * p, out.im + 4 * p};
        if constexpr (kComplexOut) {
            QUAVER_UNROLL
            for (int c = 0; c < 2; ++c) {
                const V* v = parts[c];
                const __m256 l01 = _mm256_unpacklo_ps(v[0].raw, v[1].raw), h01 = _mm256_unpackhi_ps(v[0].raw, v[1].raw);
                const __m256 l23 = _mm256_unpacklo_ps(v[2].raw, v[3].raw), h23 = _mm256_unpackhi_ps(v[2].raw, v[3].raw);
                _mm256_storeu_ps(dst[c], _mm256_permute2f128_ps(l01, l23, 0x20));
                _mm256_storeu_ps(dst[c] + 8, _mm256_permute2f128_ps(l01, l23, 0x31));
                _mm256_storeu_ps(dst[c] + 16, _mm256_permute2f128_ps(h01, h23, 0x20));
                _mm256_storeu_ps(dst[c] + 24, _mm256_permute2f128_ps(h01, h23, 0x31));
            }
            continue;
        }
        QUAVER_UNROLL
        for (int c = 0; c < 2; ++c) {
            const V* v = parts[c];
            const auto v10L = hn::ZipLower(dw, v[0], v[1]), v32L = hn::ZipLower(dw, v[2], v[3]);
            const auto v10U = hn::ZipUpper(dw, v[0], v[1]), v32U = hn::ZipUpper(dw, v[2], v[3]);
            hn::StoreU(hn::BitCast(d, hn::InterleaveLower(dw, v10L, v32L)), d, dst[c]);
            hn::StoreU(hn::BitCast(d, hn::InterleaveUpper(dw, v10L, v32L)), d, dst[c] + 8);
            hn::StoreU(hn::BitCast(d, hn::InterleaveLower(dw, v10U, v32U)), d, dst[c] + 16);
            hn::StoreU(hn::BitCast(d, hn::InterleaveUpper(dw, v10U, v32U)), d, dst[c] + 24);
        }
    }
}

template <std::size_t R, bool kComplexOut, class D>
HWY_INLINE void pass_stride4_permuted_x8(D d, const FftPass& ps, const SplitIn in, const SplitOut out) {
    using V = hn::Vec<D>;
    static constexpr std::size_t pair[4] = {0, 1, 4, 5};
    const std::size_t sm = 4 * ps.count;
    const float* HWY_RESTRICT twr = kComplexOut ? ps.twx_cperm_re : ps.twx_perm_re;
    const float* HWY_RESTRICT twi = kComplexOut ? ps.twx_cperm_im : ps.twx_perm_im;
    const StrideMultiples step(sm);
    for (std::size_t i = 0; i < sm; i += 8) {
        V ar[R], ai[R];
        const auto src = in.at(i);
        QUAVER_UNROLL
        for (std::size_t t = 0; t < R; ++t) src.load(d, step(t), ar[t], ai[t]);
        butterfly<R>(d, ar, ai);
        const auto tw = SplitIn{twr, twi}.at(i);
        if constexpr (kComplexOut) {
            // Lanes: q = 0 1 of p, 0 1 of p + 1 | 2 3 of p, 2 3 of p + 1, p = i / 4.
            float* HWY_RESTRICT re = out.re + R * i;
            float* HWY_RESTRICT im = out.im + R * i;
            QUAVER_UNROLL
            for (std::size_t k = 0; k < R; k += 2) {
                QUAVER_UNROLL
                for (std::size_t j = k == 0 ? 1 : k; j < k + 2; ++j) {
                    V wr, wi;
                    tw.load(d, step(j - 1), wr, wi);
                    cmul(ar[j], ai[j], wr, wi);
                }
                const __m256d r0 = _mm256_castps_pd(ar[k].raw), r1 = _mm256_castps_pd(ar[k + 1].raw);
                const __m256d i0 = _mm256_castps_pd(ai[k].raw), i1 = _mm256_castps_pd(ai[k + 1].raw);
                _mm256_storeu_ps(re + 4 * k, _mm256_castpd_ps(_mm256_unpacklo_pd(r0, r1)));
                _mm256_storeu_ps(im + 4 * k, _mm256_castpd_ps(_mm256_unpacklo_pd(i0, i1)));
                _mm256_storeu_ps(re + 4 * R + 4 * k, _mm256_castpd_ps(_mm256_unpackhi_pd(r0, r1)));
                _mm256_storeu_ps(im + 4 * R + 4 * k, _mm256_castpd_ps(_mm256_unpackhi_pd(i0, i1)));
            }
            continue;
        }
        QUAVER_UNROLL
        for (std::size_t k = 1; k < R; ++k) {
            V wr, wi;
            tw.load(d, step(k - 1), wr, wi);
            cmul(ar[k], ai[k], wr, wi);
        }
        const std::size_t pa = i / 32 * 8 + pair[i % 32 / 8], pb = pa + 2;
        float* HWY_RESTRICT re_a = out.re + 4 * R * pa;
        float* HWY_RESTRICT im_a = out.im + 4 * R * pa;
        float* HWY_RESTRICT re_b = out.re + 4 * R * pb;
        float* HWY_RESTRICT im_b = out.im + 4 * R * pb;
        QUAVER_UNROLL
        for (std::size_t k = 0; k < R; k += 2) {
            hn::StoreU(hn::ConcatLowerLower(d, ar[k + 1], ar[k]), d, re_a + 4 * k);
            hn::StoreU(hn::ConcatLowerLower(d, ai[k + 1], ai[k]), d, im_a + 4 * k);
            hn::StoreU(hn::ConcatUpperUpper(d, ar[k + 1], ar[k]), d, re_b + 4 * k);
            hn::StoreU(hn::ConcatUpperUpper(d, ai[k + 1], ai[k]), d, im_b + 4 * k);
        }
    }
}

template <bool kSwap, bool kComplexOut>
HWY_NOINLINE void run_permuted_passes(const FftPlanData& plan, const float* in) {
    const DV d;
    pass_first_permuted_x8<kSwap, kComplexOut>(d, plan.passes[0], in, SplitOut{plan.work_re[0], plan.work_im[0]});
    const SplitIn mid{plan.work_re[0], plan.work_im[0]};
    const SplitOut next{plan.work_re[1], plan.work_im[1]};
    switch (plan.passes[1].radix) {
        case 2: return pass_stride4_permuted_x8<2, kComplexOut>(d, plan.passes[1], mid, next);
        case 4: return pass_stride4_permuted_x8<4, kComplexOut>(d, plan.passes[1], mid, next);
        default: return pass_stride4_permuted_x8<8, kComplexOut>(d, plan.passes[1], mid, next);
    }
}
#endif

template <std::size_t R, class In, class Out>
HWY_INLINE void run_pass_radix(const FftPass& ps, const In in, const Out out) {
    const DV d;
    const std::size_t N = hn::Lanes(d), s = ps.stride, m = ps.count;
    if (s % N == 0) return pass_over_stride<R>(d, ps, in, out);
    // The passes at s = 1 and s = 4 only ever write scratch (SplitOut); a
    // last pass writing through SplitOutAs<true> has a stride that is a
    // multiple of 8 and takes the branch above.
    if constexpr (std::is_same_v<Out, SplitOut> && R != 5) {
        if constexpr (R <= 4) {
            if (s == 1 && m % N == 0) return pass_first<R>(d, ps, in, out);
        }
#if HWY_TARGET != HWY_SCALAR
        if constexpr (hn::MaxLanes(DV()) == 8 && R % 2 == 0) {
            if (N == 8 && s == 4 && m > 1) return pass_stride4_x8<R>(d, ps, in, out);
        }
#endif
    }
    // Half vectors before single lanes: 480 = 4 8 3 5 (its plan outside x86)
    // has m = 15 at s = 4, which ran at a third of FFTW's speed on one lane.
    if constexpr (hn::MaxLanes(DV()) > 4) {
        const hn::CappedTag<float, 4> d4;
        if (s % 4 == 0) return pass_over_stride<R>(d4, ps, in, out);
        if constexpr (std::is_same_v<Out, SplitOut> && R <= 4) {
            if (s == 1 && m % 4 == 0) return pass_first<R>(d4, ps, in, out);
        }
    }
    pass_over_stride<R>(D1(), ps, in, out);
}

template <class In, class Out>
HWY_NOINLINE void run_pass(const FftPass& ps, const In in, const Out out) {
    switch (ps.radix) {
        case 2: return run_pass_radix<2>(ps, in, out);
        case 3: return run_pass_radix<3>(ps, in, out);
        case 4: return run_pass_radix<4>(ps, in, out);
        case 5: return run_pass_radix<5>(ps, in, out);
        default: return run_pass_radix<8>(ps, in, out);
    }
}

// Runs every pass: the first reads `in`, the last writes `out`, the others
// alternate between the two scratch buffers. Returns the index of the scratch
// buffer the last pass wrote when `out` is split scratch.
template <class In, class Out>
HWY_INLINE void run_passes(const FftPlanData& plan, const In in, const Out out) {
    const std::size_t passes = plan.num_passes;
    if (passes == 1) return run_pass(plan.passes[0], in, out);
    std::size_t k = 1;
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2
    if constexpr (In::kInterleaved) {
        if (passes >= 3 && plan.passes[0].twx_perm_re && plan.passes[1].twx_perm_re) {
            run_permuted_passes<In::kSwapped, false>(plan, in.p);
            k = 2;
        }
        // Passes 2.. run at strides that are multiples of 8 (vertical over
        // 8-float blocks), so the blocks stay permuted up to the last pass,
        // which puts them back as it stores.
        if (passes >= 3 && plan.passes[0].twx_perm_re && plan.passes[1].twx_cperm_re) {
            run_permuted_passes<In::kSwapped, true>(plan, in.p);
            for (k = 2; k + 1 < passes; ++k)
                run_pass(plan.passes[k], SplitIn{plan.work_re[(k - 1) & 1], plan.work_im[(k - 1) & 1]},
                         SplitOut{plan.work_re[k & 1], plan.work_im[k & 1]});
            const std::size_t last = passes - 1;
            const SplitIn from{plan.work_re[(last - 1) & 1], plan.work_im[(last - 1) & 1]};
            if constexpr (Out::kSplit)
                return run_pass(plan.passes[last], from, SplitOutAs<true>{out.re, out.im});
            else
                return run_pass(plan.passes[last], from, InterleavedOut<In::kSwapped, true>{out.p, out.scale});
        }
    }
#endif
    if (k == 1) run_pass(plan.passes[0], in, SplitOut{plan.work_re[0], plan.work_im[0]});
    for (; k + 1 < passes; ++k)
        run_pass(plan.passes[k], SplitIn{plan.work_re[(k - 1) & 1], plan.work_im[(k - 1) & 1]},
                 SplitOut{plan.work_re[k & 1], plan.work_im[k & 1]});
    const std::size_t last = passes - 1;
    run_pass(plan.passes[last], SplitIn{plan.work_re[(last - 1) & 1], plan.work_im[(last - 1) & 1]}, out);
}

// Where a real transform's bins live: interleaved (re, im) pairs, the API's
// std::complex order, or split re and im arrays (the convolver's spectra,
// which its products read without deinterleaving). F is const float when
// only read.
template <class F>
struct InterleavedBins {
    F* HWY_RESTRICT p;
    template <class D>
    HWY_INLINE void load(D d, std::size_t k, hn::Vec<D>& r, hn::Vec<D>& i) const {
        hn::LoadInterleaved2(d, p + 2 * k, r, i);
    }
    template <class D>
    HWY_INLINE void store(D d, std::size_t k, hn::Vec<D> r, hn::Vec<D> i) const {
        hn::StoreInterleaved2(r, i, d, p + 2 * k);
    }
    HWY_INLINE float real_at(std::size_t k) const { return p[2 * k]; }
    HWY_INLINE void store_real(std::size_t k, float r) const { p[2 * k] = r, p[2 * k + 1] = 0.0f; }
};
template <class F>
struct SplitBins {
    F* HWY_RESTRICT re;
    F* HWY_RESTRICT im;
    template <class D>
    HWY_INLINE void load(D d, std::size_t k, hn::Vec<D>& r, hn::Vec<D>& i) const {
        r = hn::LoadU(d, re + k);
        i = hn::LoadU(d, im + k);
    }
    template <class D>
    HWY_INLINE void store(D d, std::size_t k, hn::Vec<D> r, hn::Vec<D> i) const {
        hn::StoreU(r, d, re + k);
        hn::StoreU(i, d, im + k);
    }
    HWY_INLINE float real_at(std::size_t k) const { return re[k]; }
    HWY_INLINE void store_real(std::size_t k, float r) const { re[k] = r, im[k] = 0.0f; }
};

// Forward real post-processing: z = fft_n(x[2t] + i x[2t+1]) in split form
// (zr, zi) to bins k + i (lanes i) of the length-2n real transform and, with
// kPair, to bins n - k - i as well: their mirrored loads, the twiddle
// product and the factors 1/2 (folded into the table) serve both.
template <bool kPair, class D, class Bins>
HWY_INLINE void real_post_block(D d, const FftPlanData& plan, const float* HWY_RESTRICT zr,
                                const float* HWY_RESTRICT zi, const Bins out, std::size_t k) {
    using V = hn::Vec<D>;
    const std::size_t n = plan.n, N = hn::Lanes(d), mirror = n - k - N + 1;
    const V half = hn::Set(d, 0.5f);
    const V ar = hn::LoadU(d, zr + k), ai = hn::LoadU(d, zi + k);
    const V br = hn::Reverse(d, hn::LoadU(d, zr + mirror)), bi = hn::Reverse(d, hn::LoadU(d, zi + mirror));
    // E = (Z[k] + conj Z[n-k]) / 2, O = (Z[k] - conj Z[n-k]) / 2i
    const V er = hn::Mul(half, hn::Add(ar, br)), ei = hn::Mul(half, hn::Sub(ai, bi));
    V orr = hn::Add(ai, bi), oi = hn::Sub(br, ar);  // 2 O: the table holds w / 2
    cmul(orr, oi, hn::LoadU(d, plan.real_half_tw_re + k), hn::LoadU(d, plan.real_half_tw_im + k));
    out.store(d, k, hn::Add(er, orr), hn::Add(ei, oi));
    if constexpr (kPair)  // X[n - k - i] = conj(E - O w^k), lanes reversed back to ascending bins
        out.store(d, mirror, hn::Reverse(d, hn::Sub(er, orr)), hn::Reverse(d, hn::Sub(oi, ei)));
}

// Inverse real pre-processing: bins X[k] to Z[k] = E + i O with
// E = (X[k] + conj X[n-k]) / 2, O = (X[k] - conj X[n-k]) conj(w^k) / 2,
// written re/im-swapped for the inverse complex passes; with kPair also
// Z[n - k] = conj(E) + i conj(O).
template <bool kPair, class D, class Bins>
HWY_INLINE void real_pre_block(D d, const FftPlanData& plan, const Bins in, float* HWY_RESTRICT zr_swapped,
                               float* HWY_RESTRICT zi_swapped, std::size_t k) {
    using V = hn::Vec<D>;
    const std::size_t n = plan.n, N = hn::Lanes(d), mirror = n - k - N + 1;
    const V half = hn::Set(d, 0.5f);
    V ar, ai, br, bi;
    in.load(d, k, ar, ai);
    in.load(d, mirror, br, bi);
    br = hn::Reverse(d, br);
    bi = hn::Reverse(d, bi);
    const V er = hn::Mul(half, hn::Add(ar, br)), ei = hn::Mul(half, hn::Sub(ai, bi));
    V orr = hn::Sub(ar, br), oi = hn::Add(ai, bi);  // 2 O / conj(w): the table holds w / 2
    cmul(orr, oi, hn::LoadU(d, plan.real_half_tw_re + k), hn::Neg(hn::LoadU(d, plan.real_half_tw_im + k)));
    hn::StoreU(hn::Sub(er, oi), d, zr_swapped + k);
    hn::StoreU(hn::Add(ei, orr), d, zi_swapped + k);
    if constexpr (kPair) {
        hn::StoreU(hn::Reverse(d, hn::Add(er, oi)), d, zr_swapped + mirror);
        hn::StoreU(hn::Reverse(d, hn::Sub(orr, ei)), d, zi_swapped + mirror);
    }
}

// Runs block.template operator()<kPair>(d, k) over bins 1 .. n-1: pairs
// (k, n - k) while they do not overlap, then single vectors and lanes.
template <class Block>
HWY_INLINE void for_each_bin_block(std::size_t n, const Block& block) {
    const DV d;
    const std::size_t N = hn::Lanes(d);
    std::size_t k = 1;
    for (; 2 * (k + N) <= n + 1; k += N) block.template operator()<true>(d, k);
    const std::size_t end = n - k + 1;  // bins from end on are done
    for (; k + N <= end; k += N) block.template operator()<false>(d, k);
    for (; k < end; ++k) block.template operator()<false>(D1(), k);
}

}  // namespace fft_detail

inline void fft_complex(const detail::FftPlanData* plan, const float* in, float* out, bool inverse) {
    using namespace fft_detail;
    if (plan->num_passes == 0) {  // n == 1
        out[0] = in[0], out[1] = in[1];
        return;
    }
    float copy[2 * 5];
    if (plan->num_passes == 1) {  // n <= 5: the one pass must not read what it writes
        for (std::size_t i = 0; i < 2 * plan->n; ++i) copy[i] = in[i];
        in = copy;
    }
    if (inverse)
        run_passes(*plan, InterleavedIn<true>{in}, InterleavedOut<true>{out, 1.0f / static_cast<float>(plan->n)});
    else
        run_passes(*plan, InterleavedIn<false>{in}, InterleavedOut<false>{out, 1.0f});
}

namespace fft_detail {
// Length 2n real forward: n + 1 bins. Needs n >= 2.
template <class Bins>
HWY_INLINE void real_forward(const FftPlanData* plan, const float* in, const Bins out) {
    const std::size_t n = plan->n, last = plan->num_passes - 1;
    const std::size_t b = plan->num_passes == 1 ? 0 : (last & 1);
    float* zr = plan->work_re[b];
    float* zi = plan->work_im[b];
    run_passes(*plan, InterleavedIn<false>{in}, SplitOut{zr, zi});
    out.store_real(0, zr[0] + zi[0]);
    out.store_real(n, zr[0] - zi[0]);
    for_each_bin_block(n, [&]<bool kPair, class D>(D d, std::size_t k) {
        real_post_block<kPair>(d, *plan, zr, zi, out, k);
    });
}

// Length 2n real inverse from n + 1 bins, scaled by 1/(2n).
template <class Bins>
HWY_INLINE void real_inverse(const FftPlanData* plan, const Bins in, float* out) {
    const std::size_t n = plan->n;
    // The first pass writes scratch 0 (or `out`), so Z goes to scratch 1.
    float* zr_swapped = plan->work_im[1];
    float* zi_swapped = plan->work_re[1];
    zr_swapped[0] = 0.5f * (in.real_at(0) + in.real_at(n));
    zi_swapped[0] = 0.5f * (in.real_at(0) - in.real_at(n));
    for_each_bin_block(n, [&]<bool kPair, class D>(D d, std::size_t k) {
        real_pre_block<kPair>(d, *plan, in, zr_swapped, zi_swapped, k);
    });
    run_passes(*plan, SplitIn{plan->work_re[1], plan->work_im[1]},
               InterleavedOut<true>{out, 1.0f / static_cast<float>(n)});
}
}  // namespace fft_detail

// Length 2n real forward: n + 1 interleaved bins. Needs n >= 2.
inline void fft_real_forward(const detail::FftPlanData* plan, const float* in, float* out) {
    fft_detail::real_forward(plan, in, fft_detail::InterleavedBins<float>{out});
}

// Length 2n real forward to split bins re[0 .. n], im[0 .. n]. Needs n >= 2.
inline void fft_real_forward_split(const detail::FftPlanData* plan, const float* in, float* re, float* im) {
    fft_detail::real_forward(plan, in, fft_detail::SplitBins<float>{re, im});
}

// Length 2n real inverse from n + 1 interleaved bins, scaled by 1/(2n).
inline void fft_real_inverse(const detail::FftPlanData* plan, const float* in, float* out) {
    fft_detail::real_inverse(plan, fft_detail::InterleavedBins<const float>{in}, out);
}

// Length 2n real inverse from split bins re[0 .. n], im[0 .. n] (the
// imaginary parts of bins 0 and n are ignored), scaled by 1/(2n).
inline void fft_real_inverse_split(const detail::FftPlanData* plan, const float* re, const float* im, float* out) {
    fft_detail::real_inverse(plan, fft_detail::SplitBins<const float>{re, im}, out);
}

}  // namespace HWY_NAMESPACE
}  // namespace quaver
HWY_AFTER_NAMESPACE();

#endif  // QUAVER_DSP_FFT_INL_H_
