/**
 * What `current` needs of SQLite: opening the file and the version table's check, without the compiler, the
 * rebuild planner or the introspector the whole dialect (sqlite-dialect.ts) composes.
 */
import type { DialectConnector } from '../registry-entry.js';
import { quoteIdentifier } from '../sql-quote.js';
import type { Connection } from '../dialect.js';
import { connectSqlite } from './sqlite-driver.js';

/** Which of `names` are tables, in one query. */
export async function sqliteExistingTables(conn: Connection, names: readonly string[]): Promise<ReadonlySet<string>> {
  const rows = await conn.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (SELECT value FROM json_each(?))`, [JSON.stringify(names)]);
  return new Set(rows.map((r) => r.name));
}

/** sqliteConnector is the part of the SQLite dialect that reads the version table. */
export const sqliteConnector: DialectConnector = {
  displayName: 'SQLite',
  defaultSchema: null,
  quoteIdentifier,
  connect: connectSqlite,
  tableExists: async (conn, name) => (await sqliteExistingTables(conn, [name])).has(name),
  existingTables: sqliteExistingTables,
};
