// FftConvolver: its output is the direct convolution with the impulse
// response, block_size() samples late, whatever the block size, response
// length and chunking of the calls; it allocates nothing while processing.
#include <doctest/doctest.h>

#include <quaver/dsp/fft_convolver.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <stdexcept>
#include <vector>

#include "dsp/fft/fft_targets.hpp"
#include "support/alloc_counter.hpp"
#include "support/random_signal.hpp"

namespace {

using quaver::test::random_real;

// want[t] = sum_j h[j] x[t - delay - j], in double precision.
std::vector<double> delayed_convolution(const std::vector<float>& x, const std::vector<float>& h, std::size_t delay) {
    std::vector<double> want(x.size(), 0.0);
    for (std::size_t t = delay; t < x.size(); ++t) {
        const std::size_t last = std::min(h.size(), t - delay + 1);
        double acc = 0;
        for (std::size_t j = 0; j < last; ++j) acc += static_cast<double>(h[j]) * x[t - delay - j];
        want[t] = acc;
    }
    return want;
}

// ||got - want|| / ||want|| over the whole signal.
double rms_relative_error(const std::vector<float>& got, const std::vector<double>& want) {
    double err = 0, ref = 0;
    for (std::size_t t = 0; t < want.size(); ++t) {
        err += (got[t] - want[t]) * (got[t] - want[t]);
        ref += want[t] * want[t];
    }
    return std::sqrt(err / ref);
}

// Runs x through a fresh convolver in chunks of the given sizes (cycled).
std::vector<float> convolve_in_chunks(quaver::FftConvolver& conv, const std::vector<float>& x,
                                      const std::vector<std::size_t>& chunks) {
    std::vector<float> y(x.size());
    std::size_t t = 0;
    for (std::size_t c = 0; t < x.size(); ++c) {
        const std::size_t frames = std::min(chunks[c % chunks.size()], x.size() - t);
        conv.process(x.data() + t, y.data() + t, frames);
        t += frames;
    }
    return y;
}

// Single-precision FFTs of 2B points: the error grows slowly with B and
// with the number of partitions summed.
constexpr double kBound = 1e-6;

// A response of `length` taps, an input reaching well past it, and their
// convolution `delay` samples late.
struct Signals {
    std::vector<float> h, x;
    std::vector<double> want;
    Signals(std::size_t block, std::size_t length, std::size_t delay, unsigned seed)
        : h(random_real(length, seed + static_cast<unsigned>(length))),
          x(random_real(7 * block + length, seed + 1)),
          want(delayed_convolution(x, h, delay)) {}
};

// Runs the input through conv, from a reset, in each of the chunkings and on
// every SIMD target, against the wanted output; returns the largest error.
double check_on_every_target(quaver::FftConvolver& conv, const Signals& s,
                             std::initializer_list<std::vector<std::size_t>> chunkings) {
    double worst = 0;
    quaver::test::for_each_simd_target([&] {
        for (const auto& chunks : chunkings) {
            CAPTURE(chunks.front());
            conv.reset();
            const double error = rms_relative_error(convolve_in_chunks(conv, s.x, chunks), s.want);
            CHECK(error < kBound);
            worst = std::max(worst, error);
        }
    });
    return worst;
}

}  // namespace

TEST_CASE("the output is the direct convolution, block_size samples late") {
    struct Case {
        std::size_t block, length;
        bool tail;  // whether the response is long enough for a tail
    };
    const Case cases[] = {{2, 1, false},     {2, 7, false},      {4, 3, false},     {16, 16, false},
                          {16, 17, false},   {64, 1000, false},  {96, 500, false},  {128, 48, false},
                          {128, 4800, false}, {480, 2000, false}, {512, 512, false}, {1024, 3000, false},
                          {2, 180, false},   {2, 1000, true},    {16, 5000, true},  {30, 9000, true},
                          {64, 20000, true}};
    double worst = 0;
    for (const Case c : cases) {
        CAPTURE(c.block);
        CAPTURE(c.length);
        const Signals s(c.block, c.length, c.block, 7);
        quaver::FftConvolver conv(s.h.data(), s.h.size(), c.block);
        CHECK(conv.block_size() == c.block);
        CHECK(conv.latency() == c.block);
        CHECK(conv.impulse_response_length() == c.length);
        if (!c.tail) {
            CHECK(conv.partitions() == (c.length + c.block - 1) / c.block);
            CHECK(conv.tail_block_size() == 0);
            CHECK(conv.tail_partitions() == 0);
        } else {
            // The head takes the first 32 B taps, the tail the rest in partitions of 16 B.
            const std::size_t tail = 16 * c.block;
            CHECK(conv.partitions() == 32);
            CHECK(conv.tail_block_size() == tail);
            CHECK(conv.tail_partitions() == (c.length - 2 * tail + tail - 1) / tail);
        }
        worst = std::max(worst, check_on_every_target(conv, s, {{c.block}}));
    }
    MESSAGE("largest rms-relative error: " << worst);
}

