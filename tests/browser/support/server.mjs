// The browser tests' server: quaver-dsp's own dev server
// (bindings/js/bin/serve.mjs) on the repository, on 127.0.0.1 and a free
// port. Paths under /isolated/ get COOP + COEP (SharedArrayBuffer, WASM
// threads), paths under /plain/ do not; /…/blank.html is an empty page.
import { fileURLToPath } from 'node:url';
import { startServer as serve } from '../../../bindings/js/bin/serve.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export function startServer() {
  return serve({ root, pages: { '/blank.html': '<!doctype html><title>quaver-dsp</title>' } });
}
