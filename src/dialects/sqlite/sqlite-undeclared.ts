/**
 * The objects of a SQLite database the Schema IR does not hold, for `retort pull` to name, in one query: virtual
 * tables (FTS5, R*Tree; their shadow tables are the module's own), and the table options WITHOUT ROWID and STRICT,
 * which a table pulled is declared without (a rebuild keeps them). Views and triggers are declared.
 */
import type { Connection, UndeclaredObject } from '../dialect.js';

const UNDECLARED_SQL = `
SELECT 'virtual table' AS kind, t.name FROM pragma_table_list t WHERE t.schema = 'main' AND t.type = 'virtual'
UNION ALL
SELECT 'table option WITHOUT ROWID (declared without it)', t.name FROM pragma_table_list t WHERE t.schema = 'main' AND t.type = 'table' AND t.wr
UNION ALL
SELECT 'table option STRICT (declared without it)', t.name FROM pragma_table_list t WHERE t.schema = 'main' AND t.type = 'table' AND t.strict
ORDER BY 1, 2`;

/** The database's objects Retort's models cannot declare. */
export async function undeclaredSqlite(conn: Connection): Promise<UndeclaredObject[]> {
  return conn.query<UndeclaredObject>(UNDECLARED_SQL);
}
