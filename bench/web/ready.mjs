// Time to ready of quaver-dsp: createQuaver({ build }) called -> resolved,
// for each build, in node and in headless Chromium.
//
//  node     cold: the first createQuaver() of a fresh process (require, read,
//           compile, instantiate, start the pthreads); warm: a later one in
//           the same process (files and the factory already loaded).
//  Chromium cold: a fresh browser context (empty HTTP cache), first load;
//           warm: the same page loaded again in that context (the package's
//           files come from the HTTP cache, and V8 may reuse compiled WASM).
//           The page is cross-origin isolated; the files are served with
//           `Cache-Control: max-age=3600`. The entry module is imported
//           before the clock starts.
// Default options otherwise (threads-simd starts 4 pthreads); one more row,
// 'threads-simd/1', starts one pthread, to show what the workers cost.
//
// Usage: flock /tmp/quaver-bench.lock node bench/web/ready.mjs [--rounds 7]
// Prints one line per build and platform: median (min-max) in ms.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../tests/browser/support/chromium.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 7;
// [label, createQuaver options]
const CASES = [
  ['threads-simd', { build: 'threads-simd' }],
  ['threads-simd/1', { build: 'threads-simd', threads: 1 }],
  ['simd', { build: 'simd' }],
  ['baseline', { build: 'baseline' }],
];
const ENTRY = path.join(root, 'bindings/js/index.mjs');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const summary = (xs) => `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)})`;

// One fresh node process: prints [cold, warm1, warm2, ...] for the options.
const NODE_PROBE = `
  const { createQuaver } = await import(process.argv[1]);
  const options = JSON.parse(process.argv[2]);
  const times = [];
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    const q = await createQuaver(options);
    times.push(performance.now() - t0);
    q.terminate();
  }
  console.log(JSON.stringify(times));
`;

function measureNode(options) {
  const cold = [];
  const warm = [];
  for (let r = 0; r < ROUNDS; r++) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', NODE_PROBE, ENTRY, JSON.stringify(options)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`node probe failed for ${JSON.stringify(options)}: ${run.stderr}`);
    const times = JSON.parse(run.stdout.trim().split('\n').pop());
    cold.push(times[0]);
    warm.push(...times.slice(1));
  }
  return { cold, warm };
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

function startServer() {
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'max-age=3600',
    };
    if (pathname === '/ready.html') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end('<!doctype html><title>ready</title>');
      return;
    }
    const file = path.join(root, path.normalize(pathname));
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const stat = fs.statSync(file);
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Last-Modified': stat.mtime.toUTCString() });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) }),
    ),
  );
}

async function loadOnce(page, origin, options) {
  await page.goto(`${origin}/ready.html`);
  return page.evaluate(
    async ({ entry, options }) => {
      const { createQuaver } = await import(entry);
      const t0 = performance.now();
      const q = await createQuaver(options);
      const ms = performance.now() - t0;
      const ok = q.build === options.build && crossOriginIsolated;
      q.terminate();
      if (!ok) throw new Error(`got ${q.build}, isolated ${crossOriginIsolated}`);
      return ms;
    },
    { entry: '/bindings/js/index.mjs', options },
  );
}

async function measureChromium(browser, origin, options) {
  const cold = [];
  const warm = [];
  for (let r = 0; r < ROUNDS; r++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    cold.push(await loadOnce(page, origin, options));
    for (let i = 0; i < 2; i++) warm.push(await loadOnce(page, origin, options));
    await context.close();
  }
  return { cold, warm };
}

execFileSync('bash', ['bindings/js/scripts/build-wasm.sh'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
console.log(`time to ready, createQuaver() -> resolved, ms: median (min-max); ${ROUNDS} cold loads, ${ROUNDS * 3} (node) / ${ROUNDS * 2} (Chromium) warm loads`);
for (const [label, options] of CASES) {
  const { cold, warm } = measureNode(options);
  console.log(`node ${process.versions.node}  ${label.padEnd(14)} cold ${summary(cold)}  warm ${summary(warm)}`);
}
const server = await startServer();
const browser = await launchChromium();
try {
  for (const [label, options] of CASES) {
    const { cold, warm } = await measureChromium(browser, server.origin, options);
    console.log(`chromium ${browser.version()}  ${label.padEnd(14)} cold ${summary(cold)}  warm ${summary(warm)}`);
  }
} finally {
  await browser.close();
  await server.close();
}
