// Round trip of a job submitted from JS to Quaver's worker pool (the promise
// resolving on the main thread) against a plain postMessage round trip to a
// node worker thread and back. Both are measured one at a time (submit,
// await, repeat), which is the latency an interactive page sees.
// Usage: node bench/js/pool.bench.mjs [--out results.json]
import { Worker } from 'node:worker_threads';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPool } from '../../bindings/js/src/pool.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outIndex = process.argv.indexOf('--out');
const outFile = outIndex > 0 ? process.argv[outIndex + 1] : null;
const quick = process.env.QUAVER_BENCH_QUICK === '1';
const samples = quick ? 500 : 5000;
const warmup = 200;

function percentiles(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
  return { p50: at(0.5), p99: at(0.99) };
}

// The pool of the package's threaded build when it is built with the pool;
// otherwise the pool module of tests/wasm/pool/build.sh.
async function loadPool() {
  const dist = `${root}bindings/js/dist/quaver-threads-simd.js`;
  const require = createRequire(import.meta.url);
  let factory;
  let wasm;
  let dir;
  if (fs.existsSync(dist) && fs.readFileSync(dist, 'utf8').includes('QuaverPool')) {
    [factory, wasm, dir] = [require(dist), dist.replace(/\.js$/, '.wasm'), `${root}bindings/js/dist`];
  } else {
    execFileSync('bash', ['tests/wasm/pool/build.sh'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    dir = `${root}build/pool-wasm`;
    [factory, wasm] = [require(`${dir}/pool-threads.js`), `${dir}/pool-threads.wasm`];
  }
  const module = await factory({ wasmBinary: fs.readFileSync(wasm), locateFile: (f) => `${dir}/${f}`, pthreadPoolSize: 2 });
  for (const w of module.PThread?.unusedWorkers ?? []) w.unref?.();
  return { module, pool: createPool(module, { workers: 1 }) };
}

async function poolRoundTrip(pool) {
  for (let i = 0; i < warmup; ++i) await pool.submit('high', 'empty');
  const times = [];
  for (let i = 0; i < samples; ++i) {
    const t0 = performance.now();
    await pool.submit('high', 'empty');
    times.push((performance.now() - t0) * 1e6);
  }
  return percentiles(times);
}

async function postMessageRoundTrip() {
  const worker = new Worker('const { parentPort } = require("node:worker_threads"); parentPort.on("message", (m) => parentPort.postMessage(m));', {
    eval: true,
  });
  const once = (value) =>
    new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(value);
    });
  for (let i = 0; i < warmup; ++i) await once(i);
  const times = [];
  for (let i = 0; i < samples; ++i) {
    const t0 = performance.now();
    await once(i);
    times.push((performance.now() - t0) * 1e6);
  }
  await worker.terminate();
  return percentiles(times);
}

const { module, pool } = await loadPool();
const quaver = await poolRoundTrip(pool);
const postMessage = await postMessageRoundTrip();
pool.terminate();
module.PThread?.terminateAllThreads();

const results = [];
for (const [impl, r] of [['quaver', quaver], ['postmessage', postMessage]]) {
  results.push({ kernel: 'pool_roundtrip', impl, param: 'p50', ns: r.p50 }, { kernel: 'pool_roundtrip', impl, param: 'p99', ns: r.p99 });
}
console.log(`pool round trip, ${samples} sequential jobs (node ${process.version})`);
console.log('impl          p50 (us)   p99 (us)');
for (const [impl, r] of [['quaver', quaver], ['postMessage', postMessage]]) {
  console.log(`${impl.padEnd(12)} ${(r.p50 / 1e3).toFixed(1).padStart(9)} ${(r.p99 / 1e3).toFixed(1).padStart(10)}`);
}
console.log(`p50 ratio postMessage/quaver: ${(postMessage.p50 / quaver.p50).toFixed(2)}x`);
if (outFile) fs.writeFileSync(outFile, JSON.stringify({ platform: 'node', results }, null, 1));
