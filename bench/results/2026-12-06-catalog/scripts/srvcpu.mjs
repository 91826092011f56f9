// Server CPU (the backend's /proc/<pid>/schedstat run time) and client CPU of the catalog batch, on fresh backends,
// builds alternating, medians of K. Per query: the batch's statements sent one by one inside one transaction on the
// same fresh backend, the backend's CPU read between them.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire('/work/main/node_modules/');
const pg = require('pg');
const [db, K, ...files] = process.argv.slice(2);
const batches = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) / 2)];
const cpuOf = (pid) => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
const label = (sql) => sql.includes('WITH ix') ? 'indexes' : /AS attnum|a\.attnum, a\.attname/.test(sql) && sql.includes('FROM pg_attribute a\nJOIN pg_class') ? 'columns' : sql.includes('FROM pg_sequence sq') ? 'sequences' : sql.includes('FROM pg_constraint con\nJOIN pg_class c') ? 'constraints' : sql.includes('pg_enum') ? 'enums' : sql.includes("relkind IN ('v', 'm')") ? 'views' : sql.includes('FROM pg_proc') ? 'functions' : sql.includes('pg_trigger') ? 'triggers' : sql.includes("typtype = 'd'") ? 'domains' : sql.includes('pg_extension') ? 'extensions' : sql.includes('FROM pg_class c') ? 'tables' : sql.slice(0, 20).trim();
const res = batches.map((b) => ({ whole: [], client: [], per: b.map(() => []) }));
async function fresh() { const c = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:5432/${db}` }); await c.connect(); const pid = (await c.query('SELECT pg_backend_pid() AS p')).rows[0].p; return [c, pid]; }
for (let k = 0; k < Number(K); k++) for (const [i, b] of batches.entries()) {
  let [c, pid] = await fresh();
  const s0 = cpuOf(pid); const u = process.cpuUsage();
  await c.query(b.join('\n;\n'));
  const d = process.cpuUsage(u); res[i].whole.push(cpuOf(pid) - s0); res[i].client.push((d.user + d.system) / 1000);
  await c.end();
  [c, pid] = await fresh();
  await c.query('BEGIN');
  for (const [j, s] of b.entries()) { const t = cpuOf(pid); await c.query(s); res[i].per[j].push(cpuOf(pid) - t); }
  await c.query('ROLLBACK'); await c.end();
}
for (const [i, f] of files.entries()) {
  console.log(`== ${f}: server CPU of the batch ${med(res[i].whole).toFixed(1)} ms [${res[i].whole.map((x) => x.toFixed(0)).join(' ')}], client CPU ${med(res[i].client).toFixed(1)} ms`);
  console.log('   ' + batches[i].map((s, j) => `${label(s)} ${med(res[i].per[j]).toFixed(1)}`).join(', '));
}
