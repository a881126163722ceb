// Draws the benchmark summary as an SVG bar chart, by hand (no dependencies):
// for one representative size of each kernel, on each platform, one bar per
// peer of peer time / Quaver time on a log axis. Bars right of 1 (green):
// Quaver is faster; left (red): the peer is.
// Usage: node bench/chart.mjs [bench/results/summary.json] [out.svg]
//        (bench/report.mjs calls drawChart itself and writes bench/results/chart.svg)
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

// The size shown per kernel: a typical audio block or FFT frame.
const PREFERRED = {
  fft_real: '1024',
  fft_complex: '1024',
  eq_cascade: '8/128',
  convolver: '128/48000',
  biquad_mono: '128',
  biquad_8ch: '128',
  analyser_frame: '2048',
  audio_ring_js: '128f_2ch',
  audio_ring_js_one_thread: '128f_2ch',
};
const PLATFORM_ORDER = ['native', 'node', 'chromium'];

const escape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Returns the SVG text for summary rows [{ platform, kernel, param, impls: { impl: ns } }]. */
export function drawChart(rows, { title = 'Quaver vs peers' } = {}) {
  // One group per kernel + platform, at the preferred param (or the first with peers).
  const byKey = new Map();
  for (const r of rows) {
    const impls = Object.entries(r.impls);
    const base = r.impls.quaver ?? impls.find(([i]) => i.startsWith('quaver'))?.[1];
    const peers = impls.filter(([i]) => !i.startsWith('quaver'));
    if (!base || !peers.length) continue;
    const key = `${r.kernel}\u0000${r.platform}`;
    const want = PREFERRED[r.kernel];
    const have = byKey.get(key);
    const better = !have || (want !== undefined && r.param === want && have.param !== want);
    if (better) byKey.set(key, { ...r, bars: peers.map(([impl, ns]) => ({ impl, ratio: ns / base })) });
  }
  const groups = [...byKey.values()].sort(
    (a, b) => a.kernel.localeCompare(b.kernel) || PLATFORM_ORDER.indexOf(a.platform) - PLATFORM_ORDER.indexOf(b.platform),
  );

  const barH = 14;
  const gap = 10;
  const labelW = 340;
  const plotW = 520;
  const textW = 300;
  const top = 56;
  const ratios = groups.flatMap((g) => g.bars.map((b) => b.ratio));
  // The axis spans 1/64 .. 64 at most; a bar beyond ends at the edge (its label gives the value).
  const lo = Math.max(1 / 64, Math.min(0.25, ...ratios.map((r) => r * 0.8)));
  const hi = Math.min(64, Math.max(4, ...ratios.map((r) => r * 1.25)));
  const x = (r) => labelW + ((Math.log(r) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * plotW;
  const height = top + groups.reduce((h, g) => h + g.bars.length * barH + gap, 0) + 30;
  const width = labelW + plotW + textW;

  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`);
  out.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  out.push(`<text x="10" y="20" font-size="15" font-weight="bold">${escape(title)}</text>`);
  out.push(`<text x="10" y="38" fill="#555">peer time / Quaver time, log scale: right of 1 (green) Quaver is faster, left (red) the peer is</text>`);
  // Grid: powers of two within range.
  for (let e = Math.ceil(Math.log2(lo)); e <= Math.floor(Math.log2(hi)); ++e) {
    const r = 2 ** e;
    const gx = x(r).toFixed(1);
    out.push(`<line x1="${gx}" x2="${gx}" y1="${top - 6}" y2="${height - 24}" stroke="${e === 0 ? '#333' : '#ddd'}" stroke-width="${e === 0 ? 1.5 : 1}"/>`);
    out.push(`<text x="${gx}" y="${height - 10}" text-anchor="middle" fill="#555">${r >= 1 ? r : `1/${1 / r}`}</text>`);
  }
  let y = top;
  groups.forEach((g, i) => {
    const h = g.bars.length * barH;
    if (i % 2) out.push(`<rect x="0" y="${y - gap / 2}" width="${width}" height="${h + gap}" fill="#f6f6f6" opacity="0.6"/>`);
    out.push(`<text x="10" y="${y + h / 2 + 4}" font-weight="bold">${escape(g.kernel)}${g.param ? `/${escape(g.param)}` : ''}</text>`);
    out.push(`<text x="${labelW - 8}" y="${y + h / 2 + 4}" text-anchor="end" fill="#555">${escape(g.platform)}</text>`);
    for (const b of g.bars) {
      const x0 = x(1);
      const x1 = x(Math.min(hi, Math.max(lo, b.ratio)));
      const fill = b.ratio >= 1 ? '#2e8b57' : '#c0392b';
      out.push(`<rect x="${Math.min(x0, x1).toFixed(1)}" y="${y + 2}" width="${Math.max(1, Math.abs(x1 - x0)).toFixed(1)}" height="${barH - 4}" fill="${fill}"/>`);
      out.push(`<text x="${labelW + plotW + 6}" y="${y + barH - 3}">${escape(b.impl)} ${b.ratio.toFixed(2)}x</text>`);
      y += barH;
    }
    y += gap;
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const input = process.argv[2] ?? 'bench/results/summary.json';
  const output = process.argv[3] ?? 'bench/results/chart.svg';
  const { rows, machine } = JSON.parse(fs.readFileSync(input, 'utf8'));
  fs.writeFileSync(output, drawChart(rows, { title: `Quaver vs peers (${machine.split(',')[0]})` }));
  console.log(`wrote ${output}`);
}
