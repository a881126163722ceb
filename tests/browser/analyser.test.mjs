// Chromium's AnalyserNode today against the record the C++ analyser is tested
// with (tests/dsp/analysis/data/chromium_analyser.json). If this fails,
// Chromium's analyser changed: look at the differences, then regenerate the
// record with `node tests/dsp/analysis/chromium/make_fixture.mjs` and rerun
// the C++ tests.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { FIXTURE, recordChromiumAnalyser } from '../dsp/analysis/chromium/make_fixture.mjs';

test("Chromium's AnalyserNode still gives the recorded spectra", { timeout: 60_000 }, async () => {
  const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  const live = await recordChromiumAnalyser();
  assert.deepEqual(live.signal, recorded.signal, 'the fixture was made from a different signal');
  assert.equal(live.configs.length, recorded.configs.length);

  let worstDb = 0;
  let worstByte = 0;
  live.configs.forEach((config, c) => {
    const old = recorded.configs[c];
    assert.equal(config.fft_size, old.fft_size);
    assert.equal(config.smoothing, old.smoothing);
    config.reads.forEach((read, r) => {
      const before = old.reads[r];
      const where = `fft ${config.fft_size}, smoothing ${config.smoothing}, frame ${read.frame}`;
      assert.equal(read.frame, before.frame);
      assert.equal(read.current_frame, before.current_frame, `${where}: read at another render quantum`);
      if (before.time_domain) assert.deepEqual(read.time_domain, before.time_domain, `${where}: input differs`);
      read.float_db.forEach((v, k) => {
        const w = before.float_db[k];
        if (w === null || w < -100) {
          // Silence stays -Infinity; the numerical floor (about -200 dB) may move freely.
          if (read.frame <= recorded.signal.onset) assert.equal(v, null, `${where}, bin ${k}: silence is -Infinity`);
          return;
        }
        assert.notEqual(v, null, `${where}, bin ${k}: -Infinity where ${w} dB was recorded`);
        worstDb = Math.max(worstDb, Math.abs(v - w));
      });
      read.bytes.forEach((b, k) => {
        worstByte = Math.max(worstByte, Math.abs(b - before.bytes[k]));
      });
    });
  });
  console.log(`${live.chromium} vs record (${recorded.chromium}): max dB diff ${worstDb}, max byte diff ${worstByte}`);
  assert.ok(worstDb <= 0.01, `dB values moved by up to ${worstDb}`);
  assert.ok(worstByte <= 1, `byte values moved by up to ${worstByte}`);
});
