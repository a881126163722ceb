#!/usr/bin/env python3
"""Runs Quaver's example programs and checks what they print and write.

usage: check_examples.py CASE BIN_DIR

Levels in the written files are measured here with NumPy and compared with
what the filters must do by the Web Audio formulas (evaluated with SciPy), so
the programs are checked against an outside reference, not against
themselves.
"""
import re
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import scipy.io.wavfile
import scipy.signal

BIN = Path()
WORK = Path()
RATE = 48000

# libsndfile's float WAVs carry a PEAK chunk, which SciPy skips with a warning.
warnings.filterwarnings("ignore", category=scipy.io.wavfile.WavFileWarning)


def run(program, *args, expect_ok=True):
    proc = subprocess.run([str(BIN / program), *map(str, args)], capture_output=True, text=True, timeout=60)
    if expect_ok and proc.returncode != 0:
        sys.exit(f"{program} {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stdout}{proc.stderr}")
    return proc


def check(condition, message):
    if not condition:
        sys.exit("FAILED: " + message)
    print("ok:", message)


def make_wav(name, *args):
    path = WORK / name
    run("quaver-make-test-wav", path, *args)
    return path


def peaks_of(output):
    """(frequency, dB) of each line of the 'strongest peaks' list."""
    return [(float(f), float(db)) for f, db in re.findall(r"^\s+\d+\s+([\d.]+) Hz\s+(-?[\d.]+) dB$", output, re.M)]


def read_channel(path, channel=0):
    rate, data = scipy.io.wavfile.read(path)
    x = data[:, channel] if data.ndim == 2 else data
    if x.dtype == np.int16:
        x = x / 32768.0
    return rate, np.asarray(x, dtype=np.float64), data.dtype


def level_db(x, rate, frequency, skip_seconds=0.1):
    """Amplitude of the sine at `frequency` in dBFS: a Hann-weighted DFT at
    exactly that frequency, after the filters' start-up transient."""
    x = x[int(skip_seconds * rate):]
    w = np.hanning(len(x))
    n = np.arange(len(x))
    amplitude = 2 * abs(np.sum(x * w * np.exp(-2j * np.pi * frequency * n / rate))) / np.sum(w)
    return 20 * np.log10(max(amplitude, 1e-15))


def peaking_response_db(f0, q, gain_db, frequency, rate=RATE):
    """Web Audio's peaking filter (the Audio EQ Cookbook's), through SciPy."""
    a = 10 ** (gain_db / 40)
    w0 = 2 * np.pi * f0 / rate
    alpha = np.sin(w0) / (2 * q)
    b = [1 + alpha * a, -2 * np.cos(w0), 1 - alpha * a]
    den = [1 + alpha / a, -2 * np.cos(w0), 1 - alpha / a]
    _, h = scipy.signal.freqz(b, den, worN=[frequency], fs=rate)
    return 20 * np.log10(abs(h[0]))


# ---------------------------------------------------------------- cases

def case_spectrum_reports_both_tones():
    wav = make_wav("tones.wav")
    for window in ["hann", "blackman-harris", "flat-top"]:
        out = run("quaver-spectrum", "--window", window, wav).stdout
        peaks = peaks_of(out)
        check(len(peaks) >= 2, f"{window}: at least two peaks listed")
        (f1, db1), (f2, db2) = peaks[:2]
        check(abs(f1 - 440) < 1 and abs(db1 - (-6.02)) < 0.1,
              f"{window}: strongest peak 440 Hz at -6 dBFS ({f1}, {db1})")
        check(abs(f2 - 3000) < 1 and abs(db2 - (-12.04)) < 0.1, f"{window}: next peak 3 kHz at -12 dBFS ({f2}, {db2})")
        check(all(db < -60 for _, db in peaks[2:]), f"{window}: every other peak is below -60 dBFS")
    # Tones between bins, at another rate: the frequency is refined within a
    # bin (10.8 Hz here) and the level corrected for the window's scalloping.
    odd = make_wav("odd.wav", "--rate", 44100, "--channels", 1, "--float",
                   "--tone", "1234.5:0.1", "--tone", "10007:0.01")
    for window in ["hann", "blackman-harris"]:
        (f1, db1), (f2, db2) = peaks_of(run("quaver-spectrum", "--window", window, odd).stdout)[:2]
        check(abs(f1 - 1234.5) < 0.5 and abs(db1 + 20) < 0.1, f"{window}: 1234.5 Hz at -20 dBFS ({f1}, {db1})")
        check(abs(f2 - 10007) < 0.5 and abs(db2 + 40) < 0.1, f"{window}: 10007 Hz at -40 dBFS ({f2}, {db2})")
    bars = re.findall(r"^\s+(\d+) -\s+(\d+) Hz\s+-?[\d.]+\s+(#*)$", run("quaver-spectrum", wav).stdout, re.M)
    check(len(bars) == 24, "24 bands plotted")
    longest = sorted(bars, key=lambda b: len(b[2]), reverse=True)
    check(int(longest[0][0]) <= 440 <= int(longest[0][1]), "the longest bar is the band holding 440 Hz")
    check(int(longest[1][0]) <= 3000 <= int(longest[1][1]), "the next longest holds 3 kHz")


