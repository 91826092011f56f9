/**
 * The SQLite dialect: better-sqlite3, the table rebuild for what ALTER TABLE
 * cannot do, and the foreign-key handling SQLite's documentation prescribes
 * for it (enforcement off before the transaction, foreign_key_check before
 * COMMIT, enforcement restored after the run).
 */
import { RetortError } from '../../errors.js';
import type { Connection, Dialect } from '../dialect.js';
import { compileSqlite } from './sqlite-compiler.js';
import { BUSY_TIMEOUT_MS, connectSqlite, lockSqlite, openMemory } from './sqlite-driver.js';
import { introspectSqlite, introspectSqliteTable } from './sqlite-introspector.js';
import { normalizeSchema, quoteId, quoteLit, typeSql } from './sqlite-normalize.js';

/** PRAGMA foreign_keys as it was before each run, per connection, to restore afterwards. */
const foreignKeysBefore = new WeakMap<Connection, number>();
/** How many foreign-key violations each table held before the run, per connection. */
const violationsBefore = new WeakMap<Connection, ReadonlyMap<string, number>>();

// Counted by SQLite, grouped by the referencing table: a database that never enabled foreign_keys (SQLite's
// default) may hold millions of orphan rows, and fetching each of them before every commit took seconds and
// hundreds of megabytes per revision. The counts are as cheap as the check itself and a few bytes per table.
const VIOLATION_COUNTS_SQL = 'SELECT "table" AS name, count(*) AS n FROM pragma_foreign_key_check GROUP BY "table"';

async function violationCounts(conn: Connection): Promise<Map<string, number>> {
  return new Map((await conn.query<{ name: string; n: number }>(VIOLATION_COUNTS_SQL)).map((r) => [r.name, Number(r.n)]));
}

interface Violation { rowid: number | null; parent: string }

/**
 * Checks foreign keys inside the migration's transaction; a violation fails the migration so the
 * runner rolls back. Violations already there before the run are left alone: a database that never
 * enabled foreign_keys may hold orphan rows, and they are not this migration's doing. A table fails
 * when it holds more violating rows than before the run (a migration that both removes and adds as
 * many orphans in one table is not caught: the README says so).
 */
export async function checkForeignKeys(conn: Connection): Promise<void> {
  const before = violationsBefore.get(conn) ?? new Map<string, number>();
  const grown = [...(await violationCounts(conn))].filter(([name, n]) => n > (before.get(name) ?? 0));
  if (grown.length === 0) return;
  const [table, n] = grown[0]!;
  const had = before.get(table) ?? 0;
  const added = n - had;
  const examples = await conn.query<Violation>(`SELECT rowid, parent FROM pragma_foreign_key_check(${quoteLit(table)}) LIMIT 10`);
  const first = examples[0];
  const where = first && first.rowid !== null && had === 0 && added === 1 ? ` (rowid ${first.rowid})` : '';
  const others = grown.length > 1 ? `; ${grown.length - 1} more table(s) too: ${grown.slice(1).map(([t]) => `"${t}"`).join(', ')}` : '';
  const message = `foreign key violation: ${added === 1 ? 'a row' : `${added} rows`} of "${table}"${where} ${added === 1 ? 'references' : 'reference'} a missing row of "${first?.parent ?? '?'}"${had > 0 ? ` (it held ${had} such row(s) before the run)` : ''}${others}`;
  throw new RetortError('MIGRATION_FAILED', message, {
    hint: had === 0
      ? 'fix or delete those rows in the migration before the change, or create the referenced rows; when the migration adds the foreign key (or renames the table, or a downgrade re-adds a dropped key), the rows may be older than it: fix them first'
      : 'fix or delete those rows in the migration before the change, or create the referenced rows',
    details: examples.map((r) => `${table} rowid ${r.rowid ?? '?'} -> ${r.parent}`),
  });
}

/**
 * SQLite's messages for a failed rebuild name the copy the rows go into (`_retort_new_plays.device`):
 * the user's table is meant. The common causes get a hint.
 */
export function explainSqliteFailure(message: string): { message: string; hint?: string } | null {
  const text = message.replace(/\b_retort_new_(?=[^\s.]+\.)/g, '');
  const m = /^(NOT NULL|UNIQUE|CHECK) constraint failed: (.+)$/.exec(text);
  if (m) {
    const what = m[2]!;
    const hint = m[1] === 'NOT NULL'
      ? `rows of ${what.split('.')[0]} hold NULL in ${what} (or a new NOT NULL column has no default): fill them in the revision first (op.execute('UPDATE ...')) or give the column a server default`
      : m[1] === 'UNIQUE'
        ? `rows of ${what.split(',')[0]!.split('.')[0]} share a value of ${what}: remove or change the duplicates in the revision first`
        : `rows fail the CHECK ${what}: fix them in the revision first`;
    return { message: text, hint };
  }
  if (/database is locked|SQLITE_BUSY/i.test(text)) {
    return { message: text, hint: `another connection held a write lock on the database file for ${BUSY_TIMEOUT_MS / 1000} s: run again when it is done (stop the application, or migrate while it is idle)` };
  }
  return text === message ? null : { message: text };
}

/** The SQLite dialect. */
export const sqliteDialect: Dialect = {
  displayName: 'SQLite',
  // Takes the write lock at once, so a migration never fails half-way with SQLITE_BUSY on its first write.
  beginSql: 'BEGIN IMMEDIATE',
  quoteIdentifier: quoteId,
  quoteLiteral: quoteLit,
  typeSql,
  compile: compileSqlite,
  connect: connectSqlite,
  openScratch: async () => openMemory(),
  introspect: introspectSqlite,
  introspectTable: (conn, name) => introspectSqliteTable(conn, name),
  tableExists: async (conn, name) => (await conn.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, [name])).length > 0,
  normalize: normalizeSchema,

  async beforeRun(conn) {
    // PRAGMA foreign_keys is silently ignored inside a transaction, so it is switched off here, before BEGIN:
    // with it on, the rebuild's DROP TABLE would run ON DELETE CASCADE on the child tables.
    const [row] = await conn.query<{ foreign_keys: number }>('PRAGMA foreign_keys');
    foreignKeysBefore.set(conn, row?.foreign_keys ?? 0);
    await conn.query('PRAGMA foreign_keys = OFF');
    // Renames must rewrite references in other tables, triggers and views (SQLite 3.26+ behaviour).
    await conn.query('PRAGMA legacy_alter_table = OFF');
    violationsBefore.set(conn, await violationCounts(conn));
  },

  async afterRun(conn) {
    const before = foreignKeysBefore.get(conn);
    foreignKeysBefore.delete(conn);
    violationsBefore.delete(conn);
    if (before === 1) await conn.query('PRAGMA foreign_keys = ON');
  },

  beforeCommit: checkForeignKeys,
  explainFailure: explainSqliteFailure,

  lock: lockSqlite,
};
