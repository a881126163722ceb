// Quaver's RingbufJsView and the real ringbuf.js 0.4.0 on the same bytes,
// in both directions, through many wrap-arounds of ringbuf.js's modulo indices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RingBuffer } from 'ringbuf.js';
import { RingbufJsView } from '../../bindings/js/src/ring.js';
import { makeRandom } from './support/random.mjs';

function pair(capacity, Type) {
  const sab = RingBuffer.getStorageForCapacity(capacity, Type);
  return { sab, theirs: new RingBuffer(sab, Type), ours: new RingbufJsView(sab, Type) };
}

// Moves `total` items from writer to reader in random chunk sizes and checks order.
function stream({ capacity, Type, writerIsOurs, seed, total }) {
  const { theirs, ours } = pair(capacity, Type);
  const writer = writerIsOurs ? ours : theirs;
  const reader = writerIsOurs ? theirs : ours;
  const random = makeRandom(seed);
  let written = 0;
  let read = 0;
  while (read < total) {
    const w = random.int(0, capacity + 2);
    const chunk = new Type(Math.min(w, total - written));
    for (let i = 0; i < chunk.length; i++) chunk[i] = (written + i) % 251;
    const free = writer.availableWrite();
    const n = writer.push(chunk);
    assert.equal(n, Math.min(chunk.length, free));
    written += n;
    const out = new Type(random.int(0, capacity + 2));
    const ready = reader.availableRead();
    const m = reader.pop(out);
    assert.equal(m, Math.min(out.length, ready));
    for (let i = 0; i < m; i++) assert.equal(out[i], (read + i) % 251, `item ${read + i}`);
    read += m;
  }
}

test('ringbuf.js writes and Quaver RingbufJsView reads the same items in order', () => {
  stream({ capacity: 7, Type: Float32Array, writerIsOurs: false, seed: 1, total: 5000 });
  stream({ capacity: 128, Type: Int16Array, writerIsOurs: false, seed: 2, total: 20000 });
  stream({ capacity: 1, Type: Float64Array, writerIsOurs: false, seed: 3, total: 500 });
});

test('Quaver RingbufJsView writes and ringbuf.js reads the same items in order', () => {
  stream({ capacity: 7, Type: Float32Array, writerIsOurs: true, seed: 4, total: 5000 });
  stream({ capacity: 100, Type: Uint8Array, writerIsOurs: true, seed: 5, total: 20000 });
  stream({ capacity: 1, Type: Int32Array, writerIsOurs: true, seed: 6, total: 500 });
});

test('both agree on capacity, sizes and the one always-empty slot', () => {
  const { theirs, ours, sab } = pair(10, Float32Array);
  assert.equal(ours.capacity, theirs.capacity());
  assert.equal(RingbufJsView.bytesRequired(10, Float32Array), sab.byteLength);
  assert.equal(ours.push(new Float32Array(20)), 10);
  assert.equal(theirs.full(), true);
  assert.equal(theirs.availableRead(), 10);
  assert.equal(ours.availableWrite(), 0);
});

test('a RingbufJsView can sit at an offset inside a larger buffer', () => {
  const bytes = RingbufJsView.bytesRequired(16, Float32Array);
  const sab = new SharedArrayBuffer(64 + bytes + 64);
  const a = new RingbufJsView(sab, Float32Array, 64, bytes);
  const b = new RingbufJsView(sab, Float32Array, 64, bytes);
  assert.equal(a.push(Float32Array.of(1, 2, 3)), 3);
  const out = new Float32Array(3);
  assert.equal(b.pop(out), 3);
  assert.deepEqual([...out], [1, 2, 3]);
  assert.deepEqual([...new Uint32Array(sab, 64, 2)], [3, 3], 'write and read index at bytes 0 and 4 of the ring');
});

test('a RingbufJsView refuses sizes that are no ringbuf.js ring, with a clear error', () => {
  assert.throws(() => new RingbufJsView(new SharedArrayBuffer(8 + 4), Float32Array), { name: 'RangeError', message: /capacity/ });
  assert.throws(() => new RingbufJsView(new SharedArrayBuffer(8 + 10), Float32Array), RangeError);
  assert.throws(() => new RingbufJsView(new SharedArrayBuffer(64), Array), { name: 'TypeError', message: /typed array constructor/ });
  assert.throws(() => new RingbufJsView({}, Float32Array), TypeError);
  assert.throws(() => new RingbufJsView(new SharedArrayBuffer(64), Float32Array, 4), { name: 'RangeError', message: /multiple of 8/ });
  assert.throws(() => RingbufJsView.bytesRequired(0, Float32Array), RangeError);
  const { ours } = pair(4, Float32Array);
  assert.throws(() => ours.push(new Float64Array(1)), TypeError);
});
