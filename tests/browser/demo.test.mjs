// The web demo (examples/web/) in headless Chromium: cross-origin isolated it
// runs the threads-simd build in a Worker and plays the oscillator through the
// EQ without underruns piling up; it draws the spectrum every frame; a cut at
// 1 kHz lowers the 1 kHz part of the spectrum; and without COOP/COEP it falls
// back to the single-threaded build and still plays. Screenshots go to
// tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './support/chromium.mjs';
import { startServer } from '../../bench/web/server.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const artifacts = `${root}tests/artifacts`;
// The demo needs the package's DSP classes (ParametricEQ, SpectrumAnalyzer).
const skip = fs.existsSync(`${root}bindings/js/src/dsp.js`) ? false : 'quaver-dsp has no DSP classes (bindings/js/src/dsp.js)';
let server;
let browser;

before(async () => {
  if (skip) return;
  execFileSync('bash', ['bindings/js/scripts/build-wasm.sh'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  fs.mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openDemo(prefix) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.origin}${prefix}/examples/web/index.html?autostart&source=noise`);
  await page.waitForFunction(() => window.demo?.ready || window.demo?.error, null, { timeout: 30_000 });
  const error = await page.evaluate(() => window.demo.error);
  assert.equal(error, null);
  return { page, errors };
}

const snapshot = (page) =>
  page.evaluate(() => {
    const d = window.demo;
    return { isolated: crossOriginIsolated, build: d.build, quanta: d.quanta, underruns: d.underruns, framesDrawn: d.framesDrawn, ringFill: d.ringFill };
  });

test('isolated: threads-simd in a Worker plays through the EQ, draws the spectrum, and a 1 kHz cut shows', { timeout: 60_000, skip }, async () => {
  const { page, errors } = await openDemo('');
  const start = await snapshot(page);
  assert.equal(start.isolated, true);
  assert.equal(start.build, 'threads-simd');

  // Play for 5 s; count spectrum frames over that time.
  await page.waitForTimeout(5000);
  const end = await snapshot(page);
  const seconds = ((end.quanta - start.quanta) * 128) / (await page.evaluate(() => window.demo.sampleRate));
  const fps = (end.framesDrawn - start.framesDrawn) / 5;
  console.log(`# isolated: ${seconds.toFixed(2)} s played, ${end.underruns} underruns in ${end.quanta} quanta, spectrum ${fps.toFixed(1)} fps, ring fill ${end.ringFill}`);
  assert.ok(seconds > 3, `the worklet played only ${seconds} s in 5 s`);
  assert.ok(fps > 5, `the spectrum drew ${fps} frames per second`);
  // Underruns at start-up are expected while the producer fills the ring; the
  // ring then stays ahead (a loaded CI machine may add a few).
  assert.ok(end.underruns - start.underruns < (end.quanta - start.quanta) / 10, `${end.underruns - start.underruns} underruns`);

  // Levels averaged over ten spectrum frames 100 ms apart (noise input), at
  // 1 kHz and at 5 kHz, where the cut changes the response by under 0.5 dB.
  const levels = () =>
    page.evaluate(async () => {
      const sum = [0, 0];
      for (let i = 0; i < 10; ++i) {
        sum[0] += window.demo.levelAt(1000) / 10;
        sum[1] += window.demo.levelAt(5000) / 10;
        await new Promise((r) => setTimeout(r, 100));
      }
      return sum;
    });
  const [before1k, before5k] = await levels();
  await page.evaluate(() => window.demo.setBand(3, { frequency: 1000, gain: -18, Q: 1 }));
  await page.waitForTimeout(500);
  const [after1k, after5k] = await levels();
  console.log(`# 1 kHz: ${before1k.toFixed(1)} -> ${after1k.toFixed(1)} dB; 5 kHz: ${before5k.toFixed(1)} -> ${after5k.toFixed(1)} dB`);
  assert.ok(after1k < before1k - 10, `1 kHz went from ${before1k} to ${after1k} dB`);
  assert.ok(Math.abs(after5k - before5k) < 3, `5 kHz moved from ${before5k} to ${after5k} dB`);

  // The reverb fully wet: the room's response (its spectrum is about flat)
  // keeps the EQ's cut, and the stream keeps up.
  const beforeReverb = await snapshot(page);
  await page.evaluate(() => window.demo.setReverb(1));
  await page.waitForTimeout(2000);
  const [wet1k, wet5k] = await levels();
  const afterReverb = await snapshot(page);
  console.log(`# reverb: 1 kHz ${wet1k.toFixed(1)} dB, 5 kHz ${wet5k.toFixed(1)} dB, ${afterReverb.underruns - beforeReverb.underruns} underruns`);
  assert.ok(wet5k > -100 && wet1k < wet5k - 5, `wet levels: 1 kHz ${wet1k} dB, 5 kHz ${wet5k} dB`);
  assert.ok(afterReverb.underruns - beforeReverb.underruns < (afterReverb.quanta - beforeReverb.quanta) / 10, 'the reverb keeps up');
  await page.screenshot({ path: `${artifacts}/demo-isolated.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

test('without COOP/COEP the demo runs the single-threaded build on the main thread and still plays', { timeout: 60_000, skip }, async () => {
  const { page, errors } = await openDemo('/plain');
  const start = await snapshot(page);
  assert.equal(start.isolated, false);
  assert.notEqual(start.build, 'threads-simd');
  await page.waitForTimeout(3000);
  const end = await snapshot(page);
  const seconds = ((end.quanta - start.quanta) * 128) / (await page.evaluate(() => window.demo.sampleRate));
  console.log(`# fallback (${end.build}): ${seconds.toFixed(2)} s played, ${end.underruns} underruns in ${end.quanta} quanta`);
  assert.ok(seconds > 2, `the worklet played only ${seconds} s in 3 s`);
  assert.ok(end.framesDrawn > start.framesDrawn);
  const level = await page.evaluate(() => window.demo.levelAt(1000));
  assert.ok(level > -100, `the spectrum is silent (${level} dB at 1 kHz)`);
  await page.screenshot({ path: `${artifacts}/demo-fallback.png` });
  assert.deepEqual(errors, []);
  await page.close();
});
