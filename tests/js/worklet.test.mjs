// The 'quaver-ring-reader' processor run in node against a stand-in for the
// AudioWorkletGlobalScope: what it outputs, what it counts, and that a warm
// render loop allocates nothing (no garbage on the audio thread).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { processors } from './support/fake-worklet-scope.mjs';
import { AudioRing } from '../../bindings/js/src/ring.js';
import { root } from './support/dist.mjs';

await import('../../bindings/js/src/worklet.js');
const Reader = processors.get('quaver-ring-reader');

function makeReader(channels, capacity, reportInterval = 0) {
  const buffer = new SharedArrayBuffer(AudioRing.bytesRequired(capacity, channels) + 64);
  const ring = AudioRing.create(buffer, 64, capacity, channels);
  const node = new Reader({ processorOptions: { buffer, byteOffset: 64, reportInterval } });
  return { ring, node };
}

const quantum = (channels) => [Array.from({ length: channels }, () => new Float32Array(128))];

test("'quaver-ring-reader' is registered by importing quaver-dsp/worklet", () => {
  assert.equal(typeof Reader, 'function');
});

test('each render quantum takes 128 frames from the ring; a short ring gives silence after its frames and an underrun', () => {
  const { ring, node } = makeReader(2, 512, 1);
  ring.writePlanar([Float32Array.from({ length: 200 }, (_, i) => i), Float32Array.from({ length: 200 }, (_, i) => 0 - i)]);
  const out = quantum(2);
  assert.equal(node.process([], out), true);
  assert.deepEqual([...out[0][0]], Array.from({ length: 128 }, (_, i) => i));
  assert.deepEqual([...out[0][1]], Array.from({ length: 128 }, (_, i) => 0 - i));
  out[0][0].fill(7);
  node.process([], out);
  assert.deepEqual([...out[0][0]], [...Array.from({ length: 72 }, (_, i) => 128 + i), ...new Array(56).fill(0)]);
  node.process([], out);
  assert.ok(out[0][0].every((v) => v === 0) && out[0][1].every((v) => v === 0), 'an empty ring plays silence');
  assert.deepEqual(node.port.messages.at(-1), {
    type: 'stats', quanta: 3, underruns: 2, framesRead: 200, framesMissing: 184, availableRead: 0,
  });
});

test('an output with fewer channels than the ring drops the extra ones; more channels are silent', () => {
  const { ring, node } = makeReader(2, 256);
  ring.writePlanar([new Float32Array(256).fill(1), new Float32Array(256).fill(2)]);
  const mono = quantum(1);
  node.process([], mono);
  assert.ok(mono[0][0].every((v) => v === 1));
  assert.equal(ring.availableRead(), 128, 'both channels advanced');
  const quad = quantum(4);
  quad[0][3].fill(9);
  node.process([], quad);
  assert.ok(quad[0][1].every((v) => v === 2));
  assert.ok(quad[0][3].every((v) => v === 0));
});

test('stats are throttled to one message per reportInterval quanta, and sent on request', () => {
  const { ring, node } = makeReader(1, 128, 4);
  ring.writePlanar([new Float32Array(128)]);
  for (let i = 0; i < 10; i++) node.process([], quantum(1));
  assert.equal(node.port.messages.length, 2);
  node.port.onmessage({ data: { type: 'report' } });
  assert.deepEqual(node.port.messages.at(-1), {
    type: 'stats', quanta: 10, underruns: 9, framesRead: 128, framesMissing: 9 * 128, availableRead: 0,
  });
});

test('a bad reportInterval or a buffer without a ring is refused at construction', () => {
  assert.throws(() => new Reader({ processorOptions: { buffer: new SharedArrayBuffer(1024) } }), TypeError);
  assert.throws(() => new Reader({ processorOptions: {} }), TypeError);
  const buffer = new SharedArrayBuffer(AudioRing.bytesRequired(8));
  AudioRing.create(buffer, 0, 8);
  assert.throws(() => new Reader({ processorOptions: { buffer, reportInterval: -1 } }), RangeError);
});

test('once warm, the render loop and a 128-frame writer allocate nothing', () => {
  // With a 1 MiB young generation, a few dozen bytes per quantum would force
  // several scavenges over 200k quanta; the loop must cause none.
  const script = `
    await import(${JSON.stringify(new URL('./support/fake-worklet-scope.mjs', import.meta.url).href)});
    const { processors } = await import(${JSON.stringify(new URL('./support/fake-worklet-scope.mjs', import.meta.url).href)});
    const { AudioRing } = await import(${JSON.stringify(new URL('../../bindings/js/src/ring.js', import.meta.url).href)});
    await import(${JSON.stringify(new URL('../../bindings/js/src/worklet.js', import.meta.url).href)});
    const buffer = new SharedArrayBuffer(AudioRing.bytesRequired(2048, 2));
    const ring = AudioRing.create(buffer, 0, 2048, 2);
    const node = new (processors.get('quaver-ring-reader'))({ processorOptions: { buffer, reportInterval: 0 } });
    const block = [new Float32Array(128), new Float32Array(128)];
    const outputs = [[new Float32Array(128), new Float32Array(128)]];
    const inputs = [];
    const step = () => { ring.writePlanar(block); node.process(inputs, outputs); };
    for (let i = 0; i < 200000; i++) step(); // long enough for the optimizing compiler, even on a busy machine
    console.log('--- warm ---');
    for (let i = 0; i < 200000; i++) step();
  `;
  const run = spawnSync(process.execPath, ['--trace-gc', '--max-semi-space-size=1', '--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const afterWarm = run.stdout.split('--- warm ---')[1];
  assert.ok(afterWarm !== undefined, run.stdout);
  assert.equal(afterWarm.match(/Scavenge|Mark-Compact/g), null, `garbage collections while streaming:\n${afterWarm}`);
});
