// Runs the web benchmarks (bench/web/index.html) in headless Chromium and
// writes their results in the format of the node benchmarks, with
// platform 'chromium'. Progress lines come from the page as it runs.
// Usage: node bench/web/run-chromium.mjs [--out bench/results/chromium.json] [--quick] [--only <family>]
//        (QUAVER_BENCH_QUICK=1 also selects the quick run; --only runs one
//        family of the page, e.g. fft_real, eq_cascade, convolver)
import fs from 'node:fs';
import { launchChromium } from '../../tests/browser/support/chromium.mjs';
import { startServer } from './server.mjs';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1] : null;
const quick = args.includes('--quick') || process.env.QUAVER_BENCH_QUICK === '1';
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : null;
const query = [quick && 'quick', only && `only=${encodeURIComponent(only)}`].filter(Boolean).join('&');
const timeoutMs = (quick ? 3 : 10) * 60_000;

const server = await startServer();
const browser = await launchChromium();
let status = 0;
try {
  const page = await browser.newPage();
  page.on('console', (msg) => {
    const text = msg.text();
    if (text.startsWith('[bench] ')) console.log(`   ${text.slice(8)}`);
    else if (msg.type() === 'error') console.error(`   page: ${text}`);
  });
  page.on('pageerror', (error) => console.error(`   page error: ${error.message}`));
  await page.goto(`${server.origin}/bench/web/index.html${query ? `?${query}` : ''}`);
  await page.waitForFunction(() => window.quaverBench?.done, null, { timeout: timeoutMs, polling: 500 });
  const state = await page.evaluate(() => window.quaverBench);
  if (state.error) throw new Error(`the page failed: ${state.error}`);
  console.log(`   ${state.userAgent}; quaver-dsp build ${state.build}`);
  for (const failure of state.failures ?? []) console.error(`   failed: ${failure}`);
  if (out) fs.writeFileSync(out, JSON.stringify({ platform: 'chromium', userAgent: state.userAgent, results: state.results }, null, 1));
} catch (error) {
  console.error(`run-chromium: ${error.message}`);
  status = 1;
} finally {
  await browser.close();
  await server.close();
}
process.exit(status);
