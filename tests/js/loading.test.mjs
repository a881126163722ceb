// Loading quaver-dsp in node: ES module and CommonJS entries, every build
// forced, the automatic choice, the timeout, and argument checking.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { createQuaver, detectBuild, simdSupported, threadsSupported, workletUrl } from '../../bindings/js/index.mjs';
import { ensureDist, root } from './support/dist.mjs';

before(() => ensureDist());

for (const build of ['threads-simd', 'simd', 'baseline']) {
  test(`createQuaver({ build: '${build}' }) loads that build through the ES module entry`, async () => {
    const q = await createQuaver({ build, threads: 1 });
    try {
      assert.equal(q.build, build);
      assert.equal(q.version, '0.1.0');
      assert.equal(q.simdTarget, build === 'baseline' ? 'EMU128' : 'WASM');
      assert.equal(q.memory instanceof SharedArrayBuffer, build === 'threads-simd');
      assert.equal(q.module.threadsEnabled(), build === 'threads-simd');
    } finally {
      q.terminate();
    }
  });
}

test('without a forced build node gets threads-simd, the best one', async () => {
  assert.equal(simdSupported(), true);
  assert.equal(threadsSupported(), true);
  assert.equal(detectBuild(), 'threads-simd');
  const q = await createQuaver();
  assert.equal(q.build, 'threads-simd');
  q.terminate();
});

test('require() gives the rings synchronously and createQuaver as a promise', async () => {
  const require = createRequire(import.meta.url);
  const quaver = require('../../bindings/js/index.cjs');
  const ring = quaver.AudioRing.create(new SharedArrayBuffer(quaver.AudioRing.bytesRequired(8, 2)), 0, 8, 2);
  assert.equal(ring.channels, 2);
  assert.equal(typeof quaver.RingbufJsView, 'function');
  assert.match(quaver.workletUrl, /^file:.*src\/worklet\.js$/);
  for (const build of ['threads-simd', 'simd', 'baseline']) {
    const q = await quaver.createQuaver({ build, threads: 1 });
    assert.equal(q.build, build);
    q.terminate();
  }
});

test('a module that does not start within timeoutMs rejects with a clear Error', async () => {
  await assert.rejects(createQuaver({ build: 'threads-simd', timeoutMs: 1 }), {
    name: 'Error',
    message: /'threads-simd' WASM build did not start within 1 ms/,
  });
});

test('a locateFile that points nowhere rejects instead of hanging', async () => {
  await assert.rejects(createQuaver({ build: 'simd', locateFile: (file) => `/nonexistent/${file}`, timeoutMs: 5000 }), /nonexistent/);
});

test('invalid options are a TypeError or RangeError that names the option', async () => {
  await assert.rejects(createQuaver({ build: 'avx512' }), { name: 'RangeError', message: /build must be one of/ });
  await assert.rejects(createQuaver({ timeoutMs: -5 }), { name: 'RangeError', message: /timeoutMs/ });
  await assert.rejects(createQuaver({ threads: 0 }), { name: 'RangeError', message: /threads/ });
  await assert.rejects(createQuaver({ treads: 2 }), { name: 'TypeError', message: /unknown option 'treads'/ });
  await assert.rejects(createQuaver({ locateFile: 'dist/' }), { name: 'TypeError', message: /locateFile/ });
  await assert.rejects(createQuaver(42), TypeError);
});

test('WASM rings check their arguments, and throw a clear Error once deleted', async () => {
  const q = await createQuaver({ build: 'simd' });
  try {
    assert.throws(() => q.createAudioRing(1000), { name: 'RangeError', message: /power of two/ });
    assert.throws(() => q.createAudioRing(8, 0), { name: 'RangeError', message: /channels/ });
    assert.throws(() => q.createSpscRing(8, 'int64'), { name: 'TypeError', message: /int64/ });
    assert.throws(() => q.createAudioRing(2 ** 30, 2), { name: 'RangeError', message: /does not fit in the WASM heap/ });
    const ring = q.createAudioRing(8);
    ring.delete();
    assert.equal(ring.deleted, true);
    assert.throws(() => ring.view(), { name: 'Error', message: /WasmAudioRing.buffer used after delete\(\)/ });
    ring.delete(); // a second delete is harmless
    const kept = q.createSpscRing(8, 'uint32');
    q.terminate();
    assert.equal(kept.deleted, true, 'terminate() frees what is left');
    assert.throws(() => q.createAudioRing(8), { name: 'Error', message: /after terminate\(\)/ });
  } finally {
    q.terminate();
  }
});

