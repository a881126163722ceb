// The worker pool from JS (bindings/js/src/pool.js over bindings/embind/pool.cpp):
// jobs come back as promises, C++ exceptions as rejections, the highest
// priority runs first, and the threaded and single-threaded builds agree.
// The modules are built by tests/wasm/pool/build.sh (with C++ exceptions);
// the last test checks the pool that createQuaver() attaches to the package.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPool, PRIORITIES } from '../../bindings/js/src/pool.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = `${root}build/pool-wasm`;
const require = createRequire(import.meta.url);

async function load(flavour, pthreads) {
  const factory = require(`${out}/pool-${flavour}.js`);
  const module = await factory({
    wasmBinary: fs.readFileSync(`${out}/pool-${flavour}.wasm`),
    locateFile: (file) => `${out}/${file}`,
    pthreadPoolSize: pthreads,
  });
  // Idle pthreads must not keep node alive.
  for (const worker of module.PThread?.unusedWorkers ?? []) worker.unref?.();
  return module;
}

const modules = [];
before(async () => {
  execFileSync('bash', ['tests/wasm/pool/build.sh'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
});
after(() => {
  for (const m of modules) m.PThread?.terminateAllThreads();
});

async function poolOf(flavour, workers) {
  const module = await load(flavour, 4);
  modules.push(module);
  return createPool(module, workers === undefined ? {} : { workers });
}

// Resolves once `predicate(stats)` holds, checking between events (never blocking).
async function until(pool, predicate) {
  while (!predicate(pool.stats())) await new Promise((resolve) => setTimeout(resolve, 1));
}

for (const flavour of ['threads', 'single']) {
  test(`${flavour}: jobs resolve with their results`, async () => {
    const pool = await poolOf(flavour);
    assert.equal(pool.threaded, flavour === 'threads');
    assert.deepEqual(await Promise.all([pool.submit('normal', 'sum', 1000), pool.submit('high', 'empty')]), [499500, 0]);
    const many = [];
    for (let i = 0; i < 5000; ++i) many.push(pool.submit(PRIORITIES[i % 4], 'sum', i % 100));
    const results = await Promise.all(many);
    assert.ok(results.every((r, i) => r === ((i % 100) * ((i % 100) - 1)) / 2));
    const busy = await pool.submit(3, 'busy', 100000);
    assert.ok(busy >= 100000, `busy(100 us) took ${busy} ns`);
    pool.terminate();
  });

  test(`${flavour}: a job's C++ exception rejects its promise and the pool goes on`, async () => {
    const pool = await poolOf(flavour);
    assert.equal(pool.catchesExceptions, true);
    await assert.rejects(pool.submit('high', 'fail', 7), /failed on purpose \(arg 7/);
    assert.equal(await pool.submit('high', 'sum', 4), 6);
    // A promise settles as the job posts its result; the pool's counters
    // follow a moment later, when the task returns.
    await until(pool, (s) => s.high.failed + s.high.completed === 2);
    const stats = pool.stats();
    assert.equal(stats.high.failed, 1);
    assert.equal(stats.high.completed, 1);
    pool.terminate();
  });

  test(`${flavour}: arguments are checked before anything reaches C++`, async () => {
    const pool = await poolOf(flavour);
    assert.throws(() => pool.submit('urgent', 'sum', 1), RangeError);
    assert.throws(() => pool.submit(4, 'sum', 1), RangeError);
    assert.throws(() => pool.submit('normal', 'launch', 1), RangeError);
    assert.throws(() => pool.submit('normal', 'sum', -1), RangeError);
    assert.throws(() => pool.submit('normal', 'busy', Number.NaN), RangeError);
    assert.throws(() => pool.resize(1.5), RangeError);
    pool.terminate();
    assert.throws(() => pool.submit('normal', 'empty'), /terminated/);
  });
}

test('threads: a freed worker takes the highest priority first', async () => {
  const pool = await poolOf('threads', 1);
  const order = [];
  const blocker = pool.submit('background', 'busy', 50e6);
  await until(pool, (s) => s.background.running === 1); // the only worker is now busy
  const jobs = [];
  for (const p of ['background', 'normal', 'high', 'realtime', 'normal', 'realtime']) {
    jobs.push(pool.submit(p, 'empty').then(() => order.push(p)));
  }
  await Promise.all([blocker, ...jobs]);
  assert.deepEqual(order, ['realtime', 'realtime', 'high', 'normal', 'normal', 'background']);
  await until(pool, (s) => s.background.completed === 2);
  const stats = pool.stats();
  assert.equal(stats.realtime.completed, 2);
  assert.equal(stats.background.completed, 2);
  assert.ok(stats.realtime.latencyMaxNs > 0);
  assert.ok(stats.utilisation >= 0);
  assert.equal(stats.outstanding, 0);
  pool.terminate();
});

test('threads: resize changes the worker count at run time', async () => {
  const pool = await poolOf('threads', 1);
  await pool.submit('normal', 'empty');
  assert.equal(pool.workers, 1);
  pool.resize(3);
  assert.equal(pool.workers, 3);
  const sums = await Promise.all(Array.from({ length: 100 }, (_, i) => pool.submit('normal', 'sum', i)));
  assert.equal(sums[99], 4851);
  pool.resize(1);
  assert.equal(pool.workers, 1);
  assert.equal(await pool.submit('normal', 'sum', 3), 3);
  assert.throws(() => pool.resize(64), /free pthreads/);
  pool.terminate();
});

test('threads: terminate rejects the jobs still outstanding', async () => {
  const pool = await poolOf('threads', 1);
  const slow = pool.submit('normal', 'busy', 20e6);
  const queued = pool.submit('normal', 'empty');
  pool.terminate();
  await assert.rejects(slow, /terminated/);
  await assert.rejects(queued, /terminated/);
});

test('single: jobs run between events, so timers still fire while a batch runs', async () => {
  const pool = await poolOf('single');
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const jobs = Array.from({ length: 200 }, () => pool.submit('normal', 'busy', 200000)); // 40 ms in all
  await Promise.all(jobs);
  clearInterval(timer);
  assert.ok(ticks > 0, 'the event loop ran between slices');
  pool.terminate();
});

test('threads: a long job parks the completion loop on waitAsync and still resolves', async () => {
  const pool = await poolOf('threads', 1);
  // 20 ms is far past the polling window: the loop parks and the worker's
  // notify wakes it. Then short jobs go back to polling.
  assert.ok((await pool.submit('normal', 'busy', 20e6)) >= 20e6);
  assert.equal(await pool.submit('high', 'sum', 5), 10);
  const [slow, quick] = await Promise.all([pool.submit('normal', 'busy', 5e6), pool.submit('high', 'empty')]);
  assert.ok(slow >= 5e6);
  assert.equal(quick, 0);
  pool.terminate();
});

test('threads: keep-warm round trips, and no CPU burnt once results stop coming', async () => {
  const module = await load('threads', 4);
  modules.push(module);
  assert.throws(() => createPool(module, { keepWarm: 1 }), TypeError);
  for (const keepWarm of [true, false]) {
    const pool = createPool(module, { workers: 1, keepWarm });
    for (let i = 0; i < 500; ++i) assert.equal(await pool.submit('high', 'sum', 3), 3);
    // Polling stops 0.2 ms after the last result and the worker parks one
    // spin later. A worker left spinning would use most of the 300 ms
    // measured; a parked pool and an idle event loop use next to nothing.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const used = process.cpuUsage(before);
    assert.ok(used.user + used.system < 100e3, `keepWarm ${keepWarm}: ${used.user + used.system} us of CPU while idle`);
    pool.terminate();
  }
});

test('threads: no workers (resize(0)) runs queued jobs on this thread instead', async () => {
  const pool = await poolOf('threads', 1);
  assert.equal(await pool.submit('normal', 'sum', 3), 3);
  pool.resize(0);
  assert.equal(pool.workers, 0);
  assert.equal(await pool.submit('normal', 'sum', 4), 6);
  pool.resize(1);
  assert.equal(await pool.submit('normal', 'sum', 5), 10);
  pool.terminate();
});

test("the package's pool rejects with the C++ exception's message where the build has exceptions", async () => {
  const { ensureDist } = await import('./support/dist.mjs');
  ensureDist();
  const { createQuaver } = await import('../../bindings/js/index.mjs');
  for (const build of ['threads-simd', 'simd', 'baseline']) {
    const q = await createQuaver({ build, threads: 2 });
    try {
      if (build === 'baseline') {
        // No exception support there: a throw would abort the module, so 'fail' is refused.
        assert.equal(q.pool.catchesExceptions, false);
        await assert.rejects(q.pool.submit('high', 'fail', 1), /cannot catch C\+\+ exceptions/);
      } else {
        assert.equal(q.pool.catchesExceptions, true, build);
        await assert.rejects(q.pool.submit('high', 'fail', 9), { name: 'Error', message: /job failed on purpose \(arg 9/ });
      }
      assert.equal(await q.pool.submit('high', 'sum', 4), 6, `${build}: the pool goes on`);
    } finally {
      q.terminate();
    }
  }
});

test('createQuaver() attaches the pool to the package as q.pool', async () => {
  const { ensureDist } = await import('./support/dist.mjs');
  ensureDist();
  const { createQuaver } = await import('../../bindings/js/index.mjs');
  for (const build of ['threads-simd', 'baseline']) {
    const q = await createQuaver({ build, threads: 2 });
    try {
      assert.ok(q.pool, `q.pool exists in ${build}`);
      assert.equal(await q.pool.submit('high', 'sum', 10), 45);
      // stats() is a relaxed snapshot: the completion count may land just
      // after the promise resolves, so give it a moment.
      for (let i = 0; i < 100 && q.pool.stats().high.completed < 1; ++i) await new Promise((r) => setTimeout(r, 10));
      assert.equal(q.pool.stats().high.completed, 1);
    } finally {
      q.terminate();
    }
  }
});
