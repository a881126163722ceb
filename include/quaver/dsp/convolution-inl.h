// Highway kernel of the partitioned FFT convolution (fft_convolver.hpp): the
// sum over partitions of input spectrum times impulse-response spectrum.
// Re-included once per SIMD target through quaver/dsp/detail/simd_kernels-inl.h.
//
// Split spectra (re and im arrays) make each complex product four fused
// multiply-adds on whole vectors, with no shuffles. The loop runs bins
// outermost: one block of bins keeps its sum in registers while it walks
// every partition, so the sum is stored once rather than once per partition
// (with a one-second response at 48 kHz and 128-frame blocks, 375 times).
#if defined(QUAVER_DSP_CONVOLUTION_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef QUAVER_DSP_CONVOLUTION_INL_H_
#undef QUAVER_DSP_CONVOLUTION_INL_H_
#else
#define QUAVER_DSP_CONVOLUTION_INL_H_
#endif

#include <cstddef>

#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace quaver {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
namespace convolution_detail {

// At most 8 lanes, so that two vectors (one bin block) divide the 16-float
// padding of every spectrum.
using D = hn::CappedTag<float, 8>;

// sum += x * h over the bins of one block (two vectors), complex, split.
template <class V>
HWY_INLINE void accumulate_product(D d, const float* HWY_RESTRICT x, const float* HWY_RESTRICT h,
                                   std::size_t half, std::size_t k, V* sum_re, V* sum_im) {
    const std::size_t N = hn::Lanes(d);
    for (std::size_t v = 0; v < 2; ++v) {
        const V xr = hn::LoadU(d, x + k + v * N), xi = hn::LoadU(d, x + half + k + v * N);
        const V hr = hn::LoadU(d, h + k + v * N), hi = hn::LoadU(d, h + half + k + v * N);
        sum_re[v] = hn::NegMulAdd(xi, hi, hn::MulAdd(xr, hr, sum_re[v]));
        sum_im[v] = hn::MulAdd(xi, hr, hn::MulAdd(xr, hi, sum_im[v]));
    }
}
}  // namespace convolution_detail

/// sum[k] = sum over p < parts of x_p[k] * h_p[k], complex, for bins k < bins.
/// Each spectrum is `2 * bins` floats (re[bins] then im[bins]); h_p is at
/// h + p * 2 * bins, and x_p, the input block p blocks before the newest, at
/// slot (newest - p) mod parts of x (x is a ring of spectra). bins is a
/// multiple of 16. Allocates nothing, takes no lock.
inline void convolution_sum_products(const float* x, std::size_t newest, const float* h, std::size_t parts,
                                     std::size_t bins, float* sum) {
    namespace cd = convolution_detail;
    const cd::D d;
    using V = hn::Vec<cd::D>;
    const std::size_t N = hn::Lanes(d), spectrum = 2 * bins;
    for (std::size_t k = 0; k < bins; k += 2 * N) {
        V sum_re[2] = {hn::Zero(d), hn::Zero(d)}, sum_im[2] = {hn::Zero(d), hn::Zero(d)};
        // Slots newest, newest - 1, ..., 0, then parts - 1, ..., newest + 1:
        // two runs with no modulo in the loop.
        std::size_t p = 0;
        for (std::size_t slot = newest + 1; slot-- > 0; ++p)
            cd::accumulate_product(d, x + slot * spectrum, h + p * spectrum, bins, k, sum_re, sum_im);
        for (std::size_t slot = parts; slot-- > newest + 1; ++p)
            cd::accumulate_product(d, x + slot * spectrum, h + p * spectrum, bins, k, sum_re, sum_im);
        for (std::size_t v = 0; v < 2; ++v) {
            hn::StoreU(sum_re[v], d, sum + k + v * N);
            hn::StoreU(sum_im[v], d, sum + bins + k + v * N);
        }
    }
}

}  // namespace HWY_NAMESPACE
}  // namespace quaver
HWY_AFTER_NAMESPACE();

#endif  // QUAVER_DSP_CONVOLUTION_INL_H_
