// index.d.ts and ring.d.ts describe the package as a TypeScript user sees it:
// tsc --strict must accept tests/js/types-usage.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('the hand-written type declarations compile a typed usage file under tsc --strict', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const tsc = `${root}node_modules/typescript/bin/tsc`;
  const result = spawnSync(process.execPath, [tsc, '-p', 'tests/js/tsconfig.json'], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, `tsc failed:\n${result.stdout}${result.stderr}`);
});
