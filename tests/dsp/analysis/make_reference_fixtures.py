#!/usr/bin/python3
"""Writes the SciPy / NumPy references the analysis tests compare with.

    /usr/bin/python3 tests/dsp/analysis/make_reference_fixtures.py

data/windows.json: scipy.signal.get_window for every window Quaver offers,
periodic (fftbins=True) and symmetric, at a few lengths.
data/stft.json: a centred STFT (librosa's center=True framing: frame t is
centred on sample t * hop, the signal zero-padded by fft_size / 2 on both
sides), magnitudes |X[k]| computed in double with numpy.fft.rfft.
"""
import json
import os

import numpy as np
import scipy
import scipy.signal

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")

WINDOWS = {
    "rectangular": "boxcar",
    "hann": "hann",
    "hamming": "hamming",
    "blackman": "blackman",
    "blackman_harris": "blackmanharris",
    "flat_top": "flattop",
}


def windows():
    out = []
    for name, scipy_name in WINDOWS.items():
        for n in (1, 2, 7, 64, 513):
            for symmetry in ("periodic", "symmetric"):
                w = scipy.signal.get_window(scipy_name, n, fftbins=(symmetry == "periodic"))
                out.append({"type": name, "symmetry": symmetry, "n": n, "values": [float(f"{v:.9g}") for v in w]})
    return {"scipy": scipy.__version__, "windows": out}


def stft_signal(n, sample_rate):
    # Two tones and a little deterministic noise-like term, float32 like the C++ input.
    i = np.arange(n, dtype=np.float64)
    x = 0.6 * np.sin(2 * np.pi * 1000.0 * i / sample_rate) + 0.3 * np.sin(2 * np.pi * 3150.0 * i / sample_rate)
    x += 0.05 * np.sin(0.37 * i * i / n)
    return x.astype(np.float32)


def stft():
    sample_rate, n, fft_size, hop = 16000, 4000, 512, 128
    x = stft_signal(n, sample_rate).astype(np.float64)
    window = scipy.signal.get_window("hann", fft_size, fftbins=True).astype(np.float32).astype(np.float64)
    padded = np.concatenate([np.zeros(fft_size // 2), x, np.zeros(fft_size // 2)])
    frames = 1 + n // hop
    mags = []
    for t in range(frames):
        seg = padded[t * hop : t * hop + fft_size]
        seg = np.concatenate([seg, np.zeros(fft_size - len(seg))])
        mags.append(np.abs(np.fft.rfft(seg * window)))
    mags = np.array(mags)
    return {
        "signal": "0.6 sin(2 pi 1000 i / sr) + 0.3 sin(2 pi 3150 i / sr) + 0.05 sin(0.37 i^2 / n), float32",
        "sample_rate": sample_rate,
        "n": n,
        "fft_size": fft_size,
        "hop": hop,
        "window": "hann periodic",
        "frames": frames,
        "bins": fft_size // 2 + 1,
        # Rounded to 6 significant digits to keep the file small.
        "magnitudes": [float(f"{v:.6g}") for v in mags.ravel()],
    }


def main():
    os.makedirs(DATA, exist_ok=True)
    with open(os.path.join(DATA, "windows.json"), "w") as f:
        json.dump(windows(), f)
        f.write("\n")
    with open(os.path.join(DATA, "stft.json"), "w") as f:
        json.dump(stft(), f)
        f.write("\n")


if __name__ == "__main__":
    main()
