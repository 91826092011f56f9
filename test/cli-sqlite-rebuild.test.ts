/**
 * SQLite's limits through the CLI: a revision that changes what SQLite's ALTER
 * TABLE cannot runs as written, the parent's child rows survive the rebuild
 * (ON DELETE CASCADE must not fire), and --sql prints the whole rebuild.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createProject, revisionSource, type TestProject } from './helpers/project.js';

describe('SQLite table rebuilds through the CLI', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('sqlite', { empty: true });
    p.writeRevision(
      'aa0000000001_tables.ts',
      revisionSource(
        'aa0000000001',
        null,
        'parent and child',
        `  op.createTable('parent', { id: serial().primaryKey(), name: varchar(50), code: text() });
  op.createIndex('ix_parent_name', 'parent', ['name']);
  op.createTable('child', { id: serial().primaryKey(), parent_id: integer().notNull().references('parent.id', { onDelete: 'cascade' }) });
  op.execute("CREATE TRIGGER parent_code AFTER INSERT ON parent BEGIN UPDATE parent SET code = 'c' || NEW.id WHERE id = NEW.id; END");`,
        `  op.dropTable('child');
  op.dropTable('parent');`,
      ),
    );
    p.writeRevision(
      'aa0000000002_alter_parent.ts',
      revisionSource(
        'aa0000000002',
        'aa0000000001',
        'alter parent',
        `  op.alterColumn('parent', 'name', { type: varchar(120), nullable: false, existing: { type: varchar(50), nullable: true } });
  op.createCheckConstraint('ck_parent_name', 'parent', "length(name) > 0");
  op.createUniqueConstraint('uq_parent_name', 'parent', ['name']);`,
        `  op.dropConstraint('uq_parent_name', 'parent', 'unique');
  op.dropConstraint('ck_parent_name', 'parent', 'check');
  op.alterColumn('parent', 'name', { type: varchar(50), nullable: true, existing: { type: varchar(120), nullable: false } });`,
      ),
    );
  });
  after(async () => {
    await p.cleanup();
  });

  test('altering a parent keeps every child row, the index, the trigger and the AUTOINCREMENT counter', async () => {
    assert.equal((await p.retort('upgrade', 'aa0000000001')).code, 0);
    await p.query(`PRAGMA foreign_keys = ON`);
    for (let i = 1; i <= 5; i++) await p.query(`INSERT INTO parent (name) VALUES ('p${i}')`);
    await p.query(`DELETE FROM parent WHERE id = 5`);
    for (let i = 1; i <= 4; i++) await p.query(`INSERT INTO child (parent_id) VALUES (${i}), (${i})`);

    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    assert.equal((await p.query<{ n: number }>('SELECT count(*) AS n FROM child'))[0]!.n, 8, 'child rows survive');
    assert.deepEqual(await p.query('PRAGMA foreign_key_check'), []);
    assert.deepEqual(await p.query('PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
    const sql = (await p.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'parent'`))[0]!.sql;
    assert.match(sql, /VARCHAR\(120\) NOT NULL/);
    assert.match(sql, /ck_parent_name/);
    assert.equal((await p.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'ix_parent_name'`)).length, 1);
    await p.query(`INSERT INTO parent (name) VALUES ('p6')`);
    const row = (await p.query<{ id: number; code: string }>(`SELECT id, code FROM parent WHERE name = 'p6'`))[0]!;
    assert.equal(row.id, 6, 'AUTOINCREMENT does not reuse id 5');
    assert.equal(row.code, 'c6', 'the trigger survived');

    const bad = await p.query(`SELECT count(*) AS n FROM parent WHERE name = ''`);
    assert.equal((bad[0] as { n: number }).n, 0);
    const down = await p.retort('downgrade', '-1');
    assert.equal(down.code, 0, down.stderr);
    assert.equal((await p.query<{ n: number }>('SELECT count(*) AS n FROM child'))[0]!.n, 8);
    assert.match((await p.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'parent'`))[0]!.sql, /VARCHAR\(50\)/);
  });

  test('a rebuild that would violate a foreign key rolls back', async () => {
    p.writeRevision(
      'aa0000000003_orphan.ts',
      revisionSource('aa0000000003', 'aa0000000002', 'orphan', `  await ctx.query('DELETE FROM parent WHERE id = 1');\n  op.addColumn('parent', 'extra', integer());`),
    );
    const r = await p.retort('upgrade', 'head');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /foreign key/i);
    assert.match((await p.retort('current')).stdout, /^aa0000000002/);
    assert.equal((await p.query<{ n: number }>('SELECT count(*) AS n FROM parent WHERE id = 1'))[0]!.n, 1);
  });

  test('orphan rows already in the database do not block an upgrade; a new one fails it, counted apart from the old ones', async () => {
    // An application that never turned foreign keys on (SQLite's default) may hold orphan rows.
    const db = new Database(path.join(p.dir, 'test.db'));
    try {
      db.pragma('foreign_keys = OFF');
      db.exec('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) INSERT INTO child (parent_id) SELECT 100000 + i FROM n');
    } finally {
      db.close();
    }
    p.writeRevision('aa0000000003_orphan.ts', revisionSource('aa0000000003', 'aa0000000002', 'extra column', `  op.addColumn('parent', 'extra', integer());`, `  op.dropColumn('parent', 'extra');`));
    const ok = await p.retort('upgrade', 'head');
    assert.equal(ok.code, 0, ok.stderr);
    p.writeRevision('aa0000000004_new_orphan.ts', revisionSource('aa0000000004', 'aa0000000003', 'new orphan', `  await ctx.query('INSERT INTO child (parent_id) VALUES (424242)');`));
    const bad = await p.retort('upgrade', 'head');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /rolled back, the database stays at aa0000000003\n {2}error: foreign key violation: a row of "child" references a missing row of "parent" \(it held 1000 such row\(s\) before the run\)$/m);
    assert.match((await p.retort('current')).stdout, /^aa0000000003/);
    assert.equal((await p.query<{ n: number }>('SELECT count(*) AS n FROM child WHERE parent_id = 424242'))[0]!.n, 0);
    assert.equal((await p.retort('downgrade', 'aa0000000002')).code, 0);
  });

  test('a rebuild that fails on the data names the user\'s table, not the copy, with a hint', async () => {
    p.writeRevision(
      'aa0000000004_new_orphan.ts',
      revisionSource('aa0000000004', 'aa0000000003', 'nn', `  op.createTable('nn', { id: serial().primaryKey(), v: text() });
  op.execute("INSERT INTO nn (v) VALUES ('a'), (NULL)");
  op.alterColumn('nn', 'v', { nullable: false, existing: { type: text(), nullable: true } });`),
    );
    const r = await p.retort('upgrade', 'head');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /database: NOT NULL constraint failed: nn\.v$/m);
    assert.doesNotMatch(r.stderr, /database: .*_retort_new_/, 'the statement shows the copy; the message names the table');
    assert.match(r.stderr, /^hint: rows of nn hold NULL in nn\.v .*server default$/m);
    assert.match((await p.retort('current')).stdout, /^aa0000000003/);
    assert.ok(!(await p.tables()).includes('nn'));
  });

  test('--sql over a table no revision created fails saying nothing was run, and why', async () => {
    await p.query('CREATE TABLE handmade (id integer PRIMARY KEY, v text)');
    p.writeRevision(
      'aa0000000004_new_orphan.ts',
      revisionSource('aa0000000004', 'aa0000000003', 'handmade', `  op.alterColumn('handmade', 'v', { nullable: false, existing: { type: text(), nullable: true } });`),
    );
    const r = await p.retort('upgrade', 'aa0000000003:head', '--sql');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '', 'the statements written before the failure are not printed');
    assert.match(r.stderr, /failed \(.*aa0000000004_new_orphan\.ts\); while writing its SQL; nothing was run on any database$/m);
    assert.doesNotMatch(r.stderr, /stays at/);
    assert.match(r.stderr, /^hint: with --sql, Retort knows only what the earlier revisions created/m);
    assert.match((await p.retort('current')).stdout, /^aa0000000003/);
  });

  test('--sql from a revision after one that touched a hand-made table fails in the in-memory replay, saying nothing was run', async () => {
    // Online the live table is read, so the database gets to aa0000000004; offline the replay before the range cannot.
    const up = await p.retort('upgrade', 'aa0000000004');
    assert.equal(up.code, 0, up.stderr);
    p.writeRevision('aa0000000005_later.ts', revisionSource('aa0000000005', 'aa0000000004', 'later', `  op.createTable('later', { id: serial().primaryKey() });`, `  op.dropTable('later');`));
    try {
      const r = await p.retort('upgrade', 'aa0000000004:head', '--sql');
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^error: upgrade aa0000000003 -> aa0000000004, handmade failed \(.*aa0000000004_new_orphan\.ts\); while writing the SQL, replaying it in memory to plan the revisions after it; nothing was run on any database$/m);
      assert.match(r.stderr, /^ {2}error: table "handmade" does not exist$/m);
      assert.doesNotMatch(r.stderr, /rolled back|stays at|check the table name/);
      assert.match(r.stderr, /^hint: with --sql, Retort replays the revisions before the range on an empty in-memory database.*run without --sql/m);
      assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('error:')).length, 1, 'one error line');
      assert.match((await p.retort('current')).stdout, /^aa0000000004/);
    } finally {
      rmSync(path.join(p.dir, 'migrations', 'aa0000000005_later.ts'));
      assert.equal((await p.retort('downgrade', 'aa0000000003')).code, 0);
    }
  });

  test('--sql prints the full rebuild without touching the database', async () => {
    const r = await p.retort('upgrade', 'aa0000000001:aa0000000002', '--sql');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /PRAGMA foreign_keys = OFF/);
    assert.match(r.stdout, /CREATE TABLE "_retort_new_parent"/);
    assert.match(r.stdout, /INSERT INTO "_retort_new_parent"/);
    assert.match(r.stdout, /DROP TABLE "parent"/);
    assert.match(r.stdout, /ALTER TABLE "_retort_new_parent" RENAME TO "parent"/);
    assert.match(r.stdout, /CREATE INDEX "ix_parent_name"/);
    assert.match(r.stdout, /CREATE TRIGGER parent_code/);
    assert.equal(r.stdout.match(/CREATE TABLE "_retort_new_parent"/g)?.length, 1, 'three operations, one rebuild');
  });
});
