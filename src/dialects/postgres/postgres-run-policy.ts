/**
 * How a run goes on PostgreSQL: transactional DDL, revisions pipelined in groups over the simple query protocol, each
 * group one transaction (a stretch), relaxed durability until the last commit, and printed scripts that psql runs as
 * they are.
 */
import type { RunPolicyPart } from '../dialect.js';
import { unlessLost } from './postgres-driver.js';

export const postgresRunPolicy: RunPolicyPart = {
  transactionalDdl: true,
  tableLockLevels: true,
  beginSql: 'BEGIN',
  pipelinesTransactions: true,
  // BEGIN, the SET LOCAL timeouts, the checked version write and a COMMIT with its WAL record per revision were six
  // of the bench upgrade's ten statements per revision: a request's revisions share them (design notes).
  pipelineStretches: true,
  batchesStatements: true,
  // Each revision still commits atomically; only the wait for its WAL flush is skipped, and the
  // last commit is synchronous, which flushes all before it (about 2 ms a revision saved).
  async beforeRun(conn) {
    await conn.query('SET synchronous_commit = off');
  },
  // After a failure the last commit was not the durable one: a transaction that takes an XID commits synchronously
  // and so flushes every commit before it (the revisions that succeeded stay after a power cut too).
  async afterRun(conn, options) {
    const flush = options?.failed === true && !options.offline ? ';\nSELECT txid_current()' : '';
    await conn.query(`RESET synchronous_commit${flush}`).catch(unlessLost);
  },
  durableCommitSql: 'SET LOCAL synchronous_commit = on',
  // Each revision of a script is its own transaction, as online. `psql -1` wraps the file in a transaction of
  // its own, which the first BEGIN would warn about and whose closing COMMIT would find none open: the script
  // ends that one first and lets psql's COMMIT pass without a warning, so both ways run it silently. The version
  // and history tables' CREATE TABLE IF NOT EXISTS are quiet too (a NOTICE each on a database that has them); the
  // revisions' own notices and warnings are not.
  scriptFrame: {
    opening: [{ sql: 'SET client_min_messages = error' }, { sql: 'COMMIT' }],
    afterOwnTables: [{ sql: 'RESET client_min_messages' }],
    closing: [{ sql: 'SET client_min_messages = error' }],
  },
  // A session setting, so an autocommit block's COMMIT in the middle of a revision keeps its start; set in a DO
  // block, which prints no result table (a SELECT would print one per revision under psql).
  stepClock: {
    startSql: `DO $$BEGIN PERFORM set_config('retort.step_started', clock_timestamp()::text, false); END$$`,
    elapsedMsSql: `(extract(epoch FROM clock_timestamp() - coalesce(nullif(current_setting('retort.step_started', true), '')::timestamptz, transaction_timestamp())) * 1000)::integer`,
    nowSql: `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  },
  // SET LOCAL: the settings end with the revision's transaction, so nothing leaks into the session or a pool.
  revisionTimeoutSql({ lockTimeoutMs, statementTimeoutMs }) {
    const out = lockTimeoutMs > 0 ? [{ sql: `SET LOCAL lock_timeout = '${lockTimeoutMs}ms'` }] : [];
    if (statementTimeoutMs !== null) out.push({ sql: `SET LOCAL statement_timeout = '${statementTimeoutMs}ms'` });
    return out;
  },
  // A session setting for the block (it runs outside any transaction), then the role's or database's own again.
  autocommitTimeoutSql({ statementTimeoutMs }) {
    if (statementTimeoutMs === null) return { before: [], after: [] };
    return { before: [{ sql: `SET statement_timeout = '${statementTimeoutMs}ms'` }], after: [{ sql: 'RESET statement_timeout' }] };
  },
  // 55P03 lock_not_available: lock_timeout expired (also NOWAIT); the transaction is aborted and can run again.
  isLockTimeout(error) {
    return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '55P03';
  },
  // 57014 query_canceled: statement_timeout (or a cancel request, which the runner tells apart by its own interrupt).
  isStatementTimeout(error) {
    return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '57014';
  },
};
