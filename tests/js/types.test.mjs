// index.d.ts and ring.d.ts describe the package as a TypeScript user sees it:
// tsc --strict must accept tests/js/types-usage.ts, and the files of
// tests/js/types-nodenext/ in a project that installed the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

test('the hand-written type declarations compile a typed usage file under tsc --strict', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const tsc = `${root}node_modules/typescript/bin/tsc`;
  const result = spawnSync(process.execPath, [tsc, '-p', 'tests/js/tsconfig.json'], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, `tsc failed:\n${result.stdout}${result.stderr}`);
});

test('the exports map gives typed import and require under moduleResolution nodenext', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const app = fs.mkdtempSync(path.join(os.tmpdir(), 'quaver-dsp-types-'));
  try {
    fs.mkdirSync(path.join(app, 'node_modules'));
    fs.symlinkSync(path.join(root, 'bindings/js'), path.join(app, 'node_modules/quaver-dsp'), 'dir');
    fs.writeFileSync(path.join(app, 'package.json'), '{ "name": "app", "private": true }');
    for (const f of ['use.cts', 'use.mts']) fs.copyFileSync(path.join(root, 'tests/js/types-nodenext', f), path.join(app, f));
    fs.writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022',
          lib: ['es2022', 'dom', 'esnext.disposable'], types: [],
        },
        files: ['use.cts', 'use.mts'],
      }),
    );
    const result = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', app], { encoding: 'utf8' });
    assert.equal(result.status, 0, `tsc failed:\n${result.stdout}${result.stderr}`);
  } finally {
    fs.rmSync(app, { recursive: true, force: true });
  }
});
