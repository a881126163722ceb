// RealFFT and ComplexFFT in every build: against a float64 DFT written out in
// JS, round trips, the zero-copy views, and every argument check.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createQuaver } from '../../bindings/js/index.mjs';
import { ensureDist } from './support/dist.mjs';
import { makeRandom } from './support/random.mjs';

before(() => ensureDist());

// X[k] = sum_t x[t] e^{-2 pi i k t / n} (sign = -1) or its inverse kernel (+1), in doubles.
function dft(re, im, sign) {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; ++k) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; ++t) {
      const a = (sign * 2 * Math.PI * ((k * t) % n)) / n;
      const c = Math.cos(a);
      const s = Math.sin(a);
      sr += re[t] * c - im[t] * s;
      si += re[t] * s + im[t] * c;
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  return [outRe, outIm];
}

function randomSignal(n, seed) {
  const random = makeRandom(seed);
  return Float32Array.from({ length: n }, () => 2 * random() - 1);
}

// Largest error relative to the largest reference magnitude (float32 FFTs
// reach about 1e-6 of it; 1e-5 leaves room for the size 480's radix-3 and -5 passes).
function assertClose(actual, expected, tolerance, what) {
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < expected.length; ++i) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  assert.ok(worst <= tolerance * Math.max(scale, 1e-30), `${what}: error ${worst} against a scale of ${scale}`);
}

