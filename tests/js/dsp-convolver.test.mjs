// Convolver in every build: against a float64 direct convolution written out
// in JS (blockSize frames late), whatever the chunking of the calls, in place,
// after reset(), and every argument check.
import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createQuaver } from '../../bindings/js/index.mjs';
import { ensureDist } from './support/dist.mjs';
import { makeRandom } from './support/random.mjs';

before(() => ensureDist());

function randomSignal(n, seed) {
  const random = makeRandom(seed);
  return Float32Array.from({ length: n }, () => 2 * random() - 1);
}

// want[t] = sum_j h[j] x[t - delay - j], in doubles.
function delayedConvolution(x, h, delay) {
  const want = new Float64Array(x.length);
  for (let t = delay; t < x.length; ++t) {
    let acc = 0;
    for (let j = 0; j < h.length && j <= t - delay; ++j) acc += h[j] * x[t - delay - j];
    want[t] = acc;
  }
  return want;
}

function rmsRelativeError(got, want) {
  let err = 0;
  let ref = 0;
  for (let t = 0; t < want.length; ++t) {
    err += (got[t] - want[t]) ** 2;
    ref += want[t] ** 2;
  }
  return Math.sqrt(err / ref);
}

// Runs x through the convolver in chunks of the given sizes (cycled).
function inChunks(conv, x, chunks) {
  const y = new Float32Array(x.length);
  for (let t = 0, c = 0; t < x.length; ++c) {
    const n = Math.min(chunks[c % chunks.length], x.length - t);
    conv.process(x.subarray(t, t + n), y.subarray(t, t + n));
    t += n;
  }
  return y;
}

for (const build of ['threads-simd', 'simd', 'baseline']) {
  describe(`Convolver in the '${build}' build`, () => {
    let q;
    before(async () => {
      q = await createQuaver({ build, threads: 1 });
    });
    after(() => q?.terminate());
    // Every Convolver a test makes, deleted after it (node 20 has no `using`).
    const live = [];
    const made = (conv) => (live.push(conv), conv);
    afterEach(() => live.splice(0).forEach((conv) => conv.delete()));

    // The last two are long enough for a tail (partitions of 16 blockSize).
    for (const [blockSize, length, tail] of [[128, 1], [128, 1000], [64, 3001], [480, 2000], [2, 5], [16, 5000, true], [32, 9000, true]]) {
      test(`blockSize ${blockSize}, ${length} taps: the direct convolution, blockSize frames late`, () => {
        const h = randomSignal(length, length);
        const x = randomSignal(4 * blockSize + length + 2500, 7);
        const conv = made(new q.Convolver(h, { blockSize }));
        assert.equal(conv.blockSize, blockSize);
        assert.equal(conv.latency, blockSize);
        assert.equal(conv.length, length);
        assert.equal(conv.partitions, tail ? 32 : Math.ceil(length / blockSize));
        assert.equal(conv.tailBlockSize, tail ? 16 * blockSize : 0);
        const error = rmsRelativeError(conv.process(x), delayedConvolution(x, h, blockSize));
        assert.ok(error < 1e-6, `rms-relative error ${error}`);
      });
    }

    for (const [blockSize, length] of [[128, 100], [128, 1000], [16, 5000], [30, 700]]) {
      test(`latency 'zero', blockSize ${blockSize}, ${length} taps: the direct convolution, on time, in any chunks`, () => {
        const h = randomSignal(length, length + 1);
        const x = randomSignal(3 * blockSize + length + 1000, 17);
        const want = delayedConvolution(x, h, 0);
        for (const chunks of [[blockSize], [1, 7, 300]]) {
          const conv = made(new q.Convolver(h, { blockSize, latency: 'zero' }));
          assert.equal(conv.latency, 0);
          const error = rmsRelativeError(inChunks(conv, x, chunks), want);
          assert.ok(error < 1e-6, `rms-relative error ${error} in chunks ${chunks}`);
        }
      });
    }

    test('the default block is one render quantum (128 frames)', () => {
      const conv = made(new q.Convolver(new Float32Array([1])));
      assert.equal(conv.blockSize, 128);
      const x = randomSignal(1000, 3);
      const y = conv.process(x);
      assert.deepEqual(y.subarray(0, 128), new Float32Array(128));
      for (let t = 128; t < x.length; ++t) assert.ok(Math.abs(y[t] - x[t - 128]) < 1e-6);
    });

    test('any chunking, longer than the heap block too, and in place give the same output', () => {
      const h = randomSignal(700, 5);
      const x = randomSignal(9000, 6);
      const whole = made(new q.Convolver(h));
      const want = whole.process(x);
      for (const chunks of [[1, 7, 300], [127, 129], [5000]]) {
        const conv = made(new q.Convolver(h));
        assert.deepEqual(inChunks(conv, x, chunks), want, `chunks ${chunks}`);
      }
      const inPlace = made(new q.Convolver(h));
      const y = x.slice();
      assert.equal(inPlace.process(y, y), y);
      assert.deepEqual(y, want);
    });

    test('reset() forgets earlier input', () => {
      const h = randomSignal(500, 8);
      const x = randomSignal(3000, 9);
      const fresh = made(new q.Convolver(h, { blockSize: 256 }));
      const used = made(new q.Convolver(h, { blockSize: 256 }));
      const want = fresh.process(x);
      used.process(randomSignal(1234, 10));
      used.reset();
      assert.deepEqual(used.process(x), want);
    });

    test('bad arguments throw TypeError or RangeError with a message', () => {
      const h = new Float32Array(100);
      assert.throws(() => new q.Convolver([1, 2, 3]), { name: 'TypeError', message: /impulseResponse must be a Float32Array/ });
      assert.throws(() => new q.Convolver(new Float32Array(0)), { name: 'RangeError', message: /1 to 2\^23 samples/ });
      assert.throws(() => new q.Convolver(h, { blockSize: 100.5 }), { name: 'RangeError', message: /blockSize/ });
      assert.throws(() => new q.Convolver(h, { blockSize: 1 }), { name: 'RangeError', message: /blockSize/ });
      assert.throws(() => new q.Convolver(h, { blockSize: 32768 }), { name: 'RangeError', message: /blockSize/ });
      assert.throws(() => new q.Convolver(h, { blockSize: 7 * 16 }), { name: 'RangeError', message: /2\^a 3\^b 5\^c/ });
      assert.throws(() => new q.Convolver(h, { blocksize: 128 }), { name: 'TypeError', message: /unknown option 'blocksize'/ });
      assert.throws(() => new q.Convolver(h, { latency: 'low' }), { name: 'RangeError', message: /latency must be one of block, zero/ });
      assert.throws(() => new q.Convolver(h, { latency: 0 }), { name: 'TypeError', message: /latency must be a string/ });
      assert.throws(() => new q.Convolver(new Float32Array(2 ** 23)), { name: 'RangeError', message: /does not fit in the WASM heap/ });
      const conv = made(new q.Convolver(h));
      assert.throws(() => conv.process(new Float64Array(8)), { name: 'TypeError', message: /input must be a Float32Array/ });
      assert.throws(() => conv.process(new Float32Array(8), new Float32Array(9)), { name: 'RangeError', message: /output must hold 8 floats/ });
      conv.delete();
      assert.throws(() => conv.process(new Float32Array(8)), /used after delete\(\)/);
    });
  });
}
