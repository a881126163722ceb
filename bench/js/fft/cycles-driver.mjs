// Runs one real forward transform many times, for perf stat (cycles.sh):
// node cycles-driver.mjs <quaver|quaver_portable|pffft> <n> <iterations>
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(import.meta.url);
const [impl, n, iterations] = [process.argv[2], +process.argv[3], +process.argv[4]];
let run;
if (impl.startsWith('quaver')) {
  const dir = process.env.QUAVER_FFT_WASM_DIR || path.join(root, 'build/fft-wasm');
  const base = path.join(dir, `quaver-fft-${impl === 'quaver' ? 'simd' : 'portable'}`);
  const m = await require(`${base}.js`)({ wasmBinary: fs.readFileSync(`${base}.wasm`) });
  const plan = m._quaver_rfft_new(n), input = m._malloc(4 * n), output = m._malloc(4 * n + 8);
  run = () => m._quaver_rfft_forward(plan, input, output);
} else {
  const dir = path.join(root, 'node_modules/@echogarden/pffft-wasm/dist/simd');
  const { default: PFFFT } = await import(path.join(dir, 'pffft.js'));
  const m = await PFFFT({ wasmBinary: fs.readFileSync(path.join(dir, 'pffft.wasm')) });
  const setup = m._pffft_new_setup(n, 0);
  const [input, output, work] = [0, 1, 2].map(() => m._pffft_aligned_malloc(4 * n));
  run = () => m._pffft_transform_ordered(setup, input, output, work, 0);
}
for (let i = 0; i < iterations; ++i) run();
