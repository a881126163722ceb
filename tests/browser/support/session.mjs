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
  const session = {};
  before(async () => {
    Object.assign(session, await openBrowserSession(startServer));
  });
  after(async () => {
    await session.close?.();
  });
  return session;
}
