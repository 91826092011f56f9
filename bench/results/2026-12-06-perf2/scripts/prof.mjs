// usage: node prof.mjs dir... : sums self time by function (url:name:line) over all .cpuprofile in dirs, prints per-dir top
import { readdirSync, readFileSync } from 'node:fs';
const dirs = process.argv.slice(2); const tables = dirs.map((d) => { const t = new Map(); let n = 0;
  for (const f of readdirSync(d).filter((f) => f.endsWith('.cpuprofile'))) { n++; const p = JSON.parse(readFileSync(`${d}/${f}`, 'utf8'));
    const byId = new Map(p.nodes.map((x) => [x.id, x])); const dt = new Map();
    for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
    for (const [id, us] of dt) { const cf = byId.get(id).callFrame; const key = `${cf.url.replace(/.*\/(dist\/src|node_modules)\//, '')}:${cf.functionName || '(anon)'}:${cf.lineNumber}`; t.set(key, (t.get(key) ?? 0) + us / 1000); } }
  for (const [k, v] of t) t.set(k, v / n); return t; });
const keys = new Set(tables.flatMap((t) => [...t.keys()]));
const rows = [...keys].map((k) => [k, ...tables.map((t) => t.get(k) ?? 0)]);
const mode = process.env.MODE ?? 'diff';
rows.sort((a, b) => mode === 'diff' ? Math.abs(b[2] - b[1]) - Math.abs(a[2] - a[1]) : b[1] - a[1]);
for (const r of rows.slice(0, Number(process.env.TOP ?? 40))) console.log(r.slice(1).map((x) => x.toFixed(1).padStart(8)).join(' '), r[0]);
console.log('total', tables.map((t) => [...t.values()].reduce((a, b) => a + b, 0).toFixed(0)).join(' '));
// by file
const files = tables.map((t) => { const m = new Map(); for (const [k, v] of t) { const f = k.split(':')[0]; m.set(f, (m.get(f) ?? 0) + v); } return m; });
const fk = new Set(files.flatMap((t) => [...t.keys()])); const fr = [...fk].map((k) => [k, ...files.map((t) => t.get(k) ?? 0)]);
fr.sort((a, b) => Math.abs(b[2] - b[1]) - Math.abs(a[2] - a[1]));
console.log('--- by file'); for (const r of fr.slice(0, 25)) console.log(r.slice(1).map((x) => x.toFixed(1).padStart(8)).join(' '), r[0]);
