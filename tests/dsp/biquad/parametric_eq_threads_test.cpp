#include <doctest/doctest.h>

#include <quaver/dsp/parametric_eq.hpp>

#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

using quaver::BiquadParams;
using quaver::BiquadType;
using quaver::ParametricEq;

TEST_CASE("a control thread can move bands while the audio thread processes, and the EQ settles on the last values") {
    const double fs = 48000;
    ParametricEq eq(fs, 2, 6, 0.005, 64);
    std::atomic<bool> done{false};
    std::atomic<int> sent{0}, dropped{0};
    std::vector<BiquadParams> last(6);
    std::thread control([&] {
        for (int i = 0; i < 20000; ++i) {
            const std::size_t b = static_cast<std::size_t>(i % 6);
            const BiquadParams p{i % 50 == 0 ? BiquadType::lowshelf : BiquadType::peaking,
                                 200.0 + 10.0 * (i % 700), 0.5 + (i % 7), -12.0 + (i % 25)};
            while (!eq.set_band(b, p)) {
                dropped.fetch_add(1, std::memory_order_relaxed);
                std::this_thread::yield();
            }
            last[b] = p;
            sent.fetch_add(1, std::memory_order_relaxed);
        }
        done.store(true, std::memory_order_release);
    });
    std::vector<float> l(128, 0.1f), r(128, -0.1f);
    const float* in[] = {l.data(), r.data()};
    float* out[] = {l.data(), r.data()};
    bool finite = true;
    auto block = [&] {
        for (std::size_t n = 0; n < 128; ++n) l[n] = 0.1f * std::sin(0.05f * n), r[n] = l[n];
        eq.process(in, out, 128);
        for (std::size_t n = 0; n < 128; ++n) finite = finite && std::isfinite(l[n]) && std::isfinite(r[n]);
    };
    while (!done.load(std::memory_order_acquire)) block();
    control.join();
    for (int i = 0; i < 2000; ++i) block();  // drain and finish every glide
    CHECK(finite);
    CHECK(sent.load() == 20000);
    MESSAGE(dropped.load() << " sends found the queue full and were retried");
    for (std::size_t b = 0; b < 6; ++b) {
        CHECK(eq.band(b) == last[b]);
        CHECK(eq.current_coefficients(b) == quaver::design_biquad(last[b], fs));
    }
}
