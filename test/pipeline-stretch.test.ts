/**
 * Stretches: pipelined revisions sent in one request run as ONE transaction with one version-table write at its end
 * (RunPolicyPart.pipelineStretches, PostgreSQL's choice). A revision failing inside a stretch rolls it back whole;
 * its revisions then run again one transaction each, so the ones before the failing revision commit and the version
 * table names the last good one. The database here is SQLite in memory, told to pipeline and stretch (its driver runs
 * a string of statements to its first error, as PostgreSQL's simple query protocol does), so the requests are quick
 * and the groups grow as they would on a quiet server.
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
import type { PlannedStep } from '../src/runtime/run/steps.js';
import { postgresRunPolicy } from '../src/dialects/postgres/postgres-run-policy.js';

/** SQLite run the way PostgreSQL is: statements batched, revisions pipelined, a request one transaction. */
function pipelining(stretches: boolean): Dialect {
  return { ...sqliteDialect, batchesStatements: true, pipelinesTransactions: true, pipelineStretches: stretches, beforeCommit: undefined, stepSavepoint: undefined };
}


const ids = Array.from({ length: 12 }, (_, i) => `st${String(i).padStart(2, '0')}`);

/** Revision i creates t<i>; the one at `failAt` then drops a table that does not exist; `extra` adds code by index. */
function chain(dir: string, failAt: number | null, extra: Record<number, string> = {}): PlannedStep[] {
  return ids.map((rev, i) => {
    // Plain ES modules: loaded at once, so each request comes back quickly and the groups grow as on a quiet server.
    const file = path.join(dir, `${rev}.mjs`);
    // Operations, not op.execute: a revision running SQL of its own is never put in a group.
    const fail = i === failAt ? `\n  op.dropTable('no_such_t${i}');` : '';
    const more = extra[i] ? `\n  ${extra[i]}` : '';
    writeFileSync(file, `import { integer } from 'retort-migrate';\nexport const revision = '${rev}';\nexport async function upgrade(op, ctx) {\n  op.createTable('t${i}', { id: integer() });${fail}${more}\n}\nexport function downgrade() {}\n`);
    const before = i === 0 ? [] : [ids[i - 1]!];
    return { revision: { revision: rev, downRevisions: before, file, message: `make t${i}` }, direction: 'up', headsBefore: before, headsAfter: [rev] };
  });
}

