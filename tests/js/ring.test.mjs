// The plain-JS SpscRing / AudioRing against a simple array model, and their
// checks of the shared layout (docs/ring-layout.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpscRing, AudioRing, SampleFormat, RING_MAGIC } from '../../bindings/js/src/ring.js';
import { makeRandom } from './support/random.mjs';

const TYPES = { float32: Float32Array, int32: Int32Array, uint32: Uint32Array, float64: Float64Array, int64: BigInt64Array, uint64: BigUint64Array };

function sampleOf(format, n) {
  return format.endsWith('64') && format !== 'float64' ? BigInt(n) : n;
}

// Runs `steps` random pushes and pops of random sizes against per-channel arrays.
function runModel({ capacity, channels, format, steps, seed, startIndex }) {
  const Type = TYPES[format];
  const buffer = new SharedArrayBuffer(SpscRing.bytesRequired(capacity, channels, format) + 64);
  let ring = SpscRing.create(buffer, 64, capacity, channels, format);
  if (startIndex !== undefined) {
    const header = new Uint32Array(buffer, 64, 48);
    header[16] = startIndex;
    header[32] = startIndex;
    ring = SpscRing.attach(buffer, 64);
  }
  const producer = ring;
  const consumer = SpscRing.attach(buffer, 64); // each side has its own object
  const model = Array.from({ length: channels }, () => []);
  const random = makeRandom(seed);
  let counter = 1;
  for (let step = 0; step < steps; step++) {
    const size = random.int(0, capacity + 3);
    if (random() < 0.5) {
      const sources = Array.from({ length: channels }, () => new Type(size));
      for (let i = 0; i < size; i++) for (let c = 0; c < channels; c++) sources[c][i] = sampleOf(format, counter++ % 1000003);
      const expected = Math.min(size, capacity - model[0].length);
      const wrote = channels === 1 && random() < 0.5 ? producer.push(sources[0]) : producer.writePlanar(sources);
      assert.equal(wrote, expected, `step ${step}: write of ${size}`);
      for (let c = 0; c < channels; c++) model[c].push(...sources[c].subarray(0, wrote));
    } else {
      const targets = Array.from({ length: channels }, () => new Type(size));
      const expected = Math.min(size, model[0].length);
      const read = channels === 1 && random() < 0.5 ? consumer.pop(targets[0]) : consumer.readPlanar(targets);
      assert.equal(read, expected, `step ${step}: read of ${size}`);
      for (let c = 0; c < channels; c++) {
        assert.deepEqual([...targets[c].subarray(0, read)], model[c].splice(0, read), `step ${step}: channel ${c} content`);
      }
    }
    assert.equal(consumer.availableRead(), model[0].length);
    assert.equal(producer.availableWrite(), capacity - model[0].length);
  }
  return { buffer, ring };
}

test('random pushes and pops match an array model, for every sample format and several shapes', () => {
  let seed = 1;
  for (const format of Object.keys(TYPES)) {
    for (const [capacity, channels] of [[1, 1], [2, 1], [8, 1], [64, 1], [16, 3], [4, 2]]) {
      runModel({ capacity, channels, format, steps: 300, seed: seed++ });
    }
  }
});

test('indices started just below 2^32 wrap around without losing or reordering items', () => {
  for (const [capacity, channels] of [[8, 1], [16, 2], [1, 1]]) {
    const { buffer } = runModel({ capacity, channels, format: 'float32', steps: 400, seed: 99, startIndex: 2 ** 32 - 7 });
    const header = new Uint32Array(buffer, 64, 48);
    assert.ok(header[16] < 2 ** 31, 'the write index went past 2^32 and wrapped');
  }
});

test('a full ring takes nothing more and an empty ring gives nothing; no slot is wasted', () => {
  const buffer = new ArrayBuffer(SpscRing.bytesRequired(4));
  const ring = SpscRing.create(buffer, 0, 4);
  assert.equal(ring.availableRead(), 0);
  assert.equal(ring.pop(new Float32Array(4)), 0);
  assert.equal(ring.push(Float32Array.of(1, 2, 3, 4, 5)), 4);
  assert.equal(ring.availableWrite(), 0);
  assert.equal(ring.push(Float32Array.of(6)), 0);
  const out = new Float32Array(8);
  assert.equal(ring.pop(out), 4);
  assert.deepEqual([...out.subarray(0, 4)], [1, 2, 3, 4]);
  assert.equal(ring.pop(out), 0);
});