TEST_CASE("with ConvolverLatency::zero the output is the direct convolution, on time") {
    struct Case {
        std::size_t block, length;
    };
    // Direct taps only (length <= block), direct and head, direct, head and
    // tail; blocks below 16 or not a multiple of 16 reach back past the block.
    const Case cases[] = {{128, 1}, {128, 100}, {128, 128}, {2, 1},     {2, 1000}, {16, 17},
                          {30, 9000}, {64, 1000}, {16, 5000}, {480, 2000}, {96, 500}};
    double worst = 0;
    for (const Case c : cases) {
        CAPTURE(c.block);
        CAPTURE(c.length);
        const Signals s(c.block, c.length, 0, 3);
        quaver::FftConvolver conv(s.h.data(), s.h.size(), c.block, quaver::ConvolverLatency::zero);
        CHECK(conv.latency() == 0);
        CHECK(conv.block_size() == c.block);
        if (c.length <= c.block) CHECK(conv.partitions() == 0);
        worst = std::max(worst, check_on_every_target(conv, s, {{c.block}, {1}, {7, c.block + 3}}));
    }
    MESSAGE("largest rms-relative error: " << worst);
}

TEST_CASE("a unit impulse response delays the input by exactly block_size samples") {
    const float one = 1.0f;
    quaver::FftConvolver conv(&one, 1, 64);
    const auto x = random_real(640, 3);
    std::vector<float> y(x.size());
    conv.process(x.data(), y.data(), x.size());
    for (std::size_t t = 0; t < 64; ++t) CHECK(y[t] == 0.0f);
    double worst = 0;
    for (std::size_t t = 64; t < x.size(); ++t) worst = std::max(worst, double(std::fabs(y[t] - x[t - 64])));
    CHECK(worst < 1e-6);
}

TEST_CASE("any chunking of the calls gives the same output as whole blocks") {
    const auto h = random_real(9000, 5);
    const auto x = random_real(5000, 6);
    quaver::FftConvolver whole(h.data(), h.size(), 32);
    REQUIRE(whole.tail_block_size() > 0);  // its steps follow the blocks, not the calls
    const auto want = convolve_in_chunks(whole, x, {32});
    for (const auto& chunks :
         {std::vector<std::size_t>{1}, {7}, {31, 33}, {1000}, {5000}, {0, 3, 0, 250}}) {
        CAPTURE(chunks.size());
        CAPTURE(chunks[0]);
        quaver::FftConvolver conv(h.data(), h.size(), 32);
        CHECK(convolve_in_chunks(conv, x, chunks) == want);
    }
}

TEST_CASE("processing in place gives the same output") {
    const auto h = random_real(300, 8);
    const auto x = random_real(2000, 9);
    for (const auto latency : {quaver::ConvolverLatency::block, quaver::ConvolverLatency::zero}) {
        quaver::FftConvolver a(h.data(), h.size(), 64, latency), b(h.data(), h.size(), 64, latency);
        const auto want = convolve_in_chunks(a, x, {100});
        auto y = x;
        for (std::size_t t = 0; t < y.size(); t += 100)
            b.process(y.data() + t, y.data() + t, std::min<std::size_t>(100, y.size() - t));
        CHECK(y == want);
    }
}

TEST_CASE("reset forgets earlier input") {
    const auto h = random_real(20000, 10);  // with a tail
    const auto x = random_real(3000, 12);
    const auto junk = random_real(1234, 13);
    quaver::FftConvolver fresh(h.data(), h.size(), 64), used(h.data(), h.size(), 64);
    REQUIRE(used.tail_block_size() > 0);
    const auto want = convolve_in_chunks(fresh, x, {64});
    std::vector<float> scratch(junk.size());
    used.process(junk.data(), scratch.data(), junk.size());
    used.reset();
    CHECK(convolve_in_chunks(used, x, {64}) == want);
}

TEST_CASE("process allocates nothing") {
    const auto h = random_real(48000, 14);
    const auto x = random_real(3 * 16 * 128 + 100, 15);  // three tail blocks
    for (const auto latency : {quaver::ConvolverLatency::block, quaver::ConvolverLatency::zero}) {
        quaver::FftConvolver conv(h.data(), h.size(), 128, latency);
        REQUIRE(conv.tail_block_size() > 0);
        std::vector<float> y(x.size());
        quaver::test::AllocationScope scope;
        conv.process(x.data(), y.data(), 1000);
        conv.process(x.data() + 1000, y.data() + 1000, x.size() - 1000);
        conv.reset();
        CHECK(scope.count() == 0);
    }
}

TEST_CASE("bad arguments throw std::invalid_argument") {
    const std::vector<float> h(100, 0.5f);
    CHECK_THROWS_AS(quaver::FftConvolver(h.data(), 0, 128), std::invalid_argument);
    CHECK_THROWS_AS(quaver::FftConvolver(nullptr, 100, 128), std::invalid_argument);
    for (const std::size_t block : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{100 + 1},
                                    std::size_t{1} << 21})
        CHECK_THROWS_WITH_AS(quaver::FftConvolver(h.data(), h.size(), block),
                             doctest::Contains("unsupported block size"), std::invalid_argument);
    CHECK_NOTHROW(quaver::FftConvolver(h.data(), h.size(), 480));
}
