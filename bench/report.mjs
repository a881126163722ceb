// Prints one side-by-side table from every result file in a folder:
// Google Benchmark JSON (native-*.json) and Quaver's JS result files
// ({ platform, results: [{ kernel, impl, param, ns }] }, from node and Chromium).
// A native benchmark is named "kernel/impl[/param...]".
// One row per kernel and param; one column per platform (native, node,
// chromium) holding Quaver's time and each peer's ratio.
// Ratio = peer time / Quaver time: above 1 means Quaver is faster.
// Writes <dir>/summary.json, <dir>/table.md (markdown for bench/RESULTS.md)
// and <dir>/chart.svg (bench/chart.mjs).
// Usage: node bench/report.mjs <results-dir> [--markdown out.md]
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { drawChart } from './chart.mjs';

const dir = process.argv[2] ?? 'bench/results';
const mdIndex = process.argv.indexOf('--markdown');
const mdOut = mdIndex > 0 ? process.argv[mdIndex + 1] : path.join(dir, 'table.md');

const unitToNs = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
const rows = []; // { platform, kernel, impl, param, ns }
const platformInfo = {};

for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'summary.json').sort()) {
  const data = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  if (Array.isArray(data.benchmarks)) {
    for (const b of data.benchmarks) {
      if (b.run_type === 'aggregate' || b.error_occurred) continue;
      const [kernel, impl = 'quaver', ...rest] = b.name.split('/');
      const param = rest.filter((p) => !/^(real_time|manual_time|threads:\d+|min_time:.*|iterations:\d+|repeats:\d+)$/.test(p)).join('/');
      rows.push({ platform: 'native', kernel, impl, param, ns: b.real_time * (unitToNs[b.time_unit] ?? 1) });
    }
  } else if (Array.isArray(data.results)) {
    if (data.userAgent) platformInfo[data.platform] = data.userAgent.replace(/^.*(HeadlessChrome|Chrome)\/(\S+).*$/, 'Chromium $2');
    for (const r of data.results) rows.push({ platform: data.platform ?? 'js', ...r, param: String(r.param ?? '') });
  }
}

const PLATFORMS = ['native', 'node', 'chromium'];
const platforms = [...new Set(rows.map((r) => r.platform))].sort(
  (a, b) => (PLATFORMS.indexOf(a) + 1 || 99) - (PLATFORMS.indexOf(b) + 1 || 99) || a.localeCompare(b),
);

// kernel + param -> platform -> impl -> ns
const groups = new Map();
for (const r of rows) {
  const key = `${r.kernel}\u0000${r.param}`;
  if (!groups.has(key)) groups.set(key, { kernel: r.kernel, param: r.param, byPlatform: new Map() });
  const g = groups.get(key);
  if (!g.byPlatform.has(r.platform)) g.byPlatform.set(r.platform, new Map());
  g.byPlatform.get(r.platform).set(r.impl, r.ns);
}
const sorted = [...groups.values()].sort(
  (a, b) => a.kernel.localeCompare(b.kernel) || a.param.localeCompare(b.param, undefined, { numeric: true }),
);

const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} us` : `${ns.toFixed(1)} ns`);
const isOwn = (impl) => impl.startsWith('quaver');

// Quaver's reference time on one platform: impl "quaver", else the first of ours.
export function baseOf(impls) {
  if (impls.has('quaver')) return ['quaver', impls.get('quaver')];
  return [...impls.entries()].find(([impl]) => isOwn(impl)) ?? null;
}

function cell(impls) {
  if (!impls) return '';
  const base = baseOf(impls);
  const parts = [];
  if (base) parts.push(`**${fmt(base[1])}**`);
  for (const [impl, ns] of impls) {
    if (base && impl === base[0]) continue;
    parts.push(base ? `${impl} ${(ns / base[1]).toFixed(2)}x` : `${impl} ${fmt(ns)}`);
  }
  return parts.join(', ');
}

const header = ['kernel', 'param', ...platforms];
const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
const summary = [];
for (const g of sorted) {
  lines.push(`| ${g.kernel} | ${g.param || '-'} | ${platforms.map((p) => cell(g.byPlatform.get(p))).join(' | ')} |`);
  for (const [platform, impls] of g.byPlatform) {
    summary.push({ platform, kernel: g.kernel, param: g.param, impls: Object.fromEntries(impls) });
  }
}

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}${platformInfo.chromium ? `, ${platformInfo.chromium}` : ''}`;
const legend =
  "Each platform cell: **Quaver's time** (impl `quaver`), then every other implementation as its time / " +
  "Quaver's time: above 1 means Quaver is faster. Names starting with `quaver_` are Quaver's own variants.";
const table = lines.join('\n');
console.log(`\nQuaver benchmarks on ${machine}\n(ratio = peer time / Quaver time; above 1 means Quaver is faster)\n`);
console.log(table.replaceAll('**', ''));
fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ machine, date: new Date().toISOString(), rows: summary }, null, 1));
fs.writeFileSync(mdOut, `Machine: ${machine}\n\n${legend}\n\n${table}\n`);
const chart = path.join(dir, 'chart.svg');
fs.writeFileSync(chart, drawChart(summary, { title: `Quaver vs peers (${machine.split(',')[0]})` }));
console.log(`\nwrote ${path.join(dir, 'summary.json')}, ${mdOut}, ${chart}`);
