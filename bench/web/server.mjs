// A tiny read-only static server for the web benchmarks and the demo, on
// 127.0.0.1. It serves the repository root (node_modules/ included, for the
// peers). Every path gets COOP `same-origin` + COEP `require-corp`, which make
// the page cross-origin isolated (SharedArrayBuffer, WASM threads), except
// under /plain/, which serves the same files without them (the fallback build).
//
// Usage: node bench/web/server.mjs [--port 8080]   (prints the URLs)
// Or: import { startServer } from './server.mjs'; const s = await startServer(); s.origin; await s.close();
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
};

export async function startServer({ port = 0, host = '127.0.0.1' } = {}) {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname = new URL(req.url, 'http://127.0.0.1').pathname;
    const headers = { 'Cache-Control': 'no-store', 'Cross-Origin-Resource-Policy': 'same-origin' };
    if (pathname.startsWith('/plain/')) {
      pathname = pathname.slice('/plain'.length);
    } else {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    let file = path.join(root, path.normalize(decodeURIComponent(pathname)));
    if (!file.startsWith(root)) {
      res.writeHead(403, headers).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { ...headers, Location: `${req.url.split('?')[0]}/` }).end();
        return;
      }
      file = path.join(file, 'index.html');
    }
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return { origin: `http://${host}:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--port');
  const { origin } = await startServer({ port: i > 0 ? Number(process.argv[i + 1]) : 8080 });
  console.log(`serving ${root} (read-only, cross-origin isolated)`);
  console.log(`  benchmarks: ${origin}/bench/web/            (add ?quick for a short run)`);
  console.log(`  demo:       ${origin}/examples/web/`);
  console.log(`  fallback:   ${origin}/plain/examples/web/   (no COOP/COEP: single-threaded build)`);
}
