// Highway kernels for biquad cascades (see biquad_kernel.hpp for the layout,
// the arithmetic and the reasons). Two ways to fill SIMD lanes:
//  - biquad_cascade_channels: one channel per lane, any number of channels;
//    planar input is transposed per chunk into a frame-major scratch, every
//    section runs over it in place, and it is transposed back.
//  - biquad_cascade_pipelined: sections in lanes, for one or two channels.
//    The lane of section s runs one sample behind section s-1 and takes its
//    input from s-1's previous output, so one step advances every section of
//    the pipeline. The pipeline fills and drains inside each chunk (masked
//    steps), so at chunk boundaries every section's state is time-aligned
//    exactly as in the scalar cascade and the output is sample-aligned with it.
// Targets without double lanes (WASM with Highway 1.0) run the f64x2 cascade
// of biquad_f64x2.hpp with SIMD128, the scalar cascade without.
// No include guard on purpose: re-included once per target (HWY_TARGET_TOGGLE).
#if defined(QUAVER_DSP_BIQUAD_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef QUAVER_DSP_BIQUAD_INL_H_
#undef QUAVER_DSP_BIQUAD_INL_H_
#else
#define QUAVER_DSP_BIQUAD_INL_H_
#endif

#include <hwy/highway.h>

#include <type_traits>

#include "quaver/dsp/biquad_f64x2.hpp"
#include "quaver/dsp/biquad_kernel.hpp"

