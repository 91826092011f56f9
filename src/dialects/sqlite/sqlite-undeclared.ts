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
UNION ALL
-- SQLite's legacy quirk: a rowid table's primary key column that is not INTEGER PRIMARY KEY takes NULLs unless NOT NULL
-- is written; the models declare it NOT NULL, so a table rebuild (any change SQLite cannot ALTER) fails on such a row
SELECT 'primary key column taking NULL (declared NOT NULL: a rebuild fails on a row holding NULL there)', t.name || '.' || c.name
FROM pragma_table_list t, pragma_table_info(t.name) c
WHERE t.schema = 'main' AND t.type = 'table' AND NOT t.wr AND substr(t.name, 1, 7) <> 'sqlite_' AND c.pk > 0 AND c."notnull" = 0
  AND NOT (upper(c.type) = 'INTEGER' AND (SELECT count(*) FROM pragma_table_info(t.name) k WHERE k.pk > 0) = 1)
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
