// Biquads in node: quaver-dsp's SIMD build (f64x2 lanes) against its baseline
// build (no SIMD128) and a plain-JS biquad loop (the same direct form I in
// float64, one channel and one section at a time), in one process, per
// 128-frame block as an AudioWorklet would call them:
//   eq_cascade/8/128   ParametricEQ, 8 bands, stereo
//   eq_mono/8/128      the same EQ on one channel
//   biquad_8ch/128     BiquadFilter, 8 planar channels
//   biquad_mono/128    BiquadFilter, one channel
// through the package's API (copies into and out of the WASM heap included),
// and again as *_in_heap: the WASM call alone on data already in the heap.
// ns per block, best of many short interleaved batches (a busy machine slows
// every implementation of a round alike).
// Usage: node bench/js/biquad.bench.mjs [--out results.json] [--quick]
import fs from 'node:fs';
import { createQuaver } from '../../bindings/js/index.mjs';
import { EQ_BANDS, EQ_RATE as RATE } from './eq-bands.js';
import { bestOfRounds } from './calibrate.js';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outFile = outIndex >= 0 ? args[outIndex + 1] : null;
const quick = args.includes('--quick') || process.env.QUAVER_BENCH_QUICK === '1';

const FRAMES = 128;
const FILTER = { type: 'peaking', frequency: 1000, Q: 2, gain: 5 };

function noise(n, seed) {
  const x = new Float32Array(n);
  for (let i = 0; i < n; ++i) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    x[i] = seed / 2 ** 31 - 1;
  }
  return x;
}

