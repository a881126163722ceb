// The user's browser path: `npm pack` the package, install the tarball into a
// fresh project, serve that project with the package's own
// `quaver-dsp-serve`, and load it in Chromium through an import map: the
// threads-simd build on the cross-origin isolated URL, simd on /plain/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './support/chromium.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
let tmp;
let serve;
let origin;
let browser;

const PAGE = `<!doctype html>
<title>app</title>
<script type="importmap">{ "imports": { "quaver-dsp": "/node_modules/quaver-dsp/index.mjs" } }</script>
<script type="module">
  import { createQuaver } from 'quaver-dsp';
  try {
    const q = await createQuaver({ threads: 2 });
    const fft = new q.RealFFT(256);
    const x = Float32Array.from({ length: 256 }, (_, i) => Math.sin(i / 3));
    const back = fft.inverse(fft.forward(x));
    let worst = 0;
    for (let i = 0; i < 256; i++) worst = Math.max(worst, Math.abs(back[i] - x[i]));
    window.result = { build: q.build, isolated: crossOriginIsolated, worst };
    fft.delete();
    q.terminate();
  } catch (error) {
    window.result = { error: String(error) };
  }
</script>`;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quaver-dsp-browser-pack-'));
  const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp], path.join(root, 'bindings/js')));
  const app = path.join(tmp, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  npm(['install', '--offline', '--no-audit', '--no-fund', path.join(tmp, packed.filename)], app);
  fs.writeFileSync(path.join(app, 'index.html'), PAGE);
  // The installed command, as a user runs it: `npx quaver-dsp-serve`.
  serve = spawn(path.join(app, 'node_modules/.bin/quaver-dsp-serve'), ['.', '--port', '0'], { cwd: app });
  origin = await new Promise((resolve, reject) => {
    let out = '';
    serve.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /cross-origin isolated: (http:\/\/\S+?)\/\n/.exec(out);
      if (m) resolve(m[1]);
    });
    serve.once('exit', (code) => reject(new Error(`quaver-dsp-serve exited with ${code}: ${out}`)));
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  serve?.kill();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function load(url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForFunction(() => window.result, null, { timeout: 60_000 });
  const result = await page.evaluate(() => window.result);
  await page.close();
  assert.deepEqual(errors, []);
  return result;
}

test('the installed tarball runs its threaded build on a cross-origin isolated page', { timeout: 120_000 }, async () => {
  const result = await load(`${origin}/`);
  assert.equal(result.error, undefined);
  assert.equal(result.isolated, true);
  assert.equal(result.build, 'threads-simd');
  assert.ok(result.worst < 1e-5, `round trip error ${result.worst}`);
});

test('the installed tarball falls back to the simd build without isolation', { timeout: 120_000 }, async () => {
  const result = await load(`${origin}/plain/`);
  assert.equal(result.error, undefined);
  assert.equal(result.isolated, false);
  assert.equal(result.build, 'simd');
  assert.ok(result.worst < 1e-5, `round trip error ${result.worst}`);
});
