// Chromium's BiquadFilterNode today against the record the C++ biquad tests
// use (tests/dsp/biquad/data/chromium_biquad.{json,f32}), on a few cases:
// one per filter type plus the edge cases (frequency 0, Nyquist, Q 0,
// negative Q, large gain). If this fails, Chromium's biquad changed: look at
// the differences, then regenerate the record with
// `node tests/dsp/biquad/chromium/make_fixture.mjs` and rerun the C++ tests.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { allCases, renderInChromium } from '../dsp/biquad/chromium/cases.mjs';

const data = join(dirname(fileURLToPath(import.meta.url)), '..', 'dsp', 'biquad', 'data');

test("Chromium's BiquadFilterNode still gives the recorded outputs and responses", { timeout: 60_000 }, async () => {
  const index = JSON.parse(readFileSync(join(data, 'chromium_biquad.json'), 'utf8'));
  const bytes = readFileSync(join(data, 'chromium_biquad.f32'));
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const recordedInput = floats.subarray(index.input, index.input + index.frames);

  // Every type at the first 48 kHz setting, and every edge case for peaking
  // and lowpass at 48 kHz: 26 of the 112 cases.
  const cases = allCases();
  const wanted = cases
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.sampleRate === 48000 &&
      ((c.frequency === 1000 && c.Q === 1) || ['peaking', 'lowpass'].includes(c.type)));
  const { input, results } = await renderInChromium(wanted.map(({ c }) => c));
  assert.deepEqual(Float32Array.from(input), recordedInput, 'the record was made from a different input');

  let worstOutput = 0;
  let worstMagnitude = 0;
  wanted.forEach(({ c, i }, k) => {
    const rec = index.cases[i];
    const where = `${c.type} f=${c.frequency} Q=${c.Q} gain=${c.gain} detune=${c.detune}`;
    assert.equal(rec.type, c.type);
    assert.equal(rec.sample_rate, c.sampleRate);
    const live = results[k];
    assert.equal(live.params.frequency, rec.frequency, `${where}: frequency read back differently`);
    const out = floats.subarray(rec.output, rec.output + index.frames);
    const scale = Math.max(1, ...Array.from(out, Math.abs));
    live.output.forEach((v, n) => {
      worstOutput = Math.max(worstOutput, Math.abs(v - out[n]) / scale);
    });
    const grid = index.grids[String(c.sampleRate)].size;
    const mag = floats.subarray(rec.magnitude, rec.magnitude + grid);
    live.mag.forEach((v, n) => {
      if (Number.isNaN(mag[n])) {
        assert.equal(v, null, `${where}: NaN recorded at grid point ${n}`);
        return;
      }
      worstMagnitude = Math.max(worstMagnitude, Math.abs(v - mag[n]) / Math.max(mag[n], 1e-6));
    });
  });
  console.log(`Chromium ${index.chromium} recorded, now: worst output difference ${worstOutput}, magnitude ${worstMagnitude}`);
  assert.ok(worstOutput <= 1e-6, `output moved by ${worstOutput} of full scale`);
  assert.ok(worstMagnitude <= 1e-6, `frequency response moved by ${worstMagnitude} (relative)`);
});