def case_spectrum_on_a_pool_matches_one_thread():
    wav = make_wav("tones.wav", "--seconds", 2)
    for extra in [[], ["--spectrogram"]]:
        one = run("quaver-spectrum", *extra, wav).stdout
        pooled = run("quaver-spectrum", "--threads", 2, *extra, wav).stdout
        strip = lambda s: re.sub(r"^stft:.*$", "", s, flags=re.M)
        check(strip(one) == strip(pooled), f"{extra or 'average'}: the same output with --threads 2")
        check("on 2 worker(s)" in pooled, "the pooled run says it used the pool")


def case_spectrogram_draws_the_tones():
    wav = make_wav("tones.wav")
    out = run("quaver-spectrum", "--spectrogram", "--rows", 8, "--cols", 64, wav).stdout
    rows = re.findall(r"^\s+[\d.]+ \|(.*)\|$", out, re.M)
    check(len(rows) == 8 and all(len(r) == 64 for r in rows), "8 rows of 64 columns")
    middle = rows[3]
    check(middle.count("@") >= 2 and middle.count(" ") > 32, "a middle row shows the two tones over silence")
    check(re.search(r"Hz .*1k", out) is not None, "a frequency axis is printed")


def case_eq_cut_lowers_3k_by_the_band_gain():
    wav = make_wav("tones.wav")
    out_wav = WORK / "cut.wav"
    out = run("quaver-eq", "--band", "peaking:3000:2:-24", wav, out_wav).stdout
    check(re.search(r"3000\.00 Hz\s+-24\.00 dB", out) is not None, "the printed response is -24 dB at 3 kHz")
    _, before, _ = read_channel(wav)
    for channel in (0, 1):
        _, after, dtype = read_channel(out_wav, channel)
        check(dtype == np.int16, "the output keeps the input's 16-bit format")
        drop_3k = level_db(after, RATE, 3000) - level_db(before, RATE, 3000)
        drop_440 = level_db(after, RATE, 440) - level_db(before, RATE, 440)
        want_440 = peaking_response_db(3000, 2, -24, 440)
        check(abs(drop_3k + 24) < 0.05, f"channel {channel}: 3 kHz dropped by 24 dB ({drop_3k:.3f})")
        check(abs(drop_440 - want_440) < 0.02, f"channel {channel}: 440 Hz changed as the filter says "
              f"({drop_440:.3f} vs {want_440:.3f} dB)")
    peaks = peaks_of(run("quaver-spectrum", out_wav).stdout)
    check(abs(peaks[0][0] - 440) < 1 and abs(peaks[1][0] - 3000) < 1 and abs(peaks[1][1] + 36.04) < 0.2,
          f"quaver-spectrum sees 3 kHz at -36 dBFS ({peaks[1]})")


def case_eq_notch_removes_3k():
    wav = make_wav("tones.wav", "--float")
    out_wav = WORK / "notched.wav"
    run("quaver-eq", "--band", "notch:3000:10:0", "--float", wav, out_wav)
    _, before, _ = read_channel(wav)
    _, after, dtype = read_channel(out_wav)
    check(dtype == np.float32, "--float writes 32-bit float samples")
    check(level_db(after, RATE, 3000) < -100, f"3 kHz is gone ({level_db(after, RATE, 3000):.1f} dBFS)")
    check(abs(level_db(after, RATE, 440) - level_db(before, RATE, 440)) < 0.01, "440 Hz is untouched")


