// Highway kernels of the spectrum analyser and the STFT: window multiply,
// magnitude (with the AnalyserNode's smoothing over time), decibels and the
// AnalyserNode's byte scaling. Re-included once per SIMD target through
// quaver/dsp/detail/simd_kernels-inl.h; the scalar references the tests use as
// oracles are in quaver/dsp/spectrum_analyzer.hpp (detail::reference_*).
//
// Each kernel runs whole vectors and finishes a ragged tail by copying it into
// a zero-padded vector on the stack, so every element goes through the same
// arithmetic whatever its position (the STFT relies on that for bit-identical
// sequential and parallel results; it is also the only way to keep the tail's
// log10 the same polynomial as the body's).
#if defined(QUAVER_DSP_ANALYSIS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef QUAVER_DSP_ANALYSIS_INL_H_
#undef QUAVER_DSP_ANALYSIS_INL_H_
#else
#define QUAVER_DSP_ANALYSIS_INL_H_
#endif

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include <hwy/highway.h>
#include <hwy/contrib/math/math-inl.h>

HWY_BEFORE_NAMESPACE();
namespace quaver {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

/// out[i] = in[i] * window[i]. out may alias in.
inline void analysis_window_multiply(const float* in, const float* window, float* out, std::size_t n) {
    const hn::ScalableTag<float> d;
    const std::size_t lanes = hn::Lanes(d);
    std::size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
        hn::StoreU(hn::Mul(hn::LoadU(d, in + i), hn::LoadU(d, window + i)), d, out + i);
    }
    if (i < n) {
        HWY_ALIGN float a[HWY_MAX_BYTES / sizeof(float)] = {};
        HWY_ALIGN float b[HWY_MAX_BYTES / sizeof(float)] = {};
        std::memcpy(a, in + i, (n - i) * sizeof(float));
        std::memcpy(b, window + i, (n - i) * sizeof(float));
        hn::Store(hn::Mul(hn::Load(d, a), hn::Load(d, b)), d, a);
        std::memcpy(out + i, a, (n - i) * sizeof(float));
    }
}

namespace analysis_detail {
template <class D, class V>
HWY_INLINE V magnitude_of(D d, const float* interleaved, V scale) {
    V re, im;
    hn::LoadInterleaved2(d, interleaved, re, im);
    return hn::Mul(hn::Sqrt(hn::MulAdd(re, re, hn::Mul(im, im))), scale);
}
}  // namespace analysis_detail

/// out[i] = scale * |bins[i]| for n complex bins stored (re, im) interleaved.
inline void analysis_magnitude(const float* bins, float* out, std::size_t n, float scale) {
    const hn::ScalableTag<float> d;
    const std::size_t lanes = hn::Lanes(d);
    const auto vscale = hn::Set(d, scale);
    std::size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
        hn::StoreU(analysis_detail::magnitude_of(d, bins + 2 * i, vscale), d, out + i);
    }
    if (i < n) {
        HWY_ALIGN float c[2 * HWY_MAX_BYTES / sizeof(float)] = {};
        HWY_ALIGN float m[HWY_MAX_BYTES / sizeof(float)];
        std::memcpy(c, bins + 2 * i, 2 * (n - i) * sizeof(float));
        hn::Store(analysis_detail::magnitude_of(d, c, vscale), d, m);
        std::memcpy(out + i, m, (n - i) * sizeof(float));
    }
}

/// The AnalyserNode's smoothing over time:
/// smoothed[i] = k * smoothed[i] + (1 - k) * scale * |bins[i]|.
inline void analysis_magnitude_smooth(const float* bins, float* smoothed, std::size_t n, float scale, float k) {
    const hn::ScalableTag<float> d;
    const std::size_t lanes = hn::Lanes(d);
    const auto vscale = hn::Set(d, scale);
    const auto vk = hn::Set(d, k);
    const auto vk1 = hn::Set(d, 1.0f - k);
    std::size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
        const auto mag = analysis_detail::magnitude_of(d, bins + 2 * i, vscale);
        hn::StoreU(hn::MulAdd(vk, hn::LoadU(d, smoothed + i), hn::Mul(vk1, mag)), d, smoothed + i);
    }
    if (i < n) {
        HWY_ALIGN float c[2 * HWY_MAX_BYTES / sizeof(float)] = {};
        HWY_ALIGN float s[HWY_MAX_BYTES / sizeof(float)] = {};
        std::memcpy(c, bins + 2 * i, 2 * (n - i) * sizeof(float));
        std::memcpy(s, smoothed + i, (n - i) * sizeof(float));
        const auto mag = analysis_detail::magnitude_of(d, c, vscale);
        hn::Store(hn::MulAdd(vk, hn::Load(d, s), hn::Mul(vk1, mag)), d, s);
        std::memcpy(smoothed + i, s, (n - i) * sizeof(float));
    }
}