// The Web Audio coefficients (normalised), for the plain-JS peer.
function coefficients({ type, frequency, Q, gain }) {
  const w0 = (2 * Math.PI * frequency) / RATE;
  const A = 10 ** (gain / 40);
  const cos = Math.cos(w0);
  const alphaQ = Math.sin(w0) / (2 * Q);
  const alphaQdB = Math.sin(w0) / (2 * 10 ** (Q / 20));
  const sA = Math.sin(w0) * Math.SQRT2 * Math.sqrt(A);
  const c = {
    lowpass: [(1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alphaQdB, -2 * cos, 1 - alphaQdB],
    highpass: [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alphaQdB, -2 * cos, 1 - alphaQdB],
    notch: [1, -2 * cos, 1, 1 + alphaQ, -2 * cos, 1 - alphaQ],
    peaking: [1 + alphaQ * A, -2 * cos, 1 - alphaQ * A, 1 + alphaQ / A, -2 * cos, 1 - alphaQ / A],
    lowshelf: [A * (A + 1 - (A - 1) * cos + sA), 2 * A * (A - 1 - (A + 1) * cos), A * (A + 1 - (A - 1) * cos - sA),
      A + 1 + (A - 1) * cos + sA, -2 * (A - 1 + (A + 1) * cos), A + 1 + (A - 1) * cos - sA],
    highshelf: [A * (A + 1 + (A - 1) * cos + sA), -2 * A * (A - 1 + (A + 1) * cos), A * (A + 1 + (A - 1) * cos - sA),
      A + 1 - (A - 1) * cos + sA, 2 * (A - 1 - (A + 1) * cos), A + 1 - (A - 1) * cos - sA],
  }[type];
  const [b0, b1, b2, a0, a1, a2] = c;
  return Float64Array.of(b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0);
}

// The plain-JS peer: float64 direct form I, a channel's block through every
// section in a float64 scratch, state in a Float64Array.
function jsCascade(sections, channels) {
  const state = new Float64Array(4 * sections.length * channels);
  const work = new Float64Array(FRAMES);
  return (input, output) => {
    for (let c = 0; c < channels; ++c) {
      const x = input[c];
      const n = x.length;
      for (let i = 0; i < n; ++i) work[i] = x[i];
      for (let s = 0; s < sections.length; ++s) {
        const k = sections[s];
        const b0 = k[0], b1 = k[1], b2 = k[2], a1 = k[3], a2 = k[4];
        const o = 4 * (s * channels + c);
        let x1 = state[o], x2 = state[o + 1], y1 = state[o + 2], y2 = state[o + 3];
        for (let i = 0; i < n; ++i) {
          const v = work[i];
          const y = b0 * v + b1 * x1 + b2 * x2 - a2 * y2 - a1 * y1;
          x2 = x1; x1 = v; y2 = y1; y1 = y;
          work[i] = y;
        }
        state[o] = x1; state[o + 1] = x2; state[o + 2] = y1; state[o + 3] = y2;
      }
      const out = output[c];
      for (let i = 0; i < n; ++i) out[i] = work[i];
    }
  };
}


// Short batches (2 ms) fit in one time slice of a loaded machine.
const timeAll = (fns) => bestOfRounds(fns, { warmupMs: 50, batchMs: 2, rounds: quick ? 15 : 60 });

const builds = { quaver: await createQuaver({ build: 'simd' }), quaver_portable: await createQuaver({ build: 'baseline' }) };
console.log(`biquads in node ${process.version}: quaver = '${builds.quaver.build}' build (${builds.quaver.simdTarget}), ` +
  `quaver_portable = '${builds.quaver_portable.build}' build (${builds.quaver_portable.simdTarget}); ns per ${FRAMES}-frame block`);

const cases = [
  { kernel: 'eq_cascade', param: `8/${FRAMES}`, channels: 2, sections: EQ_BANDS,
    make: (q) => new q.ParametricEQ({ sampleRate: RATE, channels: 2, bands: EQ_BANDS, glideTime: 0 }) },
  { kernel: 'eq_mono', param: `8/${FRAMES}`, channels: 1, sections: EQ_BANDS,
    make: (q) => new q.ParametricEQ({ sampleRate: RATE, channels: 1, bands: EQ_BANDS, glideTime: 0 }) },
  { kernel: 'biquad_8ch', param: String(FRAMES), channels: 8, sections: [FILTER],
    make: (q) => new q.BiquadFilter({ ...FILTER, sampleRate: RATE, channels: 8 }) },
  { kernel: 'biquad_mono', param: String(FRAMES), channels: 1, sections: [FILTER],
    make: (q) => new q.BiquadFilter({ ...FILTER, sampleRate: RATE, channels: 1 }) },
];

const results = [];
const names = ['quaver', 'quaver_portable', 'js_biquad'];
console.log(['benchmark', ...names, 'portable/quaver', 'js/quaver'].map((s, i) => s.padStart(i ? 16 : 26)).join(''));
for (const c of cases) {
  const input = Array.from({ length: c.channels }, (_, k) => noise(FRAMES, 7 + k));
  const output = Array.from({ length: c.channels }, () => new Float32Array(FRAMES));
  const objects = names.slice(0, 2).map((name) => c.make(builds[name]));
  // Fill each object's heap block once, for the in-heap rows.
  for (const o of objects) o.process(input, output);
  const js = jsCascade(c.sections.map(coefficients), c.channels);
  const isEq = c.kernel.startsWith('eq_');
  const api = timeAll([...objects.map((o) => () => o.process(input, output)), () => js(input, output)]);
  const heap = timeAll(objects.map((o) => (isEq ? () => o._handle.process(FRAMES) : () => o._handle.process(c.channels, FRAMES))));
  for (const o of objects) o.delete();
  for (const [kernel, times] of [[c.kernel, api], [`${c.kernel}_in_heap`, heap]]) {
    times.forEach((ns, k) => results.push({ kernel, impl: names[k], param: c.param, ns }));
    const cells = names.map((_, k) => (times[k] === undefined ? '' : times[k].toFixed(0)));
    const ratios = [times[1] / times[0], times[2] === undefined ? NaN : times[2] / times[0]];
    console.log([`${kernel}/${c.param}`, ...cells, ...ratios.map((r) => (Number.isNaN(r) ? '' : `${r.toFixed(2)}x`))]
      .map((s, i) => String(s).padStart(i ? 16 : 26)).join(''));
  }
}
for (const q of Object.values(builds)) q.terminate?.();
if (outFile) fs.writeFileSync(outFile, JSON.stringify({ platform: 'node', results }, null, 1));
