// Highway kernels for biquad cascades (see biquad_kernel.hpp for the layout,
// the arithmetic and the reasons). Two ways to fill SIMD lanes:
//  - biquad_cascade_channels: one channel per lane, any number of channels;
//    planar input is transposed per chunk into a frame-major scratch, every
//    section runs over it in place, and it is transposed back.
//  - biquad_cascade_pipelined: one section per lane, for one or two channels.
//    Lane k runs section k one sample behind lane k-1 and takes its input from
//    lane k-1's previous output, so a 4-lane vector advances four sections per
//    step. The pipeline fills and drains inside each chunk (masked steps), so
//    at chunk boundaries every section's state is time-aligned exactly as in
//    the scalar cascade and the output is sample-aligned with it.
// No include guard on purpose: re-included once per target (HWY_TARGET_TOGGLE).
#if defined(QUAVER_DSP_BIQUAD_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef QUAVER_DSP_BIQUAD_INL_H_
#undef QUAVER_DSP_BIQUAD_INL_H_
#else
#define QUAVER_DSP_BIQUAD_INL_H_
#endif

#include <hwy/highway.h>

#include "quaver/dsp/biquad_kernel.hpp"

HWY_BEFORE_NAMESPACE();
namespace quaver {
namespace HWY_NAMESPACE {
namespace biquad_hn = hwy::HWY_NAMESPACE;

namespace biquad_impl {
namespace hn = hwy::HWY_NAMESPACE;
using detail::biquad_chunk_frames;
using detail::biquad_state_index;
using detail::BiquadSection;

// Coefficients of one section as vectors: either fixed, or ramping with a
// per-lane frame counter.
template <class D>
struct Coeffs {
    using V = hn::Vec<D>;
    V b0, b1, b2, a1, a2;
};

template <class D>
HWY_INLINE Coeffs<D> broadcast(D d, const BiquadSection& s, double frame_plus_one) {
    const double i = frame_plus_one;
    return {hn::Set(d, s.c0[0] + i * s.dc[0]), hn::Set(d, s.c0[1] + i * s.dc[1]), hn::Set(d, s.c0[2] + i * s.dc[2]),
            hn::Set(d, s.c0[3] + i * s.dc[3]), hn::Set(d, s.c0[4] + i * s.dc[4])};
}

// The recurrence. The feedforward part and the a2 term do not depend on the
// previous output, so the loop-carried path from y1 to y is one FMA.
template <class D, class V = hn::Vec<D>>
HWY_INLINE V section_step(const Coeffs<D>& k, V x, V x1, V x2, V y1, V y2) {
    const V ff = hn::MulAdd(k.b2, x2, hn::MulAdd(k.b1, x1, hn::Mul(k.b0, x)));
    return hn::NegMulAdd(k.a1, y1, hn::NegMulAdd(k.a2, y2, ff));
}

// ---------------------------------------------------------------- channels
// Runs every section over `frames` frames of L interleaved lanes (frame-major
// scratch), in place. State pointers address lane 0 of the group.
template <class D, bool Ramp>
HWY_INLINE void run_sections_interleaved(D d, const BiquadSection* sections, std::size_t n_sections, double* state,
                                         std::size_t stride, std::size_t group_channel, double* HWY_RESTRICT buf,
                                         std::size_t frames, std::size_t frame_origin) {
    using V = hn::Vec<D>;
    const std::size_t L = hn::Lanes(d);
    for (std::size_t s = 0; s < n_sections; ++s) {
        double* st = state + biquad_state_index(s, 0, group_channel, stride);
        V x1 = hn::LoadU(d, st), x2 = hn::LoadU(d, st + stride);
        V y1 = hn::LoadU(d, st + 2 * stride), y2 = hn::LoadU(d, st + 3 * stride);
        Coeffs<D> k = broadcast(d, sections[s], 0);
        for (std::size_t n = 0; n < frames; ++n) {
            if constexpr (Ramp) k = broadcast(d, sections[s], static_cast<double>(frame_origin + n + 1));
            const V x = hn::Load(d, buf + n * L);
            const V y = section_step(k, x, x1, x2, y1, y2);
            hn::Store(y, d, buf + n * L);
            x2 = x1, x1 = x, y2 = y1, y1 = y;
        }
        hn::StoreU(x1, d, st), hn::StoreU(x2, d, st + stride);
        hn::StoreU(y1, d, st + 2 * stride), hn::StoreU(y2, d, st + 3 * stride);
    }
}

// Planar float channels [c, c + L) -> frame-major double scratch, and back.
// `used` channels of the group are real; the rest of the lanes read zeros and
// are not written back.
template <class D>
HWY_INLINE void gather(D d, const float* const* in, std::size_t c, std::size_t used, std::size_t start,
                       std::size_t frames, double* HWY_RESTRICT buf) {
    const std::size_t L = hn::Lanes(d);
    std::size_t n = 0;
    if constexpr (hn::MaxLanes(D()) == 4) {
        if (used == 4) {
            const hn::Rebind<float, D> df;
            for (; n + 4 <= frames; n += 4) {
                const auto v0 = hn::PromoteTo(d, hn::LoadU(df, in[c] + start + n));
                const auto v1 = hn::PromoteTo(d, hn::LoadU(df, in[c + 1] + start + n));
                const auto v2 = hn::PromoteTo(d, hn::LoadU(df, in[c + 2] + start + n));
                const auto v3 = hn::PromoteTo(d, hn::LoadU(df, in[c + 3] + start + n));
                hn::StoreInterleaved4(v0, v1, v2, v3, d, buf + n * 4);
            }
        }
    } else if constexpr (hn::MaxLanes(D()) == 2) {
        if (used == 2) {
            const hn::Rebind<float, D> df;
            for (; n + 2 <= frames; n += 2) {
                const auto v0 = hn::PromoteTo(d, hn::LoadU(df, in[c] + start + n));
                const auto v1 = hn::PromoteTo(d, hn::LoadU(df, in[c + 1] + start + n));
                hn::StoreInterleaved2(v0, v1, d, buf + n * 2);
            }
        }
    }
    for (; n < frames; ++n)
        for (std::size_t l = 0; l < L; ++l) buf[n * L + l] = l < used ? in[c + l][start + n] : 0.0;
}

template <class D>
HWY_INLINE void scatter(D d, const double* HWY_RESTRICT buf, std::size_t c, std::size_t used, std::size_t start,
                        std::size_t frames, float* const* out) {
    const std::size_t L = hn::Lanes(d);
    std::size_t n = 0;
    if constexpr (hn::MaxLanes(D()) == 4) {
        if (used == 4) {
            const hn::Rebind<float, D> df;
            for (; n + 4 <= frames; n += 4) {
                hn::Vec<D> v0, v1, v2, v3;
                hn::LoadInterleaved4(d, buf + n * 4, v0, v1, v2, v3);
                hn::StoreU(hn::DemoteTo(df, v0), df, out[c] + start + n);
                hn::StoreU(hn::DemoteTo(df, v1), df, out[c + 1] + start + n);
                hn::StoreU(hn::DemoteTo(df, v2), df, out[c + 2] + start + n);
                hn::StoreU(hn::DemoteTo(df, v3), df, out[c + 3] + start + n);
            }
        }
    } else if constexpr (hn::MaxLanes(D()) == 2) {
        if (used == 2) {
            const hn::Rebind<float, D> df;
            for (; n + 2 <= frames; n += 2) {
                hn::Vec<D> v0, v1;
                hn::LoadInterleaved2(d, buf + n * 2, v0, v1);
                hn::StoreU(hn::DemoteTo(df, v0), df, out[c] + start + n);
                hn::StoreU(hn::DemoteTo(df, v1), df, out[c + 1] + start + n);
            }
        }
    }
    for (; n < frames; ++n)
        for (std::size_t l = 0; l < used; ++l) out[c + l][start + n] = static_cast<float>(buf[n * L + l]);
}

template <class D>
HWY_INLINE void cascade_channels(D d, const BiquadSection* sections, std::size_t n_sections, double* state,
                                 std::size_t stride, const float* const* in, float* const* out, std::size_t channels,
                                 std::size_t frames, bool ramp) {
    const std::size_t L = hn::Lanes(d);
    HWY_ALIGN double buf[biquad_chunk_frames * detail::biquad_max_lanes];
    for (std::size_t c = 0; c < channels; c += L) {
        const std::size_t used = channels - c < L ? channels - c : L;
        for (std::size_t start = 0; start < frames; start += biquad_chunk_frames) {
            const std::size_t len = frames - start < biquad_chunk_frames ? frames - start : biquad_chunk_frames;
            gather(d, in, c, used, start, len, buf);
            if (ramp)
                run_sections_interleaved<D, true>(d, sections, n_sections, state, stride, c, buf, len, start);
            else
                run_sections_interleaved<D, false>(d, sections, n_sections, state, stride, c, buf, len, start);
            scatter(d, buf, c, used, start, len, out);
            for (std::size_t s = 0; s < n_sections; ++s)
                for (std::size_t l = 0; l < used; ++l)
                    detail::biquad_housekeep(state + biquad_state_index(s, 0, c + l, stride), stride);
        }
    }
}

// ---------------------------------------------------------------- pipelined
// One group of up to L sections (lanes) over one chunk, for C channels (1 or
// 2) run side by side so that their dependency chains overlap. src[c] and
// dst[c] hold the chunk in double.
template <class D, std::size_t C, bool Ramp>
struct PipelineGroup {
    using V = hn::Vec<D>;
    using M = hn::Mask<D>;
    static constexpr std::size_t kMax = detail::biquad_max_lanes;

