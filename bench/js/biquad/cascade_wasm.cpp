// The WASM biquad cascade before and after f64x2 lanes, in one process: the
// scalar cascade (what the SIMD128 builds ran while Highway 1.0 offered no
// double lanes there) against biquad_f64x2_cascade, interleaved short batches,
// best of 60 rounds. Build and run: see bench/RESULTS.md (Biquads and EQ).
#include <quaver/dsp/biquad_f64x2.hpp>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <vector>
#include <functional>
using namespace quaver::detail;
static double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
int main() {
  const std::size_t frames = 128;
  struct C { std::size_t ch, ns; const char* name; };
  for (C c : {C{2, 8, "eq 8 bands stereo"}, C{1, 8, "eq 8 bands mono"}, C{8, 1, "biquad 8ch"}, C{1, 1, "biquad mono"}}) {
    std::vector<BiquadSection> sec(c.ns);
    for (std::size_t s = 0; s < c.ns; ++s) sec[s] = BiquadSection::fixed({0.3, 0.1 * s, -0.2, -1.2 + 0.01 * s, 0.5});
    const std::size_t stride = biquad_state_stride(c.ch);
    std::vector<double> st(4 * c.ns * stride), st2 = st;
    std::vector<std::vector<float>> buf(c.ch, std::vector<float>(frames)), obuf = buf;
    for (auto& b : buf) for (std::size_t i = 0; i < frames; ++i) b[i] = std::sin(i * 0.37);
    std::vector<const float*> ip; std::vector<float*> op;
    for (auto& b : buf) ip.push_back(b.data());
    for (auto& b : obuf) op.push_back(b.data());
    std::function<void()> f[2] = {
      [&] { biquad_cascade_reference(sec.data(), c.ns, st.data(), stride, ip.data(), op.data(), c.ch, frames); },
      [&] { biquad_f64x2_cascade(sec.data(), c.ns, st2.data(), stride, ip.data(), op.data(), c.ch, frames, false); }};
    int reps[2];
    for (int k = 0; k < 2; ++k) { double t0 = now(); for (int i = 0; i < 200; ++i) f[k](); reps[k] = std::max(1, int(200 * 1e-3 / (now() - t0))); }
    double best[2] = {1e30, 1e30};
    for (int r = 0; r < 60; ++r)
      for (int k = 0; k < 2; ++k) { double t0 = now(); for (int i = 0; i < reps[k]; ++i) f[k](); best[k] = std::min(best[k], (now() - t0) / reps[k] * 1e9); }
    std::printf("%-20s scalar cascade %6.0f ns, f64x2 %6.0f ns per 128-frame block: %.2fx\n", c.name, best[0], best[1], best[0] / best[1]);
  }
}
