// The web benchmark page (bench/web/) in headless Chromium: a quick run
// completes without a failure and shows a table row for every kernel it
// measured, under the kernel names the native and node benchmarks use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserSession } from './support/session.mjs';
import { startServer } from '../../bench/web/server.mjs';

const session = useBrowserSession(startServer);

test('the benchmark page completes a quick run and shows a row for every kernel', { timeout: 180_000 }, async () => {
  const page = await session.browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${session.server.origin}/bench/web/index.html?quick`);
  await page.waitForFunction(() => window.quaverBench?.done, null, { timeout: 170_000, polling: 250 });
  const state = await page.evaluate(() => ({
    error: window.quaverBench.error,
    failures: window.quaverBench.failures,
    isolated: crossOriginIsolated,
    results: window.quaverBench.results,
    rows: [...document.querySelectorAll('#table tbody tr')].map((tr) => [tr.dataset.kernel, tr.children[1].textContent]),
  }));
  assert.equal(state.error, null);
  assert.deepEqual(state.failures, []);
  assert.equal(state.isolated, true);

  const kernels = new Set(state.results.map((r) => r.kernel));
  for (const kernel of ['fft_real', 'eq_cascade', 'audio_ring_js_one_thread', 'audio_ring_js']) {
    assert.ok(kernels.has(kernel), `no result for ${kernel}`);
  }
  for (const r of state.results) {
    // (>= 0: the BiquadFilterNode figure is a difference of two render times.)
    assert.ok(Number.isFinite(r.ns) && r.ns >= 0, `${r.kernel}/${r.impl}/${r.param}: ${r.ns} ns`);
    assert.ok(
      state.rows.some(([kernel, param]) => kernel === r.kernel && param === r.param),
      `no table row for ${r.kernel} ${r.param}`,
    );
  }
  // Every peer of each family ran.
  const impls = (kernel) => new Set(state.results.filter((r) => r.kernel === kernel).map((r) => r.impl));
  for (const peer of ['pffft_wasm_simd', 'kissfft_wasm', 'fftjs']) assert.ok(impls('fft_real').has(peer), peer);
  assert.ok(impls('eq_cascade').has('webaudio_biquadfilternode'));
  assert.ok(impls('audio_ring_js').has('ringbuf.js') && impls('audio_ring_js').has('quaver'));
  assert.deepEqual(errors, []);
  await page.close();
});