    D d;
    std::size_t L, len, frame_origin;
    const double* const* src;
    double* const* dst;
    Coeffs<D> k, k0, kd;
    V x1[C], x2[C], y1[C], y2[C], prev[C];
    V lane_index, len_v;
    M lane0;
    decltype(hn::SetTableIndices(D(), static_cast<const hn::TFromD<hn::RebindToSigned<D>>*>(nullptr))) up;

    PipelineGroup(D d_, std::size_t len_, std::size_t origin, const double* const* src_, double* const* dst_)
        : d(d_), L(hn::Lanes(d_)), len(len_), frame_origin(origin), src(src_), dst(dst_) {}

    // At step t lane l processes sample n = t - l of the chunk. The only
    // extra work on the path from one step's output to the next is the lane
    // shift and the blend that feeds lane 0.
    template <bool Masked>
    HWY_INLINE void step(std::size_t t) {
        if constexpr (Ramp) {
            const V i = hn::Sub(hn::Set(d, static_cast<double>(frame_origin + t + 1)), lane_index);
            k.b0 = hn::MulAdd(i, kd.b0, k0.b0), k.b1 = hn::MulAdd(i, kd.b1, k0.b1);
            k.b2 = hn::MulAdd(i, kd.b2, k0.b2), k.a1 = hn::MulAdd(i, kd.a1, k0.a1);
            k.a2 = hn::MulAdd(i, kd.a2, k0.a2);
        }
        M valid = lane0;
        if constexpr (Masked) {
            const V n = hn::Sub(hn::Set(d, static_cast<double>(t)), lane_index);
            valid = hn::And(hn::Ge(n, hn::Zero(d)), hn::Lt(n, len_v));
        }
        HWY_ALIGN double ys[C][kMax];
        for (std::size_t c = 0; c < C; ++c) {
            const double in = t < len ? src[c][t] : 0.0;
            const V x = hn::IfThenElse(lane0, hn::Set(d, in), hn::TableLookupLanes(prev[c], up));
            const V y = section_step(k, x, x1[c], x2[c], y1[c], y2[c]);
            prev[c] = y;
            if constexpr (Masked) {
                x2[c] = hn::IfThenElse(valid, x1[c], x2[c]), x1[c] = hn::IfThenElse(valid, x, x1[c]);
                y2[c] = hn::IfThenElse(valid, y1[c], y2[c]), y1[c] = hn::IfThenElse(valid, y, y1[c]);
            } else {
                x2[c] = x1[c], x1[c] = x, y2[c] = y1[c], y1[c] = y;
            }
            hn::Store(y, d, ys[c]);
        }
        if (t + 1 >= L && t + 1 - L < len)
            for (std::size_t c = 0; c < C; ++c) dst[c][t + 1 - L] = ys[c][L - 1];
    }

