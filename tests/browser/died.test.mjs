// A module that dies in Chromium: a trap on a pthread (a Web Worker) of the
// threaded build in a cross-origin isolated page, and a trap in a call of
// the simd build in a plain page. Each is reported through q.onDied(),
// refuses later calls, stops its workers and leaves no uncaught error in the
// page; createQuaver() then gives a working module without a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserSession } from './support/session.mjs';
import { startServer } from './support/server.mjs';

const session = useBrowserSession(startServer);

const openPage = (kind) => session.openPage(kind);

// In the page: kills a module with `kill(q)`, then checks what is left of it
// and that a new one works.
async function dieAndRecover(page, entry, build, onThread) {
  return page.evaluate(
    async ({ entry, build, onThread }) => {
      const { createQuaver } = await import(entry);
      const q = await createQuaver({ build, threads: 2, timeoutMs: 30_000 });
      const death = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no death reported within 20 s')), 20_000);
        q.onDied((d) => {
          clearTimeout(timer);
          resolve({ reason: d.reason, source: d.source });
        });
      });
      let thrown = null;
      let job = null;
      if (onThread) {
        if (!q.module.debugTrapOnThread(0)) throw new Error('no free pthread');
      } else {
        job = q.pool.submit('normal', 'busy', 2e9).then(
          () => 'resolved',
          (e) => e.message,
        );
        try {
          q.module.debugTrap(0);
        } catch (e) {
          thrown = e.message;
        }
      }
      const reported = await death;
      const later = (f) => {
        try {
          f();
          return 'no error';
        } catch (e) {
          return e.message;
        }
      };
      const out = {
        reported,
        thrown,
        job: job && (await job),
        dead: q.dead,
        version: later(() => q.module.version()),
        ring: later(() => q.createAudioRing(8)),
        workers: q.module.PThread ? q.module.PThread.runningWorkers.length + q.module.PThread.unusedWorkers.length : 0,
      };
      q.terminate();
      const again = await createQuaver({ build, threads: 2, timeoutMs: 30_000 });
      out.again = { dead: again.dead, sum: await again.pool.submit('high', 'sum', 10), free: again.telemetry().memory.freeBytes > 0 };
      again.terminate();
      return out;
    },
    { entry, build, onThread },
  );
}

test('threads-simd: a trap on a pthread (Web Worker) is reported and a new module works', { timeout: 90_000 }, async () => {
  const { page, errors, entry } = await openPage('isolated');
  const result = await dieAndRecover(page, entry, 'threads-simd', true);
  assert.equal(result.reported.source, 'thread');
  assert.match(result.reported.reason, /^a pthread trapped: RuntimeError: unreachable$/);
  assert.equal(result.dead, true);
  assert.match(result.version, /^quaver-dsp: module died: a pthread trapped/);
  assert.match(result.ring, /module died/);
  assert.equal(result.workers, 0);
  assert.deepEqual(result.again, { dead: false, sum: 45, free: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('simd: a trap in a call is reported, the outstanding job rejects, and a new module works', { timeout: 90_000 }, async () => {
  const { page, errors, entry } = await openPage('plain');
  const result = await dieAndRecover(page, entry, 'simd', false);
  assert.deepEqual(result.reported, { reason: 'RuntimeError: unreachable', source: 'call' });
  assert.match(result.thrown, /^quaver-dsp: module died: RuntimeError: unreachable \(in debugTrap\)/);
  assert.match(result.job, /module died: .*\(the job was outstanding\)/);
  assert.match(result.version, /module died/);
  assert.deepEqual(result.again, { dead: false, sum: 45, free: true });
  assert.deepEqual(errors, []);
  await page.close();
});
