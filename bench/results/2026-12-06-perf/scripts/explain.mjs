// EXPLAIN (ANALYZE, BUFFERS) each catalog query of the batch, K times; prints median planning/execution ms per query,
// the whole batch's server time through psql-like single request, and the costliest plan nodes.
import { createRequire } from 'node:module';
const require = createRequire('/work/main/node_modules/');
const pg = require('pg');
const [batchFile, db, K = '5'] = process.argv.slice(2);
const batch = (await import(batchFile, { with: { type: 'json' } })).default;
const c = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:5432/${db}` });
await c.connect();
await c.query('SET jit = off');
const names = ['tables', 'columns', 'constraints', 'indexes', 'enums', 'sequences', 'views'];
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) / 2)];
const out = [];
for (const [i, sql] of batch.slice(1).entries()) {
  const plan = [], exec = [], rows = [];
  let last;
  for (let k = 0; k < Number(K); k++) {
    const r = await c.query(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${sql}`);
    const p = r.rows[0]['QUERY PLAN'][0];
    plan.push(p['Planning Time']); exec.push(p['Execution Time']); rows.push(p.Plan['Actual Rows']);
  }
  // one more run with per-node clocks (they inflate nodes with many loops) for where the time goes
  last = (await c.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`)).rows[0]['QUERY PLAN'][0];
  // the plan nodes with the largest own time (total - children) in the last run
  const nodes = [];
  const walk = (n) => { const kids = n.Plans ?? []; const total = n['Actual Total Time'] * (n['Actual Loops'] ?? 1); const own = total - kids.reduce((s, k) => s + k['Actual Total Time'] * (k['Actual Loops'] ?? 1), 0); nodes.push({ own: +own.toFixed(2), node: `${n['Node Type']}${n['Relation Name'] ? ' on ' + n['Relation Name'] : ''}${n['Index Name'] ? ' using ' + n['Index Name'] : ''}`, loops: n['Actual Loops'], rows: n['Actual Rows'] }); kids.forEach(walk); };
  walk(last.Plan);
  nodes.sort((a, b) => b.own - a.own);
  out.push({ query: names[i], rows: rows[0], planningMs: +med(plan).toFixed(2), executionMs: +med(exec).toFixed(2), top: nodes.slice(0, 3) });
}
// the batch as Retort sends it (one request), client-timed, K times
const whole = [];
for (let k = 0; k < Number(K); k++) { const t = performance.now(); await c.query(batch.join('\n;\n')); whole.push(performance.now() - t); }
await c.end();
console.log(JSON.stringify({ perQuery: out, sumPlanningMs: +out.reduce((s, q) => s + q.planningMs, 0).toFixed(1), sumExecutionMs: +out.reduce((s, q) => s + q.executionMs, 0).toFixed(1), batchRoundTripMedianMs: +med(whole).toFixed(1) }, null, 1));