namespace analysis_detail {
/// 20 log10(x); exactly 0 gives -inf like log10f (Highway's Log does not
/// special-case 0). Subnormals are handled by Log itself.
template <class D, class V>
HWY_INLINE V decibels_of(D d, V x) {
    const V db = hn::Mul(hn::Log(d, x), hn::Set(d, 8.6858896380650365530f));  // 20 / ln(10)
    return hn::IfThenElse(hn::Eq(x, hn::Zero(d)), hn::Set(d, -std::numeric_limits<float>::infinity()), db);
}
}  // namespace analysis_detail

/// out[i] = 20 log10(magnitude[i]), -inf for 0. out may alias magnitude.
inline void analysis_to_decibels(const float* magnitude, float* out, std::size_t n) {
    const hn::ScalableTag<float> d;
    const std::size_t lanes = hn::Lanes(d);
    std::size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
        hn::StoreU(analysis_detail::decibels_of(d, hn::LoadU(d, magnitude + i)), d, out + i);
    }
    if (i < n) {
        HWY_ALIGN float m[HWY_MAX_BYTES / sizeof(float)] = {};
        std::memcpy(m, magnitude + i, (n - i) * sizeof(float));
        hn::Store(analysis_detail::decibels_of(d, hn::Load(d, m)), d, m);
        std::memcpy(out + i, m, (n - i) * sizeof(float));
    }
}

namespace analysis_detail {
template <class D, class V>
HWY_INLINE auto bytes_of(D d, V magnitude, V min_db, V byte_scale) {
    const V db = decibels_of(d, magnitude);
    // Clamping in float first keeps -inf and huge values out of the integer
    // conversion; truncation toward zero then matches the C cast Chromium uses.
    const V scaled = hn::Min(hn::Max(hn::Mul(hn::Sub(db, min_db), byte_scale), hn::Zero(d)), hn::Set(d, 255.0f));
    const hn::RebindToSigned<D> di;
    const hn::Rebind<std::uint8_t, D> du8;
    return hn::DemoteTo(du8, hn::ConvertTo(di, scaled));
}
}  // namespace analysis_detail

/// The AnalyserNode's byte scaling:
/// out[i] = clamp(floor((20 log10(magnitude[i]) - min_db) * byte_scale), 0, 255)
/// with byte_scale = 255 / (max_db - min_db).
inline void analysis_to_bytes(const float* magnitude, std::uint8_t* out, std::size_t n, float min_db,
                              float byte_scale) {
    const hn::ScalableTag<float> d;
    const hn::Rebind<std::uint8_t, decltype(d)> du8;
    const std::size_t lanes = hn::Lanes(d);
    const auto vmin = hn::Set(d, min_db);
    const auto vscale = hn::Set(d, byte_scale);
    std::size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
        hn::StoreU(analysis_detail::bytes_of(d, hn::LoadU(d, magnitude + i), vmin, vscale), du8, out + i);
    }
    if (i < n) {
        HWY_ALIGN float m[HWY_MAX_BYTES / sizeof(float)] = {};
        HWY_ALIGN std::uint8_t b[HWY_MAX_BYTES / sizeof(float)];
        std::memcpy(m, magnitude + i, (n - i) * sizeof(float));
        hn::StoreU(analysis_detail::bytes_of(d, hn::Load(d, m), vmin, vscale), du8, b);
        std::memcpy(out + i, b, n - i);
    }
}

}  // namespace HWY_NAMESPACE
}  // namespace quaver
HWY_AFTER_NAMESPACE();

#endif  // QUAVER_DSP_ANALYSIS_INL_H_ toggle
