// The web benchmarks' and the demo's server: quaver-dsp's own dev server
// (bindings/js/bin/serve.mjs) on the repository root, node_modules/ included
// for the peers. Every path is cross-origin isolated (COOP + COEP) except
// under /plain/, which serves the same files without (the fallback build).
//
// Usage: node bench/web/server.mjs [--port 8080]   (prints the URLs)
// Or: import { startServer } from './server.mjs'; const s = await startServer(); s.origin; await s.close();
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer as serve } from '../../bindings/js/bin/serve.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

export function startServer({ port = 0, host = '127.0.0.1' } = {}) {
  return serve({ root, port, host });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--port');
  const { origin } = await startServer({ port: i > 0 ? Number(process.argv[i + 1]) : 8080 });
  console.log(`serving ${root} (read-only, cross-origin isolated)`);
  console.log(`  benchmarks: ${origin}/bench/web/            (add ?quick for a short run)`);
  console.log(`  demo:       ${origin}/examples/web/`);
  console.log(`  fallback:   ${origin}/plain/examples/web/   (no COOP/COEP: single-threaded build)`);
}
