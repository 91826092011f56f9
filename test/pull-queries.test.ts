// `retort pull` reads the database in a fixed number of queries, whatever the number of tables: counted on
// the connection (round trips and the statements in them), never timed. drizzle-kit's pull asks once per table.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pull } from '../src/commands/pull.js';
import { createPgDatabase, pgQuery, tempDir, type PgDatabase } from './helpers/db.js';
import { projectAt, projectFolder } from './helpers/pull-roundtrip.js';
import { countQueries } from './helpers/query-count.js';
import Database from 'better-sqlite3';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

/** Tables t0..t(n-1), each with an enum-free mix of columns, an index, a unique and a reference to the one before. */
function tableSql(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(`CREATE TABLE t${i} (id integer PRIMARY KEY, name varchar(40) NOT NULL, note text DEFAULT 'x', prev_id integer${i > 0 ? ` REFERENCES t${i - 1} (id)` : ''}, CONSTRAINT t${i}_name_key UNIQUE (name), CONSTRAINT t${i}_ck CHECK (id > 0))`);
    out.push(`CREATE INDEX t${i}_note ON t${i} (note)`);
  }
  return out;
}

/** Pulls (dry run) with every query on the connection counted. */
async function countedPull(dir: string): Promise<{ roundTrips: number; statements: number; tables: number }> {
  const project = await projectAt(dir);
  const counts = countQueries(project);
  const report = await pull({ project, dryRun: true });
  return { ...counts, tables: report.tables };
}

describe('pull reads the database in a fixed number of queries', () => {
  test('PostgreSQL: 3 tables and 40 tables take the same queries', async () => {
    const counts = [];
    for (const n of [3, 40]) {
      const db: PgDatabase = await createPgDatabase('retort_pullq');
      cleanups.push(() => db.drop());
      await pgQuery(db.url, tableSql(n).join(';\n'));
      await pgQuery(db.url, 'CREATE VIEW v AS SELECT 1 AS one');
      const { dir, cleanup } = tempDir();
      cleanups.push(cleanup);
      projectFolder(path.join(dir, 'p'), db.url);
      counts.push(await countedPull(path.join(dir, 'p')));
    }
    assert.equal(counts[0]!.tables, 3);
    assert.equal(counts[1]!.tables, 40);
    assert.deepEqual({ ...counts[1], tables: 0 }, { ...counts[0], tables: 0 });
    assert.ok(counts[0]!.roundTrips > 0);
  });

  test('SQLite: 3 tables and 40 tables take the same queries', async () => {
    const counts = [];
    for (const n of [3, 40]) {
      const { dir, cleanup } = tempDir();
      cleanups.push(cleanup);
      const file = path.join(dir, 'db.sqlite');
      const db = new Database(file);
      db.exec(tableSql(n).join(';\n'));
      db.close();
      projectFolder(path.join(dir, 'p'), `sqlite:///${file}`);
      counts.push(await countedPull(path.join(dir, 'p')));
    }
    assert.equal(counts[1]!.tables, 40);
    assert.deepEqual({ ...counts[1], tables: 0 }, { ...counts[0], tables: 0 });
  });
});
