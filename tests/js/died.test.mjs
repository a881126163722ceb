// A module that dies (a WebAssembly trap or an abort, on the calling thread
// or on a pthread) is reported through q.onDied(), refuses every later call
// with "module died", rejects its outstanding pool jobs, stops its threads,
// and createQuaver() makes a working one again, in the same process.
// The deaths are caused with the module's test hooks (debugTrap,
// debugTrapOnThread in bindings/embind/core.cpp).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createQuaver } from '../../bindings/js/index.mjs';
import { ensureDist } from './support/dist.mjs';

before(() => ensureDist());

const DIED = /quaver-dsp: module died: /;

// Resolves with the death, or rejects after `ms` (the workers are unref'd, so
// a timer also keeps node alive until a pthread's error event arrives).
function nextDeath(q, ms = 20_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no death reported within ${ms} ms`)), ms);
    q.onDied((death) => {
      clearTimeout(timer);
      resolve(death);
    });
  });
}

function assertRefusesEverything(q) {
  assert.throws(() => q.module.version(), { message: /module died: .*\(version called after the death\)/ });
  assert.throws(() => q.createAudioRing(8), DIED);
  assert.throws(() => q.telemetry(), DIED);
  assert.throws(() => q.memory, DIED);
  assert.throws(() => q.pool.submit('high', 'sum', 3), { message: /module died: .*pool\.submit/ });
  assert.throws(() => new q.RealFFT(64), DIED);
  if (q.module.PThread) {
    assert.equal(q.module.PThread.runningWorkers.length + q.module.PThread.unusedWorkers.length, 0, 'every pthread stopped');
  }
}

async function assertWorksAgain(build) {
  const q = await createQuaver({ build, threads: 2 });
  try {
    assert.equal(q.dead, false);
    assert.equal(q.version, '0.1.0');
    assert.equal(await q.pool.submit('high', 'sum', 10), 45);
    const fft = new q.RealFFT(64);
    assert.equal(fft.forward(new Float32Array(64).fill(1))[0], 64);
    fft.delete();
  } finally {
    q.terminate();
  }
}

for (const build of ['threads-simd', 'simd', 'baseline']) {
  for (const [how, kind, reason] of [
    [0, 'a WebAssembly trap', /^RuntimeError: unreachable$/],
    [1, 'abort()', /^Aborted\(/],
  ]) {
    test(`${build}: ${kind} in a call kills the module, which reports it and refuses later calls`, async () => {
      const q = await createQuaver({ build, threads: 2 });
      const ring = q.createAudioRing(64, 1);
      const fft = new q.RealFFT(64);
      const death = nextDeath(q);
      let listenerCalls = 0;
      const removed = q.onDied(() => listenerCalls++);
      const ignored = q.onDied(() => assert.fail('a removed listener was called'));
      ignored();
      // busy(ns) keeps a job outstanding past the death.
      const job = q.pool.submit('normal', 'busy', 2e9);
      assert.equal(q.dead, false);
      assert.throws(() => q.module.debugTrap(how), { message: /module died: .*\(in debugTrap\)/ });
      assert.equal(q.dead, true);
      assert.match(q.deathReason, reason);
      const { reason: reported, source } = await death;
      assert.match(reported, reason);
      assert.equal(source, how === 0 ? 'call' : 'abort');
      await assert.rejects(job, { message: /module died: .*\(the job was outstanding\)/ });
      assert.equal(listenerCalls, 1);
      removed();
      assertRefusesEverything(q);
      // Clean-up still runs: delete() and terminate() do nothing on a dead module.
      fft.delete();
      ring.delete();
      q.terminate();
      // A listener added after the death still hears of it.
      assert.match((await nextDeath(q)).reason, reason);
      await assertWorksAgain(build);
    });
  }
}

for (const [how, kind, reason, source] of [
  [0, 'a WebAssembly trap', /^a pthread trapped: RuntimeError: unreachable$/, 'thread'],
  [1, 'abort()', /^Aborted\(/, 'abort'],
]) {
  test(`threads-simd: ${kind} on a pthread kills the module without killing node`, async () => {
    const q = await createQuaver({ build: 'threads-simd', threads: 2 });
    const death = nextDeath(q);
    assert.equal(q.module.debugTrapOnThread(how), true, 'a pthread was free');
    const reported = await death;
    assert.match(reported.reason, reason);
    assert.equal(reported.source, source);
    assert.equal(q.dead, true);
    assertRefusesEverything(q);
    q.terminate();
    await assertWorksAgain('threads-simd');
  });
}

test('without threads debugTrapOnThread starts nothing and the module lives on', async () => {
  const q = await createQuaver({ build: 'simd' });
  try {
    assert.equal(q.module.debugTrapOnThread(0), false);
    assert.equal(q.dead, false);
    assert.equal(q.deathReason, undefined);
  } finally {
    q.terminate();
  }
});

test('onDied checks its listener', async () => {
  const q = await createQuaver({ build: 'simd' });
  try {
    assert.throws(() => q.onDied('not a function'), TypeError);
  } finally {
    q.terminate();
  }
});
