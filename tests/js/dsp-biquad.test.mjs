// BiquadFilter and ParametricEQ in every build: against a float64 direct
// form II transposed filter on the Web Audio specification's formulas, against
// Chromium's own BiquadFilterNode output (the committed record in
// tests/dsp/biquad/data/), and every argument check.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createQuaver } from '../../bindings/js/index.mjs';
import { ensureDist, root } from './support/dist.mjs';
import { makeRandom } from './support/random.mjs';

before(() => ensureDist());

// The Web Audio specification's coefficients (normalised by a0).
function specCoefficients({ type, frequency, Q, gain, detune = 0 }, sampleRate) {
  const w0 = (2 * Math.PI * frequency * 2 ** (detune / 1200)) / sampleRate;
  const A = 10 ** (gain / 40);
  const cos = Math.cos(w0);
  const alphaQ = Math.sin(w0) / (2 * Q);
  const alphaQdB = Math.sin(w0) / (2 * 10 ** (Q / 20));
  const alphaS = (Math.sin(w0) / 2) * Math.SQRT2;
  const sA = 2 * alphaS * Math.sqrt(A);
  const c = {
    lowpass: [(1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alphaQdB, -2 * cos, 1 - alphaQdB],
    highpass: [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alphaQdB, -2 * cos, 1 - alphaQdB],
    bandpass: [alphaQ, 0, -alphaQ, 1 + alphaQ, -2 * cos, 1 - alphaQ],
    notch: [1, -2 * cos, 1, 1 + alphaQ, -2 * cos, 1 - alphaQ],
    allpass: [1 - alphaQ, -2 * cos, 1 + alphaQ, 1 + alphaQ, -2 * cos, 1 - alphaQ],
    peaking: [1 + alphaQ * A, -2 * cos, 1 - alphaQ * A, 1 + alphaQ / A, -2 * cos, 1 - alphaQ / A],
    lowshelf: [
      A * (A + 1 - (A - 1) * cos + sA), 2 * A * (A - 1 - (A + 1) * cos), A * (A + 1 - (A - 1) * cos - sA),
      A + 1 + (A - 1) * cos + sA, -2 * (A - 1 + (A + 1) * cos), A + 1 + (A - 1) * cos - sA,
    ],
    highshelf: [
      A * (A + 1 + (A - 1) * cos + sA), -2 * A * (A - 1 + (A + 1) * cos), A * (A + 1 + (A - 1) * cos - sA),
      A + 1 - (A - 1) * cos + sA, 2 * (A - 1 - (A + 1) * cos), A + 1 - (A - 1) * cos - sA,
    ],
  }[type];
  const [b0, b1, b2, a0, a1, a2] = c;
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0 };
}

// Direct form II transposed in doubles, over sections in series.
function filterReference(sections, x) {
  let y = Float64Array.from(x);
  for (const { b0, b1, b2, a1, a2 } of sections) {
    let s1 = 0;
    let s2 = 0;
    const out = new Float64Array(y.length);
    for (let n = 0; n < y.length; ++n) {
      const v = y[n];
      const r = b0 * v + s1;
      s1 = b1 * v - a1 * r + s2;
      s2 = b2 * v - a2 * r;
      out[n] = r;
    }
    y = out;
  }
  return y;
}

function responseReference(sections, f, sampleRate) {
  const w = (2 * Math.PI * f) / sampleRate;
  let re = 1;
  let im = 0;
  for (const { b0, b1, b2, a1, a2 } of sections) {
    // H = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2), z^-1 = e^{-iw}
    const nr = b0 + b1 * Math.cos(w) + b2 * Math.cos(2 * w);
    const ni = -b1 * Math.sin(w) - b2 * Math.sin(2 * w);
    const dr = 1 + a1 * Math.cos(w) + a2 * Math.cos(2 * w);
    const di = -a1 * Math.sin(w) - a2 * Math.sin(2 * w);
    const d = dr * dr + di * di;
    const hr = (nr * dr + ni * di) / d;
    const hi = (ni * dr - nr * di) / d;
    [re, im] = [re * hr - im * hi, re * hi + im * hr];
  }
  return [Math.hypot(re, im), Math.atan2(im, re)];
}

function worstScaled(actual, expected) {
  let scale = 1;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < expected.length; ++i) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / scale);
  return worst;
}

function noise(n, seed) {
  const random = makeRandom(seed);
  return Float32Array.from({ length: n }, () => 2 * random() - 1);
}

const TYPES = ['lowpass', 'highpass', 'bandpass', 'lowshelf', 'highshelf', 'peaking', 'notch', 'allpass'];
const fixture = JSON.parse(fs.readFileSync(`${root}tests/dsp/biquad/data/chromium_biquad.json`, 'utf8'));
const record = (() => {
  const bytes = fs.readFileSync(`${root}tests/dsp/biquad/data/chromium_biquad.f32`);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
})();