for (const build of ['threads-simd', 'simd', 'baseline']) {
  describe(`FFTs in the '${build}' build`, () => {
    let q;
    before(async () => {
      q = await createQuaver({ build, threads: 1 });
    });
    after(() => q?.terminate());

    for (const n of [2, 8, 30, 480, 1024, 14, 882]) {  // 14, 882: Bluestein
      test(`RealFFT(${n}).forward matches a float64 DFT and inverse brings the signal back`, () => {
        const x = randomSignal(n, n);
        const [re, im] = dft(x, new Float64Array(n), -1);
        const expected = new Float64Array(n + 2);
        for (let k = 0; k <= n / 2; ++k) (expected[2 * k] = re[k]), (expected[2 * k + 1] = im[k]);
        const fft = new q.RealFFT(n);
        assert.equal(fft.size, n);
        const spectrum = fft.forward(x);
        assert.ok(spectrum instanceof Float32Array && spectrum.length === n + 2);
        assertClose(spectrum, expected, 1e-5, `RealFFT(${n}) forward`);
        assertClose(fft.inverse(spectrum), x, 1e-5, `RealFFT(${n}) round trip`);
      });
    }

    for (const n of [1, 6, 480, 512, 7, 441]) {  // 7, 441: Bluestein
      test(`ComplexFFT(${n}).forward matches a float64 DFT and inverse brings the signal back`, () => {
        const x = randomSignal(2 * n, 1000 + n);
        const re = x.filter((_, i) => i % 2 === 0);
        const im = x.filter((_, i) => i % 2 === 1);
        const [fr, fi] = dft(re, im, -1);
        const expected = new Float64Array(2 * n);
        for (let k = 0; k < n; ++k) (expected[2 * k] = fr[k]), (expected[2 * k + 1] = fi[k]);
        const fft = new q.ComplexFFT(n);
        const spectrum = fft.forward(x);
        assertClose(spectrum, expected, 1e-5, `ComplexFFT(${n}) forward`);
        assertClose(fft.inverse(spectrum), x, 1e-5, `ComplexFFT(${n}) round trip`);
      });
    }

    test('forward and inverse write into a given output array and return it', () => {
      const fft = new q.RealFFT(64);
      const x = randomSignal(64, 7);
      const out = new Float32Array(66);
      assert.equal(fft.forward(x, out), out);
      const back = new Float32Array(64);
      assert.equal(fft.inverse(out, back), back);
      assertClose(back, x, 1e-5, 'round trip through given arrays');
    });

    test('forwardInPlace transforms the input view into the output view without copies', () => {
      const fft = new q.RealFFT(256);
      const x = randomSignal(256, 9);
      const expected = fft.forward(x);
      const { input, output } = fft;
      assert.equal(input.length, 256);
      assert.equal(output.length, 258);
      assert.equal(input.buffer, q.memory, 'the views are views of the WASM heap');
      input.set(x);
      fft.forwardInPlace();
      assert.deepEqual(output, expected);
      fft.inverseInPlace();
      assertClose(fft.input, x, 1e-5, 'inverseInPlace');
      assert.equal(fft.input, input, 'the views stay the same objects: the heap never grows');

      const c = new q.ComplexFFT(32);
      c.input.set(randomSignal(64, 10));
      const copy = c.input.slice();
      c.forwardInPlace();
      c.inverseInPlace();
      assertClose(c.input, copy, 1e-5, 'ComplexFFT in place round trip');
    });

    test('the constructors reject sizes that are not numbers, not integers, unsupported, or too big', () => {
      assert.throws(() => new q.RealFFT('64'), { name: 'TypeError', message: /RealFFT: n must be a number/ });
      assert.throws(() => new q.RealFFT(undefined), TypeError);
      assert.throws(() => new q.RealFFT(NaN), { name: 'RangeError', message: /RealFFT: n must be an integer/ });
      assert.throws(() => new q.RealFFT(-8), { name: 'RangeError', message: /n must be an integer/ });
      assert.throws(() => new q.RealFFT(64.5), RangeError);
      assert.throws(() => new q.RealFFT(0), RangeError);
      assert.throws(() => new q.RealFFT(15), { name: 'RangeError', message: /n must be even/ });
      assert.throws(() => new q.RealFFT(2 ** 24 + 2), { name: 'RangeError', message: /RealFFT: n must be an integer/ });
      assert.throws(() => new q.RealFFT(2 ** 25), RangeError);
      assert.throws(() => new q.RealFFT(Infinity), RangeError);
      assert.throws(() => new q.ComplexFFT(2 ** 23 + 1), { name: 'RangeError', message: /ComplexFFT: n above 2\^23 must be of the form 2\^a 3\^b 5\^c/ });
      assert.throws(() => new q.ComplexFFT(2 ** 32), RangeError);
      // Supported, but 2^24 points do not fit in a 64 MiB heap: refused, not an abort.
      assert.throws(() => new q.ComplexFFT(2 ** 24), { name: 'RangeError', message: /does not fit in the WASM heap/ });
      assert.throws(() => q.RealFFT(8), { name: 'TypeError', message: /must be called with new/ });
      const ok = new q.RealFFT(16); // the module still works
      assert.equal(ok.forward(new Float32Array(16).fill(1))[0], 16);
    });

    test('forward and inverse reject wrong types and lengths with messages naming the argument', () => {
      const fft = new q.RealFFT(16);
      assert.throws(() => fft.forward([1, 2, 3]), { name: 'TypeError', message: /RealFFT.forward: x must be a Float32Array, got object/ });
      assert.throws(() => fft.forward(new Float64Array(16)), { name: 'TypeError', message: /x must be a Float32Array, got Float64Array\(16\)/ });
      assert.throws(() => fft.forward(new Float32Array(15)), { name: 'RangeError', message: /x must hold 16 floats, got 15/ });
      assert.throws(() => fft.forward(new Float32Array(16), new Float32Array(16)), { name: 'RangeError', message: /out must hold 18 floats/ });
      assert.throws(() => fft.forward(new Float32Array(16), 'out'), { name: 'TypeError', message: /out must be a Float32Array/ });
      assert.throws(() => fft.inverse(new Float32Array(16)), { name: 'RangeError', message: /RealFFT.inverse: spectrum must hold 18 floats/ });
      assert.throws(() => fft.inverse(new Float32Array(18), new Float32Array(18)), { name: 'RangeError', message: /out must hold 16/ });
      const c = new q.ComplexFFT(8);
      assert.throws(() => c.forward(new Float32Array(8)), { name: 'RangeError', message: /ComplexFFT.forward: x must hold 16 floats/ });
    });

    test('a deleted transform throws a clear error on every use, and delete() twice is harmless', () => {
      const fft = new q.RealFFT(32);
      assert.equal(fft.deleted, false);
      fft.delete();
      assert.equal(fft.deleted, true);
      fft.delete();
      assert.throws(() => fft.forward(new Float32Array(32)), { name: 'Error', message: /RealFFT.forward used after delete\(\)/ });
      assert.throws(() => fft.input, /RealFFT.input used after delete\(\)/);
      assert.throws(() => fft.forwardInPlace(), /used after delete/);
      const c = new q.ComplexFFT(4);
      c[Symbol.dispose]();
      assert.throws(() => c.inverse(new Float32Array(8)), /ComplexFFT.inverse used after delete\(\)/);
    });
  });
}

test('terminate() frees the DSP objects still alive; they then throw on use', async () => {
  const q = await createQuaver({ build: 'simd' });
  const fft = new q.RealFFT(64);
  const analyser = new q.SpectrumAnalyzer({ fftSize: 64 });
  const filter = new q.BiquadFilter();
  q.terminate();
  assert.deepEqual([fft.deleted, analyser.deleted, filter.deleted], [true, true, true]);
  assert.throws(() => fft.forward(new Float32Array(64)), /used after delete/);
  assert.throws(() => new q.RealFFT(64), /RealFFT used after terminate\(\)/);
  await assert.rejects(q.stft(new Float32Array(64)), /stft used after terminate\(\)/);
});
