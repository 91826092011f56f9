/**
 * PostgreSQL's part of following declared renames (dialects/follow-renames.ts): the renames as its compiler writes
 * them, under lock_timeout 2 s (a rename takes its table's ACCESS EXCLUSIVE lock for the milliseconds the rolled-back
 * transaction lasts), and the schema read back by its introspector. The canonicalisers run the same statements first
 * where their scratch objects read the real tables (views, policies, trigger conditions), so a declared object is
 * spelled against the columns' new names.
 */
import type { Connection } from '../dialect.js';
import type { SchemaIR } from '../../ir/ir.js';
import type { Operation } from '../../operations/operations.js';
import { compileOne } from './postgres-compiler.js';
import { introspectPostgres } from './postgres-introspector.js';
import { followRenames } from '../follow-renames.js';

/** The statements that run `renames` at the start of a transaction that is rolled back. */
export function renamePrelude(renames: readonly Operation[]): string[] {
  if (renames.length === 0) return [];
  return [`SET LOCAL lock_timeout = '2s'`, ...renames.flatMap((o) => compileOne(o).map((s) => (typeof s === 'string' ? s : s.sql)))];
}

/** `live` with its views', policies' and triggers' SQL as PostgreSQL keeps it once `renames` have run. */
export function followRenamesPostgres(conn: Connection, live: SchemaIR, renames: readonly Operation[], options: { readonly schema?: string; readonly schemas?: readonly string[] }): Promise<SchemaIR> {
  // Read back every managed schema, as the live schema was read: a view in `audit` over a renamed `billing` table.
  const read = () => introspectPostgres(conn, { ...(options.schema !== undefined ? { schema: options.schema } : {}), ...(options.schemas !== undefined ? { schemas: options.schemas } : {}), exclude: () => false });
  return followRenames(conn, live, renames, renamePrelude(renames), read);
}