for (const build of ['threads-simd', 'simd', 'baseline']) {
  describe(`BiquadFilter and ParametricEQ in the '${build}' build`, () => {
    let q;
    before(async () => {
      q = await createQuaver({ build, threads: 1 });
    });
    after(() => q?.terminate());

    test('every filter type matches a float64 DF2T on the specification formulas, and so does its response', () => {
      const x = noise(5000, 3); // longer than one 2048-frame block
      const freqs = Float32Array.from({ length: 50 }, (_, i) => 20 + i * 470);
      for (const type of TYPES) {
        const params = { type, frequency: 1234, Q: 2.5, gain: 7, detune: 30 };
        const f = new q.BiquadFilter({ ...params, sampleRate: 48000 });
        const c = specCoefficients(params, 48000);
        const y = f.process(x);
        assert.ok(worstScaled(y, filterReference([c], x)) < 1e-5, `${type} output`);
        const mag = new Float32Array(50);
        const phase = new Float32Array(50);
        f.getFrequencyResponse(freqs, mag, phase);
        for (let k = 0; k < 50; ++k) {
          const [m, p] = responseReference([c], freqs[k], 48000);
          assert.ok(Math.abs(mag[k] - m) <= 1e-5 * Math.max(1, m), `${type} magnitude at ${freqs[k]} Hz: ${mag[k]} vs ${m}`);
          if (m > 1e-4) assert.ok(Math.abs(phase[k] - p) < 1e-4, `${type} phase at ${freqs[k]} Hz: ${phase[k]} vs ${p}`);
        }
      }
    });

    test("the output and response match Chromium's BiquadFilterNode record", () => {
      const input = record.subarray(fixture.input, fixture.input + fixture.frames);
      let worstOut = 0;
      for (const c of fixture.cases) {
        const f = new q.BiquadFilter({ type: c.type, frequency: c.frequency, Q: c.Q, gain: c.gain, detune: c.detune, sampleRate: c.sample_rate });
        worstOut = Math.max(worstOut, worstScaled(f.process(input), record.subarray(c.output, c.output + fixture.frames)));
        const grid = fixture.grids[String(c.sample_rate)];
        const freqs = record.subarray(grid.offset, grid.offset + grid.size);
        const mag = new Float32Array(grid.size);
        const phase = new Float32Array(grid.size);
        f.getFrequencyResponse(freqs, mag, phase);
        for (let k = 0; k < grid.size; ++k) {
          const m = record[c.magnitude + k];
          if (Number.isNaN(m)) {
            assert.ok(Number.isNaN(mag[k]), `${c.type} NaN outside [0, nyquist]`);
            continue;
          }
          assert.ok(Math.abs(mag[k] - m) <= 1e-4 * Math.max(1, m), `${JSON.stringify(c)} magnitude[${k}] ${mag[k]} vs ${m}`);
        }
      }
      // Chromium computes its coefficients in float: 2e-4 of full scale covers
      // its rounding in the resonant low-frequency cases (tests/dsp/biquad).
      assert.ok(worstOut < 2e-4, `output differs from Chromium by ${worstOut} of full scale`);
    });

    test('planar channels are filtered independently, in place or into given arrays, and reset clears the state', () => {
      const f = new q.BiquadFilter({ type: 'peaking', frequency: 800, Q: 1, gain: -6, sampleRate: 44100, channels: 3 });
      const c = specCoefficients({ type: 'peaking', frequency: 800, Q: 1, gain: -6 }, 44100);
      const inputs = [noise(300, 1), noise(300, 2), noise(300, 3)];
      const outs = f.process(inputs);
      assert.equal(outs.length, 3);
      for (let ch = 0; ch < 3; ++ch) assert.ok(worstScaled(outs[ch], filterReference([c], inputs[ch])) < 1e-5);
      f.reset();
      const copies = inputs.map((x) => x.slice());
      assert.equal(f.process(copies, copies), copies); // in place
      for (let ch = 0; ch < 3; ++ch) assert.deepEqual(copies[ch], outs[ch]);
      f.reset();
      const two = [new Float32Array(300), new Float32Array(300)];
      f.process(inputs.slice(0, 2), two); // fewer channels than the filter has
      assert.deepEqual(two[1], outs[1]);
    });

    test('parameter setters change the filter and keep the state; getters read back', () => {
      const f = new q.BiquadFilter();
      assert.deepEqual([f.type, f.frequency, f.Q, f.gain, f.detune, f.sampleRate, f.channels], ['lowpass', 350, 1, 0, 0, 48000, 1]);
      f.type = 'highshelf';
      f.frequency = 3000;
      f.gain = 12;
      f.detune = -200;
      f.Q = 0.3;
      assert.deepEqual([f.type, f.frequency, f.Q, f.gain, f.detune], ['highshelf', 3000, 0.3, 12, -200]);
      const x = noise(256, 5);
      const c = specCoefficients({ type: 'highshelf', frequency: 3000, Q: 0.3, gain: 12, detune: -200 }, 48000);
      assert.ok(worstScaled(f.process(x), filterReference([c], x)) < 1e-5);
    });

    test('the EQ is the series of its bands (float64 reference) and its response is their product', () => {
      const bands = [
        { type: 'lowshelf', frequency: 120, Q: 1, gain: 4 },
        { type: 'peaking', frequency: 1000, Q: 2, gain: -8 },
        { type: 'notch', frequency: 5000, Q: 8, gain: 0 },
        { type: 'highpass', frequency: 40, Q: 0.7, gain: 0, detune: 100 },
      ];
      const eq = new q.ParametricEQ({ sampleRate: 48000, channels: 2, bands, glideTime: 0 });
      assert.equal(eq.bandCount, 4);
      assert.deepEqual(eq.getBand(3), { type: 'highpass', frequency: 40, Q: 0.7, gain: 0, detune: 100 });
      // Settle the start (the bands move from neutral in the first 64-frame block) on silence.
      eq.process([new Float32Array(256), new Float32Array(256)]);
      eq.reset();
      const sections = bands.map((b) => specCoefficients(b, 48000));
      const x = [noise(4500, 11), noise(4500, 12)];
      const y = eq.process(x);
      for (let ch = 0; ch < 2; ++ch) assert.ok(worstScaled(y[ch], filterReference(sections, x[ch])) < 1e-5, `channel ${ch}`);
      const freqs = Float32Array.from([0, 50, 120, 999, 5000, 12000, 24000, 30000]);
      const mag = new Float32Array(8);
      const phase = new Float32Array(8);
      eq.getFrequencyResponse(freqs, mag, phase);
      for (let k = 0; k < 7; ++k) {
        const [m] = responseReference(sections, freqs[k], 48000);
        assert.ok(Math.abs(mag[k] - m) <= 1e-5 * Math.max(1, m), `EQ magnitude at ${freqs[k]} Hz: ${mag[k]} vs ${m}`);
      }
      assert.ok(Number.isNaN(mag[7]) && Number.isNaN(phase[7]), 'NaN above Nyquist');
    });

    test('setBand moves one band (gliding) and processing in place works', () => {
      const eq = new q.ParametricEQ({ sampleRate: 44100, channels: 1, bands: [{ type: 'peaking', frequency: 500, Q: 1, gain: 0 }] });
      eq.setBand(0, { gain: 10 });
      assert.deepEqual(eq.getBand(0), { type: 'peaking', frequency: 500, Q: 1, gain: 10, detune: 0 });
      const mag = new Float32Array(1);
      eq.getFrequencyResponse(Float32Array.of(500), mag, new Float32Array(1));
      assert.ok(Math.abs(20 * Math.log10(mag[0]) - 10) < 1e-3, 'the response is the destination of the glide');
      const x = Float32Array.from({ length: 44100 }, (_, i) => Math.sin((2 * Math.PI * 500 * i) / 44100));
      const y = [x.slice()];
      assert.equal(eq.process(y, y), y);
      let peak = 0;
      for (let i = 40000; i < 44100; ++i) peak = Math.max(peak, Math.abs(y[0][i]));
      assert.ok(Math.abs(peak - 10 ** 0.5) < 0.01, `a 500 Hz tone comes out +10 dB after the glide (peak ${peak})`);
      // Many changes in a burst (more than the 256-message queue) all arrive.
      for (let i = 0; i < 600; ++i) eq.setBand(0, { frequency: 500 + i });
      assert.equal(eq.getBand(0).frequency, 1099);
    });

    test('BiquadFilter and ParametricEQ reject bad arguments with TypeError or RangeError naming them', () => {
      const B = (o) => () => new q.BiquadFilter(o);
      assert.throws(B({ type: 'low' }), { name: 'RangeError', message: /BiquadFilter: type must be one of lowpass/ });
      assert.throws(B({ type: 3 }), { name: 'TypeError', message: /type must be a string/ });
      assert.throws(B({ frequency: NaN }), { name: 'RangeError', message: /frequency must be a finite number/ });
      assert.throws(B({ frequency: '1k' }), { name: 'TypeError', message: /frequency must be a number/ });
      assert.throws(B({ Q: Infinity }), { name: 'RangeError', message: /Q must be/ });
      assert.throws(B({ gain: 2000 }), { name: 'RangeError', message: /gain must be/ });
      assert.throws(B({ detune: 1e6 }), { name: 'RangeError', message: /detune must be/ });
      assert.throws(B({ sampleRate: -1 }), { name: 'RangeError', message: /sampleRate/ });
      assert.throws(B({ sampleRate: 0 }), { name: 'RangeError', message: /sampleRate must be positive/ });
      assert.throws(B({ sampleRate: 1e9 }), { name: 'RangeError', message: /sampleRate/ });
      assert.throws(B({ channels: 0 }), { name: 'RangeError', message: /channels must be an integer in \[1, 32\]/ });
      assert.throws(B({ channels: 1.5 }), RangeError);
      assert.throws(B({ channels: 1000 }), RangeError);
      assert.throws(B({ kind: 'lowpass' }), { name: 'TypeError', message: /unknown option 'kind'/ });
      assert.throws(B('lowpass'), { name: 'TypeError', message: /options must be an object/ });

      const f = new q.BiquadFilter({ channels: 2 });
      assert.throws(() => (f.frequency = NaN), { name: 'RangeError', message: /BiquadFilter.frequency: frequency/ });
      assert.throws(() => (f.type = 'bandstop'), RangeError);
      assert.equal(f.frequency, 350, 'a rejected value changes nothing');
      assert.throws(() => f.process([1, 2]), { name: 'TypeError', message: /input\[0\] must be a Float32Array/ });
      assert.throws(() => f.process('x'), { name: 'TypeError', message: /input must be a Float32Array or an array/ });
      assert.throws(() => f.process([]), { name: 'RangeError', message: /input must hold 1 to 2 channels, got 0/ });
      assert.throws(() => f.process([new Float32Array(4), new Float32Array(4), new Float32Array(4)]), { name: 'RangeError', message: /1 to 2 channels, got 3/ });
      assert.throws(() => f.process([new Float32Array(4), new Float32Array(5)]), { name: 'RangeError', message: /input\[1\] holds 5 frames/ });
      assert.throws(() => f.process(new Float32Array(4), new Float32Array(3)), { name: 'RangeError', message: /output must hold 4 frames/ });
      assert.throws(() => f.process(new Float32Array(4), [new Float32Array(4)]), { name: 'TypeError', message: /output must have the shape of input/ });
      const m = new Float32Array(4);
      assert.throws(() => f.getFrequencyResponse([100], m, m), { name: 'TypeError', message: /frequencyHz must be a Float32Array/ });
      assert.throws(() => f.getFrequencyResponse(new Float32Array(5), m, m), { name: 'RangeError', message: /as long as frequencyHz \(5\)/ });
      assert.throws(() => f.getFrequencyResponse(m, new Float64Array(4), m), { name: 'TypeError', message: /magResponse/ });

      const E = (o) => () => new q.ParametricEQ(o);
      assert.throws(E({ bands: new Array(33).fill({}) }), { name: 'RangeError', message: /at most 32 bands, got 33/ });
      assert.throws(E({ bands: {} }), { name: 'TypeError', message: /bands must be an array/ });
      assert.throws(E({ bands: [null] }), { name: 'TypeError', message: /bands\[0\] must be an object/ });
      assert.throws(E({ bands: [{ gain: NaN }] }), { name: 'RangeError', message: /bands\[0\]: gain/ });
      assert.throws(E({ bands: [{ freq: 100 }] }), { name: 'TypeError', message: /unknown option 'freq'/ });
      assert.throws(E({ glideTime: -1 }), { name: 'RangeError', message: /glideTime/ });
      const eq = new q.ParametricEQ({ channels: 2, bands: [{}, {}] });
      assert.throws(() => eq.setBand(2, {}), { name: 'RangeError', message: /setBand: index must be an integer in \[0, 1\], got 2/ });
      assert.throws(() => eq.setBand(-1, {}), RangeError);
      assert.throws(() => eq.setBand(0, { type: 'lowpass', Q: 'high' }), { name: 'TypeError', message: /Q must be a number/ });
      assert.equal(eq.getBand(0).type, 'peaking', 'a rejected band changes nothing');
      assert.throws(() => eq.process([new Float32Array(4)]), { name: 'RangeError', message: /input must hold 2 channels, got 1/ });
      assert.throws(() => eq.process(new Float32Array(4)), RangeError);

      f.delete();
      eq.delete();
      assert.throws(() => f.process(new Float32Array(4)), /BiquadFilter.process used after delete\(\)/);
      assert.throws(() => (f.Q = 2), /BiquadFilter.Q used after delete\(\)/);
      assert.throws(() => f.getFrequencyResponse(m, m, m), /used after delete/);
      assert.throws(() => eq.setBand(0, {}), /ParametricEQ.setBand used after delete\(\)/);
      assert.throws(() => eq.process([m, m]), /used after delete/);
    });
  });
}
