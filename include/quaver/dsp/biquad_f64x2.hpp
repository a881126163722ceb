#pragma once
// Biquad cascades on two double lanes (WASM SIMD128's f64x2), for the targets
// where Highway has no double lanes (its WASM target in Highway 1.0):
// biquad-inl.h calls biquad_f64x2_cascade there when the compiler targets
// SIMD128. Elsewhere the same code runs on a plain two-double struct, so the
// native tests cover its indexing, chunking and housekeeping.
//
// Lanes are channels: a vector holds a pair of channels of one section, and
// one loop over a chunk advances either one pair through two sections in
// series (stereo EQ) or two pairs through one section (4+ channels). One
// channel pipelines sections instead, two per vector. The
// feedback of one section is a multiply and a subtract per frame (SIMD128 has
// no FMA), and several independent ones in the same loop keep the CPU busy
// while each waits on its own.
//
// Arithmetic: exactly biquad_cascade_reference's (same operations in the same
// order, no FMA), so in WASM the output is bit-identical to it and to the
// baseline build's cascade across channels.
#include <cstddef>
#include <type_traits>

#include "quaver/dsp/biquad_kernel.hpp"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace quaver::detail::biquad_f64x2 {

#if defined(__wasm_simd128__)
using V = v128_t;
inline V splat(double a) noexcept { return wasm_f64x2_splat(a); }
inline V make(double a, double b) noexcept { return wasm_f64x2_make(a, b); }
inline V load(const double* p) noexcept { return wasm_v128_load(p); }
inline void store(double* p, V v) noexcept { wasm_v128_store(p, v); }
inline V mul(V a, V b) noexcept { return wasm_f64x2_mul(a, b); }
inline V add(V a, V b) noexcept { return wasm_f64x2_add(a, b); }
inline V sub(V a, V b) noexcept { return wasm_f64x2_sub(a, b); }
inline double lane0(V v) noexcept { return wasm_f64x2_extract_lane(v, 0); }
inline double lane1(V v) noexcept { return wasm_f64x2_extract_lane(v, 1); }
// [a lane 1, b lane 0]: the pipeline's shift by one section.
inline V shift_in(V a, V b) noexcept { return wasm_i64x2_shuffle(a, b, 1, 2); }
// Lane 0 and lane 1 from `fresh` where l0 and l1 are true, else from `old`.
inline V blend(V fresh, V old, bool l0, bool l1) noexcept {
    return wasm_v128_bitselect(fresh, old, wasm_i64x2_make(l0 ? -1 : 0, l1 ? -1 : 0));
}
#else
struct V {
    double l[2];
};
inline V splat(double a) noexcept { return {{a, a}}; }
inline V make(double a, double b) noexcept { return {{a, b}}; }
inline V load(const double* p) noexcept { return {{p[0], p[1]}}; }
inline void store(double* p, V v) noexcept { p[0] = v.l[0], p[1] = v.l[1]; }
inline V mul(V a, V b) noexcept { return {{a.l[0] * b.l[0], a.l[1] * b.l[1]}}; }
inline V add(V a, V b) noexcept { return {{a.l[0] + b.l[0], a.l[1] + b.l[1]}}; }
inline V sub(V a, V b) noexcept { return {{a.l[0] - b.l[0], a.l[1] - b.l[1]}}; }
inline double lane0(V v) noexcept { return v.l[0]; }
inline double lane1(V v) noexcept { return v.l[1]; }
inline V shift_in(V a, V b) noexcept { return {{a.l[1], b.l[0]}}; }
inline V blend(V fresh, V old, bool l0, bool l1) noexcept {
    return {{l0 ? fresh.l[0] : old.l[0], l1 ? fresh.l[1] : old.l[1]}};
}
#endif

struct Coeffs {
    V b0, b1, b2, a1, a2;
};

// A section's coefficients at frame `i` (frame index + 1, as a double),
// computed as the reference does: c0 + i * dc.
inline Coeffs fixed_coefficients(const BiquadSection& s) noexcept {
    return {splat(s.c0[0]), splat(s.c0[1]), splat(s.c0[2]), splat(s.c0[3]), splat(s.c0[4])};
}
inline Coeffs ramp_steps(const BiquadSection& s) noexcept {
    return {splat(s.dc[0]), splat(s.dc[1]), splat(s.dc[2]), splat(s.dc[3]), splat(s.dc[4])};
}
inline Coeffs at_frame(const Coeffs& c0, const Coeffs& dc, V i) noexcept {
    return {add(c0.b0, mul(i, dc.b0)), add(c0.b1, mul(i, dc.b1)), add(c0.b2, mul(i, dc.b2)), add(c0.a1, mul(i, dc.a1)),
            add(c0.a2, mul(i, dc.a2))};
}

