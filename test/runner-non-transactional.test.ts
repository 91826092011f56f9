/**
 * The runner on a dialect without transactional DDL (issue 16): no step is wrapped in BEGIN/COMMIT, the version
 * row is written after each revision's statements, a failing revision is reported as partly applied with the
 * statements that ran, and no statement is ever run twice to find the one that failed. The dialect is SQLite's
 * with `transactionalDdl: false` and backtick-quoted identifiers, so nothing in the runner may lean on either.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sqliteDialect } from '../src/dialects/sqlite/sqlite-dialect.js';
import { openMemory } from '../src/dialects/sqlite/sqlite-driver.js';
import { RecordingConnection } from './helpers/recording-connection.js';
import { liveCatalog, type Connection, type Dialect } from '../src/dialects/dialect.js';
import { defaultNaming } from '../src/models/naming.js';
import { isRetortError, type RetortError } from '../src/errors.js';
import { VersionTable } from '../src/runtime/version-table.js';
import { HistoryTable } from '../src/runtime/history-table.js';
import { runSteps } from '../src/runtime/run/run-steps.js';
import { offlineCatalog, PrintingConnection } from '../src/runtime/run/offline.js';
import { runPolicy } from '../src/runtime/run/run-policy.js';
import type { PlannedStep } from '../src/runtime/run/steps.js';

/** SQLite as a database whose schema changes commit at once would be run, with MySQL-style quoting. */
const nonTransactional: Dialect = {
  ...sqliteDialect,
  displayName: 'SQLite without transactional DDL',
  transactionalDdl: false,
  quoteIdentifier: (name) => `\`${name.replace(/`/g, '``')}\``,
};


/** A revision file whose upgrade runs `body` (with `op` and `ctx` in scope). */
function revisionFile(dir: string, rev: string, body: string): string {
  const file = path.join(dir, `${rev}.ts`);
  writeFileSync(file, `export const revision = '${rev}';\nexport async function upgrade(op, ctx) {\n${body}\n}\nexport async function downgrade() {}\n`);
  return file;
}

/** A linear chain of upgrade steps, one per [revision, body]. */
function upgrades(dir: string, revisions: readonly (readonly [string, string])[]): PlannedStep[] {
  return revisions.map(([rev, body], i) => ({
    revision: { revision: rev, downRevisions: i === 0 ? [] : [revisions[i - 1]![0]], file: revisionFile(dir, rev, body), message: `make ${rev}` },
    direction: 'up',
    headsBefore: i === 0 ? [] : [revisions[i - 1]![0]],
    headsAfter: [rev],
  }));
}

