#pragma once
// Convolution with a long impulse response (reverbs, cabinet and room
// responses, long FIR filters) in real time: partitioned overlap-save with
// frequency-domain delay lines, in two stages of fixed work per block.
//
// Head. The first taps are cut into partitions of B samples (B =
// block_size), each transformed once, at construction, with a real FFT of 2B
// points. Every B input samples the convolver transforms the last 2B inputs,
// keeps that spectrum in a ring of the most recent ones, forms
// sum_p X_{i-p} H_p (convolution-inl.h) and transforms it back; the last B
// samples of the result are the head's part of the next B outputs.
//
// Tail. With a long response the taps from 2T on, T = 16 B, take
// partitions of T samples instead: a 48000-tap response at B = 128 then has
// 32 head partitions and 22 tail partitions where a single stage would have
// 375. The tail's blocks are T long, but their work is spread over the 16
// head blocks of each: the forward FFT in the first, the products 1/16th of
// the bins at a time, the inverse FFT in the last. Its result is due 2T
// samples after its input block began, which the head's 2T taps cover; so
// no block does the whole tail's work, and the latency stays B. A response
// gets a tail when that makes the dearest block cheaper (has_tail()).
//
// Spectra stay split (re and im arrays, each padded to a multiple of 16
// floats with zeros) from the transform to the product and back
// (fft_real_forward_split / fft_real_inverse_split): no interleaving pass and
// no shuffles in the products. The stored spectra (the response's and the
// ring of input spectra) are kept block-major, 16 bins of every partition
// together, so that the products stream through memory (convolution-inl.h).
//
// Latency: B samples, out[t] = sum_j h[j] in[t - B - j] (in[t] = 0 before
// the first call or the last reset()). Or none (ConvolverLatency::zero): the
// first B taps then go through a direct convolution, sample by sample, and
// the partitions start at tap B, whose FFT output B samples late is exactly
// on time for them.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

#include "quaver/dsp/detail/simd_kernels.hpp"
#include "quaver/dsp/fft_plan.hpp"

namespace quaver {
QUAVER_HWY_EXPORT(fft_real_forward_split);
QUAVER_HWY_EXPORT(fft_real_inverse_split);
QUAVER_HWY_EXPORT(convolution_sum_products);
QUAVER_HWY_EXPORT(convolution_direct);

/// How late FftConvolver's output is. `block`: block_size() samples, all taps
/// through FFTs. `zero`: none, as Web Audio's ConvolverNode; the first
/// block_size() taps are convolved directly (block_size() multiply-adds per
/// sample) and the FFT stages take the rest.
enum class ConvolverLatency { block, zero };

namespace detail {

// Uniformly partitioned overlap-save over `count` taps with blocks of T
// samples: the response's spectra, the ring of input spectra, and the
// window of the last 2T inputs. Each step is separate so that a caller can
// spread a block's work over several calls.
class ConvolutionStage {
public:
    ConvolutionStage(const float* taps, std::size_t count, std::size_t block)
        : block_(block),
          bins_((block + 1 + 15) / 16 * 16),
          partitions_((count + block - 1) / block),
          plan_(block, true),
          response_(partitions_ * 2 * bins_),
          history_(partitions_ * 2 * bins_),
          spectrum_(2 * bins_),
          sum_(2 * bins_),
          window_(2 * block),
          time_(2 * block) {
        // Each partition is zero-padded to 2T samples before its transform.
        for (std::size_t p = 0; p < partitions_; ++p) {
            std::fill(time_.data.get(), time_.data.get() + 2 * block_, 0.0f);
            const std::size_t first = p * block_, n = std::min(block_, count - first);
            std::copy(taps + first, taps + first + n, time_.data.get());
            transform_into(time_.data.get(), response_.data.get(), p);
        }
    }

    std::size_t block() const noexcept { return block_; }
    std::size_t partitions() const noexcept { return partitions_; }
    std::size_t bin_blocks() const noexcept { return bins_ / 16; }

    // The newest input samples go here; the T before them are below.
    float* newest_inputs() noexcept { return window_.data.get() + block_; }
    // After forward(): the T samples it took as the newest.
    const float* last_inputs() const noexcept { return window_.data.get(); }

