/**
 * Reading views and materialized views from pg_catalog, as one more query of the introspector's batch (whatever
 * the number of views): the definition as pg_get_viewdef prints it, the options from reloptions, whether a
 * materialized view is filled, the relations
 * each view reads from pg_depend through its rewrite rule, and its columns (for CREATE OR REPLACE). Materialized
 * views' indexes come with the tables' indexes query.
 */
import type { IndexIR, ViewIR } from '../../ir/ir.js';
import { MANAGED, qualifiedIn } from './postgres-managed-schemas.js';

export const VIEWS_SQL = `
SELECT ${qualifiedIn('n.nspname', 'c.relname')} AS name, c.relkind = 'm' AS materialized, c.relispopulated AS populated, pg_get_viewdef(c.oid, true) AS definition,
  array_to_json(coalesce(c.reloptions, '{}')) AS options,
  array_to_json(ARRAY(
    SELECT DISTINCT ${qualifiedIn('dn.nspname', 'd.relname')} FROM pg_rewrite r
    JOIN pg_depend dep ON dep.classid = 'pg_catalog.pg_rewrite'::regclass AND dep.objid = r.oid AND dep.refclassid = 'pg_catalog.pg_class'::regclass
    JOIN pg_class d ON d.oid = dep.refobjid
    JOIN pg_namespace dn ON dn.oid = d.relnamespace
    WHERE r.ev_class = c.oid AND d.oid <> c.oid AND dn.nspname IN (${MANAGED}))) AS depends_on,
  (SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)
    FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
  (SELECT ds.description FROM pg_description ds WHERE ds.objoid = c.oid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = 0) AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN (${MANAGED}) AND c.relkind IN ('v', 'm')
  AND NOT EXISTS (SELECT 1 FROM pg_depend dx WHERE dx.classid = 'pg_catalog.pg_class'::regclass AND dx.objid = c.oid AND dx.deptype = 'e')`;

export interface ViewRow {
  name: string;
  materialized: boolean;
  /** A materialized view not filled (created WITH NO DATA, never refreshed); true for plain views. */
  populated: boolean;
  definition: string;
  options: string[];
  depends_on: string[];
  columns: { name: string; type: string }[] | null;
  comment?: string | null;
}

/** pg_get_viewdef's text as the IR holds a view's query: without the surrounding blanks and the final semicolon. */
export function viewDefinition(text: string): string {
  return text.trim().replace(/;$/, '').trim();
}

/** The ViewIR of a catalog row; `indexes` are a materialized view's (read with the tables' indexes). */
export function buildView(r: ViewRow, indexes: readonly IndexIR[]): ViewIR {
  const option = (key: string) => r.options.find((o) => o.startsWith(`${key}=`))?.slice(key.length + 1);
  const barrier = option('security_barrier');
  const check = option('check_option');
  return {
    name: r.name,
    definition: viewDefinition(r.definition),
    materialized: r.materialized,
    ...(barrier === 'true' || barrier === 'on' ? { securityBarrier: true } : {}),
    ...(check === 'local' || check === 'cascaded' ? { checkOption: check } : {}),
    // Never compared (filling is data, not schema); kept so pull declares it and a re-creation creates it so.
    ...(r.materialized && !r.populated ? { withData: false } : {}),
    ...(indexes.length > 0 ? { indexes: [...indexes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) } : {}),
    dependsOn: [...r.depends_on].sort(),
    columns: r.columns ?? [],
    ...(r.comment !== undefined && r.comment !== null && r.comment !== '' ? { comment: r.comment } : {}),
  };
}
