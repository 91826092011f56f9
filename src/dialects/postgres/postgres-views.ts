/**
 * Views and materialized views in PostgreSQL DDL. Options go in the WITH (...) list before AS (check_option is
 * the reloption form of WITH CHECK OPTION), so nothing follows the user's query on its line: a trailing comment
 * in it cannot swallow a clause.
 */
import type { ViewIR } from '../../ir/ir.js';
import type { OperationOf } from '../../operations/operations.js';

type ViewOperation = OperationOf<'createView' | 'dropView' | 'replaceView' | 'refreshMaterializedView'>;
import { dollarQuote, quoteLiteral as lit, quoteQualified as q } from './postgres-sql.js';

/** The statements that create `v`; `createIndex` compiles each index of a materialized view. */
export function createViewSql(v: ViewIR, createIndex: (table: string, ix: NonNullable<ViewIR['indexes']>[number]) => string[], orReplace = false): string[] {
  if (v.materialized) {
    const data = v.withData === false ? 'WITH NO DATA' : 'WITH DATA';
    return [`CREATE MATERIALIZED VIEW ${q(v.name)} AS\n${v.definition}\n${data}`, ...(v.indexes ?? []).flatMap((ix) => createIndex(v.name, ix))];
  }
  const options = [...(v.checkOption !== undefined ? [`check_option = ${v.checkOption}`] : []), ...(v.securityBarrier === true ? ['security_barrier = true'] : [])];
  return [`CREATE ${orReplace ? 'OR REPLACE ' : ''}VIEW ${q(v.name)}${options.length > 0 ? ` WITH (${options.join(', ')})` : ''} AS\n${v.definition}`];
}

function dropViewSql(name: string, materialized: boolean): string {
  return `DROP ${materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${q(name)}`;
}

/**
 * A view's grants (GRANT SELECT ON v TO app_reader, and column grants: GRANT SELECT (id) ON v), which a DROP takes
 * with it and models do not declare, kept across a drop and a create of the same name: saved before the drop in a
 * temporary table of the session (it outlives an autocommit block's COMMIT in between), granted again after the
 * create and then forgotten (restoreGrantsSql). A view moved out of the way of a type change comes back with its
 * grants; a view dropped for good leaves a row that a view created later in the same run under that name would take.
 */
function saveGrantsSql(name: string): string[] {
  const key = lit(q(name));
  return [
    'CREATE TEMP TABLE IF NOT EXISTS retort_view_grants (name text NOT NULL, col text NOT NULL, acl aclitem[] NOT NULL, PRIMARY KEY (name, col))',
    `DELETE FROM retort_view_grants WHERE name = ${key}`,
    `INSERT INTO retort_view_grants SELECT ${key}, '', relacl FROM pg_class WHERE oid = to_regclass(${key}) AND relacl IS NOT NULL
  UNION ALL SELECT ${key}, attname, attacl FROM pg_attribute WHERE attrelid = to_regclass(${key}) AND attnum > 0 AND NOT attisdropped AND attacl IS NOT NULL`,
  ];
}

/** The grants saveGrantsSql kept for `name`, granted again (a column grant where the column is still there). */
function restoreGrantsSql(name: string): string {
  const key = lit(q(name));
  return `DO ${dollarQuote(` DECLARE g record; BEGIN
  IF to_regclass('pg_temp.retort_view_grants') IS NULL THEN RETURN; END IF;
  FOR g IN SELECT s.col, a.privilege_type AS p, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS who, a.is_grantable AS opt
    FROM retort_view_grants s, aclexplode(s.acl) a
    WHERE s.name = ${key} AND a.grantee <> (SELECT relowner FROM pg_class WHERE oid = to_regclass(${key}))
      AND (s.col = '' OR EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(${key}) AND attname = s.col AND NOT attisdropped)) LOOP
    EXECUTE format('GRANT %s%s ON %s TO %s%s', g.p, CASE WHEN g.col = '' THEN '' ELSE ' (' || quote_ident(g.col) || ')' END, ${key}, g.who, CASE WHEN g.opt THEN ' WITH GRANT OPTION' ELSE '' END);
  END LOOP;
  DELETE FROM retort_view_grants WHERE name = ${key};
END `)}`;
}

/** The statements of one view operation. */
export function compileViewOperation(o: ViewOperation, createIndex: (table: string, ix: NonNullable<ViewIR['indexes']>[number]) => string[]): string[] {
  switch (o.kind) {
    case 'createView':
      return [...createViewSql(o.view, createIndex), restoreGrantsSql(o.view.name)];
    case 'dropView':
      return [...saveGrantsSql(o.name), dropViewSql(o.name, o.materialized)];
    case 'replaceView': {
      // CREATE OR REPLACE keeps a plain view's columns and may append some, and its grants; anything else is a drop
      // and a create, with the grants kept across them.
      const inPlace = !o.view.materialized && o.from?.materialized !== true && o.columnChange !== 'changed';
      if (inPlace) return createViewSql(o.view, createIndex, true);
      return [...saveGrantsSql(o.view.name), dropViewSql(o.view.name, o.from?.materialized ?? o.view.materialized), ...createViewSql(o.view, createIndex), restoreGrantsSql(o.view.name)];
    }
    case 'refreshMaterializedView':
      return [`REFRESH MATERIALIZED VIEW ${o.concurrently === true ? 'CONCURRENTLY ' : ''}${q(o.name)}`];
  }
}
