// The SIMD builds' biquads (f64x2 lanes, include/quaver/dsp/biquad_f64x2.hpp)
// against the baseline build (Highway's scalar emulation): bit-identical
// wherever both compute the reference's arithmetic (every BiquadFilter, and
// ParametricEQ beyond two channels), and within float rounding of each other
// where the baseline build runs its pipelined cascade (EQ, one or two
// channels, which adds in another order).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createQuaver } from '../../bindings/js/index.mjs';
import { ensureDist } from './support/dist.mjs';
import { makeRandom } from './support/random.mjs';
import { EQ_BANDS as BANDS } from '../../bench/js/eq-bands.js';

before(() => ensureDist());

function noise(n, seed) {
  const random = makeRandom(seed);
  return Float32Array.from({ length: n }, () => 2 * random() - 1);
}

function firstDifference(a, b) {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; ++i) if (x[i] !== y[i]) return i;
  return -1;
}

function worstScaled(actual, expected) {
  let scale = 1;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < expected.length; ++i) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / scale);
  return worst;
}


// Runs the same EQ script in one build: blocks of uneven sizes, a band that
// glides part of the way, 7 bands then 8.
function runEq(q, channels, bandCount) {
  const eq = new q.ParametricEQ({ sampleRate: 48000, channels, bands: BANDS.slice(0, bandCount), glideTime: 0.005 });
  const outs = [];
  let seed = 100;
  for (const frames of [128, 77, 300, 128, 1, 513, 128]) {
    if (frames === 300) eq.setBand(0, { frequency: 80, gain: 0 });
    if (frames === 513) eq.setBand(bandCount - 1, { Q: 1.5 });
    const x = Array.from({ length: channels }, () => noise(frames, ++seed));
    outs.push(eq.process(x));
  }
  eq.delete();
  return outs;
}

for (const build of ['simd', 'threads-simd']) {
  describe(`biquads in the '${build}' build against the baseline build`, () => {
    let simd;
    let base;
    before(async () => {
      simd = await createQuaver({ build, threads: 1 });
      base = await createQuaver({ build: 'baseline' });
    });
    after(() => {
      simd?.terminate();
      base?.terminate();
    });

    test('BiquadFilter: bit-identical output for 1 to 9 channels and every type', () => {
      const types = ['lowpass', 'highpass', 'bandpass', 'lowshelf', 'highshelf', 'peaking', 'notch', 'allpass'];
      for (let channels = 1; channels <= 9; ++channels) {
        const type = types[channels % types.length];
        const params = { type, frequency: 150 * channels, Q: 3, gain: 6, sampleRate: 48000, channels };
        const a = new simd.BiquadFilter(params);
        const b = new base.BiquadFilter(params);
        for (const frames of [128, 333, 3000]) {
          const x = Array.from({ length: channels }, (_, c) => noise(frames, 10 * channels + c + frames));
          const ya = a.process(x);
          const yb = b.process(x);
          for (let c = 0; c < channels; ++c)
            assert.equal(firstDifference(ya[c], yb[c]), -1, `${channels} channels, ${type}, channel ${c}, ${frames} frames`);
        }
        a.delete();
        b.delete();
      }
    });

    test('ParametricEQ beyond two channels: bit-identical, gliding included', () => {
      for (const channels of [3, 4, 5, 8]) {
        for (const bandCount of [1, 3, 8]) {
          const a = runEq(simd, channels, bandCount);
          const b = runEq(base, channels, bandCount);
          a.forEach((block, k) => {
            for (let c = 0; c < channels; ++c)
              assert.equal(firstDifference(block[c], b[k][c]), -1, `${channels} channels, ${bandCount} bands, block ${k}, channel ${c}`);
          });
        }
      }
    });

    test('ParametricEQ mono and stereo: within float rounding of the baseline build', () => {
      for (const channels of [1, 2]) {
        for (const bandCount of [1, 2, 3, 8]) {
          const a = runEq(simd, channels, bandCount);
          const b = runEq(base, channels, bandCount);
          a.forEach((block, k) => {
            for (let c = 0; c < channels; ++c) {
              const e = worstScaled(block[c], b[k][c]);
              assert.ok(e < 1e-6, `${channels} channels, ${bandCount} bands, block ${k}, channel ${c}: ${e}`);
            }
          });
        }
      }
    });
  });
}
