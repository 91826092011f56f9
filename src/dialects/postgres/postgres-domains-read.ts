/**
 * Reading domains and extensions from pg_catalog, as two more queries of the introspector's batch (whatever their
 * number). A domain's checks are printed by pg_get_constraintdef, its default by pg_get_expr, as a table's are, so
 * both compare with the server's spelling of the declared ones (postgres-canonicalize-domains.ts). Extensions are
 * database-wide: every one but plpgsql (which every database has) is read. Objects an extension installed (its
 * types, functions, tables) are its own and never read as the schema's: EXTENSION_MEMBER leaves them out.
 */
import type { ColumnType, DomainIR, ExtensionIR } from '../../ir/ir.js';
import { parseTypeSql } from './postgres-sql.js';
import { MANAGED, qualifiedIn, qualifiedOid } from './postgres-managed-schemas.js';

/**
 * SQL true when the object `oid` of catalog `classid` was not installed by an extension. The first test runs once per
 * query (an uncorrelated InitPlan over pg_depend's reference index): where no extension owns an object of that catalog
 * (plpgsql's are functions), no row is probed (3 of the tables query's 9 ms of server CPU at 1000 tables).
 */
export const NOT_EXTENSION_MEMBER = (classid: string, oid: string) =>
  `(NOT EXISTS (SELECT 1 FROM pg_depend dg WHERE dg.refclassid = 'pg_catalog.pg_extension'::regclass AND dg.classid = '${classid}'::regclass AND dg.deptype = 'e')
    OR NOT EXISTS (SELECT 1 FROM pg_depend dx WHERE dx.classid = '${classid}'::regclass AND dx.objid = ${oid} AND dx.deptype = 'e'))`;

export const DOMAINS_SQL = `
SELECT ${qualifiedIn('n.nspname', 't.typname')} AS name, format_type(t.typbasetype, t.typtypmod) AS formatted,
  CASE WHEN bt.typtype = 'e' THEN ${qualifiedOid('bt.typnamespace', 'bt.typname')} END AS enum_name,
  CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN (SELECT co.collname FROM pg_collation co WHERE co.oid = t.typcollation) END AS collation,
  t.typnotnull AS not_null, pg_get_expr(t.typdefaultbin, 0, true) AS default_expr,
  (SELECT json_agg(json_build_object('name', con.conname, 'definition', pg_get_constraintdef(con.oid, true)) ORDER BY con.conname)
    FROM pg_constraint con WHERE con.contypid = t.oid AND con.contype = 'c') AS checks,
  ds.description AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_description ds ON ds.objoid = t.oid AND ds.classoid = 'pg_catalog.pg_type'::regclass AND ds.objsubid = 0
WHERE n.nspname IN (${MANAGED}) AND t.typtype = 'd' AND ${NOT_EXTENSION_MEMBER('pg_type', 't.oid')}`;

export const EXTENSIONS_SQL = `
SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql' AND $1::text IS NOT NULL`;

export interface DomainRow {
  name: string; formatted: string; enum_name: string | null;
  /** Its COLLATE where it is not the base type's. */
  collation: string | null;
  not_null: boolean; default_expr: string | null;
  checks: { name: string; definition: string }[] | null; comment: string | null;
}
export interface ExtensionRow { name: string; schema: string; version: string }

// pg_get_constraintdef prints `CHECK (expr)`, followed by NOT VALID when the check was added without checking.
function checkExpression(definition: string): string {
  const m = /^CHECK \(([\s\S]*)\)(?:\s+NOT VALID)?$/.exec(definition.trim());
  return m ? m[1]! : definition;
}

/** The DomainIR of a catalog row. */
export function buildDomain(r: DomainRow): DomainIR {
  const type: ColumnType = r.enum_name !== null ? { kind: 'enum', name: r.enum_name } : parseTypeSql(r.formatted);
  return {
    name: r.name,
    type,
    ...(r.collation !== null ? { collation: r.collation } : {}),
    notNull: r.not_null,
    default: r.default_expr,
    checks: (r.checks ?? []).map((c) => ({ name: c.name, expression: checkExpression(c.definition) })),
    ...(r.comment !== null ? { comment: r.comment } : {}),
  };
}

/** The ExtensionIR of a catalog row. */
export function buildExtension(r: ExtensionRow): ExtensionIR {
  return { name: r.name, schema: r.schema, version: r.version };
}
