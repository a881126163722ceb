// C++ (compiled to WASM with pthreads) and JS (a node worker) on the two ends
// of one ring in the WASM heap's SharedArrayBuffer: every sample arrives,
// bit-exact and in order, in both directions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createQuaver } from '../../bindings/js/index.mjs';
import { ensureDist } from './support/dist.mjs';

let q;
before(async () => {
  ensureDist();
  q = await createQuaver({ build: 'threads-simd', threads: 2 });
});
after(() => q?.terminate());

function runWorker(ring, mode, total, chunk) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./support/sequence-worker.mjs', import.meta.url), {
      workerData: { buffer: ring.buffer, byteOffset: ring.byteOffset, total, chunk, mode },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

async function waitFor(task) {
  while (!task.done()) await new Promise((resolve) => setTimeout(resolve, 2));
  task.join();
}

async function cppToJs(capacity, channels, total, chunk) {
  const ring = q.createAudioRing(capacity, channels);
  const writer = new q.module.SequenceTask(true, ring.byteOffset, ring.byteLength, total, chunk);
  try {
    assert.ok(writer.started(), 'a pthread was free for the C++ writer');
    const result = await runWorker(ring, 'read', total, chunk);
    await waitFor(writer);
    assert.equal(writer.processed(), total);
    return result;
  } finally {
    writer.delete();
    ring.delete();
  }
}

async function jsToCpp(capacity, channels, total, chunk) {
  const ring = q.createAudioRing(capacity, channels);
  const checker = new q.module.SequenceTask(false, ring.byteOffset, ring.byteLength, total, chunk);
  try {
    assert.ok(checker.started(), 'a pthread was free for the C++ checker');
    const written = await runWorker(ring, 'write', total, chunk);
    assert.equal(written.done, total);
    await waitFor(checker);
    return { done: checker.processed(), mismatches: checker.mismatches(), firstMismatch: checker.firstMismatch() };
  } finally {
    checker.delete();
    ring.delete();
  }
}

test('10M samples written by a C++ pthread are read by a JS worker bit-exact and in order', { timeout: 120_000 }, async () => {
  const total = 10_000_000;
  assert.deepEqual(await cppToJs(8192, 1, total, 1024), { done: total, mismatches: 0, firstMismatch: -1 });
});

test('10M samples written by a JS worker are read by a C++ pthread bit-exact and in order', { timeout: 120_000 }, async () => {
  const total = 10_000_000;
  assert.deepEqual(await jsToCpp(8192, 1, total, 1024), { done: total, mismatches: 0, firstMismatch: -1 });
});

test('stereo frames cross between C++ and JS with every channel intact, through a small ring', { timeout: 120_000 }, async () => {
  const total = 1_000_000;
  assert.deepEqual(await cppToJs(256, 2, total, 128), { done: total, mismatches: 0, firstMismatch: -1 });
  assert.deepEqual(await jsToCpp(256, 2, total, 128), { done: total, mismatches: 0, firstMismatch: -1 });
});

test('the C++ layout of a WASM ring is what the plain-JS ring reads', () => {
  const ring = q.createAudioRing(64, 3);
  const view = ring.view();
  assert.equal(view.capacity, 64);
  assert.equal(view.channels, 3);
  assert.equal(view.sampleFormat, 'float32');
  assert.equal(ring.byteLength, 192 + 3 * 64 * 4);
  assert.equal(ring.byteOffset % 64, 0, 'rings in the heap are 64-byte aligned');
  const ints = q.createSpscRing(16, 'int32');
  assert.equal(ints.view().sampleFormat, 'int32');
  ring[Symbol.dispose]();
  ints.delete();
});
