// Makes sure bindings/js/dist holds the WASM builds (the build script skips
// builds whose inputs did not change, so this is quick when they are current).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
let built = false;

export function ensureDist() {
  if (built) return;
  execFileSync('bash', ['bindings/js/scripts/build-wasm.sh'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}