struct Section {
    V x1, x2, y1, y2;
};

// y = (b0 x + b1 x1 + b2 x2 - a2 y2) - a1 y1, evaluated left to right as in
// biquad_cascade_reference.
inline V step(const Coeffs& k, Section& s, V x) noexcept {
    const V ff = sub(add(add(mul(k.b0, x), mul(k.b1, s.x1)), mul(k.b2, s.x2)), mul(k.a2, s.y2));
    const V y = sub(ff, mul(k.a1, s.y1));
    s.x2 = s.x1, s.x1 = x, s.y2 = s.y1, s.y1 = y;
    return y;
}

// Runs sections [0, K) in series over G channel pairs held in a frame-major
// scratch of 2G doubles a frame (pair g at 2g), in place. `pair_used[g]` is
// 1 or 2: the real channels of pair g (a lone channel's partner lane holds
// zeros and its state is neither read nor written). `state` addresses
// section 0, channel c0 of the pairs.
template <int G, int K, bool Ramp>
inline void run_block(const BiquadSection* sections, double* state, std::size_t stride, const int* pair_used,
                      double* buf, std::size_t len, std::size_t frame_origin) noexcept {
    Section s[G][K];
    for (int g = 0; g < G; ++g)
        for (int k = 0; k < K; ++k) {
            double* st =
                state + biquad_state_index(static_cast<std::size_t>(k), 0, 2 * static_cast<std::size_t>(g), stride);
            V* v[4] = {&s[g][k].x1, &s[g][k].x2, &s[g][k].y1, &s[g][k].y2};
            for (std::size_t j = 0; j < 4; ++j)
                *v[j] = pair_used[g] == 2 ? load(st + j * stride) : make(st[j * stride], 0.0);
        }
    Coeffs c[K], c0[K], dc[K];
    for (int k = 0; k < K; ++k) c[k] = c0[k] = fixed_coefficients(sections[k]);
    if constexpr (Ramp)
        for (int k = 0; k < K; ++k) dc[k] = ramp_steps(sections[k]);
    V i = splat(static_cast<double>(frame_origin));
    const V one = splat(1.0);
    for (std::size_t n = 0; n < len; ++n) {
        if constexpr (Ramp) {
            i = add(i, one);  // frame_origin + n + 1, exactly
            for (int k = 0; k < K; ++k) c[k] = at_frame(c0[k], dc[k], i);
        }
        for (int g = 0; g < G; ++g) {
            double* p = buf + (n * G + static_cast<std::size_t>(g)) * 2;
            V x = load(p);
            for (int k = 0; k < K; ++k) x = step(c[k], s[g][k], x);
            store(p, x);
        }
    }
    for (int g = 0; g < G; ++g)
        for (int k = 0; k < K; ++k) {
            double* st =
                state + biquad_state_index(static_cast<std::size_t>(k), 0, 2 * static_cast<std::size_t>(g), stride);
            const V v[4] = {s[g][k].x1, s[g][k].x2, s[g][k].y1, s[g][k].y2};
            for (std::size_t j = 0; j < 4; ++j) {
                if (pair_used[g] == 2)
                    store(st + j * stride, v[j]);
                else
                    st[j * stride] = lane0(v[j]);
            }
        }
}

// Every section over G pairs, k_max sections per pass over the scratch. More
// per pass measured slower in V8 (its register allocator spills the state):
// for 8 bands stereo, 1.1x to 1.6x slower with 4 sections per pass than with
// 2; for 4 channels, 2x slower or worse with 2 sections per pass than with 1.
template <int G, bool Ramp>
inline void run_sections(const BiquadSection* sections, std::size_t n_sections, double* state, std::size_t stride,
                         const int* pair_used, double* buf, std::size_t len, std::size_t frame_origin) noexcept {
    constexpr std::size_t k_max = G == 1 ? 2 : 1;
    std::size_t s = 0;
    for (; s + k_max <= n_sections; s += k_max)
        run_block<G, k_max, Ramp>(sections + s, state + biquad_state_index(s, 0, 0, stride), stride, pair_used, buf,
                                  len, frame_origin);
    if (s < n_sections)  // k_max is at most 2: one section left at most
        run_block<G, 1, Ramp>(sections + s, state + biquad_state_index(s, 0, 0, stride), stride, pair_used, buf, len,
                              frame_origin);
}

