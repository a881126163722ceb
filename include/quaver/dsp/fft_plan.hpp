#pragma once
// The data an FFT plan hands to the SIMD kernels (fft-inl.h): the pass
// sequence, twiddle tables laid out in the order each pass reads them, and the
// scratch buffers. Built once, in the constructor of ComplexFft / RealFft;
// the kernels only read the tables and write the scratch.
#include <hwy/detect_compiler_arch.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace quaver {

/// Whether n has the fast kernels: n = 2^a 3^b 5^c with 1 <= n <= 2^24.
/// Real-time: wait-free, no allocation.
inline bool is_fast_fft_size(std::size_t n) noexcept {
    if (n < 1 || n > (std::size_t{1} << 24)) return false;
    for (std::size_t f : {2, 3, 5})
        while (n % f == 0) n /= f;
    return n == 1;
}

/// Whether ComplexFft accepts this length (RealFft: n even and n / 2): every
/// fast size, and any other 1 <= n <= 2^23 through Bluestein's algorithm.
/// Real-time: wait-free, no allocation.
inline bool is_supported_fft_size(std::size_t n) noexcept {
    return is_fast_fft_size(n) || (n >= 1 && n <= (std::size_t{1} << 23));
}

namespace detail {

// One Stockham pass of radix r over sub-transforms of length r * count,
// `stride` of them interleaved (see fft-inl.h for the index map).
struct FftPass {
    std::uint32_t radix = 0;
    std::uint32_t stride = 0;  // s: product of the radices of earlier passes
    std::uint32_t count = 0;   // m: n / (s * r)
    // w^(p k), w = e^{-2 pi i / (r m)}, at [p * (r - 1) + k - 1]: one scalar
    // pair per butterfly, broadcast when the pass vectorises over the stride.
    const float* tw_re = nullptr;
    const float* tw_im = nullptr;
    // The same twiddles expanded over i = q + s p, at [(k - 1) * s m + i]
    // (only when s < 8): read as vectors by the passes that vectorise over p.
    const float* twx_re = nullptr;
    const float* twx_im = nullptr;
    // For 8-lane vectors, the first two passes hand data over in a
    // lane-permuted order (see fft-inl.h); their expanded twiddles in that
    // order, when the pass qualifies (twx_perm_re != nullptr). Pass 1 has
    // two orders (complex_order below): twx_perm_*, after which the data are
    // in natural order, and twx_cperm_*, after which the passes keep 8-float
    // blocks permuted until the last one puts them back.
    const float* twx_perm_re = nullptr;
    const float* twx_perm_im = nullptr;
    const float* twx_cperm_re = nullptr;
    const float* twx_cperm_im = nullptr;
};

inline constexpr std::size_t fft_max_passes = 40;

struct FftPlanData {
    std::size_t n = 0;  // length of the complex transform
    std::size_t num_passes = 0;
    FftPass passes[fft_max_passes];
    float* work_re[2] = {nullptr, nullptr};  // two split-complex scratch buffers of n
    float* work_im[2] = {nullptr, nullptr};
    // Real transforms of length 2n: e^{-2 pi i k / 2n} / 2 for k < n (the
    // halves of the post-processing folded into the twiddles).
    const float* real_half_tw_re = nullptr;
    const float* real_half_tw_im = nullptr;
};

// 64-byte aligned float storage (a cache line, and the widest vector).
struct AlignedFloats {
    struct Free {
        void operator()(float* p) const noexcept { ::operator delete[](p, std::align_val_t{64}); }
    };
    std::unique_ptr<float[], Free> data;
    explicit AlignedFloats(std::size_t count)
        : data(static_cast<float*>(::operator new[]((count ? count : 1) * sizeof(float), std::align_val_t{64}))) {
        for (std::size_t i = 0; i < count; ++i) data[i] = 0.0f;
    }
};

// Radices in the order the passes run. A four first: that pass stores with a
// 4-way interleave (StoreInterleaved4); then eights, the widest butterfly
// whose 16 split-complex vectors fit AVX2's registers well enough, closing
// with a four (or two fours for one eight and a two: a radix-2 pass costs a
// whole read and write of the data for little arithmetic); then threes and
// fives, last, so the stride is a multiple of 8 whenever it is at least 8.
// Measured on AVX2 (Zen 5, loaded machine), n = 1024: radix 4,4,4,4,4 ran at
// 1.57x FFTW's time, 4,8,8,4 at 1.4x. One exception on x86: 2^5 times 3s
// and 5s (96, 160, 480, 1440, ...) takes 4 4 2 rather than 4 8, so that pass
// 1 has an even count of butterflies and the AVX2 lane-permuted first passes
// apply (fft-inl.h): complex 480 in 0.75x the time of 4 8 3 5 despite the
// extra pass. Without those passes the extra pass only costs (WASM: 5% to
// 18% slower), so other architectures keep 4 8; an x86 machine without AVX2
// pays it too. (For 2^4 times 3s and 5s, 4 2 2 instead of 4 4 was slower.)
inline std::vector<std::uint32_t> fft_radices(std::size_t n) {
    std::vector<std::uint32_t> radices;
    int e = 0;
    while (n % 2 == 0) ++e, n /= 2;
    if (e == 1) radices.push_back(2);
    if (HWY_ARCH_X86 && e == 5 && n > 1) {
        radices.push_back(4), radices.push_back(4), radices.push_back(2);
    } else if (e >= 2) {
        radices.push_back(4);
        const int rest = e - 2, eights = rest / 3;
        if (rest % 3 == 1 && eights > 0) {
            for (int k = 0; k < eights - 1; ++k) radices.push_back(8);
            radices.push_back(4), radices.push_back(4);
        } else {
            for (int k = 0; k < eights; ++k) radices.push_back(8);
            if (rest % 3 == 1) radices.push_back(2);
            if (rest % 3 == 2) radices.push_back(4);
        }
    }
    while (n % 3 == 0) radices.push_back(3), n /= 3;
    while (n % 5 == 0) radices.push_back(5), n /= 5;
    return radices;
}

// Owns the tables and scratch of one complex transform of length n (and,
// when real_length is set, the post-processing twiddles of a real transform
// of length 2n).
class FftPlanStorage {
public:
    FftPlanStorage(std::size_t n, bool real_length) : storage_(size_floats(n, real_length)) {
        float* cursor = storage_.data.get();
        auto take = [&](std::size_t count) {
            float* p = cursor;
            cursor += round_up(count);
            return p;
        };
        data_.n = n;
        // The four scratch arrays start at distinct offsets modulo 4 KiB:
        // a load whose address matches an earlier store's in the low 12 bits
        // waits for it (4K aliasing), and power-of-two sizes put every
        // butterfly's loads and stores at the same low bits.
        for (std::size_t b = 0; b < 2; ++b) {
            data_.work_re[b] = take(n + work_skew * (2 * b + 1)) + work_skew * (2 * b + 1);
            data_.work_im[b] = take(n + work_skew * (2 * b + 2)) + work_skew * (2 * b + 2);
        }
        const auto radices = fft_radices(n);
        data_.num_passes = radices.size();
        std::size_t s = 1;
        for (std::size_t k = 0; k < radices.size(); ++k) {
            const std::size_t r = radices[k];
            const std::size_t m = n / (s * r);
            FftPass& pass = data_.passes[k];
            pass.radix = static_cast<std::uint32_t>(r);
            pass.stride = static_cast<std::uint32_t>(s);
            pass.count = static_cast<std::uint32_t>(m);
            float* tr = take(m * (r - 1));
            float* ti = take(m * (r - 1));
            for (std::size_t p = 0; p < m; ++p)
                for (std::size_t j = 1; j < r; ++j) {
                    double re, im;
                    unit_root(p * j, r * m, re, im);
                    tr[p * (r - 1) + j - 1] = static_cast<float>(re);
                    ti[p * (r - 1) + j - 1] = static_cast<float>(im);
                }
            pass.tw_re = tr;
            pass.tw_im = ti;
            if (s < 8) {
                float* xr = take(s * m * (r - 1));
                float* xi = take(s * m * (r - 1));
                for (std::size_t j = 1; j < r; ++j)
                    for (std::size_t p = 0; p < m; ++p)
                        for (std::size_t q = 0; q < s; ++q) {
                            xr[(j - 1) * s * m + q + s * p] = tr[p * (r - 1) + j - 1];
                            xi[(j - 1) * s * m + q + s * p] = ti[p * (r - 1) + j - 1];
                        }
                pass.twx_re = xr;
                pass.twx_im = xi;
                const bool in_complex_order = complex_order(k, real_length, m);
                if (permuted_pass(k, r, s, m, in_complex_order)) {
                    const std::size_t len = s * m * (r - 1);
                    float* pr = take(len);
                    float* pi = take(len);
                    for (std::size_t i = 0; i < len; ++i) {
                        const std::size_t from = in_complex_order ? complex_permuted_from(i) : permuted_from(k, i);
                        pr[i] = xr[from];
                        pi[i] = xi[from];
                    }
                    (in_complex_order ? pass.twx_cperm_re : pass.twx_perm_re) = pr;
                    (in_complex_order ? pass.twx_cperm_im : pass.twx_perm_im) = pi;
                }
            }
            s *= r;
        }
        if (real_length) {
            float* tr = take(n);
            float* ti = take(n);
            for (std::size_t k = 0; k < n; ++k) {
                double re, im;
                unit_root(k, 2 * n, re, im);
                tr[k] = static_cast<float>(0.5 * re);
                ti[k] = static_cast<float>(0.5 * im);
            }
            data_.real_half_tw_re = tr;
            data_.real_half_tw_im = ti;
        }
    }

