// C++ quaver::RingbufJsView (compiled to WASM) against the real ringbuf.js
// 0.4.0: a ring's bytes written by one are read by the other, both ways.
// ringbuf.js insists on a SharedArrayBuffer of its own, so the bytes are
// copied between it and the WASM heap; that checks the layout, which is
// what the two have to agree on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RingBuffer } from 'ringbuf.js';
import { createQuaver } from '../../bindings/js/index.mjs';
import { ensureDist } from './support/dist.mjs';

let q;
before(async () => {
  ensureDist();
  q = await createQuaver({ build: 'simd' });
});
after(() => q?.terminate());

function heapBytes(ring) {
  return new Uint8Array(ring.buffer, ring.byteOffset, ring.byteLength);
}

test('a ring C++ wrote is read in order by ringbuf.js, across its wrap-around', () => {
  const ring = q.createRingbufJsRing(100);
  try {
    assert.equal(ring.byteLength, RingBuffer.getStorageForCapacity(100, Float32Array).byteLength);
    const sab = new SharedArrayBuffer(ring.byteLength);
    let written = 0;
    let read = 0;
    for (let round = 0; round < 25; round++) {
      written += q.module.ringbufJsWriteSequence(ring.byteOffset, ring.byteLength, written, 70);
      new Uint8Array(sab).set(heapBytes(ring));
      const theirs = new RingBuffer(sab, Float32Array);
      const out = new Float32Array(60);
      const n = theirs.pop(out);
      for (let i = 0; i < n; i++) assert.equal(out[i], read + i);
      read += n;
      heapBytes(ring).set(new Uint8Array(sab)); // hand the read index back to C++
    }
    assert.ok(read > 1000, 'many items, so the indices wrapped around the 101 slots');
  } finally {
    ring.delete();
  }
});

test('a ring ringbuf.js wrote is read in order by C++, across its wrap-around', () => {
  const ring = q.createRingbufJsRing(50);
  try {
    const sab = RingBuffer.getStorageForCapacity(50, Float32Array);
    const theirs = new RingBuffer(sab, Float32Array);
    let written = 0;
    let read = 0;
    for (let round = 0; round < 40; round++) {
      const chunk = Float32Array.from({ length: 33 }, (_, i) => written + i);
      written += theirs.push(chunk);
      heapBytes(ring).set(new Uint8Array(sab));
      const n = q.module.ringbufJsReadSequence(ring.byteOffset, ring.byteLength, read, 30);
      assert.ok(n >= 0, `C++ found item ${-n - 1} out of sequence`);
      read += n;
      new Uint8Array(sab).set(heapBytes(ring));
    }
    assert.equal(theirs.availableRead(), written - read);
    assert.ok(read > 1000);
  } finally {
    ring.delete();
  }
});

test("Quaver's JS RingbufJsView opens the C++ ring in the WASM heap in place", () => {
  const ring = q.createRingbufJsRing(16);
  try {
    const view = ring.view();
    assert.equal(view.capacity, 16);
    assert.equal(q.module.ringbufJsWriteSequence(ring.byteOffset, ring.byteLength, 5, 20), 16);
    const out = new Float32Array(20);
    assert.equal(view.pop(out), 16);
    assert.deepEqual([...out.subarray(0, 16)], Array.from({ length: 16 }, (_, i) => 5 + i));
    assert.throws(() => q.createRingbufJsRing(0), RangeError);
  } finally {
    ring.delete();
  }
});
