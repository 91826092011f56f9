// usage: node ab.mjs RUNS 'label=cmd' 'label=cmd' ...  (cwd and env inherited); alternates, reports median wall and cpu
import { spawnSync } from 'node:child_process';
const runs = Number(process.argv[2]);
const cases = process.argv.slice(3).map((s) => { const i = s.indexOf('='); return { label: s.slice(0, i), cmd: s.slice(i + 1), wall: [], cpu: [] }; });
for (let r = 0; r < runs + 1; r++) for (const c of cases) {
  const res = spawnSync('/usr/bin/time', ['-f', '%e %U %S', 'sh', '-c', c.cmd + ' >/dev/null'], { encoding: 'utf8' });
  const line = res.stderr.trim().split('\n').pop().split(' ').map(Number);
  if (res.status !== 0) { console.error(c.label, 'failed', res.stderr); process.exit(1); }
  if (r > 0) { c.wall.push(line[0] * 1000); c.cpu.push((line[1] + line[2]) * 1000); }
}
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
const base = cases[0];
for (const c of cases) console.log(`${c.label.padEnd(14)} wall ${med(c.wall).toFixed(0).padStart(5)} ms (${(med(c.wall) / med(base.wall)).toFixed(2)}x)  cpu ${med(c.cpu).toFixed(0).padStart(5)} ms (${(med(c.cpu) / med(base.cpu)).toFixed(2)}x)`);
