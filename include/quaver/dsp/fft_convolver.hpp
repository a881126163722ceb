#pragma once
// Convolution with a long impulse response (reverbs, cabinet and room
// responses, long FIR filters) in real time: uniformly partitioned
// overlap-save with a frequency-domain delay line.
//
// The response is cut into P partitions of B samples (B = block_size) and
// each is transformed once, at construction, with a real FFT of 2B points.
// Every B input samples the convolver transforms the last 2B inputs, keeps
// that spectrum in a ring of the P most recent ones, forms
// sum_p X_{i-p} H_p (convolution-inl.h) and transforms it back; the last B
// samples of the result are the next B outputs. Cost per block: two FFTs of
// 2B points and P (B + 1) complex multiply-adds, against B L multiply-adds
// per block for direct convolution with L taps.
//
// Spectra stay split (re and im arrays, each padded to a multiple of 16
// floats with zeros) from the transform to the product and back
// (fft_real_forward_split / fft_real_inverse_split): no interleaving pass and
// no shuffles in the products. The stored spectra (the response's and the
// ring of input spectra) are kept block-major, 16 bins of every partition
// together, so that the products stream through memory (convolution-inl.h).
//
// Latency: block_size samples. out[t] = sum_j h[j] in[t - B - j], with
// in[t] = 0 before the first call (or the last reset()).
#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "quaver/dsp/detail/simd_kernels.hpp"
#include "quaver/dsp/fft_plan.hpp"

namespace quaver {
QUAVER_HWY_EXPORT(fft_real_forward_split);
QUAVER_HWY_EXPORT(fft_real_inverse_split);
QUAVER_HWY_EXPORT(convolution_sum_products);

/// Mono convolution with a fixed impulse response, block-based with latency
/// block_size(). One instance per channel; one thread at a time per instance.
class FftConvolver {
public:
    /// Largest accepted block_size (2^20).
    static constexpr std::size_t max_block_size = std::size_t{1} << 20;

    /// Plans the transforms and transforms the response, cut into
    /// ceil(length / block_size) partitions.
    /// Preconditions (each throws std::invalid_argument): impulse_response
    /// holds length >= 1 floats; 2 <= block_size <= max_block_size and
    /// block_size = 2^a 3^b 5^c (e.g. 64, 128, 480, 512).
    /// Real-time: no (allocates).
    FftConvolver(const float* impulse_response, std::size_t length, std::size_t block_size)
        : block_(checked_block_size(block_size, impulse_response, length)),
          bins_(round_up_16(block_ + 1)),
          partitions_((length + block_ - 1) / block_),
          length_(length),
          plan_(block_, true),
          response_(partitions_ * 2 * bins_),
          history_(partitions_ * 2 * bins_),
          spectrum_(2 * bins_),
          sum_(2 * bins_),
          window_(2 * block_),
          time_(2 * block_),
          output_(block_) {
        // Each partition is zero-padded to 2B samples before its transform.
        for (std::size_t p = 0; p < partitions_; ++p) {
            std::fill(time_.data.get(), time_.data.get() + 2 * block_, 0.0f);
            const std::size_t first = p * block_, count = std::min(block_, length - first);
            std::copy(impulse_response + first, impulse_response + first + count, time_.data.get());
            transform_into(time_.data.get(), response_.data.get(), p);
        }
    }

    FftConvolver(FftConvolver&&) noexcept = default;
    FftConvolver& operator=(FftConvolver&&) noexcept = default;

    /// Real-time: wait-free, no allocation.
    std::size_t block_size() const noexcept { return block_; }
    /// Samples between an input and its first effect on the output (= block_size()).
    /// Real-time: wait-free, no allocation.
    std::size_t latency() const noexcept { return block_; }
    /// Real-time: wait-free, no allocation.
    std::size_t partitions() const noexcept { return partitions_; }
    /// Real-time: wait-free, no allocation.
    std::size_t impulse_response_length() const noexcept { return length_; }

