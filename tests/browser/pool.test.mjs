// The worker pool in Chromium: jobs submitted from the page resolve as
// promises, on pthreads in a cross-origin isolated page and cooperatively in
// a plain one, and the page's main thread keeps running while they do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowserSession } from './support/session.mjs';
import { startServer } from './support/server.mjs';

let server;
let browser;
let session;

before(async () => {
  session = await openBrowserSession(startServer);
  ({ server, browser } = session);
});

after(async () => {
  await session?.close();
});

// Runs in the page: submits jobs, counts main-thread timer ticks meanwhile.
async function exercisePool({ entry, threads }) {
  const { createQuaver } = await import(entry);
  const q = await createQuaver(threads ? { threads: 2, timeoutMs: 30_000 } : { build: 'simd' });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const sums = await Promise.all(Array.from({ length: 100 }, (_, i) => q.pool.submit(i % 4, 'sum', i)));
  const busy = await Promise.all(Array.from({ length: 20 }, () => q.pool.submit('background', 'busy', 2e6))); // 40 ms
  clearInterval(timer);
  let failure = null;
  try {
    await q.pool.submit('high', 'fail', 1);
  } catch (error) {
    failure = error.message;
  }
  // The pool's counters follow each promise by a moment (the task returns
  // after posting its result): wait for them, between events.
  const total = (s) => s.realtime.completed + s.high.completed + s.normal.completed + s.background.completed;
  const deadline = performance.now() + 10_000;
  while (total(q.pool.stats()) < 120 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 1));
  const stats = q.pool.stats();
  const out = {
    build: q.build,
    threaded: q.pool.threaded,
    sumsOk: sums.every((s, i) => s === (i * (i - 1)) / 2),
    busyOk: busy.every((ns) => ns >= 2e6),
    ticked: ticks > 2,
    ticks,
    rejected: typeof failure === 'string',
    completed: total(stats),
  };
  q.terminate();
  return out;
}

for (const [kind, threads] of [['isolated', true], ['plain', false]]) {
  test(`${kind} page: pool jobs resolve and the main thread keeps running`, { timeout: 90_000 }, async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error));
    await page.goto(`${server.origin}/${kind}/blank.html`);
    const result = await page.evaluate(exercisePool, { entry: `/${kind}/bindings/js/index.mjs`, threads });
    assert.equal(result.build, threads ? 'threads-simd' : 'simd');
    assert.equal(result.threaded, threads);
    assert.ok(result.sumsOk, 'every sum job resolved with its value');
    assert.ok(result.busyOk, 'busy jobs ran for their time');
    assert.ok(result.ticked, `timers fired on the main thread while jobs ran (${JSON.stringify(result)})`);
    assert.ok(result.rejected, "a 'fail' job rejects its promise");
    assert.ok(result.completed >= 120);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