    // Transforms the window into the ring (the newest spectrum), then moves
    // its second half to the first for the next block.
    void forward() noexcept {
        newest_ = newest_ + 1 == partitions_ ? 0 : newest_ + 1;
        float* window = window_.data.get();
        transform_into(window, history_.data.get(), newest_);
        std::copy(window + block_, window + 2 * block_, window);
    }

    // The products for bin blocks [begin, end) of the sum.
    void sum_products(std::size_t begin, std::size_t end) noexcept {
        QUAVER_HWY_DISPATCH(convolution_sum_products)(history_.data.get(), newest_, response_.data.get(),
                                                       partitions_, bins_, begin, end, sum_.data.get());
    }

    // The inverse transform of the sum; its last T samples (overlap-save:
    // the first T are aliased) to out.
    void inverse(float* out) noexcept {
        float* time = time_.data.get();
        QUAVER_HWY_DISPATCH(fft_real_inverse_split)(&plan_.data(), sum_.data.get(), sum_.data.get() + bins_, time);
        std::copy(time + block_, time + 2 * block_, out);
    }

    void reset() noexcept {
        std::fill(history_.data.get(), history_.data.get() + partitions_ * 2 * bins_, 0.0f);
        std::fill(window_.data.get(), window_.data.get() + 2 * block_, 0.0f);
        newest_ = 0;
    }

private:
    // The spectrum of 2T samples into entry `entry` of block-major storage:
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

    std::size_t block_;       // T
    std::size_t bins_;        // T + 1 bins, padded to a multiple of 16
    std::size_t partitions_;  // P
    FftPlanStorage plan_;     // complex T-point plan of the 2T-point real transform
    AlignedFloats response_;  // P spectra of the response, block-major
    AlignedFloats history_;   // ring of the P newest input spectra, block-major
    AlignedFloats spectrum_;  // one split spectrum (re[bins_], im[bins_]), zero-padded
    AlignedFloats sum_;       // split, like spectrum_
    AlignedFloats window_;    // the last 2T inputs
    AlignedFloats time_;      // the inverse transform's 2T samples
    std::size_t newest_ = 0;  // ring entry of the newest spectrum
};

}  // namespace detail

/// Mono convolution with a fixed impulse response, block-based with latency
/// block_size(). One instance per channel; one thread at a time per instance.
class FftConvolver {
public:
    /// Largest accepted block_size (2^20).
    static constexpr std::size_t max_block_size = std::size_t{1} << 20;
    /// Head blocks per tail block (T = tail_steps B).
    static constexpr std::size_t tail_steps = 16;

    /// Plans the transforms and transforms the response.
    /// Preconditions (each throws std::invalid_argument): impulse_response
    /// holds length >= 1 floats; 2 <= block_size <= max_block_size and
    /// block_size = 2^a 3^b 5^c (e.g. 64, 128, 480, 512).
    /// Real-time: no (allocates).
    FftConvolver(const float* impulse_response, std::size_t length, std::size_t block_size,
                 ConvolverLatency latency = ConvolverLatency::block)
        : block_(checked_block_size(block_size, impulse_response, length)),
          length_(length),
          direct_taps_(latency == ConvolverLatency::zero ? std::min(length, block_) : 0),
          output_(block_) {
        const std::size_t first = direct_taps_, rest = length - first;  // taps for the FFT stages
        if (rest > 0) {
            const std::size_t head_taps = has_tail(rest, block_) ? 2 * tail_steps * block_ : rest;
            head_.emplace(impulse_response + first, head_taps, block_);
            if (head_taps < rest) {
                tail_.emplace(impulse_response + first + head_taps, rest - head_taps, tail_steps * block_);
                tail_output_ = detail::AlignedFloats(tail_steps * block_);
            }
        }
        if (direct_taps_ > 0) {
            // Reversed, zero-padded at the front to a multiple of 16; the
            // history holds that many inputs before the current block.
            direct_padded_ = (direct_taps_ + 15) / 16 * 16;
            direct_reversed_ = detail::AlignedFloats(direct_padded_);
            for (std::size_t k = 0; k < direct_taps_; ++k)
                direct_reversed_.data[direct_padded_ - 1 - k] = impulse_response[k];
            direct_history_ = detail::AlignedFloats(direct_padded_ - 1 + block_);
        }
    }