// One channel, sections that do not fill a pipeline pass: the same cascade on
// plain doubles, one section per pass over the chunk, the state in registers.
// One lane of a vector would leave the other idle and pay the transposes
// (1.4x slower for one section); two or four sections per pass measured no
// faster in V8 than one.
template <bool Ramp>
inline void run_section_mono(const BiquadSection& q, double* st, std::size_t stride, double* buf, std::size_t len,
                             std::size_t frame_origin) noexcept {
    double x1 = st[0], x2 = st[stride], y1 = st[2 * stride], y2 = st[3 * stride];
    double b0 = q.c0[0], b1 = q.c0[1], b2 = q.c0[2], a1 = q.c0[3], a2 = q.c0[4];
    for (std::size_t n = 0; n < len; ++n) {
        if constexpr (Ramp) {
            const double i = static_cast<double>(frame_origin + n + 1);
            b0 = q.c0[0] + i * q.dc[0], b1 = q.c0[1] + i * q.dc[1], b2 = q.c0[2] + i * q.dc[2];
            a1 = q.c0[3] + i * q.dc[3], a2 = q.c0[4] + i * q.dc[4];
        }
        const double v = buf[n];
        const double y = (b0 * v + b1 * x1 + b2 * x2 - a2 * y2) - a1 * y1;
        x2 = x1, x1 = v, y2 = y1, y1 = y;
        buf[n] = y;
    }
    st[0] = x1, st[stride] = x2, st[2 * stride] = y1, st[3 * stride] = y2;
}

// One channel, 2 NV sections per pass, two sections per vector (as the native
// pipelined cascade in biquad-inl.h pairs them in 128-bit blocks): lane j of
// vector v is section 2v + j, which at step t works on frame t - 2v - j, its
// input being section 2v + j - 1's output of step t - 1 (one lane shuffle).
// The first and last 2 NV - 1 steps of a chunk fill and drain the pipeline and
// update only the lanes that hold a frame of the chunk, so the state at the
// end is the scalar cascade's. Same arithmetic as the reference, lane by lane.
// Fixed coefficients only.
template <int NV>
inline void run_pipeline_mono(const BiquadSection* sections, double* state, std::size_t stride, double* buf,
                              std::size_t len) noexcept {
    constexpr std::size_t S = 2 * NV;
    Section p[NV];
    Coeffs c[NV];
    for (int v = 0; v < NV; ++v) {
        const std::size_t s0 = 2 * static_cast<std::size_t>(v);
        const double* a = state + biquad_state_index(s0, 0, 0, stride);
        const double* b = state + biquad_state_index(s0 + 1, 0, 0, stride);
        p[v] = {make(a[0], b[0]), make(a[stride], b[stride]), make(a[2 * stride], b[2 * stride]),
                make(a[3 * stride], b[3 * stride])};
        const BiquadSection& qa = sections[s0];
        const BiquadSection& qb = sections[s0 + 1];
        c[v] = {make(qa.c0[0], qb.c0[0]), make(qa.c0[1], qb.c0[1]), make(qa.c0[2], qb.c0[2]),
                make(qa.c0[3], qb.c0[3]), make(qa.c0[4], qb.c0[4])};
    }
    auto run = [&](std::size_t t, auto masked) {
        // Every input comes from the previous step's outputs: all shuffles first.
        V x[NV];
        x[0] = shift_in(splat(t < len ? buf[t] : 0.0), p[0].y1);
        for (int v = 1; v < NV; ++v) x[v] = shift_in(p[v - 1].y1, p[v].y1);
        for (int v = 0; v < NV; ++v) {
            if constexpr (decltype(masked)::value) {
                Section old = p[v];
                step(c[v], p[v], x[v]);
                const std::size_t s0 = 2 * static_cast<std::size_t>(v);
                const bool l0 = t >= s0 && t - s0 < len, l1 = t >= s0 + 1 && t - s0 - 1 < len;
                p[v] = {blend(p[v].x1, old.x1, l0, l1), blend(p[v].x2, old.x2, l0, l1),
                        blend(p[v].y1, old.y1, l0, l1), blend(p[v].y2, old.y2, l0, l1)};
            } else {
                step(c[v], p[v], x[v]);
            }
        }
        if (t >= S - 1) buf[t - (S - 1)] = lane1(p[NV - 1].y1);
    };
    const std::size_t steps = len + S - 1;
    const std::size_t fill_end = S - 1;
    const std::size_t drain_begin = len > fill_end ? len : fill_end;
    std::size_t t = 0;
    for (; t < fill_end; ++t) run(t, std::true_type{});
    for (; t < drain_begin; ++t) run(t, std::false_type{});
    for (; t < steps; ++t) run(t, std::true_type{});
    for (int v = 0; v < NV; ++v) {
        const std::size_t s0 = 2 * static_cast<std::size_t>(v);
        double* a = state + biquad_state_index(s0, 0, 0, stride);
        double* b = state + biquad_state_index(s0 + 1, 0, 0, stride);
        a[0] = lane0(p[v].x1), a[stride] = lane0(p[v].x2);
        a[2 * stride] = lane0(p[v].y1), a[3 * stride] = lane0(p[v].y2);
        b[0] = lane1(p[v].x1), b[stride] = lane1(p[v].x2);
        b[2 * stride] = lane1(p[v].y1), b[3 * stride] = lane1(p[v].y2);
    }
}

