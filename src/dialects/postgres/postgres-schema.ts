/** PostgreSQL schemas: the default one, choosing another for the session, and finding a table in one. */
import type { Connection, Statement } from '../dialect.js';
import { dollarQuote, quoteIdentifier, quoteLiteral } from './postgres-sql.js';

/** The schema unqualified names mean in a new database. */
export const DEFAULT_SCHEMA = 'public';

/** Statements that make unqualified names mean `schema` for the session, after checking that it exists. */
export function postgresSchemaSetup(schema: string): Statement[] {
  if (schema === DEFAULT_SCHEMA) return [];
  const lit = quoteLiteral(schema);
  return [
    // A missing schema would otherwise surface later as "no schema has been selected to create in".
    { sql: `DO ${dollarQuote(` BEGIN IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ${lit}) THEN RAISE EXCEPTION 'schema "%" does not exist', ${lit}; END IF; END `)}` },
    { sql: `SET search_path TO ${quoteIdentifier(schema)}` },
  ];
}

/** Which of `names` are tables or partitioned tables in `schema` (the default one when absent), in one query. */
export async function postgresExistingTables(conn: Connection, names: readonly string[], options?: { schema?: string }): Promise<ReadonlySet<string>> {
  const rows = await conn.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind IN ('r', 'p')`,
    [options?.schema ?? DEFAULT_SCHEMA, names],
  );
  return new Set(rows.map((r) => r.relname));
}

/** Whether `schema` (the default one when absent) holds a table or partitioned table `name`. */
export async function postgresTableExists(conn: Connection, name: string, options?: { schema?: string }): Promise<boolean> {
  return (await postgresExistingTables(conn, [name], options)).has(name);
}