    const FftPlanData& data() const noexcept { return data_; }

private:
    static std::size_t round_up(std::size_t count) { return (count + 15) / 16 * 16; }
    static constexpr std::size_t work_skew = 80;  // floats: 320 bytes, five cache lines

    static std::size_t size_floats(std::size_t n, bool real_length) {
        std::size_t total = 4 * round_up(n) + 10 * work_skew + 64;
        std::size_t s = 1, k = 0;
        for (std::size_t r : fft_radices(n)) {
            const std::size_t m = n / (s * r);
            total += 2 * round_up(m * (r - 1));
            if (s < 8) total += 2 * round_up(s * m * (r - 1));
            if (s < 8 && permuted_pass(k, r, s, m, complex_order(k, real_length, m))) total += 2 * round_up(s * m * (r - 1));
            s *= r;
            ++k;
        }
        if (real_length) total += 2 * round_up(n);
        return total;
    }

    // The pair of passes that hands data over lane-permuted: a radix-4 first
    // pass over a multiple of 8 butterflies, then an even radix at stride 4.
    // Pass 1 has two orders. With a multiple of 8 butterflies, a real
    // transform's pass 1 stores 4-float blocks of butterflies p and p + 2
    // from each group of 8 and its data leave in natural order. The complex
    // order (complex transforms, and real ones whose pass 1 has an even count
    // that is not a multiple of 8) stores butterflies p, p + 1 together,
    // leaving 8-float blocks permuted up to the last pass, which puts them
    // back (64 = 4 4 4 and 128 = 4 8 4 have 4, 960 = 4 4 4 3 5 has 60).
    static bool complex_order(std::size_t index, bool real_length, std::size_t m) {
        return index == 1 && (!real_length || m % 8 != 0);
    }
    static bool permuted_pass(std::size_t index, std::size_t r, std::size_t s, std::size_t m, bool complex_order) {
        if (index == 0) return r == 4 && s == 1 && m % 8 == 0;
        return index == 1 && s == 4 && r % 2 == 0 && m % (complex_order ? 2 : 8) == 0;
    }
    // Which element of the natural expanded table the permuted one holds at
    // i. Pass 0 deinterleaves within 128-bit halves, so a vector of 8 holds
    // p + (0 1 4 5 2 3 6 7); it stores 4-float blocks (one per p) in the order
    // 0 2 1 3 4 6 5 7, so a vector of pass 1 holds the blocks of p + (0, 2),
    // (1, 3), (4, 6) or (5, 7) in each group of 8 values of p.
    static std::size_t permuted_from(std::size_t index, std::size_t i) {
        static constexpr std::size_t first[8] = {0, 1, 4, 5, 2, 3, 6, 7};
        static constexpr std::size_t pair[4] = {0, 1, 4, 5};
        if (index == 0) return i / 8 * 8 + first[i % 8];
        return i / 32 * 32 + 4 * (pair[i % 32 / 8] + 2 * (i % 8 / 4)) + i % 4;
    }
    // Pass 1 of a complex transform: pass 0 stores each vector of 8 as
    // q = 0 1 of p, q = 0 1 of p + 1 | q = 2 3 of p, q = 2 3 of p + 1 (p even),
    // so that pass 1 writes 8-float blocks in the order 0 1 4 5 2 3 6 7 and
    // the last pass interleaves re and im without crossing 128-bit halves.
    static std::size_t complex_permuted_from(std::size_t i) {
        const std::size_t l = i % 8;
        return i / 8 * 8 + (l & 1) + 2 * (l >> 2) + 4 * ((l >> 1) & 1);
    }

    // e^{-2 pi i k / n}, exact at the quarter turns and computed in double.
    static void unit_root(std::size_t k, std::size_t n, double& re, double& im) {
        k %= n;
        if (4 * k == n) {
            re = 0, im = -1;
            return;
        }
        if (2 * k == n) {
            re = -1, im = 0;
            return;
        }
        if (4 * k == 3 * n) {
            re = 0, im = 1;
            return;
        }
        const double angle = -2.0 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(n);
        re = std::cos(angle);
        im = std::sin(angle);
    }

    AlignedFloats storage_;
    FftPlanData data_;
};

}  // namespace detail
}  // namespace quaver
