#pragma once
// Reproducible test signals: uniform noise in [-1, 1) from a seed.
#include <cstddef>
#include <random>
#include <vector>

namespace quaver::test {

inline std::vector<float> random_real(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> x(n);
    for (auto& v : x) v = u(rng);
    return x;
}

}  // namespace quaver::test