HWY_BEFORE_NAMESPACE();
namespace quaver {
namespace HWY_NAMESPACE {
namespace biquad_hn = hwy::HWY_NAMESPACE;

#if HWY_HAVE_FLOAT64

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
#if HWY_TARGET != HWY_SCALAR
// Layout: each 128-bit block of a vector holds two consecutive sections of
// one channel, [section 2v, section 2v+1]; a 256-bit vector carries two
// channels. A pass runs up to four vectors (8 sections). At step t the lane
// of section s processes sample t - s, its input being section s-1's output
// of step t-1. Moving those outputs one section up stays inside 128-bit
// blocks: InterleaveLower for vector 0 (where the new sample enters) and
// CombineShiftRightBytes<8> for the others, one-cycle shuffles. A cross-block
// lane shift (vpermps) plus blend, the obvious way to run four sections in a
// 4-lane vector, measured 3.3x and 1.9x an FMA's latency on this machine (AMD
// EPYC, AVX2) and made that layout slower than channels in lanes.
//
// Per step the path from a section's own previous output is two FMAs and from
// its neighbour's one shuffle and one FMA: the input enters last. With fixed
// coefficients the steps carry w = b2 x2 - a2 y2 instead of x2 and y2, so
// four vectors of state fit in 16 registers (with x2 and y2 GCC spilled a y1,
// putting a store and a reload on the loop-carried path). Measured here
// (8 sections, 4096 frames, same run): 1.33 ns per section-sample mono and
// 0.78 stereo, against 1.84 and 1.10 with channels in lanes.
template <class D, class V = hn::Vec<D>>
HWY_INLINE V pipeline_step(const Coeffs<D>& k, V x, V x1, V x2, V y1, V y2) {
    const V rest = hn::NegMulAdd(k.a1, y1, hn::NegMulAdd(k.a2, y2, hn::MulAdd(k.b2, x2, hn::Mul(k.b1, x1))));
    return hn::MulAdd(k.b0, x, rest);
}

// The state of one vector of the pipeline: two sections per 128-bit block.
template <class D>
struct PipeVec {
    using V = hn::Vec<D>;
    Coeffs<D> k, k0, kd;
    V x1, x2, y1, y2, sec;
    V w;  // b2 x2 - a2 y2, carried instead of x2 and y2 in the compact steps
};

// Step kinds: masked (pipeline filling or draining), full (every lane
// active, four state vectors), compact (fixed coefficients: three state
// vectors, x2 and y2 folded into w ahead of time, which keeps the state of
// four vectors in registers), bridge (the last compact step, which restores
// x2 and y2 for the draining steps).
enum class PipeMode { masked, full, compact, bridge };

template <class D>
HWY_INLINE void pipe_enter_compact(PipeVec<D>& p) {
    p.w = hn::NegMulAdd(p.k.a2, p.y2, hn::Mul(p.k.b2, p.x2));
}

template <class D, PipeMode Mode>
HWY_INLINE hn::Vec<D> pipe_section(D d, PipeVec<D>& p, hn::Vec<D> x, hn::Vec<D> t, hn::Vec<D> len_v) {
    using V = hn::Vec<D>;
    if constexpr (Mode == PipeMode::compact || Mode == PipeMode::bridge) {
        (void)d, (void)t, (void)len_v;
        const V y = hn::MulAdd(p.k.b0, x, hn::NegMulAdd(p.k.a1, p.y1, hn::MulAdd(p.k.b1, p.x1, p.w)));
        if constexpr (Mode == PipeMode::compact) {
            p.w = hn::NegMulAdd(p.k.a2, p.y1, hn::Mul(p.k.b2, p.x1));
        } else {
            p.x2 = p.x1, p.y2 = p.y1;
        }
        p.x1 = x, p.y1 = y;
        return y;
    } else {
        const V y = pipeline_step(p.k, x, p.x1, p.x2, p.y1, p.y2);
        pipe_update<D, Mode == PipeMode::masked>(d, p, x, y, t, len_v);
        return y;
    }
}

template <class D, bool Ramp>
HWY_INLINE void pipe_coefficients(PipeVec<D>& p, hn::Vec<D> t1) {
    if constexpr (Ramp) {
        const hn::Vec<D> i = hn::Sub(t1, p.sec);
        p.k.b0 = hn::MulAdd(i, p.kd.b0, p.k0.b0), p.k.b1 = hn::MulAdd(i, p.kd.b1, p.k0.b1);
        p.k.b2 = hn::MulAdd(i, p.kd.b2, p.k0.b2), p.k.a1 = hn::MulAdd(i, p.kd.a1, p.k0.a1);
        p.k.a2 = hn::MulAdd(i, p.kd.a2, p.k0.a2);
    }
}

template <class D, bool Masked>
HWY_INLINE void pipe_update(D d, PipeVec<D>& p, hn::Vec<D> x, hn::Vec<D> y, hn::Vec<D> t, hn::Vec<D> len_v) {
    if constexpr (Masked) {
        const hn::Vec<D> n = hn::Sub(t, p.sec);
        const hn::Mask<D> valid = hn::And(hn::Ge(n, hn::Zero(d)), hn::Lt(n, len_v));
        p.x2 = hn::IfThenElse(valid, p.x1, p.x2), p.x1 = hn::IfThenElse(valid, x, p.x1);
        p.y2 = hn::IfThenElse(valid, p.y1, p.y2), p.y1 = hn::IfThenElse(valid, y, p.y1);
    } else {
        (void)d, (void)t, (void)len_v;
        p.x2 = p.x1, p.x1 = x, p.y2 = p.y1, p.y1 = y;
    }
}

// One step of a pipeline of NV vectors (1, 2 or 4; 2 NV sections).
template <class D, int NV, bool Ramp, PipeMode Mode>
HWY_INLINE void pipe_step(D d, PipeVec<D>& a, PipeVec<D>& b, PipeVec<D>& c, PipeVec<D>& e, const double* xin,
                          double* hist, std::size_t t, std::size_t frame_origin, hn::Vec<D> len_v) {
    using V = hn::Vec<D>;
    const V tv = hn::Set(d, static_cast<double>(t));
    if constexpr (Ramp) {
        const V t1 = hn::Set(d, static_cast<double>(frame_origin + t + 1));
        pipe_coefficients<D, Ramp>(a, t1);
        if constexpr (NV >= 2) pipe_coefficients<D, Ramp>(b, t1);
        if constexpr (NV >= 4) pipe_coefficients<D, Ramp>(c, t1), pipe_coefficients<D, Ramp>(e, t1);
    }
    // Every input comes from the previous step's outputs, so all shuffles
    // go first.
    const V xa = hn::InterleaveLower(d, hn::Load(d, xin), a.y1);
    V xb, xc, xe;
    if constexpr (NV >= 2) xb = hn::CombineShiftRightBytes<8>(d, b.y1, a.y1);
    if constexpr (NV >= 4) {
        xc = hn::CombineShiftRightBytes<8>(d, c.y1, b.y1);
        xe = hn::CombineShiftRightBytes<8>(d, e.y1, c.y1);
    }
    V last = pipe_section<D, Mode>(d, a, xa, tv, len_v);
    if constexpr (NV >= 2) last = pipe_section<D, Mode>(d, b, xb, tv, len_v);
    if constexpr (NV >= 4) {
        pipe_section<D, Mode>(d, c, xc, tv, len_v);
        last = pipe_section<D, Mode>(d, e, xe, tv, len_v);
    }
    hn::Store(last, d, hist);
}

// One pass: 2 NV sections (NV vectors) over one chunk for the
// Lanes/2 channels [c0, c0 + Lanes/2). src[c]/dst[c] hold the chunk in
// double (dst may be src). The first S-1 steps fill the pipeline and the last
// S-1 drain it; they update only the lanes that hold a sample of this chunk,
// so the state at the end is every section's state after the chunk's last
// sample, as in the scalar cascade.
template <class D, int NV, bool Ramp>
HWY_NOINLINE void pipeline_pass(D d, const BiquadSection* sections, std::size_t used, double* state,
                                std::size_t stride, std::size_t c0, const double* const* src, double* const* dst,
                                std::size_t len, std::size_t frame_origin) {
    constexpr std::size_t kMax = detail::biquad_max_lanes;
    const std::size_t N = hn::Lanes(d);  // 2 or 4
    const std::size_t blocks = N / 2;      // channels per vector
    constexpr std::size_t S = 2 * NV;  // sections in the pipeline

    // Lane 2b + i of vector v is section 2v + i of channel c0 + b; sections
    // past `used` are identities.
    PipeVec<D> pv[4];
    for (std::size_t v = 0; v < static_cast<std::size_t>(NV); ++v) {
        HWY_ALIGN double c[5][kMax], dc[5][kMax], st[4][kMax], si[kMax];
        for (std::size_t b = 0; b < blocks; ++b)
            for (std::size_t i = 0; i < 2; ++i) {
                const std::size_t l = 2 * b + i, s = 2 * v + i;
                si[l] = static_cast<double>(s);
                for (int j = 0; j < 5; ++j) {
                    c[j][l] = s < used ? sections[s].c0[j] : (j == 0 ? 1.0 : 0.0);
                    dc[j][l] = s < used ? sections[s].dc[j] : 0.0;
                }
                for (std::size_t j = 0; j < 4; ++j)
                    st[j][l] = s < used ? state[biquad_state_index(s, j, c0 + b, stride)] : 0.0;
            }
        PipeVec<D>& p = pv[v];
        p.k = {hn::Load(d, c[0]), hn::Load(d, c[1]), hn::Load(d, c[2]), hn::Load(d, c[3]), hn::Load(d, c[4])};
        p.k0 = p.k;
        p.kd = {hn::Load(d, dc[0]), hn::Load(d, dc[1]), hn::Load(d, dc[2]), hn::Load(d, dc[3]), hn::Load(d, dc[4])};
        p.x1 = hn::Load(d, st[0]), p.x2 = hn::Load(d, st[1]), p.y1 = hn::Load(d, st[2]), p.y2 = hn::Load(d, st[3]);
        p.sec = hn::Load(d, si);
    }
    PipeVec<D> a = pv[0], b = pv[NV >= 2 ? 1 : 0], c = pv[NV >= 4 ? 2 : 0], e = pv[NV >= 4 ? 3 : 0];
    const hn::Vec<D> len_v = hn::Set(d, static_cast<double>(len));

    // The new samples, in lane 0 of each block; and every step's last
    // vector, whose lane 1 of block b is channel c0 + b's output.
    HWY_ALIGN double xin[(biquad_chunk_frames + 8) * kMax];
    HWY_ALIGN double hist[(biquad_chunk_frames + 8) * kMax];
    const std::size_t steps = len + S - 1;
    for (std::size_t t = 0; t < steps; ++t)
        for (std::size_t bl = 0; bl < blocks; ++bl)
            xin[t * N + 2 * bl] = xin[t * N + 2 * bl + 1] = t < len ? src[c0 + bl][t] : 0.0;

    const std::size_t fill_end = S - 1 < steps ? S - 1 : steps;
    const std::size_t drain_begin = len > fill_end ? len : fill_end;
    std::size_t t = 0;
    for (; t < fill_end; ++t)
        pipe_step<D, NV, Ramp, PipeMode::masked>(d, a, b, c, e, xin + t * N, hist + t * N, t, frame_origin, len_v);
    if constexpr (!Ramp) {
        if (t < drain_begin) {
            pipe_enter_compact(a), pipe_enter_compact(b), pipe_enter_compact(c), pipe_enter_compact(e);
            for (; t + 1 < drain_begin; ++t)
                pipe_step<D, NV, Ramp, PipeMode::compact>(d, a, b, c, e, xin + t * N, hist + t * N, t, frame_origin,
                                                          len_v);
            pipe_step<D, NV, Ramp, PipeMode::bridge>(d, a, b, c, e, xin + t * N, hist + t * N, t, frame_origin, len_v);
            ++t;
        }
    }
    for (; t < drain_begin; ++t)
        pipe_step<D, NV, Ramp, PipeMode::full>(d, a, b, c, e, xin + t * N, hist + t * N, t, frame_origin, len_v);
    for (; t < steps; ++t)
        pipe_step<D, NV, Ramp, PipeMode::masked>(d, a, b, c, e, xin + t * N, hist + t * N, t, frame_origin, len_v);

    for (std::size_t bl = 0; bl < blocks; ++bl)
        for (std::size_t n = 0; n < len; ++n) dst[c0 + bl][n] = hist[(n + S - 1) * N + 2 * bl + 1];
    pv[0] = a, pv[1] = b, pv[2] = c, pv[3] = e;
    for (std::size_t v = 0; v < static_cast<std::size_t>(NV); ++v) {
        HWY_ALIGN double st[4][kMax];
        hn::Store(pv[v].x1, d, st[0]), hn::Store(pv[v].x2, d, st[1]);
        hn::Store(pv[v].y1, d, st[2]), hn::Store(pv[v].y2, d, st[3]);
        for (std::size_t bl = 0; bl < blocks; ++bl)
            for (std::size_t i = 0; i < 2; ++i) {
                const std::size_t s = 2 * v + i;
                if (s >= used) continue;
                for (std::size_t j = 0; j < 4; ++j) state[biquad_state_index(s, j, c0 + bl, stride)] = st[j][2 * bl + i];
            }
    }
}

template <class D, bool Ramp>
HWY_INLINE void pipeline_passes(D d, const BiquadSection* sections, std::size_t n_sections, double* state,
                                std::size_t stride, std::size_t c0, const double* const* src, double* const* dst,
                                std::size_t len, std::size_t frame_origin) {
    for (std::size_t s = 0; s < n_sections; s += 8) {
        const std::size_t used = n_sections - s < 8 ? n_sections - s : 8;
        double* st = state + biquad_state_index(s, 0, 0, stride);
        if (used <= 2)
            pipeline_pass<D, 1, Ramp>(d, sections + s, used, st, stride, c0, src, dst, len, frame_origin);
        else if (used <= 4)
            pipeline_pass<D, 2, Ramp>(d, sections + s, used, st, stride, c0, src, dst, len, frame_origin);
        else
            pipeline_pass<D, 4, Ramp>(d, sections + s, used, st, stride, c0, src, dst, len, frame_origin);
        src = dst;  // the next pass reads what this one wrote
    }
}

// C channels (1 or 2) through the cascade, chunk by chunk, in double between
// passes. A vector holds Lanes/2 channels; with fewer, the passes repeat.
template <class D>
HWY_INLINE void cascade_pipelined(D d, const BiquadSection* sections, std::size_t n_sections, double* state,
                                  std::size_t stride, const float* const* in, float* const* out, std::size_t channels,
                                  std::size_t frames, bool ramp) {
    const std::size_t per_vector = hn::Lanes(d) / 2;
    HWY_ALIGN double a[2][biquad_chunk_frames], b[2][biquad_chunk_frames];
    const double* src[2] = {a[0], a[1]};
    double* dst[2] = {b[0], b[1]};
    for (std::size_t start = 0; start < frames; start += biquad_chunk_frames) {
        const std::size_t len = frames - start < biquad_chunk_frames ? frames - start : biquad_chunk_frames;
        for (std::size_t c = 0; c < 2; ++c)
            for (std::size_t n = 0; n < len; ++n) a[c][n] = c < channels ? in[c][start + n] : 0.0;
        for (std::size_t c0 = 0; c0 < channels; c0 += per_vector) {
            if (ramp)
                pipeline_passes<D, true>(d, sections, n_sections, state, stride, c0, src, dst, len, start);
            else
                pipeline_passes<D, false>(d, sections, n_sections, state, stride, c0, src, dst, len, start);
        }
        for (std::size_t c = 0; c < channels; ++c) {
            const double* result = n_sections ? dst[c] : src[c];
            for (std::size_t n = 0; n < len; ++n) out[c][start + n] = static_cast<float>(result[n]);
        }
        for (std::size_t s = 0; s < n_sections; ++s)
            for (std::size_t c = 0; c < channels; ++c)
                detail::biquad_housekeep(state + biquad_state_index(s, 0, c, stride), stride);
    }
}
#endif  // HWY_TARGET != HWY_SCALAR

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

/// Cascade of sections, two sections per 128-bit block, for 1 or 2 channels.
inline void biquad_cascade_pipelined(const detail::BiquadSection* sections, std::size_t n_sections, double* state,
                                     std::size_t stride, const float* const* in, float* const* out,
                                     std::size_t channels, std::size_t frames, bool ramp) {
#if HWY_TARGET == HWY_SCALAR
    // One lane: nothing to pipeline.
    biquad_cascade_channels(sections, n_sections, state, stride, in, out, channels, frames, ramp);
#else
    if (channels == 2) {
        const biquad_hn::CappedTag<double, 4> d;
        biquad_impl::cascade_pipelined(d, sections, n_sections, state, stride, in, out, channels, frames, ramp);
    } else {
        const biquad_hn::CappedTag<double, 2> d;
        biquad_impl::cascade_pipelined(d, sections, n_sections, state, stride, in, out, channels, frames, ramp);
    }
#endif
}

#else  // HWY_HAVE_FLOAT64
// Targets without double lanes (WASM in Highway 1.0). With SIMD128 the
// compiler has f64x2 all the same: biquad_f64x2.hpp uses it directly (see
// bench/RESULTS.md for what it gains in V8). Without it, the scalar
// cascade, one frame through every section at a time, which lets independent
// sections overlap in the CPU. Both are bit-identical to the reference.
inline void biquad_cascade_channels(const detail::BiquadSection* sections, std::size_t n_sections, double* state,
                                    std::size_t stride, const float* const* in, float* const* out,
                                    std::size_t channels, std::size_t frames, bool ramp) {
#if defined(__wasm_simd128__)
    detail::biquad_f64x2_cascade(sections, n_sections, state, stride, in, out, channels, frames, ramp);
#else
    (void)ramp;
    detail::biquad_cascade_reference(sections, n_sections, state, stride, in, out, channels, frames);
#endif
}
inline void biquad_cascade_pipelined(const detail::BiquadSection* sections, std::size_t n_sections, double* state,
                                     std::size_t stride, const float* const* in, float* const* out,
                                     std::size_t channels, std::size_t frames, bool ramp) {
    biquad_cascade_channels(sections, n_sections, state, stride, in, out, channels, frames, ramp);
}
#endif  // HWY_HAVE_FLOAT64

}  // namespace HWY_NAMESPACE
}  // namespace quaver
HWY_AFTER_NAMESPACE();

#endif