def case_eq_accepts_every_type_and_any_block_size():
    wav = make_wav("tones.wav", "--float", "--channels", 3, "--seconds", 0.25)
    bands = ["lowpass:8000:3:0", "highpass:50:0:0", "bandpass:1000:0.5:0", "lowshelf:200:0:3",
             "highshelf:6000:0:-3", "peaking:1000:1.0:+6", "notch:5000:4:0", "allpass:2000:0.7:0"]
    outputs = []
    for block in (128, 1, 1000):
        out_wav = WORK / f"all_{block}.wav"
        args = [a for b in bands for a in ("--band", b)]
        out = run("quaver-eq", *args, "--block", block, wav, out_wav).stdout
        check("8 band(s)" in out and f"blocks of {block}" in out, f"eight bands, blocks of {block}")
        outputs.append(scipy.io.wavfile.read(out_wav)[1])
    check(outputs[0].shape == (12000, 3), "three channels in, three out")
    # The filter state carries across calls, so the block size changes nothing
    # (bit-identical here; a float rounding of slack keeps other SIMD targets in).
    diff = max(np.max(np.abs(outputs[0] - o)) for o in outputs[1:])
    check(diff <= 1e-6, f"blocks of 1, 128 and 1000 frames give the same samples (max difference {diff})")


def write_response(name, taps, channels=1, rate=RATE):
    """Decaying noise (-60 dB at its end), float WAV."""
    rng = np.random.default_rng(taps)
    h = rng.uniform(-1, 1, (taps, channels)) * np.exp(-6.9 * np.arange(taps) / taps)[:, None]
    path = WORK / name
    scipy.io.wavfile.write(path, rate, (h[:, 0] if channels == 1 else h).astype(np.float32))
    return path, h


def case_reverb_matches_a_direct_convolution():
    wav = make_wav("tones.wav", "--float", "--seconds", 0.25)
    _, left, _ = read_channel(wav, 0)
    _, right, _ = read_channel(wav, 1)
    taps = 9600  # 0.2 s: with 32-frame blocks the response gets a tail, with 128 it does not
    for block, tail in ((128, False), (32, True), (480, False)):
        response, h = write_response(f"room_{block}.wav", taps)
        out_wav = WORK / f"wet_{block}.wav"
        out = run("quaver-reverb", "--block", block, wav, response, out_wav).stdout
        check((" + " in out) == tail, f"blocks of {block}: {'a' if tail else 'no'} tail ({out.splitlines()[1]})")
        rate, data = scipy.io.wavfile.read(out_wav)
        check(data.shape == (len(left) + taps - 1, 2), f"blocks of {block}: input + response - 1 frames, both channels")
        for channel, x in ((0, left), (1, right)):
            want = scipy.signal.fftconvolve(x, h[:, 0])
            error = np.max(np.abs(data[:, channel] - want)) / np.max(np.abs(want))
            check(error < 1e-5, f"blocks of {block}, channel {channel}: SciPy's convolution to {error:.1e} of the peak")
    # A stereo response: channel c with channel c; --wet mixes the dry signal back.
    response, h = write_response("stereo_room.wav", 2000, channels=2)
    out_wav = WORK / "half_wet.wav"
    run("quaver-reverb", "--wet", 0.5, wav, response, out_wav)
    _, data = scipy.io.wavfile.read(out_wav)
    for channel, x in ((0, left), (1, right)):
        want = 0.5 * scipy.signal.fftconvolve(x, h[:, channel])
        want[: len(x)] += 0.5 * x
        error = np.max(np.abs(data[:, channel] - want)) / np.max(np.abs(want))
        check(error < 1e-5, f"stereo response, --wet 0.5, channel {channel}: to {error:.1e} of the peak")


