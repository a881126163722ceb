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
