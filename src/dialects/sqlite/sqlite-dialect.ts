/**
 * The SQLite dialect: better-sqlite3, the table rebuild for what ALTER TABLE
 * cannot do, and the foreign-key handling SQLite's documentation prescribes
 * for it (enforcement off before the transaction, foreign_key_check before
 * COMMIT, enforcement restored after the run).
 */
import { RetortError } from '../../errors.js';
import type { Connection, Dialect } from '../dialect.js';
import { compileSqlite } from './sqlite-compiler.js';
import { connectSqlite, lockSqlite, openMemory } from './sqlite-driver.js';
import { introspectSqlite, introspectSqliteTable } from './sqlite-introspector.js';
import { normalizeSchema, quoteId, quoteLit, typeSql } from './sqlite-normalize.js';

/** PRAGMA foreign_keys as it was before each run, per connection, to restore afterwards. */
const foreignKeysBefore = new WeakMap<Connection, number>();
/** Foreign-key violations already in the database before the run, per connection. */
const violationsBefore = new WeakMap<Connection, Set<string>>();

interface Violation { table: string; rowid: number | null; parent: string; fkid: number }
const violationKey = (v: Violation) => `${v.table}\u0000${v.rowid ?? ''}\u0000${v.parent}\u0000${v.fkid}`;

/**
 * Checks foreign keys inside the migration's transaction; a violation fails the migration so the
 * runner rolls back. Violations already there before the run are left alone: a database that never
 * enabled foreign_keys may hold orphan rows, and they are not this migration's doing.
 */
export async function checkForeignKeys(conn: Connection): Promise<void> {
  const known = violationsBefore.get(conn) ?? new Set<string>();
  const rows = (await conn.query<Violation>('PRAGMA foreign_key_check')).filter((v) => !known.has(violationKey(v)));
  if (rows.length === 0) return;
  const first = rows[0]!;
  const where = first.rowid === null ? '' : ` (rowid ${first.rowid})`;
  throw new RetortError('MIGRATION_FAILED', `foreign key violation: a row of "${first.table}"${where} references a missing row of "${first.parent}"${rows.length > 1 ? ` (${rows.length} violations in all)` : ''}`, {
    hint: 'fix or delete those rows in the migration before the change, or create the referenced rows',
    details: rows.slice(0, 10).map((r) => `${r.table} rowid ${r.rowid ?? '?'} -> ${r.parent}`),
  });
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
    violationsBefore.set(conn, new Set((await conn.query<Violation>('PRAGMA foreign_key_check')).map(violationKey)));
  },

  async afterRun(conn) {
    const before = foreignKeysBefore.get(conn);
    foreignKeysBefore.delete(conn);
    violationsBefore.delete(conn);
    if (before === 1) await conn.query('PRAGMA foreign_keys = ON');
  },

  beforeCommit: checkForeignKeys,

  lock: lockSqlite,
};