    /// Convolves the next `frames` input samples, writing as many output
    /// samples (latency() samples late). Any frame count; every block_size()
    /// samples of input run one block (two FFTs and the products).
    /// Preconditions: in and out hold frames floats each; they are the same
    /// array or do not overlap.
    /// Real-time: wait-free (bounded work per call), no allocation, no lock.
    void process(const float* in, float* out, std::size_t frames) noexcept {
        float* window = window_.data.get();
        const float* output = output_.data.get();
        while (frames > 0) {
            const std::size_t take = std::min(frames, block_ - filled_);
            // Input first: with in == out, this chunk's outputs overwrite it.
            std::copy(in, in + take, window + block_ + filled_);
            std::copy(output + filled_, output + filled_ + take, out);
            in += take, out += take, frames -= take, filled_ += take;
            if (filled_ == block_) run_block();
        }
    }

    /// Forgets all input so far (the output is silent until new input reaches it).
    /// Real-time: no allocation, no lock; O(partitions x block_size) stores.
    void reset() noexcept {
        std::fill(history_.data.get(), history_.data.get() + partitions_ * 2 * bins_, 0.0f);
        std::fill(window_.data.get(), window_.data.get() + 2 * block_, 0.0f);
        std::fill(output_.data.get(), output_.data.get() + block_, 0.0f);
        filled_ = 0;
        newest_ = 0;
    }

private:
    static std::size_t round_up_16(std::size_t n) { return (n + 15) / 16 * 16; }

    static std::size_t checked_block_size(std::size_t block_size, const float* impulse_response,
                                          std::size_t length) {
        if (impulse_response == nullptr || length == 0)
            throw std::invalid_argument("quaver::FftConvolver: the impulse response is empty");
        if (block_size < 2 || block_size > max_block_size || !is_fast_fft_size(block_size))
            throw std::invalid_argument("quaver::FftConvolver: unsupported block size " + std::to_string(block_size) +
                                        " (supported: 2 <= block_size <= 2^20, block_size = 2^a 3^b 5^c)");
        return block_size;
    }

    // The window holds the previous block and the one just completed.
    void run_block() noexcept {
        newest_ = newest_ + 1 == partitions_ ? 0 : newest_ + 1;
        float* window = window_.data.get();
        transform_into(window, history_.data.get(), newest_);
        QUAVER_HWY_DISPATCH(convolution_sum_products)(history_.data.get(), newest_, response_.data.get(),
                                                       partitions_, bins_, sum_.data.get());
        QUAVER_HWY_DISPATCH(fft_real_inverse_split)(&plan_.data(), sum_.data.get(), sum_.data.get() + bins_,
                                                     time_.data.get());
        // Overlap-save: the first B samples of the circular result are aliased.
        std::copy(time_.data.get() + block_, time_.data.get() + 2 * block_, output_.data.get());
        std::copy(window + block_, window + 2 * block_, window);
        filled_ = 0;
    }

    // The spectrum of 2B samples into entry `entry` of block-major storage:
    // for each block of 16 bins, `partitions_` entries of 16 re then 16 im.
    void transform_into(const float* samples, float* storage, std::size_t entry) noexcept {
        float* re = spectrum_.data.get();
        float* im = re + bins_;
        QUAVER_HWY_DISPATCH(fft_real_forward_split)(&plan_.data(), samples, re, im);
        for (std::size_t b = 0; b < bins_ / 16; ++b) {
            float* to = storage + (b * partitions_ + entry) * 32;
            std::copy(re + 16 * b, re + 16 * b + 16, to);
            std::copy(im + 16 * b, im + 16 * b + 16, to + 16);
        }
    }

    std::size_t block_;
    std::size_t bins_;  // B + 1 bins, padded to a multiple of 16
    std::size_t partitions_;
    std::size_t length_;
    detail::FftPlanStorage plan_;    // complex B-point plan of the 2B-point real transform
    detail::AlignedFloats response_;  // P spectra of the response, block-major
    detail::AlignedFloats history_;   // ring of the P newest input spectra, block-major
    detail::AlignedFloats spectrum_;  // one split spectrum (re[bins_], im[bins_]), zero-padded
    detail::AlignedFloats sum_;
    detail::AlignedFloats window_;  // the last 2B inputs
    detail::AlignedFloats time_;    // the inverse transform's 2B samples
    detail::AlignedFloats output_;  // the B outputs being played out
    std::size_t filled_ = 0;  // inputs in the current block
    std::size_t newest_ = 0;  // history slot of the newest spectrum
};

}  // namespace quaver
