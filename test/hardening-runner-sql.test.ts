/**
 * `--sql` with op.execute parameters (issue 15): the printed script, run by the database's own client, stores
 * the same data as an online upgrade, for every kind of value the driver takes; a value the driver could not
 * take either is refused, naming the revision and the parameter.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createProject, revisionSource, type TestProject } from './helpers/project.js';
import { createPgDatabase, pgQuery, type PgDatabase } from './helpers/db.js';

/** Runs a script with psql as a user would, stopping at the first error. */
function psql(url: string, file: string, env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', file], { env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const REVISION = 'da7a00000001';

describe('--sql parameters on postgresql', () => {
  let p: TestProject;
  const scripted: PgDatabase[] = [];
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    p.writeRevision(
      `${REVISION}_typed.ts`,
      revisionSource(
        REVISION,
        null,
        'typed values',
        `  op.execute('CREATE TABLE typed (id integer, b bytea, tags text[], ids integer[], at timestamptz, doc jsonb, note text, flag boolean, big bigint, nan double precision, inf double precision, tenth double precision, path text)');
  op.execute('INSERT INTO typed VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)', [
    1, Buffer.from('hi'), ['a', 'b"c', 'd\\\\e', "it's"], [1, 2], new Date('2026-01-02T03:04:05.678Z'), { a: "it's", b: [1, null] },
    null, true, 9007199254740993n, Number.NaN, Number.POSITIVE_INFINITY, 0.1, 'C:\\\\temp\\\\new',
  ]);`,
      ),
    );
  });
  after(async () => {
    await p.cleanup();
    for (const db of scripted) await db.drop();
  });

  const stored = (url: string) => pgQuery<{ row: string }>(url, 'SELECT t::text AS row FROM typed t ORDER BY id');

  test('the script, run by psql, stores what an online upgrade stores, with standard_conforming_strings on or off', async () => {
    const sql = await p.retort('upgrade', 'head', '--sql');
    assert.equal(sql.code, 0, sql.stderr);
    const file = path.join(p.dir, 'upgrade.sql');
    writeFileSync(file, sql.stdout);
    const online = await p.retort('upgrade', 'head');
    assert.equal(online.code, 0, online.stderr);
    const expected = await stored(p.url);
    assert.equal(expected.length, 1);
    assert.match(expected[0]!.row, /\\\\x6869/, 'the bytea holds the two bytes');
    for (const setting of ['on', 'off']) {
      const db = await createPgDatabase();
      scripted.push(db);
      const run = await psql(db.url, file, { PGOPTIONS: `-c standard_conforming_strings=${setting}` });
      assert.equal(run.code, 0, `standard_conforming_strings=${setting}: ${run.stderr}`);
      assert.deepEqual(await stored(db.url), expected, `standard_conforming_strings=${setting}`);
      assert.deepEqual(await pgQuery(db.url, 'SELECT version_num FROM retort_version'), [{ version_num: REVISION }]);
    }
  });
});

describe('--sql parameters on sqlite', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('sqlite', { empty: true });
  });
  after(async () => {
    await p.cleanup();
  });

  const rows = (file: string) => {
    const db = new Database(file);
    try {
      return db.prepare('SELECT id, quote(b) AS b, typeof(b) AS tb, quote(note) AS note, flag, typeof(flag) AS tf, big, typeof(big) AS tbig, quote(tenth) AS tenth, quote(nan) AS nan, quote(inf) AS inf, quote(neg) AS neg, quote(anyv) AS anyv, typeof(anyv) AS tany, quote(s) AS s FROM typed ORDER BY id').all();
    } finally {
      db.close();
    }
  };

  test('the script, run by SQLite, stores what an online upgrade stores', async () => {
    p.writeRevision(
      `${REVISION}_typed.ts`,
      revisionSource(
        REVISION,
        null,
        'typed values',
        `  op.execute('CREATE TABLE typed (id INTEGER, b BLOB, note TEXT, flag INTEGER, big INTEGER, tenth REAL, nan REAL, inf REAL, neg REAL, anyv, s TEXT)');
  op.execute('INSERT INTO typed VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    1, Buffer.from('hi'), null, true, 9007199254740993n, 0.1, Number.NaN, Number.POSITIVE_INFINITY, -2, 5, "it's \\\\ here",
  ]);`,
      ),
    );
    const sql = await p.retort('upgrade', 'head', '--sql');
    assert.equal(sql.code, 0, sql.stderr);
    const online = await p.retort('upgrade', 'head');
    assert.equal(online.code, 0, online.stderr);
    const expected = rows(path.join(p.dir, 'test.db'));
    assert.equal(expected.length, 1);
    const scriptedFile = path.join(p.dir, 'scripted.db');
    const db = new Database(scriptedFile);
    try {
      db.exec(sql.stdout);
    } finally {
      db.close();
    }
    assert.deepEqual(rows(scriptedFile), expected);
  });

  test('a parameter SQLite cannot take is refused, naming the revision and the parameter, and no script is printed', async () => {
    p.writeRevision('da7a00000002_dated.ts', revisionSource('da7a00000002', REVISION, 'dated', `  op.execute('INSERT INTO typed (id, note) VALUES (?, ?)', [2, new Date(0)]);`));
    const r = await p.retort('upgrade', `${REVISION}:head`, '--sql');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: upgrade da7a00000001 -> da7a00000002, dated failed \(.*da7a00000002_dated\.ts\); while writing its SQL; nothing was run on any database$/m);
    assert.match(r.stderr, /error: parameter 2 \(\?\) cannot be written into the SQL: SQLite cannot take a Date as a parameter/);
    assert.match(r.stderr, /hint: SQLite has no date type: pass date\.toISOString\(\)/);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  });
});