def case_bad_arguments_fail_with_a_message():
    wav = make_wav("tones.wav")
    out = WORK / "x.wav"
    cases = [
        ("quaver-eq", ["--band", "peak:1000:1:0", wav, out], "unknown type 'peak'"),
        ("quaver-eq", ["--band", "peaking:1000:1", wav, out], "(4 fields), got 3"),
        ("quaver-eq", ["--band", "peaking:nan:1:0", wav, out], "frequency must be a finite number"),
        ("quaver-eq", ["--band", "peaking:1000:1:inf", wav, out], "gain must be a finite number"),
        ("quaver-eq", ["--band", "peaking:30000:1:0", wav, out], "frequency must be in (0, 24000]"),
        ("quaver-eq", ["--band", "lowpass:-5:0:0", wav, out], "frequency must be in (0, 24000]"),
        ("quaver-eq", ["--band", "notch:1000:0:0", wav, out], "Q must be in (0, 1000]"),
        ("quaver-eq", ["--band", "peaking:1000:1:1x", wav, out], "gain must be a finite number, got '1x'"),
        ("quaver-eq", ["--band", "peaking:1000:1:0"] * 33 + [wav, out], "at most 32 bands"),
        ("quaver-eq", ["--block", 0, "--band", "peaking:1000:1:0", wav, out], "--block must be a whole number"),
        ("quaver-eq", [wav, out], "no --band given"),
        ("quaver-eq", ["--band", "peaking:1000:1:0", wav], "expected INPUT.wav and OUTPUT.wav"),
        ("quaver-eq", ["--band", "peaking:1000:1:0", WORK / "missing.wav", out], "cannot read"),
        ("quaver-eq", ["--gain", wav, out], "unknown option --gain"),
        ("quaver-spectrum", ["--window", "kaiser", wav], "unknown window 'kaiser'"),
        ("quaver-spectrum", ["--fft", 1021, wav], "--fft must be even, from 2 to 2^24, got 1021"),
        ("quaver-spectrum", ["--hop", wav], "--hop must be a finite number"),
        ("quaver-spectrum", [], "no input file given"),
        ("quaver-hello", ["--frobnicate"], "usage: quaver-hello"),
        ("quaver-reverb", [wav, wav], "expected INPUT.wav, RESPONSE.wav and OUTPUT.wav"),
        ("quaver-reverb", ["--block", 7 * 16, wav, wav, out], "--block must be of the form 2^a 3^b 5^c"),
        ("quaver-reverb", ["--block", 1, wav, wav, out], "--block must be a whole number in [2, 65536]"),
        ("quaver-reverb", ["--wet", 1.5, wav, wav, out], "--wet must be in [0, 1]"),
        ("quaver-reverb", [wav, write_response("r44.wav", 100, rate=44100)[0], out],
         "RESPONSE's sample rate (44100 Hz) differs from INPUT's (48000 Hz)"),
        ("quaver-reverb", [wav, write_response("r3.wav", 100, channels=3)[0], out],
         "RESPONSE has 3 channels; INPUT has 2"),
    ]
    for program, args, message in cases:
        proc = run(program, *args, expect_ok=False)
        text = proc.stderr + proc.stdout
        check(proc.returncode != 0 and message in text,
              f"{program} {' '.join(map(str, args))[:60]}: exit {proc.returncode}, says {message!r}")
    check(not out.exists(), "no output file is written after an error")


def case_help_describes_every_program():
    for program in ["quaver-eq", "quaver-reverb", "quaver-spectrum", "quaver-make-test-wav", "quaver-hello"]:
        proc = run(program, "--help")
        check(proc.stdout.startswith("usage: " + program), f"{program} --help prints its usage")


def case_hello_streams_and_reports():
    out = run("quaver-hello").stdout
    print(out)
    check(re.search(r"^audio: 375 blocks of 128 frames, peak 0\.250$", out, re.M) is not None,
          "375 blocks of the sine played")
    check(re.search(r"^ring: \d+ underruns \(\d+ frames\), \d+ overruns$", out, re.M) is not None,
          "xrun counts printed")
    check("pi ~ 3.14159" in out, "the background job's result came back")
    check(re.search(r"^meter: 375 updates, last ", out, re.M) is not None,
          "every block's level reached the meter through a realtime job")
    check(re.search(r"^pool: 2 workers", out, re.M) is not None, "pool stats printed")
    for p, n in [("realtime", 375), ("high", 1), ("normal", 1), ("background", 1)]:
        check(re.search(rf"^\s+{p}\s+completed {n},", out, re.M) is not None, f"{n} {p} job(s) completed")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    BIN = Path(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="quaver-examples-") as tmp:
        WORK = Path(tmp)
        globals()["case_" + sys.argv[1]]()
