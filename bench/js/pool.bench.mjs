// Round trip of a job submitted from JS to Quaver's worker pool (the promise
// resolving on the main thread) against a plain postMessage round trip to a
// worker thread and back, in node and in Chromium (a cross-origin isolated
// page, the package's threaded build). Both are measured one at a time
// (submit, await, repeat), which is the latency an interactive page sees.
// Usage: node bench/js/pool.bench.mjs [--out results.json] [--no-chromium] [--pin]
// --pin (Linux, node only): pins the main thread to CPU 0 and every other
// thread of the process (pool pthreads, the echo worker) to CPU 1 with
// taskset, to show the round trips when the worker has a core of its own
// (the scheduler otherwise decides, and on a loaded machine it tends to put
// a woken worker on the main thread's core).
import { Worker } from 'node:worker_threads';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPool } from '../../bindings/js/src/pool.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outIndex = process.argv.indexOf('--out');
const outFile = outIndex > 0 ? process.argv[outIndex + 1] : null;
const pin = process.argv.includes('--pin');
const withChromium = !process.argv.includes('--no-chromium') && !pin;
const quick = process.env.QUAVER_BENCH_QUICK === '1';
const samples = quick ? 500 : 5000;
const warmup = 200;

function percentiles(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
  return { p50: at(0.5), p99: at(0.99) };
}

// The pool of the package's threaded build.
async function loadPool() {
  execFileSync('bash', ['bindings/js/scripts/build-wasm.sh'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = `${root}bindings/js/dist`;
  const require = createRequire(import.meta.url);
  const factory = require(`${dir}/quaver-threads-simd.js`);
  const module = await factory({
    wasmBinary: fs.readFileSync(`${dir}/quaver-threads-simd.wasm`),
    locateFile: (f) => `${dir}/${f}`,
    pthreadPoolSize: 3,
  });
  for (const w of module.PThread?.unusedWorkers ?? []) w.unref?.();
  return {
    module,
    pool: createPool(module, { workers: 1 }),
    // The same without keep-warm: the worker parks 64 attempts after each
    // job, so every submit pays a futex wake (the design before keep-warm).
    parked: createPool(module, { workers: 1, keepWarm: false }),
  };
}

// Runs `once` warmup + samples times, each awaited; nanoseconds per call.
async function timeSequential(once) {
  for (let i = 0; i < warmup; ++i) await once(i);
  const times = [];
  for (let i = 0; i < samples; ++i) {
    const t0 = performance.now();
    await once(i);
    times.push((performance.now() - t0) * 1e6);
  }
  return percentiles(times);
}

async function nodeRun() {
  const { module, pool, parked } = await loadPool();
  const worker = new Worker(
    'const { parentPort } = require("node:worker_threads"); parentPort.on("message", (m) => parentPort.postMessage(m));',
    { eval: true },
  );
  await new Promise((resolve) => worker.once('online', resolve));
  if (pin) {
    // Every thread to CPU 1, then this (main) thread, whose id is the pid, to CPU 0.
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  }
  const quaver = await timeSequential(() => pool.submit('high', 'empty'));
  const quaverParked = await timeSequential(() => parked.submit('high', 'empty'));
  const postMessage = await timeSequential(
    (value) =>
      new Promise((resolve) => {
        worker.once('message', resolve);
        worker.postMessage(value);
      }),
  );
  await worker.terminate();
  pool.terminate();
  parked.terminate();
  module.PThread?.terminateAllThreads();
  return { quaver, quaverParked, postMessage };
}

// In the page: the same two loops, with a dedicated Worker as the echo.
async function pageRun({ entry, poolEntry, samples, warmup }) {
  const { createQuaver } = await import(entry);
  const { createPool } = await import(poolEntry);
  const q = await createQuaver({ threads: 2, timeoutMs: 30_000 });
  q.pool.resize(1); // one worker, as in node
  const parked = createPool(q.module, { workers: 1, keepWarm: false });
  async function timeSequential(once) {
    for (let i = 0; i < warmup; ++i) await once(i);
    const times = [];
    for (let i = 0; i < samples; ++i) {
      const t0 = performance.now();
      await once(i);
      times.push((performance.now() - t0) * 1e6);
    }
    times.sort((a, b) => a - b);
    const at = (p) => times[Math.min(times.length - 1, Math.floor(p * (times.length - 1)))];
    return { p50: at(0.5), p99: at(0.99) };
  }
  const quaver = await timeSequential(() => q.pool.submit('high', 'empty'));
  const quaverParked = await timeSequential(() => parked.submit('high', 'empty'));
  const url = URL.createObjectURL(new Blob(['onmessage = (e) => postMessage(e.data);'], { type: 'text/javascript' }));
  const worker = new Worker(url);
  const postMessage = await timeSequential(
    (value) =>
      new Promise((resolve) => {
        worker.onmessage = resolve;
        worker.postMessage(value);
      }),
  );
  worker.terminate();
  parked.terminate();
  q.terminate();
  return { quaver, quaverParked, postMessage, crossOriginIsolated };
}

async function chromiumRun() {
  const { startServer } = await import('../../tests/browser/support/server.mjs');
  const { launchChromium } = await import('../../tests/browser/support/chromium.mjs');
  const server = await startServer();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/isolated/blank.html`);
    const result = await page.evaluate(pageRun, {
      entry: '/isolated/bindings/js/index.mjs',
      poolEntry: '/isolated/bindings/js/src/pool.js',
      samples,
      warmup,
    });
    return { ...result, version: browser.version() };
  } finally {
    await browser.close();
    await server.close();
  }
}

const runs = [['node', `node ${process.version}${pin ? ', main thread on CPU 0, the rest on CPU 1' : ''}`, await nodeRun()]];
if (withChromium) {
  const r = await chromiumRun();
  // performance.now() in an isolated page is coarsened to 5 us steps.
  runs.push(['chromium', `Chromium ${r.version} (timer resolution 5 us)`, r]);
}

const results = [];
for (const [platform, label, r] of runs) {
  const impls = [['quaver', r.quaver], ['quaver_nowarm', r.quaverParked], ['postmessage', r.postMessage]].filter(([, t]) => t);
  for (const [impl, t] of impls) {
    results.push(
      { platform, kernel: 'pool_roundtrip', impl, param: 'p50', ns: t.p50 },
      { platform, kernel: 'pool_roundtrip', impl, param: 'p99', ns: t.p99 },
    );
  }
  console.log(`pool round trip, ${samples} sequential jobs (${label})`);
  console.log('impl              p50 (us)   p99 (us)');
  for (const [impl, t] of impls) {
    console.log(`${impl.padEnd(16)} ${(t.p50 / 1e3).toFixed(1).padStart(9)} ${(t.p99 / 1e3).toFixed(1).padStart(10)}`);
  }
  console.log(`p50 ratio postMessage/quaver: ${(r.postMessage.p50 / r.quaver.p50).toFixed(2)}x\n`);
}
if (outFile) fs.writeFileSync(outFile, JSON.stringify({ platform: 'node', results }, null, 1));
