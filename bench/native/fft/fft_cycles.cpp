// Runs one transform many times, for perf stat: fft_cycles <quaver|fftw> <c|r> <n> <iterations>.
// cycles.sh takes the difference of two runs, which leaves CPU cycles and
// instructions per transform: figures a busy machine disturbs much less
// than wall-clock time.
#include <fftw3.h>

#include <quaver/dsp/fft.hpp>

#include <complex>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 5 && argc != 6) {
        std::fprintf(stderr, "usage: fft_cycles <quaver|fftw> <c|r> <n> <iterations> [offset]\n");
        return 2;
    }
    const bool quaver = !std::strcmp(argv[1], "quaver"), complex = !std::strcmp(argv[2], "c");
    const int n = std::atoi(argv[3]);
    const long iterations = std::atol(argv[4]);
    // offset: floats past 64-byte alignment (even), as std::vector data may sit.
    const int offset = argc == 6 ? std::atoi(argv[5]) : 0;
    float* in_mem = fftwf_alloc_real(2 * n + 2 + offset);
    float* out_mem = fftwf_alloc_real(2 * n + 2 + offset);
    float* in = in_mem + offset;
    float* out = out_mem + offset;
    for (int i = 0; i < 2 * n + 2; ++i) in[i] = static_cast<float>(i % 7) - 3.0f;
    if (quaver) {
        auto* cin = reinterpret_cast<std::complex<float>*>(in);
        auto* cout = reinterpret_cast<std::complex<float>*>(out);
        if (complex) {
            quaver::ComplexFft fft(n);
            for (long i = 0; i < iterations; ++i) fft.forward(cin, cout);
        } else {
            quaver::RealFft fft(n);
            for (long i = 0; i < iterations; ++i) fft.forward(in, cout);
        }
    } else {
        auto* cout = reinterpret_cast<fftwf_complex*>(out);
        fftwf_plan plan = complex ? fftwf_plan_dft_1d(n, reinterpret_cast<fftwf_complex*>(in), cout, FFTW_FORWARD, FFTW_MEASURE)
                                  : fftwf_plan_dft_r2c_1d(n, in, cout, FFTW_MEASURE);
        for (long i = 0; i < iterations; ++i) fftwf_execute(plan);
        fftwf_destroy_plan(plan);
    }
    std::printf("%g\n", static_cast<double>(out[3]));
    fftwf_free(in_mem);
    fftwf_free(out_mem);
    return 0;
}