test('a ring of capacity 1 alternates one push and one pop', () => {
  const buffer = new ArrayBuffer(SpscRing.bytesRequired(1, 1, 'int32'));
  const ring = SpscRing.create(buffer, 0, 1, 1, 'int32');
  const one = new Int32Array(1);
  for (let i = 0; i < 10; i++) {
    assert.equal(ring.push(Int32Array.of(i, 99)), 1);
    assert.equal(ring.push(Int32Array.of(i)), 0);
    assert.equal(ring.pop(one), 1);
    assert.equal(one[0], i);
  }
});

test('push and pop honour an explicit count, and writePlanar / readPlanar an explicit frame count', () => {
  const ring = AudioRing.create(new ArrayBuffer(AudioRing.bytesRequired(8, 2)), 0, 8, 2);
  assert.equal(ring.writePlanar([Float32Array.of(1, 2, 3), Float32Array.of(4, 5, 6)], 2), 2);
  const a = new Float32Array(3);
  const b = new Float32Array(3);
  assert.equal(ring.readPlanar([a, b], 1), 1);
  assert.deepEqual([...a, ...b], [1, 0, 0, 4, 0, 0]);
  const mono = SpscRing.create(new ArrayBuffer(SpscRing.bytesRequired(8)), 0, 8);
  assert.equal(mono.push(Float32Array.of(1, 2, 3), 2), 2);
  assert.equal(mono.pop(new Float32Array(3), 1), 1);
  assert.equal(mono.availableRead(), 1);
});

test('create writes exactly the header of the shared layout', () => {
  const buffer = new ArrayBuffer(AudioRing.bytesRequired(16, 2) + 8);
  new Uint8Array(buffer).fill(0xee);
  AudioRing.create(buffer, 8, 16, 2);
  const view = new DataView(buffer, 8);
  assert.deepEqual([...new Uint8Array(buffer, 8, 4)], [0x51, 0x55, 0x56, 0x52], 'magic bytes "QUVR"');
  assert.equal(view.getUint32(0, true), RING_MAGIC);
  assert.equal(view.getUint32(4, true), 1, 'version');
  assert.equal(view.getUint32(8, true), 16, 'capacity');
  assert.equal(view.getUint32(12, true), 2, 'channels');
  assert.equal(view.getUint32(16, true), 4, 'bytes_per_sample');
  assert.equal(view.getUint32(20, true), SampleFormat.float32, 'sample_format');
  assert.equal(view.getUint32(24, true), 192, 'data_offset');
  for (let b = 28; b < 192; b++) assert.equal(view.getUint8(b), 0, `byte ${b} of the header is zero`);
  assert.equal(AudioRing.bytesRequired(16, 2), 192 + 2 * 16 * 4);
  assert.equal(SpscRing.bytesRequired(16, 1, 'float64'), 192 + 16 * 8);
});

test('frames are stored channel-planar: channel c, slot s at 192 + (c * capacity + s) * 4', () => {
  const buffer = new ArrayBuffer(AudioRing.bytesRequired(4, 2));
  const ring = AudioRing.create(buffer, 0, 4, 2);
  ring.writePlanar([Float32Array.of(1, 2, 3), Float32Array.of(10, 20, 30)]);
  ring.readPlanar([new Float32Array(2), new Float32Array(2)]);
  ring.writePlanar([Float32Array.of(4, 5, 6), Float32Array.of(40, 50, 60)]); // wraps after slot 3
  const data = new Float32Array(buffer, 192, 8);
  assert.deepEqual([...data], [5, 6, 3, 4, 50, 60, 30, 40]);
});

test('an opaque ring (format 0) written by C++ moves items of bytes_per_sample bytes as bytes', () => {
  const buffer = new ArrayBuffer(192 + 4 * 12);
  const header = new Uint32Array(buffer, 0, 48);
  header.set([RING_MAGIC, 1, 4, 1, 12, 0, 192]);
  const ring = SpscRing.attach(buffer, 0);
  assert.equal(ring.sampleFormat, 'opaque');
  assert.equal(ring.bytesPerSample, 12);
  const items = Uint8Array.from({ length: 36 }, (_, i) => i);
  assert.equal(ring.push(items), 3);
  const out = new Uint8Array(24);
  assert.equal(ring.pop(out), 2);
  assert.deepEqual([...out], [...items.subarray(0, 24)]);
});

