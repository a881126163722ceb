// SpectrumAnalyzer and stft in every build: against JS float64 references of
// the AnalyserNode's and the STFT's definitions, and every argument check.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createQuaver } from '../../bindings/js/index.mjs';
import { ensureDist } from './support/dist.mjs';
import { makeRandom } from './support/random.mjs';

before(() => ensureDist());

const BUILDS = ['threads-simd', 'simd', 'baseline'];

// |X[k]| for k in 0 .. n/2 of frame[] (already windowed), in doubles.
function dftMagnitudes(frame) {
  const n = frame.length;
  const out = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; ++k) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; ++t) {
      const a = (-2 * Math.PI * ((k * t) % n)) / n;
      re += frame[t] * Math.cos(a);
      im += frame[t] * Math.sin(a);
    }
    out[k] = Math.hypot(re, im);
  }
  return out;
}

// The AnalyserNode's spectrum without smoothing, in dB: Blackman window, |X[k]| / n.
function analyserDecibels(samples) {
  const n = samples.length;
  const frame = samples.map((x, i) => {
    const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / n) + 0.08 * Math.cos((4 * Math.PI * i) / n);
    return x * w;
  });
  return Array.from(dftMagnitudes(frame).subarray(0, n / 2), (m) => 20 * Math.log10(m / n));
}

// librosa-style centred frames (zero padding), periodic Hann, magnitudes.
function stftReference(signal, fftSize, hop) {
  const frames = 1 + Math.floor(signal.length / hop);
  const bins = fftSize / 2 + 1;
  const out = new Float64Array(frames * bins);
  for (let t = 0; t < frames; ++t) {
    const first = t * hop - fftSize / 2;
    const frame = new Float64Array(fftSize);
    for (let j = 0; j < fftSize; ++j) {
      const i = first + j;
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * j) / fftSize);
      frame[j] = i >= 0 && i < signal.length ? signal[i] * w : 0;
    }
    out.set(dftMagnitudes(frame), t * bins);
  }
  return { frames, bins, magnitudes: out };
}

function sine(n, cyclesPerSample, amplitude = 1) {
  return Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin(2 * Math.PI * cyclesPerSample * i));
}

const signal = (() => {
  const random = makeRandom(42);
  return Float32Array.from({ length: 700 }, (_, i) => 0.5 * Math.sin(0.3 * i) + 0.2 * (2 * random() - 1));
})();
const spectrograms = new Map(); // build -> the stft result, compared across builds

