import { readFileSync } from 'node:fs';
const rows = readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => l.split(/\s+/));
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) / 2)];
const g = new Map();
for (const [b, db, wall, u, s] of rows) { if (isNaN(+wall)) continue; const k = `${db} ${b}`; if (!g.has(k)) g.set(k, { w: [], c: [] }); g.get(k).w.push(+wall); g.get(k).c.push(+u + +s); }
for (const [k, v] of g) console.log(`${k.padEnd(20)} n=${v.w.length} wall median ${(med(v.w) * 1000).toFixed(0)} ms [${v.w.map((x) => (x * 1000).toFixed(0)).join(' ')}]  cpu median ${(med(v.c) * 1000).toFixed(0)} ms`);
