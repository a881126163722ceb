// The user's path: `npm pack` the package, install the tarball into a fresh
// project (offline: quaver-dsp has no dependencies), then import and require it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './support/dist.mjs';

test('npm pack gives a complete package that installs offline and loads with import and require', { timeout: 120_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quaver-dsp-pack-'));
  try {
    const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    // prepack runs the WASM build (a no-op when dist/ is current).
    const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp], path.join(root, 'bindings/js')));
    const files = packed.files.map((f) => f.path);
    for (const f of [
      'package.json', 'index.mjs', 'index.cjs', 'index.d.ts', 'index.d.cts', 'ring.d.ts', 'worklet.d.ts', 'LICENSE',
      'src/ring.js', 'src/worklet.js', 'src/quaver.js', 'src/wasm-object.js', 'bin/serve.mjs', 'serve.d.ts',
      'dist/package.json', 'dist/ring.cjs',
      'dist/quaver-threads-simd.js', 'dist/quaver-threads-simd.mjs', 'dist/quaver-threads-simd.wasm', 'dist/quaver-threads-simd.worker.js',
      'dist/quaver-simd.js', 'dist/quaver-simd.mjs', 'dist/quaver-simd.wasm',
      'dist/quaver-baseline.js', 'dist/quaver-baseline.mjs', 'dist/quaver-baseline.wasm',
    ]) {
      assert.ok(files.includes(f), `the tarball has ${f}`);
    }
    assert.ok(!files.some((f) => f.startsWith('scripts/') || f.endsWith('.hash')), 'no build scripts or stamps in the tarball');

    const app = path.join(tmp, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    npm(['install', '--offline', '--no-audit', '--no-fund', path.join(tmp, packed.filename)], app);

    fs.writeFileSync(
      path.join(app, 'esm.mjs'),
      `import { createQuaver, AudioRing, workletUrl } from 'quaver-dsp';
       import { SpscRing } from 'quaver-dsp/ring';
       const q = await createQuaver({ build: 'simd' });
       const ring = q.createAudioRing(256, 2);
       console.log(JSON.stringify({ build: q.build, channels: ring.view().channels, spsc: typeof SpscRing.create,
         audio: typeof AudioRing, worklet: workletUrl.endsWith('node_modules/quaver-dsp/src/worklet.js') }));
       q.terminate();`,
    );
    fs.writeFileSync(
      path.join(app, 'cjs.cjs'),
      `const quaver = require('quaver-dsp');
       const { RingbufJsView } = require('quaver-dsp/ring');
       quaver.createQuaver({ build: 'threads-simd', threads: 1 }).then((q) => {
         console.log(JSON.stringify({ build: q.build, ringbuf: typeof RingbufJsView, version: require('quaver-dsp/package.json').version }));
         q.terminate();
       });`,
    );
    const run = (file) => JSON.parse(execFileSync(process.execPath, [file], { cwd: app, encoding: 'utf8' }));
    assert.deepEqual(run('esm.mjs'), { build: 'simd', channels: 2, spsc: 'function', audio: 'function', worklet: true });
    assert.deepEqual(run('cjs.cjs'), { build: 'threads-simd', ringbuf: 'function', version: '0.1.0' });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
