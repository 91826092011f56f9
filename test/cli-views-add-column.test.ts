/**
 * Adding a column under views: PostgreSQL keeps a view's columns as it was created, so neither the ADD COLUMN nor
 * the downgrade's DROP COLUMN of that new column touches the views over the table. Autogenerate used to drop and
 * create them around the add (refilling a materialized view, which can take long on a large table); it leaves them
 * alone now, and changes only a view whose own query changes. SQLite, whose rebuilds rename tables under views,
 * still moves them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, writeModels } from './helpers/project.js';

const models = (extraColumn: string, vQuery: string) => `import { table, integer, text, view, materializedView, sql } from 'retort-migrate';
export const t = table('t', { id: integer().primaryKey(), a: integer()${extraColumn} });
export const mv = materializedView('mv', sql\`SELECT id, a FROM t\`);
export const v = view('v', sql\`${vQuery}\`);
export const w = view('w', sql\`SELECT id FROM t\`);
`;

test('an added column leaves the views and materialized views over its table alone (PostgreSQL), both ways', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    writeModels(p, models('', 'SELECT id FROM t'));
    assert.equal((await p.retort('revision', '--autogenerate', '-m', 'start')).code, 0);
    assert.equal((await p.retort('upgrade', 'head')).code, 0);
    await p.query('INSERT INTO t VALUES (1, 10)');
    await p.query('REFRESH MATERIALIZED VIEW mv');
    const mvOid = (await p.query<{ oid: string }>(`SELECT 'mv'::regclass::oid::text AS oid`))[0]!.oid;
    // b added; v now reads it (its own query changes), w and mv do not.
    writeModels(p, models(', b: text()', 'SELECT id, b FROM t'));
    const r = await p.retort('revision', '--autogenerate', '-m', 'add b');
    assert.equal(r.code, 0, r.stderr);
    const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.endsWith('_add_b.ts'))!;
    const text = readFileSync(path.join(p.dir, 'migrations', file), 'utf8');
    assert.match(text, /op\.addColumn\('t', 'b', text\(\)\);/);
    assert.doesNotMatch(text, /dropMaterializedView|createMaterializedView|dropView\('w'\)|createView\('w'/, text);
    for (const [args, at] of [[['upgrade', 'head'], 'head'], [['downgrade', '-1'], 'start'], [['upgrade', 'head'], 'head again']] as const) {
      const run = await p.retort(...args);
      assert.equal(run.code, 0, `${at}: ${run.stderr}`);
    }
    await checkClean(p);
    // The materialized view is the same object, its rows kept (not refilled).
    assert.equal((await p.query<{ oid: string }>(`SELECT 'mv'::regclass::oid::text AS oid`))[0]!.oid, mvOid);
    assert.deepEqual(await p.query('SELECT id, a FROM mv'), [{ id: 1, a: 10 }]);
  } finally {
    await p.cleanup();
  }
});