    HWY_INLINE void run(const BiquadSection* sections, std::size_t used, double* state, std::size_t stride) {
        L = hn::Lanes(d);
        // Per-lane coefficients; lanes past `used` are identity sections.
        HWY_ALIGN double c0[5][kMax], dc[5][kMax];
        for (std::size_t l = 0; l < L; ++l)
            for (int j = 0; j < 5; ++j) {
                c0[j][l] = l < used ? sections[l].c0[j] : (j == 0 ? 1.0 : 0.0);
                dc[j][l] = l < used ? sections[l].dc[j] : 0.0;
            }
        k = {hn::Load(d, c0[0]), hn::Load(d, c0[1]), hn::Load(d, c0[2]), hn::Load(d, c0[3]), hn::Load(d, c0[4])};
        k0 = k;
        kd = {hn::Load(d, dc[0]), hn::Load(d, dc[1]), hn::Load(d, dc[2]), hn::Load(d, dc[3]), hn::Load(d, dc[4])};
        for (std::size_t c = 0; c < C; ++c) {
            HWY_ALIGN double tmp[4][kMax] = {};
            for (std::size_t l = 0; l < used; ++l)
                for (std::size_t j = 0; j < 4; ++j) tmp[j][l] = state[biquad_state_index(l, j, c, stride)];
            x1[c] = hn::Load(d, tmp[0]), x2[c] = hn::Load(d, tmp[1]);
            y1[c] = hn::Load(d, tmp[2]), y2[c] = hn::Load(d, tmp[3]);
            prev[c] = y1[c];
        }
        HWY_ALIGN hn::TFromD<hn::RebindToSigned<D>> up_idx[kMax];
        for (std::size_t l = 0; l < L; ++l) up_idx[l] = l == 0 ? 0 : static_cast<int64_t>(l - 1);
        up = hn::SetTableIndices(d, up_idx);
        lane0 = hn::FirstN(d, 1);
        lane_index = hn::Iota(d, 0.0);
        len_v = hn::Set(d, static_cast<double>(len));

        const std::size_t steps = len + L - 1;
        const std::size_t fill_end = L - 1 < steps ? L - 1 : steps;    // lanes 1.. still idle before this
        const std::size_t drain_begin = len > fill_end ? len : fill_end;  // lane 0 idle from here
        std::size_t t = 0;
        for (; t < fill_end; ++t) step<true>(t);
        for (; t < drain_begin; ++t) step<false>(t);
        for (; t < steps; ++t) step<true>(t);

        for (std::size_t c = 0; c < C; ++c) {
            HWY_ALIGN double tmp[4][kMax];
            hn::Store(x1[c], d, tmp[0]), hn::Store(x2[c], d, tmp[1]);
            hn::Store(y1[c], d, tmp[2]), hn::Store(y2[c], d, tmp[3]);
            for (std::size_t l = 0; l < used; ++l)
                for (std::size_t j = 0; j < 4; ++j) state[biquad_state_index(l, j, c, stride)] = tmp[j][l];
        }
    }
};

template <class D, std::size_t C>
HWY_INLINE void cascade_pipelined(D d, const BiquadSection* sections, std::size_t n_sections, double* state,
                                  std::size_t stride, const float* const* in, float* const* out, std::size_t frames,
                                  bool ramp) {
    const std::size_t L = hn::Lanes(d);
    HWY_ALIGN double a[C][biquad_chunk_frames], b[C][biquad_chunk_frames];
    for (std::size_t start = 0; start < frames; start += biquad_chunk_frames) {
        const std::size_t len = frames - start < biquad_chunk_frames ? frames - start : biquad_chunk_frames;
        for (std::size_t c = 0; c < C; ++c)
            for (std::size_t n = 0; n < len; ++n) a[c][n] = in[c][start + n];
        const double* src[C];
        double* dst[C];
        for (std::size_t c = 0; c < C; ++c) src[c] = a[c], dst[c] = b[c];
        for (std::size_t s = 0; s < n_sections; s += L) {
            const std::size_t used = n_sections - s < L ? n_sections - s : L;
            double* group_state = state + biquad_state_index(s, 0, 0, stride);
            if (ramp) {
                PipelineGroup<D, C, true> g(d, len, start, src, dst);
                g.run(sections + s, used, group_state, stride);
            } else {
                PipelineGroup<D, C, false> g(d, len, start, src, dst);
                g.run(sections + s, used, group_state, stride);
            }
            for (std::size_t c = 0; c < C; ++c) {
                double* const next_dst = const_cast<double*>(src[c]);
                src[c] = dst[c];
                dst[c] = next_dst;
            }
        }
        for (std::size_t c = 0; c < C; ++c)
            for (std::size_t n = 0; n < len; ++n) out[c][start + n] = static_cast<float>(n_sections ? src[c][n] : a[c][n]);
        for (std::size_t s = 0; s < n_sections; ++s)
            for (std::size_t c = 0; c < C; ++c)
                detail::biquad_housekeep(state + biquad_state_index(s, 0, c, stride), stride);
    }
}

}  // namespace biquad_impl

/// Cascade of sections, one channel per lane (any number of channels).
inline void biquad_cascade_channels(const detail::BiquadSection* sections, std::size_t n_sections, double* state,
                                    std::size_t stride, const float* const* in, float* const* out,
                                    std::size_t channels, std::size_t frames, bool ramp) {
    if (channels == 1) {
        // One channel: a single lane, no transposes; the FMA of the target still applies.
        const biquad_hn::CappedTag<double, 1> d1;
        biquad_impl::cascade_channels(d1, sections, n_sections, state, stride, in, out, channels, frames, ramp);
        return;
    }
    const biquad_hn::CappedTag<double, detail::biquad_max_lanes> d;
    biquad_impl::cascade_channels(d, sections, n_sections, state, stride, in, out, channels, frames, ramp);
}

/// Cascade of sections, one section per lane, for 1 or 2 channels.
inline void biquad_cascade_pipelined(const detail::BiquadSection* sections, std::size_t n_sections, double* state,
                                     std::size_t stride, const float* const* in, float* const* out,
                                     std::size_t channels, std::size_t frames, bool ramp) {
    using D = biquad_hn::CappedTag<double, detail::biquad_max_lanes>;
    const D d;
    if (channels == 2)
        biquad_impl::cascade_pipelined<D, 2>(d, sections, n_sections, state, stride, in, out, frames, ramp);
    else
        biquad_impl::cascade_pipelined<D, 1>(d, sections, n_sections, state, stride, in, out, frames, ramp);
}

}  // namespace HWY_NAMESPACE
}  // namespace quaver
HWY_AFTER_NAMESPACE();

#endif
