// A minimal program on the public headers, built three ways by run.sh:
// a ring, the pool, an FFT and a biquad, each used once.
#include <quaver/quaver.hpp>

#include <array>
#include <cmath>
#include <complex>
#include <cstdio>
#include <vector>

int main() {
    quaver::SpscRing<float> ring(64);
    const std::array<float, 3> in{1.0f, 2.0f, 3.0f};
    std::array<float, 3> out{};
    const bool ring_ok = ring.write(in) == 3 && ring.read(out) == 3 && out == in;

    quaver::WorkerPool pool(quaver::PoolOptions{});
    const bool pool_ok = pool.submit(quaver::Priority::normal, [] { return 42; }).get() == 42;

    quaver::RealFft fft(16);
    std::vector<float> x(16, 1.0f);
    std::vector<std::complex<float>> bins(9);
    fft.forward(x.data(), bins.data());
    const bool fft_ok = std::abs(bins[0].real() - 16.0f) < 1e-4f;

    const auto c = quaver::design_biquad(quaver::BiquadType::lowpass, 1000.0, 0.0, 0.0, 48000.0);
    const bool biquad_ok = std::isfinite(c.b0);

    std::printf("quaver %s on %s: ring %s, pool %s, fft %s, biquad %s\n", quaver::version_string,
                quaver::simd_target_name(), ring_ok ? "ok" : "FAIL", pool_ok ? "ok" : "FAIL", fft_ok ? "ok" : "FAIL",
                biquad_ok ? "ok" : "FAIL");
    return ring_ok && pool_ok && fft_ok && biquad_ok ? 0 : 1;
}
