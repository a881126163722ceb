// Real forward FFT in node: Quaver's WASM build (SIMD128, and the portable
// build without it; the relaxed-SIMD build too when node takes it, e.g.
// node 20 with --experimental-wasm-relaxed-simd) against
// @echogarden/pffft-wasm (SIMD build), kissfft-wasm and fft.js, in one process. Every WASM transform runs on data already in
// its module's heap; fft.js on JS arrays. ns per transform, best of many
// short timed batches.
// Usage: node bench/js/fft.bench.mjs [--out results.json] [--quick]
// QUAVER_FFT_WASM_DIR=<dir> times the Quaver builds found there (e.g. those
// of an earlier commit, made by its bench/js/fft/build.sh) instead of building.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bestOfRounds } from './calibrate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outFile = outIndex >= 0 ? args[outIndex + 1] : null;
const quick = args.includes('--quick') || process.env.QUAVER_BENCH_QUICK === '1';

const wasmDir = process.env.QUAVER_FFT_WASM_DIR || path.join(root, 'build/fft-wasm');
if (!process.env.QUAVER_FFT_WASM_DIR) execFileSync('bash', [path.join(here, 'fft/build.sh')], { stdio: 'inherit' });

async function loadQuaver(flavour) {
  const base = path.join(wasmDir, `quaver-fft-${flavour}`);
  const create = require(`${base}.js`);
  return create({ wasmBinary: fs.readFileSync(`${base}.wasm`) });
}

async function loadPffft() {
  const { default: PFFFT } = await import('@echogarden/pffft-wasm/simd');
  const wasm = fs.readFileSync(fileURLToPath(new URL('pffft.wasm', import.meta.resolve('@echogarden/pffft-wasm/simd'))));
  return PFFFT({ wasmBinary: wasm });
}

async function loadKissfft() {
  // Its Emscripten loader prefers fetch() whenever it exists, which cannot
  // read a file path in node; without it, it reads the file.
  const savedFetch = globalThis.fetch;
  globalThis.fetch = undefined;
  const kiss = require('kissfft-wasm');
  const loader = require('kissfft-wasm/lib/wasm.js');
  globalThis.fetch = savedFetch;
  await loader.waitLoading();
  return { kiss, heap: () => loader.wasm.HEAPF32 };
}

function noise(n) {
  let seed = 12345;
  const x = new Float32Array(n);
  for (let i = 0; i < n; ++i) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    x[i] = seed / 2 ** 31 - 1;
  }
  return x;
}


const timeAll = (fns) =>
  bestOfRounds(fns, { warmupMs: quick ? 20 : 100, batchMs: quick ? 0.5 : 1, rounds: quick ? 40 : 200 });

const quaver = await loadQuaver('simd');
const quaverPortable = await loadQuaver('portable');
const relaxedWasm = path.join(wasmDir, 'quaver-fft-relaxed.wasm');
const relaxedSimd = fs.existsSync(relaxedWasm) && WebAssembly.validate(fs.readFileSync(relaxedWasm));
const quaverRelaxed = relaxedSimd && (await loadQuaver('relaxed'));
const pffft = await loadPffft();
const kiss = await loadKissfft();
const FFT = require('fft.js');

function quaverCase(mod, n, x) {
  const plan = mod._quaver_rfft_new(n);
  const inPtr = mod._malloc(4 * n);
  const outPtr = mod._malloc(4 * (n + 2));
  mod.HEAPF32.set(x, inPtr >> 2);
  const run = () => mod._quaver_rfft_forward(plan, inPtr, outPtr);
  const free = () => { mod._quaver_rfft_delete(plan); mod._free(inPtr); mod._free(outPtr); };
  return { run, free };
}

function pffftCase(n, x) {
  const setup = pffft._pffft_new_setup(n, 0);  // PFFFT_REAL
  const inPtr = pffft._pffft_aligned_malloc(4 * n);
  const outPtr = pffft._pffft_aligned_malloc(4 * n);
  const work = pffft._pffft_aligned_malloc(4 * n);
  pffft.HEAPF32.set(x, inPtr >> 2);
  const run = () => pffft._pffft_transform_ordered(setup, inPtr, outPtr, work, 0);  // PFFFT_FORWARD
  const free = () => {
    pffft._pffft_destroy_setup(setup);
    for (const p of [inPtr, outPtr, work]) pffft._pffft_aligned_free(p);
  };
  return { run, free };
}

function kissCase(n, x) {
  const cfg = new kiss.kiss.RealFFTConfig(n);
  const input = new kiss.kiss.RealArray(n);
  kiss.heap().set(x, input.pointer >> 2);
  const output = new kiss.kiss.ComplexArray(n);  // its API wants n bins (fills n/2 + 1)
  return { run: () => cfg.work(input, output), free: () => { cfg.free(); input.free(); output.free(); } };
}

function fftjsCase(n, x) {
  const f = new FFT(n);
  const out = f.createComplexArray();
  const input = Array.from(x);
  return { run: () => f.realTransform(out, input), free: () => {} };
}

const impls = [
  ['quaver', (n, x) => quaverCase(quaver, n, x)],
  ['quaver_portable', (n, x) => quaverCase(quaverPortable, n, x)],
  ...(relaxedSimd ? [['quaver_relaxed', (n, x) => quaverCase(quaverRelaxed, n, x)]] : []),
  ['pffft_wasm_simd', pffftCase],
  ['kissfft_wasm', kissCase],
  ['fftjs', fftjsCase],
];

const results = [];
const sizes = [];
for (let n = 64; n <= 16384; n *= 2) sizes.push(n);
console.log(`fft_real forward in node ${process.version}, Quaver target ${quaver.UTF8ToString(quaver._quaver_simd_target())}`);
const ratioNames = ['pffft/quaver', ...(relaxedSimd ? ['pffft/relaxed'] : [])];
console.log(['n', ...impls.map(([name]) => name), ...ratioNames].map((s) => String(s).padStart(16)).join(''));
for (const n of sizes) {
  const x = noise(n);
  const cases = impls.map(([, make]) => make(n, x));
  const times = timeAll(cases.map((c) => c.run));
  const row = {};
  impls.forEach(([name], k) => {
    row[name] = times[k];
    cases[k].free();
    results.push({ kernel: 'fft_real', impl: name, param: String(n), ns: times[k] });
  });
  const ratios = [row.quaver, ...(relaxedSimd ? [row.quaver_relaxed] : [])].map((t) => (row.pffft_wasm_simd / t).toFixed(2));
  console.log([n, ...impls.map(([name]) => row[name].toFixed(0)), ...ratios]
    .map((s) => String(s).padStart(16)).join(''));
}

if (outFile) fs.writeFileSync(outFile, JSON.stringify({ platform: 'node', results }, null, 1));
