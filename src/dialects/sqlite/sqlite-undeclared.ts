/**
 * The objects of a SQLite database the Schema IR does not hold, for `retort pull` to name, in one query: virtual
 * tables (FTS5, R*Tree; their shadow tables are the module's own), and the table options WITHOUT ROWID and STRICT,
 * which a table pulled is declared without (a rebuild keeps them). Views and triggers are declared.
 */
import type { Connection, UndeclaredObject } from '../dialect.js';
import { viewColumnList } from './sqlite-views-read.js';

const UNDECLARED_SQL = `
SELECT 'virtual table' AS kind, t.name FROM pragma_table_list t WHERE t.schema = 'main' AND t.type = 'virtual'
UNION ALL
SELECT 'table option WITHOUT ROWID (declared without it)', t.name FROM pragma_table_list t WHERE t.schema = 'main' AND t.type = 'table' AND t.wr
UNION ALL
SELECT 'table option STRICT (declared without it)', t.name FROM pragma_table_list t WHERE t.schema = 'main' AND t.type = 'table' AND t.strict
ORDER BY 1, 2`;

/**
 * The database's objects Retort's models cannot declare: those of the query, and views written with a column list
 * (`CREATE VIEW v (a, b) AS ...`), whose names view() cannot give (declared without it, the view's columns would be
 * the query's own names, and a view over it would break). Virtual tables and such views are relations: what reads
 * them is left out with them.
 */
export async function undeclaredSqlite(conn: Connection): Promise<UndeclaredObject[]> {
  const found = (await conn.query<UndeclaredObject>(UNDECLARED_SQL)).map((o) => (o.kind === 'virtual table' ? { ...o, relation: true } : o));
  const views = await conn.query<{ name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE type = 'view' AND sql IS NOT NULL ORDER BY name`);
  const listed = views.filter((v) => viewColumnList(v.sql) !== null).map((v) => ({ kind: 'view with a column list (view() names its columns by its query)', name: v.name, relation: true }));
  return [...found, ...listed];
}
