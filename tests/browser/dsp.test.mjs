// quaver-dsp's DSP classes in Chromium: a compact version of tests/js/dsp-*
// run in a cross-origin isolated page (threads-simd: the STFT on the worker pool)
// and in a plain page (simd, then baseline).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserSession } from './support/session.mjs';
import { startServer } from './support/server.mjs';

const session = useBrowserSession(startServer);

// Runs in the page: every check returns its worst error or its outcome.
async function battery([entry, build]) {
  const { createQuaver } = await import(entry);
  const q = await createQuaver({ build, threads: 2, timeoutMs: 30_000 });
  const out = { build: q.build };
  const dft = (x) => {
    const n = x.length;
    const res = [];
    for (let k = 0; k <= n / 2; ++k) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < n; ++t) {
        const a = (-2 * Math.PI * ((k * t) % n)) / n;
        re += x[t] * Math.cos(a);
        im += x[t] * Math.sin(a);
      }
      res.push(re, im);
    }
    return res;
  };
  const worst = (a, b) => a.reduce((w, v, i) => Math.max(w, Math.abs(v - b[i])), 0);
  const x = Float32Array.from({ length: 480 }, (_, i) => Math.sin(0.1 * i) + 0.3 * Math.cos(0.77 * i * i));

  const fft = new q.RealFFT(480);
  const spectrum = fft.forward(x);
  out.fftError = worst(spectrum, dft(x)) / 480;
  out.roundTrip = worst(fft.inverse(spectrum), x);
  fft.delete();
  const complex = new q.ComplexFFT(64);
  const z = Float32Array.from({ length: 128 }, (_, i) => Math.sin(i));
  complex.input.set(z);
  complex.forwardInPlace();
  complex.inverseInPlace();
  out.complexRoundTrip = worst(complex.input, z);
  complex.delete();

  const analyser = new q.SpectrumAnalyzer({ fftSize: 256, smoothingTimeConstant: 0 });
  analyser.push(Float32Array.from({ length: 256 }, (_, i) => Math.sin((2 * Math.PI * 20 * i) / 256)));
  const db = new Float32Array(128);
  analyser.getFloatFrequencyData(db);
  out.analyserPeak = db.indexOf(Math.max(...db));
  const bytes = new Uint8Array(128);
  analyser.getByteFrequencyData(bytes);
  out.analyserBytePeak = bytes[20]; // a full-scale tone is above maxDecibels: 255
  analyser.delete();

  const signal = Float32Array.from({ length: 500 }, (_, i) => Math.sin(0.2 * i));
  const spec = await q.stft(signal, { fftSize: 64, hop: 32 });
  const hann = (j) => 0.5 - 0.5 * Math.cos((2 * Math.PI * j) / 64);
  const frame3 = Array.from({ length: 64 }, (_, j) => signal[3 * 32 - 32 + j] * hann(j));
  const ref = dft(frame3);
  const mags = Array.from({ length: 33 }, (_, k) => Math.hypot(ref[2 * k], ref[2 * k + 1]));
  out.stft = { frames: spec.frames, bins: spec.bins, error: worst(spec.magnitudes.subarray(3 * 33, 4 * 33), mags) };

  const filter = new q.BiquadFilter({ type: 'lowpass', frequency: 1000, Q: 3, sampleRate: 48000 });
  const w0 = (2 * Math.PI * 1000) / 48000;
  const alpha = Math.sin(w0) / (2 * 10 ** (3 / 20));
  const a0 = 1 + alpha;
  const [b0, b1, b2, a1, a2] = [(1 - Math.cos(w0)) / 2 / a0, (1 - Math.cos(w0)) / a0, (1 - Math.cos(w0)) / 2 / a0, (-2 * Math.cos(w0)) / a0, (1 - alpha) / a0];
  let s1 = 0;
  let s2 = 0;
  const expected = Array.from(x, (v) => {
    const y = b0 * v + s1;
    s1 = b1 * v - a1 * y + s2;
    s2 = b2 * v - a2 * y;
    return y;
  });
  out.biquadError = worst(filter.process(x), expected);
  const mag = new Float32Array(2);
  filter.getFrequencyResponse(Float32Array.of(0, 30000), mag, new Float32Array(2));
  out.response = [mag[0], Number.isNaN(mag[1])];
  filter.delete();

  const eq = new q.ParametricEQ({ sampleRate: 48000, channels: 2, bands: [{ type: 'peaking', frequency: 1000, Q: 1, gain: 6 }] });
  const eqMag = new Float32Array(1);
  eq.getFrequencyResponse(Float32Array.of(1000), eqMag, new Float32Array(1));
  out.eqGainDb = 20 * Math.log10(eqMag[0]);
  const planar = eq.process([x, x]);
  out.eqChannelsEqual = planar[0].every((v, i) => v === planar[1][i]);

  const errors = [];
  const expectThrow = (fn) => {
    try {
      fn();
      errors.push('no throw');
    } catch (error) {
      errors.push(`${error.name}: ${error.message}`);
    }
  };
  expectThrow(() => new q.RealFFT(NaN));
  expectThrow(() => new q.RealFFT('8'));
  expectThrow(() => eq.process([x]));
  eq.delete();
  expectThrow(() => eq.reset());
  try {
    await q.stft(signal, { hop: -1 });
  } catch (error) {
    errors.push(`${error.name}: ${error.message}`);
  }
  out.errors = errors;
  q.terminate();
  return out;
}

function check(result, build) {
  assert.equal(result.build, build);
  assert.ok(result.fftError < 1e-5, `RealFFT(480) error ${result.fftError}`);
  assert.ok(result.roundTrip < 1e-5 && result.complexRoundTrip < 1e-5);
  assert.equal(result.analyserPeak, 20);
  assert.equal(result.analyserBytePeak, 255);
  assert.equal(result.stft.frames, 1 + Math.floor(500 / 32));
  assert.equal(result.stft.bins, 33);
  assert.ok(result.stft.error < 1e-4, `stft error ${result.stft.error}`);
  assert.ok(result.biquadError < 1e-5, `biquad error ${result.biquadError}`);
  assert.deepEqual(result.response, [1, true]);
  assert.ok(Math.abs(result.eqGainDb - 6) < 1e-3);
  assert.equal(result.eqChannelsEqual, true);
  assert.match(result.errors[0], /^RangeError: RealFFT: n must be an integer/);
  assert.match(result.errors[1], /^TypeError: RealFFT: n must be a number/);
  assert.match(result.errors[2], /^RangeError: ParametricEQ.process: input must hold 2 channels/);
  assert.match(result.errors[3], /^Error: quaver-dsp: ParametricEQ.reset used after delete\(\)/);
  assert.match(result.errors[4], /^RangeError: stft: hop must be an integer/);
}

async function run(kind, build) {
  const page = await session.browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.goto(`${session.server.origin}/${kind}/blank.html`);
  const result = await page.evaluate(battery, [`/${kind}/bindings/js/index.mjs`, build]);
  await page.close();
  assert.deepEqual(errors, []);
  return result;
}

test('the DSP classes work in a cross-origin isolated page (threads-simd: the STFT on the worker pool)', { timeout: 90_000 }, async () => {
  check(await run('isolated', 'threads-simd'), 'threads-simd');
});

test('the DSP classes work in a page without COOP/COEP (simd and baseline)', { timeout: 90_000 }, async () => {
  check(await run('plain', 'simd'), 'simd');
  check(await run('plain', 'baseline'), 'baseline');
});