// Planar floats of channels [c0, c0 + used) -> the frame-major scratch (2G
// doubles a frame, zeros in lanes past `used`), and back.
inline void gather(const float* const* in, std::size_t c0, std::size_t used, std::size_t groups, std::size_t start,
                   std::size_t len, double* buf) noexcept {
    const std::size_t w = 2 * groups;
    for (std::size_t l = 0; l < w; ++l) {
        if (l >= used) {
            for (std::size_t n = 0; n < len; ++n) buf[n * w + l] = 0.0;
            continue;
        }
        const float* x = in[c0 + l] + start;
        std::size_t n = 0;
#if defined(__wasm_simd128__)
        if (l % 2 == 0 && l + 1 < used) {
            // Two channels at once: four frames of each, interleaved, widened.
            const float* y = in[c0 + l + 1] + start;
            for (; n + 4 <= len; n += 4) {
                const v128_t a = wasm_v128_load(x + n), b = wasm_v128_load(y + n);
                const v128_t lo = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), hi = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);
                wasm_v128_store(buf + n * w + l, wasm_f64x2_promote_low_f32x4(lo));
                wasm_v128_store(buf + (n + 1) * w + l, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(lo, lo, 1, 1)));
                wasm_v128_store(buf + (n + 2) * w + l, wasm_f64x2_promote_low_f32x4(hi));
                wasm_v128_store(buf + (n + 3) * w + l, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(hi, hi, 1, 1)));
            }
            for (std::size_t m = n; m < len; ++m) buf[m * w + l + 1] = y[m];
            for (; n < len; ++n) buf[n * w + l] = x[n];
            ++l;
            continue;
        }
#endif
        for (; n < len; ++n) buf[n * w + l] = x[n];
    }
}

inline void scatter(const double* buf, std::size_t c0, std::size_t used, std::size_t groups, std::size_t start,
                    std::size_t len, float* const* out) noexcept {
    const std::size_t w = 2 * groups;
    for (std::size_t l = 0; l < used; ++l) {
        float* x = out[c0 + l] + start;
        std::size_t n = 0;
#if defined(__wasm_simd128__)
        if (l % 2 == 0 && l + 1 < used) {
            float* y = out[c0 + l + 1] + start;
            for (; n + 4 <= len; n += 4) {
                const v128_t d0 = wasm_f32x4_demote_f64x2_zero(wasm_v128_load(buf + n * w + l));
                const v128_t d1 = wasm_f32x4_demote_f64x2_zero(wasm_v128_load(buf + (n + 1) * w + l));
                const v128_t d2 = wasm_f32x4_demote_f64x2_zero(wasm_v128_load(buf + (n + 2) * w + l));
                const v128_t d3 = wasm_f32x4_demote_f64x2_zero(wasm_v128_load(buf + (n + 3) * w + l));
                const v128_t lo = wasm_i32x4_shuffle(d0, d1, 0, 1, 4, 5), hi = wasm_i32x4_shuffle(d2, d3, 0, 1, 4, 5);
                wasm_v128_store(x + n, wasm_i32x4_shuffle(lo, hi, 0, 2, 4, 6));
                wasm_v128_store(y + n, wasm_i32x4_shuffle(lo, hi, 1, 3, 5, 7));
            }
            for (std::size_t m = n; m < len; ++m) y[m] = static_cast<float>(buf[m * w + l + 1]);
            for (; n < len; ++n) x[n] = static_cast<float>(buf[n * w + l]);
            ++l;
            continue;
        }
#endif
        for (; n < len; ++n) x[n] = static_cast<float>(buf[n * w + l]);
    }
}

}  // namespace quaver::detail::biquad_f64x2

