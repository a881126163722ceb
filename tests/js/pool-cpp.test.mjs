// The pool's C++ test suites (tests/sched), compiled to WASM by
// tests/wasm/pool/build.sh and run in node: the same contract with
// Emscripten's pthreads (the threaded suites) and without threads.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

before(() => {
  execFileSync('bash', ['tests/wasm/pool/build.sh'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
});


for (const suite of ['pool_inline_test', 'pool_threads_test', 'pool_stress_test']) {
  test(`${suite} passes in WASM`, () => {
    const args = ['--no-experimental-fetch', `build/pool-wasm/${suite}.js`, '--no-colors'];
    const run = spawnSync('node', args, {
      cwd: root,
      encoding: 'utf8',
      timeout: 180000,
    });
    assert.equal(run.status, 0, `${suite} failed:\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /Status: SUCCESS/);
  });
}
