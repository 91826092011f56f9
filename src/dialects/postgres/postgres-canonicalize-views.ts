/**
 * A declared view's query in PostgreSQL's own spelling: PostgreSQL stores a view as its parsed query and prints
 * it back with pg_get_viewdef (columns qualified, casts written out, its own layout), so the text a user writes
 * never reads back as written. For each declared view whose text differs from the live one, and only those, this
 * creates it as a temporary view inside a transaction that is always rolled back and reads back its definition
 * and columns: where the definition equals the live one, the live text is adopted (formatting is no change);
 * otherwise the declared text stays, with the columns it would have (which say whether CREATE OR REPLACE can
 * keep the live view's columns).
 */
import type { Connection } from '../dialect.js';
import { eachInSavepoint, inRolledBack } from '../read-transaction.js';
import type { SchemaIR, ViewIR } from '../../ir/ir.js';
import { quoteIdentifier as q } from './postgres-sql.js';
import { viewDefinition } from './postgres-views-read.js';

const SCRATCH_SQL = `
SELECT c.relname AS name, pg_get_viewdef(c.oid, true) AS definition,
  (SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)
    FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
FROM pg_class c WHERE c.relnamespace = pg_my_temp_schema() AND c.relkind = 'v'`;

/** `declared`'s views, each in the live spelling where the server spells it the same (see the module comment). */
export async function canonicalViews(conn: Connection, declared: SchemaIR, live: SchemaIR, prelude: readonly string[] = []): Promise<readonly ViewIR[] | undefined> {
  if (declared.views === undefined) return undefined;
  const liveViews = new Map((live.views ?? []).map((v) => [v.name, v]));
  const differing = declared.views.filter((v) => {
    const l = liveViews.get(v.name);
    return l !== undefined && l.definition !== v.definition;
  });
  if (differing.length === 0) return declared.views;
  const scratch = await scratchDefinitions(conn, order(differing), prelude);
  return declared.views.map((v) => {
    const s = scratch.get(v.name);
    const l = liveViews.get(v.name);
    if (s === undefined || l === undefined) return v;
    return viewDefinition(s.definition) === l.definition ? { ...v, definition: l.definition, columns: l.columns ?? s.columns ?? [] } : { ...v, columns: s.columns ?? [] };
  });
}

// Views that read other views of the list come after them, so a temporary view reads the declared one before it.
function order(views: readonly ViewIR[]): ViewIR[] {
  const names = new Set(views.map((v) => v.name));
  const out: ViewIR[] = [];
  const seen = new Set<string>();
  const visit = (v: ViewIR) => {
    if (seen.has(v.name)) return;
    seen.add(v.name);
    for (const d of v.dependsOn ?? []) if (names.has(d)) visit(views.find((x) => x.name === d)!);
    out.push(v);
  };
  views.forEach(visit);
  return out;
}

interface ScratchRow { name: string; definition: string; columns: { name: string; type: string }[] | null }

async function scratchDefinitions(conn: Connection, views: readonly ViewIR[], prelude: readonly string[]): Promise<Map<string, ScratchRow>> {
  const read = await inRolledBack(conn, async () => {
    // The declared renames first, so the tables and columns are found by their new names (postgres-follow-renames.ts).
    for (const s of prelude) await conn.query(s);
    // As if one savepoint each: a query PostgreSQL refuses (a table not created yet) leaves out only its view.
    const creates = views.map((v) => `CREATE TEMPORARY VIEW ${q(v.name)} AS\n${v.definition}`);
    const rows = await eachInSavepoint<ScratchRow>(conn, 'retort_view', creates, SCRATCH_SQL);
    return new Map(rows.map((r) => [r.name, r]));
  });
  return read ?? new Map();
}
