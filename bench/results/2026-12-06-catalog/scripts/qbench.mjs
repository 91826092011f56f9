// Alternating A/B of SQL files against a db: wall ms (round trip incl. client parse) and client CPU ms, medians.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire('/work/main/node_modules/');
const pg = require('pg');
const [db, K, ...files] = process.argv.slice(2);
const sqls = files.map((f) => readFileSync(f, 'utf8'));
const c = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:5432/${db}` });
await c.connect();
await c.query('SET jit = off');
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) / 2)];
const wall = sqls.map(() => []), cpu = sqls.map(() => []);
let wire = 0; c.connection.stream.on('data', (d) => { wire += d.length; });
const bytes = sqls.map(() => 0);
for (let k = 0; k < Number(K); k++) for (const [i, s] of sqls.entries()) {
  wire = 0; const u = process.cpuUsage(); const t = performance.now();
  const r = await c.query(s);
  wall[i].push(performance.now() - t); const d = process.cpuUsage(u); cpu[i].push((d.user + d.system) / 1000); bytes[i] = wire;
  if (k === 0) { const rows = Array.isArray(r) ? r.reduce((s, x) => s + x.rows.length, 0) : r.rows.length; console.log(files[i], 'rows', rows); }
}
await c.end();
for (const [i, f] of files.entries()) console.log(`${f.padEnd(30)} wall ${med(wall[i]).toFixed(1)} ms  client cpu ${med(cpu[i]).toFixed(1)} ms  wire ${bytes[i]}`);