async function run(dialect: Dialect, steps: PlannedStep[]) {
  const conn = new RecordingConnection(openMemory());
  const versionTable = new VersionTable(dialect, 'retort_version');
  const historyTable = new HistoryTable(dialect, 'retort_history');
  const error = await runSteps(conn, liveCatalog(dialect, conn), steps, { dialect, versionTable, historyTable, naming: defaultNaming, offline: false }).then(
    () => null,
    (e: unknown) => e as RetortError,
  );
  const tables = (await conn.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't%' ORDER BY name`)).map((r) => r.name);
  const heads = await versionTable.readHeads(conn);
  const history = (await historyTable.read(conn)).map((r) => r.revision);
  await conn.close();
  // The requests that carried revisions (each creates a table), and the revisions each carried.
  const requests = conn.log.filter((s) => s.includes('CREATE TABLE "t'));
  return { error, tables, heads, history, requests };
}

describe('stretches: pipelined revisions in one transaction per request', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'retort-stretch-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a request of several revisions is one transaction with one version-table write', async () => {
    const r = await run(pipelining(true), chain(dir, null));
    assert.equal(r.error, null);
    assert.deepEqual(r.heads, [ids[11]]);
    assert.deepEqual(r.history, ids);
    assert.deepEqual(r.tables, ids.map((_, i) => `t${i}`).sort());
    assert.ok(r.requests.length < ids.length, `fewer requests than revisions: ${r.requests.length}`);
    for (const request of r.requests) {
      const statements = request.split(';\n');
      assert.equal(statements.filter((s) => s.startsWith('BEGIN')).length, 1, request);
      assert.equal(statements.filter((s) => s === 'COMMIT').length, 1, request);
      assert.equal(statements.filter((s) => s.startsWith('INSERT INTO "retort_version"') || s.startsWith('UPDATE "retort_version"')).length, 1, request);
      assert.equal(statements.filter((s) => s.startsWith('INSERT INTO "retort_history"')).length, 1, 'one INSERT of the history rows');
    }
    assert.ok(r.requests.some((q) => (q.match(/CREATE TABLE "t/g) ?? []).length > 1), 'some request carried several revisions');
  });

  test('without stretches each revision of a request is its own transaction', async () => {
    const r = await run(pipelining(false), chain(dir, null));
    assert.equal(r.error, null);
    assert.deepEqual(r.heads, [ids[11]]);
    for (const request of r.requests) {
      const statements = request.split(';\n');
      assert.equal(statements.filter((s) => s === 'COMMIT').length, (request.match(/CREATE TABLE "t/g) ?? []).length, request);
    }
  });

  test('PostgreSQL: a failed run ends with a synchronous commit, so the revisions before the failure are durable too', async () => {
    const sent: string[] = [];
    const conn: Connection = { query: async (sql: string) => (sent.push(sql), []), close: async () => undefined };
    await postgresRunPolicy.afterRun!(conn, { offline: false, failed: true });
    await postgresRunPolicy.afterRun!(conn, { offline: false, failed: false });
    await postgresRunPolicy.afterRun!(conn, { offline: true, failed: true });
    assert.deepEqual(sent, ['RESET synchronous_commit;\nSELECT txid_current()', 'RESET synchronous_commit', 'RESET synchronous_commit']);
  });

  test('a revision failing inside a stretch leaves the database at the revision before it, with that one committed', async () => {
    // Requests hold 1, 1, 2, 4... revisions (a group grows once the one before it has come back): revision 3 is
    // the second of the third request.
    const r = await run(pipelining(true), chain(dir, 3));
    assert.ok(r.error && isRetortError(r.error), `a RetortError, not ${String(r.error)}`);
    assert.match(r.error.message, /^upgrade st02 -> st03, make t3 failed .*rolled back, the database stays at st02/);
    assert.deepEqual(r.error.details.slice(0, 1), [`statement: DROP TABLE "no_such_t3"`]);
    assert.deepEqual(r.heads, ['st02']);
    assert.deepEqual(r.tables, ['t0', 't1', 't2']);
    assert.deepEqual(r.history, ['st00', 'st01', 'st02']);
    // The stretch of st02 and st03 ran first, then each of them alone: st02 committed by itself.
    const carrying = (rev: number) => r.requests.filter((q) => q.includes(`CREATE TABLE "t${rev}" `)).map((q) => (q.match(/CREATE TABLE "t/g) ?? []).length);
    assert.deepEqual(carrying(2), [2, 1]);
    assert.deepEqual(carrying(3).slice(0, 2), [2, 1], 'st03 ran in the stretch, then alone (then replayed to name its statement)');
  });

  test('a failure found when a later revision queries the database is reported as the failing revision\'s', async () => {
    // st04 queries the database: the group holding st03 is sent and fails while st04 waits for its answer.
    for (const stretches of [true, false]) {
      const r = await run(pipelining(stretches), chain(dir, 3, { 4: `await ctx.query('SELECT 1');` }));
      assert.ok(r.error && isRetortError(r.error), `a RetortError, not ${String(r.error)}`);
      assert.match(r.error.message, /^upgrade st02 -> st03, make t3 failed .*rolled back, the database stays at st02/, `stretches: ${stretches}`);
      assert.doesNotMatch(r.error.message, /st04/);
      assert.deepEqual(r.heads, ['st02']);
      assert.deepEqual(r.tables, ['t0', 't1', 't2']);
    }
  });
});
