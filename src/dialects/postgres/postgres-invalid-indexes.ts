/**
 * Indexes a failed concurrent build left behind. CREATE INDEX CONCURRENTLY commits the index's catalog entry
 * before it scans the table; when the build fails (a duplicate for a unique index, a cancelled statement, a lost
 * connection) the index stays, marked INVALID: queries ignore it but every write still updates it, and
 * `IF NOT EXISTS` skips building it again. Dropping it and running the revision again is the only way out.
 */
import type { Connection, InvalidIndex } from '../dialect.js';
import { quoteIdentifier } from './postgres-sql.js';

/** The INVALID indexes of `schema` (default: the first schema of the search path), by table and name. */
export async function postgresInvalidIndexes(conn: Connection, options: { readonly schema?: string }): Promise<readonly InvalidIndex[]> {
  const rows = await conn.query<{ name: string; table: string; schema: string }>(
    `SELECT c.relname AS name, t.relname AS "table", n.nspname AS schema
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT i.indisvalid AND n.nspname = coalesce($1::text, current_schema())
      ORDER BY 2, 1`,
    [options.schema ?? null],
  );
  return rows.map((r) => ({ name: r.name, table: r.table, dropSql: `DROP INDEX CONCURRENTLY ${quoteIdentifier(r.schema)}.${quoteIdentifier(r.name)}` }));
}
