// Quaver's FFT compiled to WASM (SIMD128, the portable build without it,
// and the relaxed-SIMD build when the engine takes relaxed SIMD: node 20
// with --experimental-wasm-relaxed-simd, which CTest passes when it can), in node: the same accuracy bound as natively, against a double-precision
// reference (a direct DFT up to 1024 points, fft.js beyond), for every
// supported length up to 1024 and the powers of two up to 65536.
// Run by CTest (fft_wasm_test); builds build/fft-wasm first if needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../..');
const require = createRequire(import.meta.url);
const FFT = require(path.join(root, 'node_modules/fft.js'));

execFileSync('bash', [path.join(root, 'bench/js/fft/build.sh')], { stdio: 'inherit' });

async function load(flavour) {
  const base = path.join(root, 'build/fft-wasm', `quaver-fft-${flavour}`);
  return require(`${base}.js`)({ wasmBinary: fs.readFileSync(`${base}.wasm`) });
}

// As stated in fft.hpp: lengths outside 2^a 3^b 5^c (Bluestein's algorithm)
// have the bound of the fast length 2n.
const bound = (n) => 1e-7 * (Math.log2(isSmooth(n) ? n : 2 * n) + 4);

function isSmooth(n) {
  for (const f of [2, 3, 5]) while (n % f === 0) n /= f;
  return n === 1;
}

function smoothSizes(hi) {
  const out = [];
  for (let n = 1; n <= hi; ++n) if (isSmooth(n)) out.push(n);
  return out;
}

function random(count, seed) {
  const x = new Float32Array(count);
  for (let i = 0; i < count; ++i) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    x[i] = seed / 2 ** 31 - 1;
  }
  return x;
}

// Interleaved complex DFT in double, sign -1 forward, +1 inverse (unscaled).
function referenceDft(x, n, sign) {
  if (n > 1024 && (n & (n - 1)) === 0) {  // fft.js: powers of two
    const f = new FFT(n);
    const out = f.createComplexArray();
    (sign < 0 ? f.transform : f.inverseTransform).call(f, out, Array.from(x));
    if (sign > 0) for (let i = 0; i < 2 * n; ++i) out[i] *= n;  // fft.js scales its inverse by 1/n
    return Float64Array.from(out);
  }
  const c = new Float64Array(n), s = new Float64Array(n);
  for (let k = 0; k < n; ++k) c[k] = Math.cos((2 * Math.PI * k) / n), s[k] = sign * Math.sin((2 * Math.PI * k) / n);
  const out = new Float64Array(2 * n);
  for (let k = 0; k < n; ++k) {
    let re = 0, im = 0;
    for (let t = 0, idx = 0; t < n; ++t, idx = (idx + k) % n) {
      const xr = x[2 * t], xi = x[2 * t + 1];
      re += xr * c[idx] - xi * s[idx];
      im += xr * s[idx] + xi * c[idx];
    }
    out[2 * k] = re, out[2 * k + 1] = im;
  }
  return out;
}

function rmsRelative(got, want, count) {
  let num = 0, den = 0;
  for (let i = 0; i < count; ++i) num += (got[i] - want[i]) ** 2, den += want[i] ** 2;
  return Math.sqrt(num / den);
}

const sizes = [...smoothSizes(1024), 2048, 4096, 8192, 16384, 32768, 65536, 7, 14, 97, 441, 1009, 2018];

const relaxedBytes = fs.readFileSync(path.join(root, 'build/fft-wasm/quaver-fft-relaxed.wasm'));
const relaxedSkip = !WebAssembly.validate(relaxedBytes) && 'this engine has no relaxed SIMD';

for (const flavour of ['simd', 'portable', 'relaxed']) {
  const options = { skip: flavour === 'relaxed' && relaxedSkip };
  test(`WASM ${flavour}: complex and real transforms of every tested length stay within the stated bound`, options, async () => {
    const m = await load(flavour);
    const target = m.UTF8ToString(m._quaver_simd_target());
    assert.equal(target, flavour === 'portable' ? target : 'WASM');
    const maxN = 65536;
    const inPtr = m._malloc(8 * maxN + 64), outPtr = m._malloc(8 * maxN + 64);
    const heap = () => m.HEAPF32;
    for (const n of sizes) {
      const x = random(2 * n, n);
      const want = referenceDft(x, n, -1);
      const wantInv = referenceDft(x, n, +1).map((v) => v / n);
      const plan = m._quaver_cfft_new(n);
      assert.notEqual(plan, 0);
      heap().set(x, inPtr >> 2);
      m._quaver_cfft_forward(plan, inPtr, outPtr);
      const ef = rmsRelative(heap().subarray(outPtr >> 2, (outPtr >> 2) + 2 * n), want, 2 * n);
      assert.ok(ef < bound(n), `complex forward n=${n}: ${ef}`);
      m._quaver_cfft_inverse(plan, inPtr, outPtr);
      const ei = rmsRelative(heap().subarray(outPtr >> 2, (outPtr >> 2) + 2 * n), wantInv, 2 * n);
      assert.ok(ei < bound(n), `complex inverse n=${n}: ${ei}`);
      m._quaver_cfft_delete(plan);
      if (n % 2) continue;

      // Real forward: the signal is the real part of x.
      const r = new Float32Array(n), rc = new Float32Array(2 * n);
      for (let t = 0; t < n; ++t) r[t] = x[2 * t], rc[2 * t] = x[2 * t];
      const wantReal = referenceDft(rc, n, -1);
      const rplan = m._quaver_rfft_new(n);
      assert.notEqual(rplan, 0);
      heap().set(r, inPtr >> 2);
      m._quaver_rfft_forward(rplan, inPtr, outPtr);
      const er = rmsRelative(heap().subarray(outPtr >> 2, (outPtr >> 2) + n + 2), wantReal, n + 2);
      assert.ok(er < bound(n), `real forward n=${n}: ${er}`);
      // Real inverse of that exact spectrum gives the signal back.
      heap().set(Float32Array.from(wantReal.subarray(0, n + 2)), inPtr >> 2);
      m._quaver_rfft_inverse(rplan, inPtr, outPtr);
      const eb = rmsRelative(heap().subarray(outPtr >> 2, (outPtr >> 2) + n), r, n);
      assert.ok(eb < bound(n), `real inverse n=${n}: ${eb}`);
      m._quaver_rfft_delete(rplan);
    }
    assert.equal(m._quaver_cfft_new(2 ** 23 + 1), 0);
    assert.equal(m._quaver_rfft_new(15), 0);
    m._free(inPtr);
    m._free(outPtr);
  });
}
