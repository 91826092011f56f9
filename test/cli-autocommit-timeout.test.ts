/**
 * An autocommit block (CREATE INDEX CONCURRENTLY) runs outside any transaction, so the SET LOCAL timeouts of a
 * revision do not reach it: a role's or database's statement_timeout (a common production setting) cancelled the
 * build and left an INVALID index. `revisionStatementTimeout` now applies to the block too, 0 meaning none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, revisionSource, type TestProject } from './helpers/project.js';

function writeConfig(p: TestProject, extra: string): void {
  writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], ${extra} });\n`);
}

test('revisionStatementTimeout reaches an autocommit block, so an inherited statement_timeout cannot cancel a concurrent index build', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    const db = (await p.query<{ d: string }>('SELECT current_database() AS d'))[0]!.d;
    // A build that takes about 0.4 s (20 rows, an index expression sleeping 20 ms a row) under a 100 ms timeout.
    await p.query(`CREATE FUNCTION slow(n integer) RETURNS integer IMMUTABLE LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.02); RETURN n; END $$`);
    await p.query('CREATE TABLE items (id integer PRIMARY KEY, n integer)');
    await p.query('INSERT INTO items SELECT g, g FROM generate_series(1, 20) g');
    await p.query(`ALTER DATABASE "${db}" SET statement_timeout = '100ms'`);
    p.writeRevision('a00000000001_slow_index.ts', revisionSource('a00000000001', null, 'slow index',
      `  op.autocommitBlock((op) => op.execute('CREATE INDEX CONCURRENTLY ix_items_slow ON items (slow(n))'));`,
      `  op.autocommitBlock((op) => op.execute('DROP INDEX CONCURRENTLY ix_items_slow'));`));
    // Without the setting the session's 100 ms applies (and says so).
    const inherited = await p.retort('upgrade', 'head');
    assert.equal(inherited.code, 1, inherited.stderr);
    assert.match(inherited.stderr, /statement timeout/);
    await p.query('DROP INDEX IF EXISTS ix_items_slow');
    writeConfig(p, `revisionStatementTimeout: 0`);
    const sql = await p.retort('upgrade', 'base:head', '--sql');
    assert.equal(sql.code, 0, sql.stderr);
    assert.match(sql.stdout, /SET statement_timeout = '0ms';\s+CREATE INDEX CONCURRENTLY ix_items_slow ON items \(slow\(n\)\);\s+RESET statement_timeout;/);
    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    const valid = await p.query<{ v: boolean }>(`SELECT indisvalid AS v FROM pg_index WHERE indexrelid = 'ix_items_slow'::regclass`);
    assert.deepEqual(valid, [{ v: true }]);
  } finally {
    await p.cleanup();
  }
});

test('a concurrent build whose name a different index already has fails, naming it, instead of keeping it (and dropping it on downgrade)', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    await p.query('CREATE TABLE orders (id integer PRIMARY KEY, amount integer, code text)');
    await p.query('CREATE INDEX ix_tmp ON orders (amount)'); // made by hand
    p.writeRevision('a00000000002_ix.ts', revisionSource('a00000000002', null, 'ix',
      `  op.autocommitBlock((op) => op.createIndex('ix_tmp', 'orders', ['code'], { concurrently: true }));`,
      `  op.autocommitBlock((op) => op.dropIndex('ix_tmp', 'orders', { concurrently: true }));`));
    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 1, up.stderr);
    assert.match(up.stderr, /database: index ix_tmp exists but is not the one this revision creates \(on orders \(code\)\): IF NOT EXISTS kept it; rename or drop it, then run again/);
    assert.deepEqual(await p.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_tmp'`), [{ indexdef: 'CREATE INDEX ix_tmp ON public.orders USING btree (amount)' }]);
    // Once the other index is out of the way the block runs again (the build, then the check), as on a resume.
    await p.query('DROP INDEX ix_tmp');
    const again = await p.retort('upgrade', 'head');
    assert.equal(again.code, 0, again.stderr);
    const twice = await p.retort('upgrade', 'head');
    assert.equal(twice.code, 0, twice.stderr);
  } finally {
    await p.cleanup();
  }
});