namespace quaver::detail {

/// The cascade of `n_sections` over planar channels on f64x2 lanes, chunk by
/// chunk like biquad_cascade_reference and bit-identical to it. Channels go
/// four at a time (two pairs, one section per pass), or two at a time (one
/// pair, two sections per pass); a lone channel of a pair takes the first
/// lane; one channel runs two sections per vector, pipelined, eight or four
/// per pass, and the rest on plain doubles.
/// Real-time: wait-free, no allocation (an 8 KiB stack scratch).
inline void biquad_f64x2_cascade(const BiquadSection* sections, std::size_t n_sections, double* state,
                                 std::size_t stride, const float* const* in, float* const* out, std::size_t channels,
                                 std::size_t frames, bool ramp) noexcept {
    namespace k = biquad_f64x2;
    alignas(16) double buf[biquad_chunk_frames * 4];
    if (channels == 1) {
        for (std::size_t start = 0; start < frames; start += biquad_chunk_frames) {
            const std::size_t len = frames - start < biquad_chunk_frames ? frames - start : biquad_chunk_frames;
            for (std::size_t n = 0; n < len; ++n) buf[n] = in[0][start + n];
            // Eight sections per pass, then four; the rest (at most three)
            // one by one. (Two per pass measured slower than one by one.)
            // While coefficients ramp (a band gliding), one by one: the
            // pipeline's ramping variant would add its code to every build
            // for a passing state.
            std::size_t first = 0;
            if (!ramp) {
                for (; first + 8 <= n_sections; first += 8)
                    k::run_pipeline_mono<4>(sections + first, state + biquad_state_index(first, 0, 0, stride), stride,
                                            buf, len);
                if (first + 4 <= n_sections) {
                    k::run_pipeline_mono<2>(sections + first, state + biquad_state_index(first, 0, 0, stride), stride,
                                            buf, len);
                    first += 4;
                }
            }
            for (std::size_t s = first; s < n_sections; ++s) {
                double* st = state + biquad_state_index(s, 0, 0, stride);
                if (ramp)
                    k::run_section_mono<true>(sections[s], st, stride, buf, len, start);
                else
                    k::run_section_mono<false>(sections[s], st, stride, buf, len, start);
            }
            for (std::size_t n = 0; n < len; ++n) out[0][start + n] = static_cast<float>(buf[n]);
            for (std::size_t s = 0; s < n_sections; ++s)
                biquad_housekeep(state + biquad_state_index(s, 0, 0, stride), stride);
        }
        return;
    }
    for (std::size_t c0 = 0; c0 < channels; c0 += 4) {
        const std::size_t used = channels - c0 < 4 ? channels - c0 : 4;
        const std::size_t groups = used > 2 ? 2 : 1;
        const int pair_used[2] = {used >= 2 ? 2 : 1, used >= 4 ? 2 : 1};
        double* st = state + c0;
        for (std::size_t start = 0; start < frames; start += biquad_chunk_frames) {
            const std::size_t len = frames - start < biquad_chunk_frames ? frames - start : biquad_chunk_frames;
            k::gather(in, c0, used, groups, start, len, buf);
            if (groups == 2) {
                if (ramp)
                    k::run_sections<2, true>(sections, n_sections, st, stride, pair_used, buf, len, start);
                else
                    k::run_sections<2, false>(sections, n_sections, st, stride, pair_used, buf, len, start);
            } else {
                if (ramp)
                    k::run_sections<1, true>(sections, n_sections, st, stride, pair_used, buf, len, start);
                else
                    k::run_sections<1, false>(sections, n_sections, st, stride, pair_used, buf, len, start);
            }
            k::scatter(buf, c0, used, groups, start, len, out);
            for (std::size_t s = 0; s < n_sections; ++s)
                for (std::size_t l = 0; l < used; ++l)
                    biquad_housekeep(state + biquad_state_index(s, 0, c0 + l, stride), stride);
        }
    }
}

}  // namespace quaver::detail