test('a bad capacity, channel count, offset or format is a RangeError or TypeError with a message', () => {
  for (const capacity of [0, 3, 6, 2 ** 31, -4, 1.5, NaN, '8', undefined]) {
    assert.throws(() => SpscRing.bytesRequired(capacity), { name: 'RangeError', message: /capacity/ }, String(capacity));
  }
  assert.throws(() => SpscRing.bytesRequired(2 ** 30 * 2), RangeError);
  assert.equal(SpscRing.bytesRequired(2 ** 30), 192 + 4 * 2 ** 30);
  for (const channels of [0, -1, 1.5, 70000]) {
    assert.throws(() => AudioRing.bytesRequired(8, channels), { name: 'RangeError', message: /channels/ });
  }
  assert.throws(() => SpscRing.bytesRequired(8, 1, 'float16'), { name: 'TypeError', message: /sampleFormat/ });
  const buffer = new SharedArrayBuffer(4096);
  assert.throws(() => SpscRing.create(buffer, 4, 8), { name: 'RangeError', message: /multiple of 8/ });
  assert.throws(() => SpscRing.create(buffer, -8, 8), { name: 'RangeError', message: /byteOffset/ });
  assert.throws(() => SpscRing.create(buffer, 0, 1024), { name: 'RangeError', message: /needs 4288 bytes/ });
  assert.throws(() => SpscRing.create(new Float32Array(64), 0, 8), { name: 'TypeError', message: /ArrayBuffer/ });
  assert.throws(() => AudioRing.create(buffer, 0, 8, 1, 'int32'), { name: 'TypeError', message: /float32 or float64/ });
});

test('attach refuses a block with a wrong magic, version, capacity, data offset or size', () => {
  const make = () => {
    const buffer = new ArrayBuffer(1024);
    AudioRing.create(buffer, 0, 8, 2);
    return { buffer, header: new Uint32Array(buffer, 0, 48) };
  };
  let { buffer, header } = make();
  header[0] = 0x12345678;
  assert.throws(() => AudioRing.attach(buffer, 0), { name: 'TypeError', message: /magic is 0x12345678/ });
  ({ buffer, header } = make());
  header[1] = 2;
  assert.throws(() => AudioRing.attach(buffer, 0), { name: 'TypeError', message: /version 2/ });
  ({ buffer, header } = make());
  header[2] = 12;
  assert.throws(() => AudioRing.attach(buffer, 0), { name: 'RangeError', message: /capacity 12/ });
  ({ buffer, header } = make());
  header[6] = 256;
  assert.throws(() => AudioRing.attach(buffer, 0), { name: 'RangeError', message: /data_offset/ });
  ({ buffer, header } = make());
  header[5] = SampleFormat.int32;
  assert.throws(() => AudioRing.attach(buffer, 0), { name: 'TypeError', message: /float32 or float64/ });
  ({ buffer } = make());
  assert.throws(() => AudioRing.attach(buffer.slice(0, 200), 0), { name: 'RangeError', message: /needs 256 bytes/ });
  assert.throws(() => AudioRing.attach(new ArrayBuffer(100), 0), { name: 'RangeError', message: /no ring header/ });
  assert.throws(() => AudioRing.attach(new ArrayBuffer(1024), 0), { name: 'TypeError', message: /no Quaver ring/ });
  assert.throws(() => AudioRing.attach(null, 0), TypeError);
});

test('wrong arrays are refused before anything moves', () => {
  const mono = SpscRing.create(new ArrayBuffer(SpscRing.bytesRequired(8)), 0, 8);
  assert.throws(() => mono.push(new Float64Array(2)), { name: 'TypeError', message: /Float32Array/ });
  assert.throws(() => mono.push([1, 2]), TypeError);
  assert.throws(() => mono.push(new Float32Array(2), 3), { name: 'RangeError', message: /count/ });
  assert.throws(() => mono.pop(new Float32Array(2), -1), RangeError);
  const stereo = AudioRing.create(new ArrayBuffer(AudioRing.bytesRequired(8, 2)), 0, 8, 2);
  assert.throws(() => stereo.push(new Float32Array(2)), { name: 'TypeError', message: /writePlanar/ });
  assert.throws(() => stereo.writePlanar([new Float32Array(2)]), { name: 'TypeError', message: /2 typed arrays/ });
  assert.throws(() => stereo.writePlanar([new Float32Array(2), new Float32Array(1)], 2), { name: 'RangeError', message: /frames/ });
  assert.throws(() => stereo.readPlanar([new Float32Array(2), new Int32Array(2)]), TypeError);
  assert.equal(stereo.availableRead(), 0);
});
