#!/usr/bin/env node
// quaver-dsp-serve: a tiny read-only static server for developing pages that
// use quaver-dsp. The threaded build needs SharedArrayBuffer, which a page
// only gets when cross-origin isolated, and that takes two response headers
// most dev servers do not send:
//
//   Cross-Origin-Opener-Policy: same-origin
//   Cross-Origin-Embedder-Policy: require-corp
//
// Every path gets them, except paths under /plain/, which serve the same
// files without them, so the fallback build can be tried side by side.
// (/isolated/ is accepted as an explicit prefix too.) Not for production:
// no caching, no compression, 127.0.0.1 unless told otherwise.
//
// Usage: npx quaver-dsp-serve [dir] [--port 8080] [--host 127.0.0.1]
// Or:    import { startServer } from 'quaver-dsp/serve';
//        const s = await startServer({ root: dir }); s.origin; await s.close();
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
};

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// '/plain/x' -> plain 'x'; '/isolated/x' -> isolated 'x'; anything else isolated.
function route(pathname) {
  for (const [prefix, isolated] of [['/plain/', false], ['/isolated/', true]]) {
    if (pathname.startsWith(prefix)) return { isolated, pathname: pathname.slice(prefix.length - 1) };
  }
  return { isolated: true, pathname };
}

/**
 * Starts serving `root` (default: the current directory). `pages` maps
 * paths (after the prefix) to HTML served from memory.
 * @returns {Promise<{ origin: string, close(): Promise<void> }>}
 */
export async function startServer({ root = process.cwd(), port = 0, host = '127.0.0.1', pages = {} } = {}) {
  const base = path.resolve(root) + path.sep;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const { isolated, pathname } = route(new URL(req.url, 'http://localhost').pathname);
    const headers = {
      'Cache-Control': 'no-store',
      'Cross-Origin-Resource-Policy': 'same-origin',
      ...(isolated ? ISOLATION_HEADERS : {}),
    };
    const send = (status, extra = {}) => res.writeHead(status, { ...headers, ...extra });
    if (Object.hasOwn(pages, pathname)) {
      send(200, { 'Content-Type': TYPES['.html'] }).end(req.method === 'HEAD' ? undefined : pages[pathname]);
      return;
    }
    let file;
    try {
      file = path.join(base, path.normalize(decodeURIComponent(pathname)));
    } catch {
      send(400).end();
      return;
    }
    if (!(file + path.sep).startsWith(base)) {
      send(403).end();
      return;
    }
    let stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      if (!pathname.endsWith('/')) {
        send(301, { Location: `${req.url.split('?')[0]}/` }).end();
        return;
      }
      file = path.join(file, 'index.html');
      stat = fs.statSync(file, { throwIfNoEntry: false });
    }
    if (!stat?.isFile()) {
      send(404).end();
      return;
    }
    send(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': stat.size });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function option(args, name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const port = Number(option(args, '--port', '8080'));
  const host = option(args, '--host', '127.0.0.1');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`quaver-dsp-serve: --port must be an integer in [0, 65535]`);
    process.exit(2);
  }
  const root = path.resolve(args[0] ?? '.');
  const { origin } = await startServer({ root, port, host });
  console.log(`serving ${root} (read-only)`);
  console.log(`  cross-origin isolated: ${origin}/`);
  console.log(`  without COOP/COEP:     ${origin}/plain/`);
}
