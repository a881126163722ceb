// Runs one real forward transform of noise many times, for perf stat
// (cycles.sh). The input is filled: left as malloc returned it, both
// implementations ran 20% to 50% slower. With PERF_CTL_FIFO / PERF_ACK_FIFO
// (perf stat --delay=-1 --control fifo:...), only the timed loop is counted,
// after a warm-up that lets V8 tier the module up.
// node cycles-driver.mjs <quaver|quaver_portable|pffft> <n> <iterations>
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(import.meta.url);
const [impl, n, iterations] = [process.argv[2], +process.argv[3], +process.argv[4]];
let run, heap, input;
if (impl.startsWith('quaver')) {
  const dir = process.env.QUAVER_FFT_WASM_DIR || path.join(root, 'build/fft-wasm');
  const base = path.join(dir, `quaver-fft-${impl === 'quaver' ? 'simd' : 'portable'}`);
  const m = await require(`${base}.js`)({ wasmBinary: fs.readFileSync(`${base}.wasm`) });
  const plan = m._quaver_rfft_new(n), output = m._malloc(4 * n + 8);
  input = m._malloc(4 * n);
  heap = () => m.HEAPF32;
  run = () => m._quaver_rfft_forward(plan, input, output);
} else {
  const dir = path.join(root, 'node_modules/@echogarden/pffft-wasm/dist/simd');
  const { default: PFFFT } = await import(path.join(dir, 'pffft.js'));
  const m = await PFFFT({ wasmBinary: fs.readFileSync(path.join(dir, 'pffft.wasm')) });
  const setup = m._pffft_new_setup(n, 0);
  const [output, work] = [0, 1].map(() => m._pffft_aligned_malloc(4 * n));
  input = m._pffft_aligned_malloc(4 * n);
  heap = () => m.HEAPF32;
  run = () => m._pffft_transform_ordered(setup, input, output, work, 0);
}
let seed = 12345;
for (let i = 0; i < n; ++i) { seed = (seed * 1103515245 + 12345) >>> 0; heap()[(input >> 2) + i] = seed / 2 ** 31 - 1; }
const control = process.env.PERF_CTL_FIFO && fs.openSync(process.env.PERF_CTL_FIFO, 'w');
const ack = process.env.PERF_ACK_FIFO && fs.openSync(process.env.PERF_ACK_FIFO, 'r');
const perfControl = (command) => {
  if (!control) return;
  fs.writeSync(control, `${command}\n`);
  fs.readSync(ack, Buffer.alloc(4));  // "ack\n"
};
for (let i = 0; i < Math.min(iterations, 20000); ++i) run();
perfControl('enable');
for (let i = 0; i < iterations; ++i) run();
perfControl('disable');
