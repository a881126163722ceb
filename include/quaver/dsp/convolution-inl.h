// Highway kernels of the partitioned FFT convolution (fft_convolver.hpp): the
// sum over partitions of input spectrum times impulse-response spectrum, and
// the direct convolution of the zero-latency mode's first taps.
// Re-included once per SIMD target through quaver/dsp/detail/simd_kernels-inl.h.
//
// Split spectra (re and im apart) make each complex product four fused
// multiply-adds on whole vectors, with no shuffles. The loop runs bins
// outermost: one block of bins keeps its sum in registers while it walks
// every partition, so the sum is stored once rather than once per partition
// (with a one-second response at 48 kHz and 128-frame blocks, 375 times;
// summing partition by partition into memory took 1.6x the time).
#if defined(QUAVER_DSP_CONVOLUTION_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef QUAVER_DSP_CONVOLUTION_INL_H_
#undef QUAVER_DSP_CONVOLUTION_INL_H_
#else
#define QUAVER_DSP_CONVOLUTION_INL_H_
#endif

#include <cstddef>

#include <hwy/highway.h>

#include "quaver/dsp/detail/unroll.hpp"

HWY_BEFORE_NAMESPACE();
namespace quaver {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
namespace convolution_detail {

// At most 8 lanes. A block of bins is 16 floats (2 AVX2 or 4 SIMD128
// vectors), and the spectra are stored block-major (all partitions of bins
// 0-15, then of bins 16-31, ...): the loop over partitions then reads x and
// h as two sequential streams of 128-byte entries. Stored spectrum by
// spectrum, the same loop read four lines at a stride of a spectrum per
// partition, and a 128-frame block with a 48000-tap response took 17 us
// instead of 13 us (AVX2; WASM SIMD128 in node: 29 us instead of 22 us).
using D = hn::CappedTag<float, 8>;
constexpr std::size_t kVectors = hn::MaxLanes(D()) == 1 ? 4 : 16 / hn::MaxLanes(D());

// The sums of one block. With fused multiply-adds the four real products
// sum separately, so each one waits only for its own previous one (summing
// x_re h_re - x_im h_im into one register chains two per partition: half
// the speed); without, a multiply and an add per product, the re and im
// sums suffice (the adds are the bound, not their latency). AVX2, 48000
// taps, 128 frames: 30 us per block with one chain, 17 us with four.
template <class V>
struct BlockSums {
#if HWY_NATIVE_FMA
    V rr[kVectors], ii[kVectors], ri[kVectors], ir[kVectors];
#else
    V re[kVectors], im[kVectors];
#endif
    explicit BlockSums(D d) {
        QUAVER_UNROLL
        for (std::size_t v = 0; v < kVectors; ++v) {
#if HWY_NATIVE_FMA
            rr[v] = ii[v] = ri[v] = ir[v] = hn::Zero(d);
#else
            re[v] = im[v] = hn::Zero(d);
#endif
        }
    }

    // Adds x * h at bins k ..; `half` floats separate a spectrum's re and im.
    HWY_INLINE void add(D d, const float* HWY_RESTRICT x, const float* HWY_RESTRICT h, std::size_t half,
                        std::size_t k) {
        const std::size_t N = hn::Lanes(d);
        QUAVER_UNROLL
        for (std::size_t v = 0; v < kVectors; ++v) {
            const std::size_t i = k + v * N;
            const V xr = hn::LoadU(d, x + i), xi = hn::LoadU(d, x + half + i);
            const V hr = hn::LoadU(d, h + i), hi = hn::LoadU(d, h + half + i);
#if HWY_NATIVE_FMA
            rr[v] = hn::MulAdd(xr, hr, rr[v]);
            ii[v] = hn::MulAdd(xi, hi, ii[v]);
            ri[v] = hn::MulAdd(xr, hi, ri[v]);
            ir[v] = hn::MulAdd(xi, hr, ir[v]);
#else
            re[v] = hn::Sub(hn::Add(re[v], hn::Mul(xr, hr)), hn::Mul(xi, hi));
            im[v] = hn::Add(hn::Add(im[v], hn::Mul(xr, hi)), hn::Mul(xi, hr));
#endif
        }
    }