for (const build of BUILDS) {
  describe(`SpectrumAnalyzer and stft in the '${build}' build`, () => {
    let q;
    before(async () => {
      q = await createQuaver({ build, threads: 2 });
    });
    after(() => q?.terminate());

    test('the analyser has the AnalyserNode defaults and settable members', () => {
      const a = new q.SpectrumAnalyzer();
      assert.equal(a.fftSize, 2048);
      assert.equal(a.frequencyBinCount, 1024);
      assert.equal(a.smoothingTimeConstant, 0.8);
      assert.equal(a.minDecibels, -100);
      assert.equal(a.maxDecibels, -30);
      a.fftSize = 256;
      a.smoothingTimeConstant = 0;
      a.maxDecibels = 0;
      a.minDecibels = -90;
      assert.deepEqual([a.fftSize, a.frequencyBinCount, a.smoothingTimeConstant, a.minDecibels, a.maxDecibels], [256, 128, 0, -90, 0]);
    });

    test("a sine's float spectrum matches the AnalyserNode's definition and peaks at its bin", () => {
      const n = 256;
      const tone = sine(n, 20 / n, 0.5);
      const a = new q.SpectrumAnalyzer({ fftSize: n, smoothingTimeConstant: 0 });
      a.push(tone);
      const db = new Float32Array(n / 2);
      a.getFloatFrequencyData(db);
      const expected = analyserDecibels(tone);
      for (let k = 0; k < n / 2; ++k) {
        if (expected[k] > -100) assert.ok(Math.abs(db[k] - expected[k]) < 0.05, `bin ${k}: ${db[k]} dB, expected ${expected[k]}`);
      }
      const peak = db.indexOf(Math.max(...db));
      assert.equal(peak, 20);
      // A full-scale-0.5 sine through the Blackman window: 0.5 * 0.42 / 2 -> about -19.6 dB.
      assert.ok(Math.abs(db[20] - 20 * Math.log10(0.5 * 0.21)) < 0.1, `peak ${db[20]} dB`);
    });

    test('byte frequency data scales dB between minDecibels and maxDecibels', () => {
      const n = 128;
      const tone = sine(n, 10 / n, 0.5);
      const a = new q.SpectrumAnalyzer({ fftSize: n, smoothingTimeConstant: 0, minDecibels: -80, maxDecibels: -10 });
      a.push(tone);
      const bytes = new Uint8Array(n / 2);
      a.getByteFrequencyData(bytes);
      const expected = analyserDecibels(tone).map((d) => Math.min(255, Math.max(0, Math.floor((255 / 70) * (d + 80)))));
      for (let k = 0; k < n / 2; ++k) assert.ok(Math.abs(bytes[k] - expected[k]) <= 1, `bin ${k}: ${bytes[k]} vs ${expected[k]}`);
      assert.equal(bytes.indexOf(Math.max(...bytes)), 10);
      // Only min(length, frequencyBinCount) elements are written, as in the browser.
      const long = new Uint8Array(n).fill(7);
      a.getByteFrequencyData(long);
      assert.ok(long.subarray(n / 2).every((v) => v === 7));
    });

    test('time-domain data returns the newest fftSize samples, floats and bytes', () => {
      const a = new q.SpectrumAnalyzer({ fftSize: 32 });
      const ramp = Float32Array.from({ length: 100 }, (_, i) => (i - 50) / 40);
      a.push(ramp.subarray(0, 60));
      a.push(ramp.subarray(60));
      const floats = new Float32Array(32);
      a.getFloatTimeDomainData(floats);
      assert.deepEqual(floats, ramp.subarray(68));
      const bytes = new Uint8Array(32);
      a.getByteTimeDomainData(bytes);
      assert.deepEqual(bytes, Uint8Array.from(ramp.subarray(68), (x) => Math.min(255, Math.max(0, Math.floor(128 * (1 + x))))));
      const short = new Float32Array(8);
      a.getFloatTimeDomainData(short); // the first 8 of the newest 32, as in the browser
      assert.deepEqual(short, ramp.subarray(68, 76));
      // More than 32768 samples at once: only the newest are kept.
      a.push(new Float32Array(40000).fill(0.25));
      a.getFloatTimeDomainData(floats);
      assert.ok(floats.every((v) => v === 0.25));
    });

    test('the analyser rejects bad options, setter values and arrays with messages naming them', () => {
      assert.throws(() => new q.SpectrumAnalyzer({ fftSize: 100 }), { name: 'RangeError', message: /fftSize must be a power of two/ });
      assert.throws(() => new q.SpectrumAnalyzer({ fftSize: 65536 }), { name: 'RangeError', message: /fftSize/ });
      assert.throws(() => new q.SpectrumAnalyzer({ fftSize: '256' }), { name: 'TypeError', message: /fftSize must be a number/ });
      assert.throws(() => new q.SpectrumAnalyzer({ smoothingTimeConstant: 1.5 }), { name: 'RangeError', message: /smoothingTimeConstant/ });
      assert.throws(() => new q.SpectrumAnalyzer({ smoothingTimeConstant: NaN }), RangeError);
      assert.throws(() => new q.SpectrumAnalyzer({ minDecibels: -10, maxDecibels: -20 }), { name: 'RangeError', message: /minDecibels \(-10\) must be less than maxDecibels/ });
      assert.throws(() => new q.SpectrumAnalyzer({ minDecibels: -Infinity }), { name: 'RangeError', message: /minDecibels/ });
      assert.throws(() => new q.SpectrumAnalyzer({ fftsize: 256 }), { name: 'TypeError', message: /unknown option 'fftsize'/ });
      assert.throws(() => new q.SpectrumAnalyzer(256), { name: 'TypeError', message: /options must be an object/ });
      const a = new q.SpectrumAnalyzer({ fftSize: 64 });
      assert.throws(() => (a.fftSize = 48), { name: 'RangeError', message: /SpectrumAnalyzer.fftSize/ });
      assert.throws(() => (a.minDecibels = -20), { name: 'RangeError', message: /must be less than maxDecibels \(-30\)/ });
      assert.throws(() => (a.maxDecibels = -120), { name: 'RangeError', message: /must be greater than minDecibels/ });
      assert.throws(() => (a.smoothingTimeConstant = -0.1), RangeError);
      assert.throws(() => (a.smoothingTimeConstant = null), TypeError);
      assert.deepEqual([a.fftSize, a.minDecibels, a.maxDecibels, a.smoothingTimeConstant], [64, -100, -30, 0.8]);
      assert.throws(() => a.push([1, 2]), { name: 'TypeError', message: /push: samples must be a Float32Array/ });
      assert.throws(() => a.getByteFrequencyData(new Float32Array(4)), { name: 'TypeError', message: /array must be a Uint8Array/ });
      assert.throws(() => a.getFloatFrequencyData(new Uint8Array(4)), { name: 'TypeError', message: /array must be a Float32Array/ });
      a.delete();
      assert.throws(() => a.push(new Float32Array(4)), /SpectrumAnalyzer.push used after delete\(\)/);
      assert.throws(() => a.fftSize, /used after delete/);
      assert.throws(() => (a.fftSize = 64), /used after delete/);
    });

    test('stft resolves with the magnitudes of centred Hann frames (JS reference)', async () => {
      const pending = q.stft(signal, { fftSize: 64, hop: 16 });
      assert.ok(pending instanceof Promise);
      const result = await pending;
      const expected = stftReference(signal, 64, 16);
      assert.equal(result.frames, expected.frames);
      assert.equal(result.bins, 33);
      assert.equal(result.magnitudes.length, expected.frames * 33);
      let worst = 0;
      for (let i = 0; i < expected.magnitudes.length; ++i) worst = Math.max(worst, Math.abs(result.magnitudes[i] - expected.magnitudes[i]));
      assert.ok(worst < 1e-4, `largest error ${worst}`);
      spectrograms.set(build, result);
    });

    test('stft with start framing, other windows, and several jobs at once', async () => {
      const [a, b, c] = await Promise.all([
        q.stft(signal, { fftSize: 60, hop: 30, center: false, window: 'rectangular' }),
        q.stft(signal, { fftSize: 128, hop: 64, window: 'blackman-harris' }),
        q.stft(signal, { fftSize: 64, hop: 16 }),
      ]);
      assert.equal(a.frames, 1 + Math.floor((700 - 60) / 30));
      const frame = dftMagnitudes(signal.subarray(30, 90));
      for (let k = 0; k < 31; ++k) assert.ok(Math.abs(a.magnitudes[31 + k] - frame[k]) < 1e-4);
      assert.equal(b.frames, 1 + Math.floor(700 / 64));
      assert.deepEqual(c.magnitudes, spectrograms.get(build)?.magnitudes ?? c.magnitudes);
      const empty = await q.stft(new Float32Array(0), { fftSize: 64, hop: 16 });
      assert.deepEqual([empty.frames, empty.magnitudes.length], [0, 0]);
    });

    test('stft runs as a job of q.pool in the threaded build, on this thread otherwise', async () => {
      const total = () => {
        const s = q.pool.stats();
        return s.realtime.completed + s.high.completed + s.normal.completed + s.background.completed;
      };
      const before = total();
      let ticks = 0;
      const timer = setInterval(() => ticks++, 0);
      const big = new Float32Array(48000 * 10).map((_, i) => Math.sin(i * 0.01));
      const result = await q.stft(big, { fftSize: 2048, hop: 256 });
      clearInterval(timer);
      assert.equal(result.frames, 1 + Math.floor(big.length / 256));
      // The pool's counters follow the promise by a moment (the task returns after posting).
      for (let i = 0; i < 200 && q.pool.threaded && total() === before; ++i) await new Promise((r) => setTimeout(r, 5));
      if (q.pool.threaded) {
        assert.ok(total() > before, 'the STFT (and its chunks) ran as pool tasks');
        assert.ok(ticks > 0, 'timers ran on the main thread while the STFT ran on the pool');
      } else {
        assert.equal(total(), before, 'no pool tasks without threads');
      }
    });

    test('stft rejects bad arguments with TypeError or RangeError naming them', async () => {
      await assert.rejects(q.stft([1, 2, 3]), { name: 'TypeError', message: /stft: signal must be a Float32Array/ });
      await assert.rejects(q.stft(signal, { fftSize: 63 }), { name: 'RangeError', message: /fftSize must be even/ });
      await assert.rejects(q.stft(signal, { fftSize: 64, hop: 0 }), { name: 'RangeError', message: /hop must be an integer/ });
      await assert.rejects(q.stft(signal, { hop: NaN }), { name: 'RangeError', message: /hop/ });
      await assert.rejects(q.stft(signal, { hop: '4' }), { name: 'TypeError', message: /hop must be a number/ });
      await assert.rejects(q.stft(signal, { window: 'kaiser' }), { name: 'RangeError', message: /window must be one of/ });
      await assert.rejects(q.stft(signal, { center: 1 }), { name: 'TypeError', message: /center must be a boolean/ });
      await assert.rejects(q.stft(signal, { fft: 64 }), { name: 'TypeError', message: /unknown option 'fft'/ });
      // 2^20 frames of 4097 bins do not fit in the heap: refused, not an abort.
      await assert.rejects(q.stft(new Float32Array(1 << 20), { fftSize: 8192, hop: 1 }), { name: 'RangeError', message: /does not fit in the WASM heap/ });
      assert.equal((await q.stft(signal, { fftSize: 64, hop: 16 })).frames, 44);
    });
  });
}

test('stft gives the same spectrogram in every build (within float rounding)', () => {
  const reference = spectrograms.get('baseline');
  for (const build of BUILDS) {
    const other = spectrograms.get(build);
    assert.ok(other && reference, `${build} ran`);
    let worst = 0;
    for (let i = 0; i < reference.magnitudes.length; ++i) worst = Math.max(worst, Math.abs(other.magnitudes[i] - reference.magnitudes[i]));
    assert.ok(worst < 1e-4, `${build} differs from baseline by ${worst}`);
  }
});
