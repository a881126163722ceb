// Writes dist/ring.cjs, the CommonJS twin of src/ring.js, for require().
// src/ring.js is an ES module (the AudioWorklet imports it as one); its
// top-level `export` keywords are the only thing to translate.
import fs from 'node:fs';

const src = new URL('../src/ring.js', import.meta.url);
const out = new URL('../dist/ring.cjs', import.meta.url);
const text = fs.readFileSync(src, 'utf8');
const names = [...text.matchAll(/^export (?:const|class|function) (\w+)/gm)].map((m) => m[1]);
if (names.length === 0 || /^export (?!const|class|function)/m.test(text)) {
  throw new Error('build-cjs: src/ring.js uses an export form this script does not translate');
}
const body = text.replace(/^export (const|class|function) /gm, '$1 ');
fs.mkdirSync(new URL('../dist/', import.meta.url), { recursive: true });
fs.writeFileSync(out, `'use strict';\n// Generated from src/ring.js by scripts/build-cjs.mjs; do not edit.\n${body}\nmodule.exports = { ${names.join(', ')} };\n`);
