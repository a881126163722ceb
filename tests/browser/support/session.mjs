// The set-up every package test in Chromium shares: the WASM builds (rebuilt
// only when their inputs changed), a local server and one headless Chromium.
import { execFileSync } from 'node:child_process';
import { before, after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';

/** Builds the package, starts `startServer()` and Chromium; close() stops both. */
export async function openBrowserSession(startServer) {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  execFileSync('bash', ['bindings/js/scripts/build-wasm.sh'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const server = await startServer();
  const browser = await launchChromium();
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Opens one session for the calling test file (node:test before/after
 * hooks) and returns it; its `server` and `browser` are there once the
 * tests run.
 */
export function useBrowserSession(startServer) {
  const session = {
    /** A blank page under /isolated/ or /plain/; `entry` is the package's URL there. */
    async openPage(kind) {
      const page = await session.browser.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error));
      await page.goto(`${session.server.origin}/${kind}/blank.html`);
      return { page, errors, entry: `/${kind}/bindings/js/index.mjs` };
    },
  };
  before(async () => {
    Object.assign(session, await openBrowserSession(startServer));
  });
  after(async () => {
    await session.close?.();
  });
  return session;
}
