// Prints one side-by-side table from every result file in a folder:
// Google Benchmark JSON (native-*.json) and Quaver's JS result files
// ({ platform, results: [{ kernel, impl, param, ns }] }).
// A native benchmark is named "kernel/impl[/param...]".
// Ratio = peer time / Quaver time: above 1 means Quaver is faster.
// Usage: node bench/report.mjs <results-dir> [--markdown out.md]
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';

const dir = process.argv[2] ?? 'bench/results';
const mdIndex = process.argv.indexOf('--markdown');
const mdOut = mdIndex > 0 ? process.argv[mdIndex + 1] : null;

const unitToNs = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
const rows = [];  // { platform, kernel, impl, param, ns }

for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'summary.json').sort()) {
  const data = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  if (Array.isArray(data.benchmarks)) {
    for (const b of data.benchmarks) {
      if (b.run_type === 'aggregate' || b.error_occurred) continue;
      const [kernel, impl = 'quaver', ...rest] = b.name.split('/');
      const param = rest.filter((p) => !/^(real_time|manual_time|threads:\d+|min_time:.*|iterations:\d+)$/.test(p)).join('/');
      rows.push({ platform: 'native', kernel, impl, param, ns: b.real_time * (unitToNs[b.time_unit] ?? 1) });
    }
  } else if (Array.isArray(data.results)) {
    for (const r of data.results) rows.push({ platform: data.platform ?? 'js', ...r, param: String(r.param ?? '') });
  }
}

const groups = new Map();
for (const r of rows) {
  const key = `${r.platform}\u0000${r.kernel}\u0000${r.param}`;
  if (!groups.has(key)) groups.set(key, { platform: r.platform, kernel: r.kernel, param: r.param, impls: new Map() });
  groups.get(key).impls.set(r.impl, r.ns);
}

const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} us` : `${ns.toFixed(1)} ns`);
const lines = [];
const header = ['platform', 'kernel', 'param', 'quaver', 'peers (time, peer/quaver)'];
lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
const summary = [];
for (const g of [...groups.values()].sort((a, b) => a.kernel.localeCompare(b.kernel) || a.platform.localeCompare(b.platform) || a.param.localeCompare(b.param, undefined, { numeric: true }))) {
  const own = [...g.impls.entries()].filter(([impl]) => impl.startsWith('quaver'));
  const peers = [...g.impls.entries()].filter(([impl]) => !impl.startsWith('quaver'));
  const base = own.length ? own[0][1] : null;
  const ownText = own.map(([impl, ns]) => (impl === 'quaver' ? fmt(ns) : `${impl.replace(/^quaver[-_]?/, '')}: ${fmt(ns)}`)).join(', ') || '-';
  const peerText = peers.map(([impl, ns]) => `${impl} ${fmt(ns)}${base ? ` (${(ns / base).toFixed(2)}x)` : ''}`).join('; ') || '-';
  lines.push(`| ${g.platform} | ${g.kernel} | ${g.param || '-'} | ${ownText} | ${peerText} |`);
  summary.push({ platform: g.platform, kernel: g.kernel, param: g.param, impls: Object.fromEntries(g.impls) });
}

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
const table = lines.join('\n');
console.log(`\nQuaver benchmarks on ${machine}\n(ratio = peer time / Quaver time; above 1 means Quaver is faster)\n`);
console.log(table);
fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ machine, date: new Date().toISOString(), rows: summary }, null, 1));
if (mdOut) fs.writeFileSync(mdOut, `Machine: ${machine}\n\n${table}\n`);
