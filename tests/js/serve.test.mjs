// quaver-dsp-serve, the package's dev server: cross-origin isolation headers
// everywhere but /plain/, correct MIME types for modules and WASM, and
// nothing outside its root.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../bindings/js/bin/serve.mjs';

const serveScript = fileURLToPath(new URL('../../bindings/js/bin/serve.mjs', import.meta.url));
let dir;
let server;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quaver-serve-'));
  fs.mkdirSync(path.join(dir, 'app'));
  fs.writeFileSync(path.join(dir, 'app', 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(dir, 'app', 'main.mjs'), 'export {};');
  fs.writeFileSync(path.join(dir, 'app', 'm.wasm'), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
  fs.writeFileSync(path.join(os.tmpdir(), 'quaver-serve-secret.txt'), 'secret');
  server = await startServer({ root: dir, pages: { '/blank.html': '<p>blank</p>' } });
});

after(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = (p) => fetch(`${server.origin}${p}`, { redirect: 'manual' });

test('every path is cross-origin isolated except under /plain/', async () => {
  for (const p of ['/app/main.mjs', '/isolated/app/main.mjs']) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers.get('cross-origin-opener-policy'), 'same-origin', p);
    assert.equal(r.headers.get('cross-origin-embedder-policy'), 'require-corp', p);
    assert.equal(await r.text(), 'export {};');
  }
  const plain = await get('/plain/app/main.mjs');
  assert.equal(plain.status, 200);
  assert.equal(plain.headers.get('cross-origin-opener-policy'), null);
  assert.equal(plain.headers.get('cross-origin-embedder-policy'), null);
});

test('modules and WASM get the MIME types browsers insist on', async () => {
  assert.match((await get('/app/main.mjs')).headers.get('content-type'), /^text\/javascript/);
  assert.equal((await get('/app/m.wasm')).headers.get('content-type'), 'application/wasm');
  assert.match((await get('/app/')).headers.get('content-type'), /^text\/html/);
});

test('directories redirect to their slash form and serve index.html', async () => {
  const r = await get('/plain/app');
  assert.equal(r.status, 301);
  assert.equal(r.headers.get('location'), '/plain/app/');
  assert.equal(await (await get('/app/')).text(), '<!doctype html><title>app</title>');
});

test('in-memory pages, missing files, other methods and paths outside the root', async () => {
  assert.equal(await (await get('/plain/blank.html')).text(), '<p>blank</p>');
  assert.equal((await get('/nope.js')).status, 404);
  assert.equal((await fetch(`${server.origin}/app/main.mjs`, { method: 'POST' })).status, 405);
  for (const p of ['/../quaver-serve-secret.txt', '/%2e%2e/quaver-serve-secret.txt', '/plain/..%2fquaver-serve-secret.txt']) {
    assert.notEqual((await get(p)).status, 200, p);
  }
});

test('the command line serves a directory and prints its URLs', async () => {
  const child = execFile('node', [serveScript, dir, '--port', '0']);
  try {
    const origin = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const m = /cross-origin isolated: (http:\/\/\S+?)\/\n/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`quaver-dsp-serve exited with ${code}: ${out}`)));
    });
    const r = await fetch(`${origin}/app/main.mjs`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cross-origin-embedder-policy'), 'require-corp');
  } finally {
    child.kill();
  }
});