describe('runner without transactional DDL', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'retort-nontx-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the run policy follows the flag: no batches, no pipeline, no replay', () => {
    assert.deepEqual(runPolicy(nonTransactional, false), { transactional: false, batches: false, pipelines: false, stretches: false, replaysFailedBatch: false, savepoints: null });
    assert.deepEqual(runPolicy(sqliteDialect, false), {
      transactional: true, batches: false, pipelines: false, stretches: false, replaysFailedBatch: true,
      savepoints: { open: 'SAVEPOINT retort_step', release: 'RELEASE retort_step', rollback: 'ROLLBACK TO retort_step', commitAfterMs: 20 },
    });
    // A printed script keeps a transaction per revision: it is read and run by other tools.
    assert.equal(runPolicy(sqliteDialect, true).savepoints, null);
  });

  test('a revision failing in its second statement keeps its first, records the revisions before it, and says what ran', async () => {
    const conn = new RecordingConnection(openMemory());
    const versionTable = new VersionTable(nonTransactional, 'retort_version');
    const historyTable = new HistoryTable(nonTransactional, 'retort_history');
    const steps = upgrades(dir, [
      ['r1', `op.execute('CREATE TABLE first (id INTEGER)'); op.execute('INSERT INTO first (id) VALUES (1)');`],
      ['r2', `op.execute('CREATE TABLE second (id INTEGER)'); const rows = await ctx.query('SELECT count(*) AS n FROM first'); op.execute('INSERT INTO second (id) VALUES (' + rows[0].n + ')');`],
      ['r3', `op.execute('CREATE TABLE third (id INTEGER)'); op.execute('INSERT INTO no_such_table (id) VALUES (1)'); op.execute('CREATE TABLE never (id INTEGER)');`],
    ]);
    try {
      const error = await runSteps(conn, liveCatalog(nonTransactional, conn), steps, { dialect: nonTransactional, versionTable, historyTable, naming: defaultNaming, offline: false }).then(
        () => null,
        (e: unknown) => e as RetortError,
      );
      assert.ok(error && isRetortError(error), `a RetortError, not ${String(error)}`);
      assert.equal(error.code, 'NOT_FOUND');

      // No statement promised a rollback, and none ran twice (a replay would run the failing batch again).
      assert.deepEqual(conn.log.filter((s) => /^(BEGIN|COMMIT|ROLLBACK)\b/i.test(s)), []);
      const counts = new Map<string, number>();
      for (const s of conn.log) counts.set(s, (counts.get(s) ?? 0) + 1);
      for (const s of ['CREATE TABLE first (id INTEGER)', 'CREATE TABLE third (id INTEGER)', 'INSERT INTO no_such_table (id) VALUES (1)']) assert.equal(counts.get(s), 1, s);
      assert.equal(counts.get('CREATE TABLE never (id INTEGER)'), undefined, 'nothing runs after the failing statement');

      // The first statement of r3 stays; the version table marks the last revision that ran whole.
      const tables = (await conn.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)).map((r) => r.name);
      assert.ok(tables.includes('first') && tables.includes('second') && tables.includes('third'), tables.join(', '));
      assert.deepEqual(await conn.query('SELECT id FROM second'), [{ id: 1 }]);
      assert.deepEqual(await versionTable.readHeads(conn), ['r2']);
      assert.deepEqual((await historyTable.read(conn)).map((r) => r.revision), ['r1', 'r2']);
      // The version was recorded after each revision's statements, not at the end of the run.
      const r2Mark = conn.log.findIndex((s) => s.startsWith('UPDATE `retort_version`'));
      assert.ok(r2Mark > conn.log.indexOf('CREATE TABLE second (id INTEGER)') && r2Mark < conn.log.indexOf('CREATE TABLE third (id INTEGER)'), conn.log.join('\n'));

      // The message says the revision is partly applied, what ran, what failed, and that nothing was rolled back.
      assert.match(error.message, /^upgrade r2 -> r3, make r3 failed \(.*r3\.ts\); partly applied: its first statement ran and nothing was rolled back/);
      assert.match(error.message, /the version table marks the database at r2$/);
      assert.doesNotMatch(error.message, /rolled back, the database stays/);
      assert.deepEqual(error.details.slice(0, 2), ['ran: CREATE TABLE third (id INTEGER)', 'statement: INSERT INTO no_such_table (id) VALUES (1)']);
      assert.match(error.details[2]!, /^database: .*no such table: no_such_table/);
      assert.match(error.hint ?? '', /undo them by hand/);
    } finally {
      await conn.close();
    }
  });

  test('a revision that fails before any statement ran says so and leaves the mark where it was', async () => {
    const conn = new RecordingConnection(openMemory());
    const versionTable = new VersionTable(nonTransactional, 'retort_version');
    const steps = upgrades(dir, [
      ['s1', `op.execute('CREATE TABLE one (id INTEGER)');`],
      ['s2', `op.execute('CREATE TABLE one (id INTEGER)');`],
    ]);
    try {
      const error = await runSteps(conn, liveCatalog(nonTransactional, conn), steps, { dialect: nonTransactional, versionTable, naming: defaultNaming, offline: false }).then(
        () => null,
        (e: unknown) => e as RetortError,
      );
      assert.ok(error && isRetortError(error), 'the run fails');
      assert.match(error.message, /^upgrade s1 -> s2, make s2 failed \(.*s2\.ts\); none of its statements ran, and the version table marks the database at s1$/);
      assert.deepEqual(error.details.slice(0, 1), ['statement: CREATE TABLE one (id INTEGER)']);
      assert.deepEqual(await versionTable.readHeads(conn), ['s1']);
      assert.equal(conn.log.filter((s) => s === 'CREATE TABLE one (id INTEGER)').length, 2, 'once for each revision, never replayed');
    } finally {
      await conn.close();
    }
  });

  test('--sql prints each revision without BEGIN or COMMIT, its version row right after its statements', async () => {
    let script = '';
    const printer = new PrintingConnection((text) => (script += text), null, nonTransactional);
    const steps = upgrades(dir, [
      ['p1', `op.execute('CREATE TABLE one (id INTEGER)');`],
      ['p2', `op.execute('CREATE TABLE two (id INTEGER)');`],
    ]);
    await runSteps(printer, offlineCatalog(nonTransactional, null), steps, { dialect: nonTransactional, versionTable: new VersionTable(nonTransactional, 'retort_version'), naming: defaultNaming, offline: true });
    const statements = script.split(';\n\n').map((s) => s.replace(/^(-- .*\n\n)+/, '')).filter((s) => s.length > 0 && !s.startsWith('PRAGMA'));
    // Each version write is the dialect's guarded one (it fails unless it changed exactly one row).
    const guard = 'CREATE TEMP TABLE IF NOT EXISTS retort_write_guard (changed INTEGER CONSTRAINT "the version table changed under this run: another process migrated the database; run retort current" CHECK (changed = 1))';
    const counted = 'INSERT INTO temp.retort_write_guard (changed) VALUES (changes())';
    assert.deepEqual(statements.slice(1), [
      'CREATE TABLE one (id INTEGER)',
      guard,
      "INSERT INTO `retort_version` (`version_num`) SELECT 'p1' WHERE NOT EXISTS (SELECT 1 FROM `retort_version`)",
      counted,
      'CREATE TABLE two (id INTEGER)',
      guard,
      "UPDATE `retort_version` SET `version_num` = 'p2' WHERE `version_num` = 'p1'",
      counted,
    ]);
  });
});