    HWY_INLINE void store(D d, float* HWY_RESTRICT sum, std::size_t half, std::size_t k) const {
        const std::size_t N = hn::Lanes(d);
        QUAVER_UNROLL
        for (std::size_t v = 0; v < kVectors; ++v) {
#if HWY_NATIVE_FMA
            hn::StoreU(hn::Sub(rr[v], ii[v]), d, sum + k + v * N);
            hn::StoreU(hn::Add(ri[v], ir[v]), d, sum + half + k + v * N);
#else
            hn::StoreU(re[v], d, sum + k + v * N);
            hn::StoreU(im[v], d, sum + half + k + v * N);
#endif
        }
    }
};
}  // namespace convolution_detail

/// sum = sum over p < parts of x_p * h_p, complex, for the bins of blocks
/// [block_begin, block_end) of 16 bins. x and h hold, for each block b of the
/// `bins` bins (a multiple of 16), `parts` entries of 32 floats (the block's
/// 16 re, then its 16 im): h_p at entry p, and x_p, the input block p blocks
/// before the newest, at entry (newest - p) mod parts (x is a ring). sum is
/// split: re[bins], im[bins]; bins outside the range are left as they are.
/// Allocates nothing, takes no lock.
inline void convolution_sum_products(const float* x, std::size_t newest, const float* h, std::size_t parts,
                                     std::size_t bins, std::size_t block_begin, std::size_t block_end, float* sum) {
    namespace cd = convolution_detail;
    const cd::D d;
    const std::size_t step = cd::kVectors * hn::Lanes(d);
    for (std::size_t b = block_begin; b < block_end; ++b) {
        const float* xb = x + b * parts * 32;
        const float* hb = h + b * parts * 32;
        for (std::size_t k = 0; k < 16; k += step) {
            cd::BlockSums<hn::Vec<cd::D>> sums(d);
            // Entries newest, newest - 1, ..., 0, then parts - 1, ..., newest + 1:
            // two runs with no modulo in the loop.
            std::size_t p = 0;
            for (std::size_t slot = newest + 1; slot-- > 0; ++p) sums.add(d, xb + slot * 32, hb + p * 32, 16, k);
            for (std::size_t slot = parts; slot-- > newest + 1; ++p) sums.add(d, xb + slot * 32, hb + p * 32, 16, k);
            sums.store(d, sum + b * 16, bins, k);
        }
    }
}

/// out[i] += sum over k < taps of reversed[k] * x[i + k], for i < frames: a
/// direct convolution (the zero-latency convolver's first block of taps,
/// stored reversed). taps is a multiple of 16. Allocates nothing, takes no lock.
inline void convolution_direct(const float* reversed, std::size_t taps, const float* x, float* out,
                               std::size_t frames) {
    const convolution_detail::D d;
    const std::size_t N = hn::Lanes(d);
    for (std::size_t i = 0; i < frames; ++i) {
        // Two sums, so that each multiply-add waits for every other one only.
        auto sum0 = hn::Zero(d), sum1 = hn::Zero(d);
        for (std::size_t k = 0; k < taps; k += 2 * N) {
            sum0 = hn::MulAdd(hn::LoadU(d, reversed + k), hn::LoadU(d, x + i + k), sum0);
            sum1 = hn::MulAdd(hn::LoadU(d, reversed + k + N), hn::LoadU(d, x + i + k + N), sum1);
        }
        out[i] += hn::GetLane(hn::SumOfLanes(d, hn::Add(sum0, sum1)));
    }
}

}  // namespace HWY_NAMESPACE
}  // namespace quaver
HWY_AFTER_NAMESPACE();

#endif  // QUAVER_DSP_CONVOLUTION_INL_H_
