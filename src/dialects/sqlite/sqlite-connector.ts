/**
 * What `current` needs of SQLite: opening the file and the version table's check, without the compiler, the
 * rebuild planner or the introspector the whole dialect (sqlite-dialect.ts) composes.
 */
import type { DialectConnector } from '../registry-entry.js';
import { quoteIdentifier } from '../sql-quote.js';
import { connectSqlite } from './sqlite-driver.js';

/** sqliteConnector is the part of the SQLite dialect that reads the version table. */
export const sqliteConnector: DialectConnector = {
  displayName: 'SQLite',
  defaultSchema: null,
  quoteIdentifier,
  connect: connectSqlite,
  tableExists: async (conn, name) => (await conn.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, [name])).length > 0,
};
