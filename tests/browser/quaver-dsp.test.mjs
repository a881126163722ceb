// quaver-dsp in Chromium: the build it picks with and without cross-origin
// isolation, pthreads in the page, and the ring read by the AudioWorklet
// helper inside an OfflineAudioContext.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserSession } from './support/session.mjs';
import { startServer } from './support/server.mjs';

const session = useBrowserSession(startServer);

const openPage = (kind) => session.openPage(kind);

test('a cross-origin isolated page gets the threads-simd build, with working pthreads', { timeout: 60_000 }, async () => {
  const { page, errors, entry } = await openPage('isolated');
  const result = await page.evaluate(async (entry) => {
    const { createQuaver } = await import(entry);
    const q = await createQuaver({ threads: 2, timeoutMs: 30_000 });
    // A C++ pthread writes a sequence; this page reads it from the WASM heap.
    const ring = q.createAudioRing(1024, 1);
    const view = ring.view();
    const total = 200_000;
    const writer = new q.module.SequenceTask(true, ring.byteOffset, ring.byteLength, total, 256);
    const chunk = new Float32Array(512);
    let read = 0;
    let bad = 0;
    const deadline = performance.now() + 20_000;
    while (read < total && performance.now() < deadline) {
      const n = view.pop(chunk);
      for (let i = 0; i < n; i++) if (chunk[i] !== ((read + i) & 0xffffff)) bad++;
      read += n;
      if (n === 0) await new Promise((r) => setTimeout(r, 0));
    }
    while (!writer.done()) await new Promise((r) => setTimeout(r, 1));
    writer.join();
    writer.delete();
    ring.delete();
    const out = { isolated: crossOriginIsolated, build: q.build, simd: q.simdTarget, shared: q.memory instanceof SharedArrayBuffer, read, bad };
    q.terminate();
    return out;
  }, entry);
  assert.deepEqual(result, { isolated: true, build: 'threads-simd', simd: 'WASM', shared: true, read: 200_000, bad: 0 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a page without COOP/COEP falls back to the simd build and refuses threads-simd clearly', { timeout: 60_000 }, async () => {
  const { page, errors, entry } = await openPage('plain');
  const result = await page.evaluate(async (entry) => {
    const { createQuaver } = await import(entry);
    const q = await createQuaver();
    let forced = null;
    try {
      await createQuaver({ build: 'threads-simd' });
    } catch (error) {
      forced = error.message;
    }
    const ring = q.createAudioRing(64, 2).view();
    const out = { isolated: crossOriginIsolated, build: q.build, simd: q.simdTarget, forced, channels: ring.channels };
    const baseline = await createQuaver({ build: 'baseline' });
    out.baseline = baseline.simdTarget;
    q.terminate();
    baseline.terminate();
    return out;
  }, entry);
  assert.equal(result.isolated, false);
  assert.equal(result.build, 'simd');
  assert.equal(result.simd, 'WASM');
  assert.equal(result.baseline, 'EMU128');
  assert.equal(result.channels, 2);
  assert.match(result.forced, /cross-origin isolated/);
  assert.deepEqual(errors, []);
  await page.close();
});

// Renders 4 quanta (512 frames) from a ring holding `filled` frames of a ramp,
// channel c sample i = (i + 1000 c) / 1024, and returns the output and stats.
async function renderFromRing(page, entry, { filled, inWasmHeap }) {
  return page.evaluate(
    async ({ entry, filled, inWasmHeap }) => {
      const quaver = await import(entry);
      let q = null;
      let ring;
      let buffer;
      let byteOffset;
      if (inWasmHeap) {
        q = await quaver.createQuaver({ build: 'threads-simd', threads: 1 });
        const wasmRing = q.createAudioRing(1024, 2);
        ring = wasmRing.view();
        buffer = wasmRing.buffer;
        byteOffset = wasmRing.byteOffset;
      } else {
        buffer = new SharedArrayBuffer(quaver.AudioRing.bytesRequired(1024, 2) + 64);
        byteOffset = 64;
        ring = quaver.AudioRing.create(buffer, byteOffset, 1024, 2);
      }
      const left = Float32Array.from({ length: filled }, (_, i) => i / 1024);
      const right = Float32Array.from({ length: filled }, (_, i) => (i + 1000) / 1024);
      ring.writePlanar([left, right]);

      const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: 512, sampleRate: 48000 });
      await ctx.audioWorklet.addModule(quaver.workletUrl);
      const node = new AudioWorkletNode(ctx, 'quaver-ring-reader', {
        numberOfInputs: 0,
        outputChannelCount: [2],
        processorOptions: { buffer, byteOffset, reportInterval: 1 },
      });
      const stats = [];
      node.port.onmessage = (event) => stats.push(event.data);
      node.connect(ctx.destination);
      const rendered = await ctx.startRendering();
      const deadline = performance.now() + 5000;
      while (!stats.some((s) => s.quanta === 4) && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      q?.terminate();
      return {
        left: Array.from(rendered.getChannelData(0)),
        right: Array.from(rendered.getChannelData(1)),
        last: stats.find((s) => s.quanta === 4) ?? null,
        leftInRing: ring.availableRead(),
      };
    },
    { entry, filled, inWasmHeap },
  );
}

function expectRamp(output, filled, offset) {
  for (let i = 0; i < output.length; i++) {
    const want = i < filled ? Math.fround((i + offset) / 1024) : 0;
    if (output[i] !== want) assert.fail(`sample ${i}: ${output[i]} instead of ${want}`);
  }
}

test('the worklet plays what the ring holds, then silence, and counts the underruns', { timeout: 60_000 }, async () => {
  const { page, errors, entry } = await openPage('isolated');
  const result = await renderFromRing(page, entry, { filled: 300, inWasmHeap: false });
  expectRamp(result.left, 300, 0);
  expectRamp(result.right, 300, 1000);
  // Quanta 1 and 2 are full, quantum 3 gets 44 of 128 frames, quantum 4 none.
  assert.deepEqual(result.last, { type: 'stats', quanta: 4, underruns: 2, framesRead: 300, framesMissing: 212, availableRead: 0 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the worklet reads a ring that lives in the threaded build\'s WASM heap', { timeout: 60_000 }, async () => {
  const { page, errors, entry } = await openPage('isolated');
  const result = await renderFromRing(page, entry, { filled: 700, inWasmHeap: true });
  expectRamp(result.left, 512, 0);
  expectRamp(result.right, 512, 1000);
  assert.deepEqual(result.last, { type: 'stats', quanta: 4, underruns: 0, framesRead: 512, framesMissing: 0, availableRead: 188 });
  assert.equal(result.leftInRing, 188);
  assert.deepEqual(errors, []);
  await page.close();
});
