/**
 * The objects of a SQLite database the Schema IR does not hold, for `retort pull` to name, in one query:
 * triggers and virtual tables (FTS5, R*Tree; their shadow tables are the module's own). Views are declared.
 */
import type { Connection, UndeclaredObject } from '../dialect.js';

const UNDECLARED_SQL = `
SELECT 'trigger on ' || m.tbl_name AS kind, m.name
FROM sqlite_master m WHERE m.type = 'trigger'
UNION ALL
SELECT 'virtual table', t.name FROM pragma_table_list t WHERE t.schema = 'main' AND t.type = 'virtual'
ORDER BY 1, 2`;

/** The database's objects Retort's models cannot declare. */
export async function undeclaredSqlite(conn: Connection): Promise<UndeclaredObject[]> {
  return conn.query<UndeclaredObject>(UNDECLARED_SQL);
}
