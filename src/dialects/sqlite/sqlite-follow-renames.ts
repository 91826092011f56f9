/**
 * SQLite's part of following declared renames (dialects/follow-renames.ts): its own ALTER TABLE ... RENAME TO and
 * RENAME COLUMN, which rewrite the text of the views and triggers that name the table or column, run in a
 * transaction that is rolled back, and the schema read back. A view renamed has no such statement (SQLite re-creates
 * it): those renames are left out, and a view over it keeps its text.
 */
import type { Connection } from '../dialect.js';
import type { SchemaIR } from '../../ir/ir.js';
import type { Operation } from '../../operations/operations.js';
import { quoteIdentifier as q } from '../sql-quote.js';
import { followRenames } from '../follow-renames.js';
import { introspectSqlite } from './sqlite-introspector.js';

/** `live` with its views' and triggers' text as SQLite rewrites it once `renames` have run. */
export function followRenamesSqlite(conn: Connection, live: SchemaIR, renames: readonly Operation[]): Promise<SchemaIR> {
  const statements = renames.flatMap((o) => {
    if (o.kind === 'renameTable') return [`ALTER TABLE ${q(o.from)} RENAME TO ${q(o.to)}`];
    if (o.kind === 'alterColumn' && o.to.name !== undefined) return [`ALTER TABLE ${q(o.table)} RENAME COLUMN ${q(o.column)} TO ${q(o.to.name)}`];
    return [];
  });
  return followRenames(conn, live, renames, statements, () => introspectSqlite(conn, { exclude: () => false }));
}
