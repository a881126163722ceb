// Quaver's plain-JS AudioRing vs ringbuf.js 0.4.0, under one harness in one
// process: a producer worker_thread pushes 128-frame float32 chunks, a
// consumer worker_thread pops them, until CHUNKS chunks have crossed. The
// figure is wall time per chunk (ns), the median of RUNS runs, the two rings
// alternating so that both see the same machine.
//
// Mono: both move 128 samples per chunk. Stereo: Quaver moves two planar
// channels (writePlanar/readPlanar, as an AudioWorklet wants them); ringbuf.js
// moves 256 interleaved samples (its AudioWriter/AudioReader way).
//
// A second kernel, audio_ring_js_one_thread, makes the same moves on one
// thread (push then pop): the cost of the code alone.
//
// Usage: node bench/js/ring.bench.mjs [--out file.json] [--quick]   (or QUAVER_BENCH_QUICK=1)
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import fs from 'node:fs';
import { FRAMES } from './ring-side.js';

const CAPACITY = 4096; // frames; a power of two for Quaver, the same usable size for ringbuf.js

if (isMainThread) {
  await main();
} else {
  await side(workerData);
}

async function main() {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 ? args[outIndex + 1] : null;
  const quick = args.includes('--quick') || process.env.QUAVER_BENCH_QUICK === '1';
  const chunks = quick ? 50_000 : 200_000;
  const runs = quick ? 3 : 5;

  const results = [];
  for (const channels of [1, 2]) {
    const times = { quaver: [], 'ringbuf.js': [] };
    for (let run = 0; run < runs; run++) {
      for (const impl of run % 2 ? ['ringbuf.js', 'quaver'] : ['quaver', 'ringbuf.js']) {
        times[impl].push(await measure(impl, channels, chunks));
      }
    }
    for (const [impl, list] of Object.entries(times)) {
      list.sort((a, b) => a - b);
      results.push({ kernel: 'audio_ring_js', impl, param: `${FRAMES}f_${channels}ch`, ns: list[list.length >> 1] });
    }
  }

  // The same moves on one thread (a push then a pop): the cost of the code
  // alone, without the cross-core traffic and scheduling of the run above.
  for (const channels of [1, 2]) {
    const times = { quaver: [], 'ringbuf.js': [] };
    for (let run = 0; run < runs; run++) {
      for (const impl of run % 2 ? ['ringbuf.js', 'quaver'] : ['quaver', 'ringbuf.js']) {
        times[impl].push(await sameThread(impl, channels, chunks));
      }
    }
    for (const [impl, list] of Object.entries(times)) {
      list.sort((a, b) => a - b);
      results.push({ kernel: 'audio_ring_js_one_thread', impl, param: `${FRAMES}f_${channels}ch`, ns: list[list.length >> 1] });
    }
  }

  console.log(`audio ring, two worker_threads, ${FRAMES}-frame float32 chunks, ${chunks} chunks, median of ${runs} (node ${process.version})`);
  console.log('kernel                    param      quaver ns/chunk   ringbuf.js ns/chunk   ringbuf.js / quaver');
  for (const kernel of [...new Set(results.map((r) => r.kernel))]) {
    for (const param of [...new Set(results.map((r) => r.param))]) {
      const q = results.find((r) => r.kernel === kernel && r.param === param && r.impl === 'quaver').ns;
      const p = results.find((r) => r.kernel === kernel && r.param === param && r.impl === 'ringbuf.js').ns;
      console.log(
        `${kernel.padEnd(25)} ${param.padEnd(10)} ${q.toFixed(1).padStart(15)} ${p.toFixed(1).padStart(21)} ${(p / q).toFixed(2).padStart(20)}x`,
      );
    }
  }
  if (out) fs.writeFileSync(out, JSON.stringify({ platform: 'node', results }, null, 1));
}

// One run: starts a consumer and a producer on one fresh ring; returns ns per chunk.
async function measure(impl, channels, chunks) {
  const bytes =
    impl === 'quaver'
      ? (await import('../../bindings/js/src/ring.js')).AudioRing.bytesRequired(CAPACITY, channels)
      : 8 + (CAPACITY * channels + 1) * 4;
  const buffer = new SharedArrayBuffer(bytes);
  if (impl === 'quaver') (await import('../../bindings/js/src/ring.js')).AudioRing.create(buffer, 0, CAPACITY, channels);
  const control = new Int32Array(new SharedArrayBuffer(8)); // [ready count, go]
  const start = (role) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), { workerData: { impl, role, channels, chunks, buffer, control } });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const consumer = start('consumer');
  const producer = start('producer');
  while (Atomics.load(control, 0) < 2) await new Promise((r) => setTimeout(r, 1));
  const t0 = process.hrtime.bigint();
  Atomics.store(control, 1, 1);
  Atomics.notify(control, 1);
  const [consumed] = await Promise.all([consumer, producer]);
  const elapsed = Number(consumed.end - t0);
  if (consumed.checksum !== expectedChecksum(chunks)) throw new Error(`${impl}: wrong data crossed the ring`);
  return elapsed / chunks;
}

// One thread pushes a chunk and pops it back, `chunks` times; ns per chunk (push + pop).
async function sameThread(impl, channels, chunks) {
  const { AudioRing } = await import('../../bindings/js/src/ring.js');
  const { RingBuffer } = await import('ringbuf.js');
  let move;
  if (impl === 'quaver') {
    const ring = AudioRing.create(new SharedArrayBuffer(AudioRing.bytesRequired(CAPACITY, channels)), 0, CAPACITY, channels);
    const planar = Array.from({ length: channels }, () => new Float32Array(FRAMES));
    move = channels === 1 ? () => ring.push(planar[0]) + ring.pop(planar[0]) : () => ring.writePlanar(planar) + ring.readPlanar(planar);
  } else {
    const ring = new RingBuffer(new SharedArrayBuffer(8 + (CAPACITY * channels + 1) * 4), Float32Array);
    const interleaved = new Float32Array(FRAMES * channels);
    move = () => ring.push(interleaved) + ring.pop(interleaved);
  }
  for (let k = 0; k < 10_000; k++) move(); // warm up the JIT
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < chunks; k++) move();
  return Number(process.hrtime.bigint() - t0) / chunks;
}

// Chunk k carries the value k in every sample of every channel.
function expectedChecksum(chunks) {
  return (chunks * (chunks - 1)) / 2;
}

async function side(data) {
  const { AudioRing } = await import('../../bindings/js/src/ring.js');
  const { RingBuffer } = await import('ringbuf.js');
  const { runRingSide } = await import('./ring-side.js');
  const checksum = runRingSide(data, { AudioRing, RingBuffer });
  parentPort.postMessage({ end: process.hrtime.bigint(), checksum });
}
