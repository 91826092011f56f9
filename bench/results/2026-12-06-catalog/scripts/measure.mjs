// Per catalog query of a captured batch: rows, text bytes, EXPLAIN ANALYZE planning/execution medians, top plan nodes;
// then the whole batch as one request: round-trip median and wire bytes received.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire('/work/main/node_modules/');
const pg = require('pg');
const [batchFile, db, K = '5', detail = ''] = process.argv.slice(2);
const batch = JSON.parse(readFileSync(batchFile, 'utf8'));
const c = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:5432/${db}` });
await c.connect();
await c.query('SET jit = off');
const label = (sql) => { const m = /AS (name|table_name)[\s\S]*?FROM (pg_\w+)/.exec(sql); return sql.includes('WITH ix') ? 'indexes' : sql.includes('pg_attribute a\nJOIN pg_class') ? 'columns' : sql.includes('seqstart') && sql.includes('FROM pg_sequence') ? 'sequences' : (m ? m[2] : sql.slice(0, 30)); };
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) / 2)];
const out = [];
for (const sql of batch.slice(1)) {
  const plan = [], exec = [];
  let rows = 0;
  for (let k = 0; k < Number(K); k++) {
    const f = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:5432/${db}` }); await f.connect(); await f.query('SET jit = off');
    const r = await f.query(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${sql}`); await f.end();
    const p = r.rows[0]['QUERY PLAN'][0];
    plan.push(p['Planning Time']); exec.push(p['Execution Time']); rows = p.Plan['Actual Rows'];
  }
  const size = (await c.query(`SELECT count(*)::int AS n, coalesce(sum(octet_length(t::text)), 0)::int AS bytes FROM (${sql}) t`)).rows[0];
  let top = [];
  if (detail) {
    const f = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:5432/${db}` }); await f.connect(); await f.query('SET jit = off');
    const last = (await f.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`)).rows[0]['QUERY PLAN'][0]; await f.end();
    const nodes = [];
    const walk = (n) => { const kids = n.Plans ?? []; const total = n['Actual Total Time'] * (n['Actual Loops'] ?? 1); const own = total - kids.reduce((s, k) => s + k['Actual Total Time'] * (k['Actual Loops'] ?? 1), 0); nodes.push(`${own.toFixed(1)}ms ${n['Node Type']}${n['Relation Name'] ? ' on ' + n['Relation Name'] : ''}${n['Index Name'] ? ' using ' + n['Index Name'] : ''} loops=${n['Actual Loops']} rows=${n['Actual Rows']}${n['Subplan Name'] ? ' ' + n['Subplan Name'] : ''}`); kids.forEach(walk); };
    walk(last.Plan);
    top = nodes.sort((a, b) => parseFloat(b) - parseFloat(a)).slice(0, 4);
  }
  out.push({ query: label(sql), rows: size.n, textBytes: size.bytes, planMs: +med(plan).toFixed(1), execMs: +med(exec).toFixed(1), top });
}
let wire = 0;
c.connection.stream.on('data', (d) => { wire += d.length; });
const whole = [];
await c.end();
for (let k = 0; k < Number(K); k++) { const f = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:5432/${db}` }); await f.connect(); f.connection.stream.on('data', (d) => { wire += d.length; }); wire = 0; const t = performance.now(); await f.query(batch.join('\n;\n')); whole.push(performance.now() - t); await f.end(); }
for (const q of out) console.log(`${q.query.padEnd(14)} rows ${String(q.rows).padStart(6)}  bytes ${String(q.textBytes).padStart(8)}  plan ${String(q.planMs).padStart(5)}  exec ${String(q.execMs).padStart(6)} ${q.top.length ? '\n    ' + q.top.join('\n    ') : ''}`);
console.log(`sum plan ${out.reduce((s, q) => s + q.planMs, 0).toFixed(1)} ms, exec ${out.reduce((s, q) => s + q.execMs, 0).toFixed(1)} ms, text bytes ${out.reduce((s, q) => s + q.textBytes, 0)}, rows ${out.reduce((s, q) => s + q.rows, 0)}; batch round trip median ${med(whole).toFixed(1)} ms [${whole.map((x) => x.toFixed(0)).join(' ')}], wire bytes ${wire}`);