    FftConvolver(FftConvolver&&) noexcept = default;
    FftConvolver& operator=(FftConvolver&&) noexcept = default;

    /// Real-time: wait-free, no allocation.
    std::size_t block_size() const noexcept { return block_; }
    /// Samples between an input and its first effect on the output:
    /// block_size(), or 0 with ConvolverLatency::zero.
    /// Real-time: wait-free, no allocation.
    std::size_t latency() const noexcept { return direct_padded_ > 0 ? 0 : block_; }
    /// Real-time: wait-free, no allocation.
    std::size_t impulse_response_length() const noexcept { return length_; }
    /// Partitions of block_size() taps (the head: all taps, or the first
    /// 2 tail_block_size() of a long response; with ConvolverLatency::zero,
    /// from tap block_size() on).
    /// Real-time: wait-free, no allocation.
    std::size_t partitions() const noexcept { return head_ ? head_->partitions() : 0; }
    /// The tail's partition length T (tail_steps block_size()), or 0 when the
    /// head covers the whole response: when a tail would not make the dearest
    /// block cheaper (up to about 150 block_size() taps at B = 128, 90 at
    /// B = 2, 180 at B = 1024), or T would exceed 2^16.
    /// Real-time: wait-free, no allocation.
    std::size_t tail_block_size() const noexcept { return tail_ ? tail_->block() : 0; }
    /// Partitions of tail_block_size() taps (0 without a tail).
    /// Real-time: wait-free, no allocation.
    std::size_t tail_partitions() const noexcept { return tail_ ? tail_->partitions() : 0; }

    /// Convolves the next `frames` input samples, writing as many output
    /// samples (latency() samples late). Any frame count; every block_size()
    /// samples of input run one block: the head's two FFTs and products,
    /// plus a 1/16th share of the tail's work (see the file comment); with
    /// ConvolverLatency::zero, every sample also takes block_size()
    /// multiply-adds.
    /// Preconditions: in and out hold frames floats each; they are the same
    /// array or do not overlap.
    /// Real-time: wait-free (bounded work per call), no allocation, no lock.
    void process(const float* in, float* out, std::size_t frames) noexcept {
        const float* output = output_.data.get();
        float* history = direct_history_.data.get();
        while (frames > 0) {
            const std::size_t take = std::min(frames, block_ - filled_);
            // Input first: with in == out, this chunk's outputs overwrite it.
            if (head_) std::copy(in, in + take, head_->newest_inputs() + filled_);
            if (direct_padded_ > 0) std::copy(in, in + take, history + direct_padded_ - 1 + filled_);
            std::copy(output + filled_, output + filled_ + take, out);
            if (direct_padded_ > 0) {
                QUAVER_HWY_DISPATCH(convolution_direct)(direct_reversed_.data.get(), direct_padded_,
                                                         history + filled_, out, take);
            }
            in += take, out += take, frames -= take, filled_ += take;
            if (filled_ == block_) run_block();
        }
    }

