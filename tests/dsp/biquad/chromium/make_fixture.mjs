// Regenerates tests/dsp/biquad/data/chromium_biquad.{json,f32}: Chromium's
// BiquadFilterNode output and getFrequencyResponse for every case in
// cases.mjs. Run from the repository root: node tests/dsp/biquad/chromium/make_fixture.mjs
//
// Layout: the .f32 file is little-endian float32; the JSON index gives, for
// every case, its parameters (as the AudioParams read them back, float32) and
// the float offsets of its output (frames), magnitude and phase (grid size,
// NaN where Chromium answers NaN). The shared input and each rate's frequency
// grid are stored once. Each case sits on one line of the index so that the
// C++ tests can read it without a JSON parser.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allCases, renderInChromium, FRAMES, SEED } from './cases.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, '..', 'data');
mkdirSync(dataDir, { recursive: true });

const cases = allCases();
const { input, results, version, grids } = await renderInChromium(cases);

const floats = [];
const put = (arr) => {
  const offset = floats.length;
  for (const v of arr) floats.push(v === null ? NaN : v);
  return offset;
};
const index = {
  generator: 'tests/dsp/biquad/chromium/make_fixture.mjs',
  chromium: version,
  frames: FRAMES,
  seed: SEED,
  input: put(input),
  grids: Object.fromEntries(Object.entries(grids).map(([rate, g]) => [rate, { offset: put(g), size: g.length }])),
  cases: cases.map((c, i) => ({
    type: c.type,
    sample_rate: c.sampleRate,
    ...results[i].params,
    output: put(results[i].output),
    magnitude: put(results[i].mag),
    phase: put(results[i].phase),
  })),
};
const buf = Buffer.from(new Float32Array(floats).buffer);
writeFileSync(join(dataDir, 'chromium_biquad.f32'), buf);
// One case per line, so the C++ tests read it without a JSON library.
const { cases: caseList, ...head } = index;
const json = JSON.stringify(head, null, 1).replace(/\n}$/, ',\n "cases": [\n') +
  caseList.map((c) => '  ' + JSON.stringify(c)).join(',\n') + '\n ]\n}\n';
writeFileSync(join(dataDir, 'chromium_biquad.json'), json);
console.log(`${cases.length} cases, ${buf.length} bytes of float32 (Chromium ${version})`);