test('a WASM ring collected without delete() is reported as a leak', () => {
  const script = `
    const { createQuaver } = await import(${JSON.stringify(new URL('../../bindings/js/index.mjs', import.meta.url).href)});
    const q = await createQuaver({ build: 'baseline' });
    (() => { q.createAudioRing(8); })();
    // terminate() would free it; drop our only reference instead.
    for (let i = 0; i < 20; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
  `;
  const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /quaver-dsp: a WasmAudioRing was garbage-collected without delete\(\); its WASM memory leaked/);
});

test('workletUrl points at the AudioWorklet module inside the package', () => {
  assert.match(workletUrl, /^file:.*bindings\/js\/src\/worklet\.js$/);
});

for (const build of ['threads-simd', 'simd', 'baseline']) {
  test(`${build}: telemetry() reports the heap, the pool once used, and the live rings with their underruns and overruns`, async () => {
    const q = await createQuaver({ build, threads: 2 });
    try {
      const before = q.telemetry();
      assert.equal(before.build, build);
      assert.equal(before.threads, build === 'threads-simd' ? 2 : 1);
      const m = before.memory;
      assert.equal(m.heapBytes, q.module.heapBytes());
      assert.ok(m.staticBytes > 0 && m.arenaBytes >= m.usedBytes && m.usedBytes > 0, JSON.stringify(m));
      assert.ok(m.staticBytes + m.arenaBytes <= m.heapBytes && m.freeBytes >= m.heapBytes - m.staticBytes - m.arenaBytes, JSON.stringify(m));
      assert.equal(before.pool, null, 'telemetry does not start the pool');
      assert.deepEqual(before.rings, []);
      assert.equal(q.pool.workers, 0);

      const audio = q.createAudioRing(64, 2);
      const ints = q.createSpscRing(16, 'int32');
      const rb = q.createRingbufJsRing(8);
      const gone = q.createAudioRing(8);
      gone.delete();
      const view = audio.view();
      const other = audio.view(); // views of one ring share its counters
      assert.equal(view.writePlanar([new Float32Array(48), new Float32Array(48)]), 48);
      assert.equal(other.writePlanar([new Float32Array(40), new Float32Array(40)]), 16); // 24 frames dropped
      assert.equal(view.readPlanar([new Float32Array(50), new Float32Array(50)]), 50);
      assert.equal(view.readPlanar([new Float32Array(20), new Float32Array(20)], 20), 14); // 6 frames missing
      assert.equal(view.readPlanar([new Float32Array(8), new Float32Array(8)]), 0); // 8 missing
      ints.view().push(new Int32Array(20)); // a plain SpscRing counts nothing
      rb.view().push(new Float32Array(3));
      assert.equal(await q.pool.submit('high', 'sum', 10), 45);

      const after = q.telemetry();
      assert.ok(after.memory.freeBytes < m.freeBytes, 'the rings took heap');
      assert.ok(after.memory.usedBytes >= m.usedBytes + audio.byteLength + ints.byteLength + rb.byteLength);
      for (let i = 0; i < 100 && q.telemetry().pool.high.completed < 1; ++i) await new Promise((r) => setTimeout(r, 10));
      const pool = q.telemetry().pool;
      assert.equal(pool.high.completed, 1);
      assert.equal(typeof pool.utilisation, 'number');
      const rings = Object.fromEntries(after.rings.map((r) => [r.kind, r]));
      assert.equal(after.rings.length, 3, 'deleted rings are left out');
      assert.deepEqual(rings.AudioRing, {
        kind: 'AudioRing', byteOffset: audio.byteOffset, byteLength: audio.byteLength, capacity: 64, channels: 2,
        availableRead: 0, underruns: 2, underrunFrames: 14, overruns: 1, overrunFrames: 24,
      });
      assert.deepEqual(rings.SpscRing, {
        kind: 'SpscRing', byteOffset: ints.byteOffset, byteLength: ints.byteLength, capacity: 16, channels: 1, availableRead: 16,
      });
      assert.deepEqual(rings.RingbufJsRing, {
        kind: 'RingbufJsRing', byteOffset: rb.byteOffset, byteLength: rb.byteLength, capacity: 8, channels: 1, availableRead: 3,
      });
      assert.equal(view.constructor.name, 'AudioRing');
      assert.ok(view instanceof (await import('../../bindings/js/index.mjs')).AudioRing);
    } finally {
      q.terminate();
    }
    assert.throws(() => q.telemetry(), /after terminate\(\)/);
  });
}