    /// Forgets all input so far (the output is silent until new input reaches it).
    /// Real-time: no allocation, no lock; O(length) stores.
    void reset() noexcept {
        if (head_) head_->reset();
        std::fill(output_.data.get(), output_.data.get() + block_, 0.0f);
        if (direct_padded_ > 0)
            std::fill(direct_history_.data.get(), direct_history_.data.get() + direct_padded_ - 1 + block_, 0.0f);
        if (tail_) {
            tail_->reset();
            std::fill(tail_output_.data.get(), tail_output_.data.get() + tail_->block(), 0.0f);
        }
        filled_ = 0;
        tail_step_ = 0;
    }

private:
    // Whether a tail makes the dearest block cheaper: it replaces the
    // products of P - 32 head partitions by those of P_tail (each about as
    // dear per block: 16 times the bins, a 16th of them per block) and adds
    // an FFT of 32 B points to two blocks in 16. An FFT of N points costs
    // about as much as N log2(N) / 3.5 products of one bin of a partition
    // (measured with AVX2; B = 512 with 48000 taps, which this refuses, had
    // its dearest block at 30 us with a tail against 15 us without).
    static bool has_tail(std::size_t length, std::size_t block) {
        const std::size_t tail = tail_steps * block;
        if (tail > (std::size_t{1} << 16) || length <= 2 * tail) return false;
        const double partitions = std::ceil(double(length) / double(block));
        const double tail_partitions = std::ceil(double(length - 2 * tail) / double(tail));
        const double saved = partitions - 2.0 * tail_steps - tail_partitions;
        return saved * double(block) > double(2 * tail) * std::log2(double(2 * tail)) / 3.5;
    }

    static std::size_t checked_block_size(std::size_t block_size, const float* impulse_response,
                                          std::size_t length) {
        if (impulse_response == nullptr || length == 0)
            throw std::invalid_argument("quaver::FftConvolver: the impulse response is empty");
        if (block_size < 2 || block_size > max_block_size || !is_fast_fft_size(block_size))
            throw std::invalid_argument("quaver::FftConvolver: unsupported block size " + std::to_string(block_size) +
                                        " (supported: 2 <= block_size <= 2^20, block_size = 2^a 3^b 5^c)");
        return block_size;
    }

    // A whole block of inputs is in.
    void run_block() noexcept {
        filled_ = 0;
        if (direct_padded_ > 0) {  // keep the inputs the next block's first samples reach back to
            float* history = direct_history_.data.get();
            std::copy(history + block_, history + block_ + direct_padded_ - 1, history);
        }
        if (!head_) return;
        float* output = output_.data.get();
        head_->forward();
        head_->sum_products(0, head_->bin_blocks());
        head_->inverse(output);
        if (tail_) {
            // The tail's share of these outputs, before tail_step() may replace it.
            const float* due = tail_output_.data.get() + tail_step_ * block_;
            for (std::size_t i = 0; i < block_; ++i) output[i] += due[i];
            tail_step(head_->last_inputs());
        }
    }

    // One step of the tail: step 0 transforms the tail block the previous
    // steps gathered, every step gathers this block's inputs and takes its
    // share of the bins' products, the last step transforms the sum back.
    // The result for tail block j (input samples [jT, (j+1)T)) is ready at
    // the end of tail block j + 1 and is added during tail block j + 2, as
    // the taps from 2T on require.
    void tail_step(const float* inputs) noexcept {
        detail::ConvolutionStage& tail = *tail_;
        const std::size_t s = tail_step_, blocks = tail.bin_blocks();
        if (s == 0) tail.forward();
        std::copy(inputs, inputs + block_, tail.newest_inputs() + s * block_);
        tail.sum_products(s * blocks / tail_steps, (s + 1) * blocks / tail_steps);
        tail_step_ = s + 1 == tail_steps ? 0 : s + 1;
        if (tail_step_ == 0) tail.inverse(tail_output_.data.get());
    }

    std::size_t block_;
    std::size_t length_;
    std::size_t direct_taps_;                    // ConvolverLatency::zero: min(B, length), else 0
    std::optional<detail::ConvolutionStage> head_;  // taps from direct_taps_ on (none if that is all)
    std::optional<detail::ConvolutionStage> tail_;
    detail::AlignedFloats output_;                  // the FFT stages' B outputs being played out
    detail::AlignedFloats tail_output_{0};          // the tail's result for the current tail block, T samples
    std::size_t direct_padded_ = 0;                 // direct_taps_ rounded up to 16 (0: no direct part)
    detail::AlignedFloats direct_reversed_{0};      // the direct taps reversed, zeros first
    detail::AlignedFloats direct_history_{0};       // direct_padded_ - 1 older inputs, then the current block
    std::size_t filled_ = 0;     // inputs in the current block
    std::size_t tail_step_ = 0;  // head blocks done in the current tail block
};

}  // namespace quaver
