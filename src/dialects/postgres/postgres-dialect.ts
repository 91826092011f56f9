/**
 * The PostgreSQL dialect: the Dialect interface assembled from this folder's
 * driver, compiler, introspector, normaliser and lock.
 */
import type { Dialect, Statement } from '../dialect.js';
import { canonicalizePostgres } from './postgres-canonicalize.js';
import { compilePostgres } from './postgres-compiler.js';
import { connectPostgres, STANDARD_STRINGS_SQL, unlessLost } from './postgres-driver.js';
import { introspectPostgres, introspectPostgresTable } from './postgres-introspector.js';
import { literalSql } from './postgres-literal.js';
import { guardedWritePostgres, lockPostgres, readSnapshotPostgres } from './postgres-lock.js';
import { normalizeSchema } from './postgres-normalize.js';
import { dollarQuote, quoteIdentifier, quoteLiteral, typeSql } from './postgres-sql.js';
import { quoteLiteral as standardLiteral } from '../sql-quote.js';
import { postgresEnumPlanner } from './postgres-enum-planner.js';

// max_locks_per_transaction (64) x max_connections (100) shared slots; a table with a serial key, an index and
// a unique takes about six. Measured: the 3000-table revision of a QA pass failed at table 956.
const TABLES_PER_TRANSACTION = 800;

/** postgresDialect is Retort's PostgreSQL support. */
export const postgresDialect: Dialect = {
  displayName: 'PostgreSQL',
  beginSql: 'BEGIN',
  quoteIdentifier,
  quoteLiteral,
  // Stored expressions are spelled with plain standard literals (Retort's sessions set standard_conforming_strings).
  sqlSpelling: { quoteIdentifier, quoteLiteral: standardLiteral },
  literalSql,
  typeSql,
  // PostgreSQL alters everything in place: the catalog is never read.
  compile: async (ops) => compilePostgres(ops),
  connect: connectPostgres,
  sessionSetup: [{ sql: STANDARD_STRINGS_SQL }],
  openScratch: async () => null,
  introspect: introspectPostgres,
  introspectTable: introspectPostgresTable,
  tableExists: async (conn, name, options) =>
    (
      await conn.query(
        `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
        [options?.schema ?? 'public', name],
      )
    ).length > 0,
  normalize: normalizeSchema,
  canonicalize: canonicalizePostgres,
  enumPlanner: postgresEnumPlanner,
  lock: lockPostgres,
  readSnapshot: readSnapshotPostgres,
  guardedWrite: guardedWritePostgres,
  // Each revision still commits atomically; only the wait for its WAL flush is skipped, and the
  // last commit is synchronous, which flushes all before it (about 2 ms a revision saved).
  async beforeRun(conn) {
    await conn.query('SET synchronous_commit = off');
  },
  async afterRun(conn) {
    await conn.query('RESET synchronous_commit').catch(unlessLost);
  },
  durableCommitSql: 'SET LOCAL synchronous_commit = on',
  pipelinesTransactions: true,
  batchesStatements: true,
  transactionalDdl: true,
  bigTransactionWarning: (tables) =>
    tables > TABLES_PER_TRANSACTION
      ? `the revision creates ${tables} tables in one transaction; PostgreSQL with default settings locks about ${TABLES_PER_TRANSACTION}: applying it may fail with "out of shared memory" (and disturb other sessions meanwhile). Split its upgrade into revisions of a few hundred tables, or raise max_locks_per_transaction`
      : null,
  // Each revision of a script is its own transaction, as online. `psql -1` wraps the file in a transaction of
  // its own, which the first BEGIN would warn about and whose closing COMMIT would find none open: the script
  // ends that one first and lets psql's COMMIT pass without a warning, so both ways run it silently.
  scriptFrame: {
    opening: [{ sql: 'SET client_min_messages = error' }, { sql: 'COMMIT' }, { sql: 'RESET client_min_messages' }],
    closing: [{ sql: 'SET client_min_messages = error' }],
  },
  // A session setting, so an autocommit block's COMMIT in the middle of a revision keeps its start; set in a DO
  // block, which prints no result table (a SELECT would print one per revision under psql).
  stepClock: {
    startSql: `DO $$BEGIN PERFORM set_config('retort.step_started', clock_timestamp()::text, false); END$$`,
    elapsedMsSql: `(extract(epoch FROM clock_timestamp() - coalesce(nullif(current_setting('retort.step_started', true), '')::timestamptz, transaction_timestamp())) * 1000)::integer`,
    nowSql: `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  },
  explainFailure(message) {
    // PostgreSQL takes a lock per table created in a transaction; a create-everything revision can exceed the lock table.
    if (/out of shared memory/i.test(message)) {
      return { message, hint: 'the revision touches more tables than the server can lock in one transaction: raise max_locks_per_transaction or split the revision' };
    }
    // Views are not part of the models (nor of autogenerate): a type change under one needs the view set aside by hand.
    if (/cannot alter type of a column used by a view or rule/i.test(message)) {
      return { message, hint: 'drop the view before the change and create it again after, in the revision (op.execute(\'DROP VIEW ...\') / op.execute(\'CREATE VIEW ...\'))' };
    }
    // The role may use the schema but not create in it (PostgreSQL 15 no longer lets every role create in public).
    const denied = /permission denied for schema (.+?)(?: \(|$)/i.exec(message);
    if (denied) {
      return { message, hint: `let the role Retort connects as create tables there (GRANT CREATE ON SCHEMA ${quoteIdentifier(denied[1]!)} TO <role>), or set \`schema\` in retort.config.ts to a schema it may create in` };
    }
    if (/cannot alter type of a column used by a generated column/i.test(message)) {
      return { message, hint: 'drop the generated column before the change and add it again after, in the revision' };
    }
    return null;
  },
  schemaSetup(schema: string): Statement[] {
    if (schema === 'public') return [];
    const lit = quoteLiteral(schema);
    return [
      // A missing schema would otherwise surface later as "no schema has been selected to create in".
      { sql: `DO ${dollarQuote(` BEGIN IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ${lit}) THEN RAISE EXCEPTION 'schema "%" does not exist', ${lit}; END IF; END `)}` },
      { sql: `SET search_path TO ${quoteIdentifier(schema)}` },
    ];
  },
};
