/**
 * Adopting a SQLite database with a view written with a column list (`CREATE VIEW v (a, b) AS ...`), which view()
 * cannot declare, and views over a virtual table (probe findings: the column list was dropped, so a fresh database
 * built from the baseline broke the view over it; a view over an FTS5 table went into the baseline without its table).
 * Such a view, and the views reading it or a virtual table, are left out and excluded, and said so; check is clean and
 * the baseline builds a fresh database whose views all work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from './helpers/cli.js';
import { createProject, retortOk as ok } from './helpers/project.js';

test('pull leaves out a SQLite view with a column list and the views over it or over a virtual table (sqlite)', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    await p.query(`CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT NOT NULL)`);
    await p.query(`CREATE VIEW v_cols (pid, pcode) AS SELECT id, code FROM parent`);
    await p.query(`CREATE VIEW v_over AS SELECT pid FROM v_cols WHERE pcode <> 'x'`);
    await p.query(`CREATE VIEW v_plain AS SELECT id FROM parent`);
    await p.query(`CREATE VIRTUAL TABLE docs_fts USING fts5(body)`);
    await p.query(`CREATE VIEW v_docs AS SELECT body FROM docs_fts`);
    const r = await p.retort('pull', '--baseline', '-m', 'baseline');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /view with a column list \(view\(\) names its columns by its query\): v_cols/);
    assert.match(r.stderr, /not declared: view v_over, which reads v_cols/);
    assert.match(r.stderr, /not declared: view v_docs, which reads docs_fts/);
    const models = readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8');
    assert.match(models, /view\('v_plain'/);
    assert.doesNotMatch(models, /view\('v_(cols|over|docs)'/);
    assert.match(readFileSync(path.join(p.dir, 'retort.config.ts'), 'utf8'), /'v_cols'/);
    await ok(p, 'check');
    // The baseline builds a fresh database in which every view it creates works.
    const fresh = path.join(p.dir, 'fresh.db');
    const up = await runCli(['--url', `sqlite:///${fresh}`, 'upgrade', 'head'], { cwd: p.dir });
    assert.equal(up.code, 0, up.stderr);
    const db = new Database(fresh);
    try {
      const views = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name`).all() as { name: string }[];
      assert.deepEqual(views.map((v) => v.name), ['v_plain']);
      for (const v of views) db.prepare(`SELECT * FROM "${v.name}"`).all();
    } finally {
      db.close();
    }
  } finally {
    await p.cleanup();
  }
});

test('a SQLite foreign key naming its table in another case is read as naming that table: pull declares the child (sqlite)', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    await p.query(`CREATE TABLE Artist (ArtistId INTEGER PRIMARY KEY, Name TEXT)`);
    await p.query(`CREATE TABLE album (AlbumId INTEGER PRIMARY KEY, ArtistId INTEGER NOT NULL REFERENCES artist(ArtistId), Other INTEGER REFERENCES ARTIST)`);
    await p.query(`INSERT INTO Artist VALUES (1, 'a')`);
    await p.query(`INSERT INTO album VALUES (1, 1, 1)`);
    const r = await p.retort('pull', '--baseline', '-m', 'baseline');
    assert.equal(r.code, 0, r.stderr);
    const models = readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8');
    assert.match(models, /table\('album'/);
    assert.match(models, /references\(\(\) => artist\.columns\.ArtistId/);
    assert.doesNotMatch(readFileSync(path.join(p.dir, 'retort.config.ts'), 'utf8'), /'album'/);
    await ok(p, 'check');
    const fresh = path.join(p.dir, 'fresh.db');
    const up = await runCli(['--url', `sqlite:///${fresh}`, 'upgrade', 'head'], { cwd: p.dir });
    assert.equal(up.code, 0, up.stderr);
  } finally {
    await p.cleanup();
  }
});

test('pull names a SQLite primary key column that takes NULL (declared NOT NULL: a rebuild would fail on such a row) (sqlite)', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    await p.query(`CREATE TABLE codes (code TEXT PRIMARY KEY, label TEXT)`);
    await p.query(`CREATE TABLE ok1 (id INTEGER PRIMARY KEY, x TEXT)`);
    await p.query(`CREATE TABLE ok2 (a TEXT NOT NULL PRIMARY KEY)`);
    await p.query(`CREATE TABLE wr (k TEXT PRIMARY KEY) WITHOUT ROWID`);
    const r = await p.retort('pull');
    assert.equal(r.code, 0, r.stderr);
    const listed = r.stdout.split('\n').filter((l) => l.includes('primary key column taking NULL'));
    assert.deepEqual(listed.map((l) => l.trim().split(': ').pop()), ['codes.code']);
    await ok(p, 'check');
  } finally {
    await p.cleanup();
  }
});
