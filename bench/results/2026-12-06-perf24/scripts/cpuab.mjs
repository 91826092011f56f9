// Alternating CPU A/B: node cpuab.mjs ROUNDS spec.json ; spec: [{name, cwd, argv:[...], env:{}}]
// Each process timed by GNU time (user+sys, wall, maxrss); medians and the median of per-round ratios to the first variant.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
const [rounds, specFile] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(specFile, 'utf8'));
const res = Object.fromEntries(spec.map((s) => [s.name, []]));
const run = (s) => {
  if (s.pre) spawnSync(s.pre[0], s.pre.slice(1), { cwd: s.cwd });
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %e %M', ...s.argv], { cwd: s.cwd, env: { ...process.env, ...(s.env ?? {}) }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const last = r.stderr.trim().split('\n').pop();
  const [u, sy, e, m] = last.split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${s.name} failed: ${r.stderr}`);
  return { cpu: (u + sy) * 1000, wall: e * 1000, rss: m / 1024 };
};
for (const s of spec) run(s); // warm-up
for (let i = 0; i < Number(rounds); i++) for (const s of spec) res[s.name].push(run(s));
const med = (a) => { const b = [...a].sort((x, y) => x - y); const n = b.length; return n % 2 ? b[(n - 1) / 2] : (b[n / 2 - 1] + b[n / 2]) / 2; };
const base = spec[0].name;
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`rounds ${rounds}, load at end ${load}`);
for (const s of spec) {
  const r = res[s.name];
  const ratios = r.map((x, i) => x.cpu / res[base][i].cpu);
  console.log(`${s.name.padEnd(28)} cpu ${med(r.map((x) => x.cpu)).toFixed(0).padStart(5)} ms [${Math.min(...r.map((x) => x.cpu)).toFixed(0)}-${Math.max(...r.map((x) => x.cpu)).toFixed(0)}]  wall ${med(r.map((x) => x.wall)).toFixed(0).padStart(5)} ms  rss ${med(r.map((x) => x.rss)).toFixed(0)} MB  cpu/${base} ${med(ratios).toFixed(2)}`);
}
