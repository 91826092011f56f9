/**
 * The object kinds beyond tables that the random schemas of random-schema.ts hold: views over the random tables
 * (both dialects), and on PostgreSQL row-level security (a table's switches, policies), free-standing sequences and
 * identity keys. Each kind has its spec (plain, printable data), its random generation, its mutations (keeping the
 * schema valid with A's rows in place), and its DSL declarations.
 */
import * as dsl from '../../src/models/builders.js';
import type { Chooser } from './random-schema-tables.js';

/** What a dialect has: SQLite has views and triggers only. `extensions`: those the PostgreSQL server has, of random-schema-pg.ts's EXTENSIONS. */
export interface KindOptions { readonly postgres: boolean; readonly extensions?: readonly string[] }
export const SQLITE_KINDS: KindOptions = { postgres: false };

/**
 * A view reading some columns of one table (never `*`: PostgreSQL freezes a star to the columns of the day). Its
 * shape: those columns (`select`, enum columns cast to text on PostgreSQL when `cast`), joined with `other` on ids
 * (`join`), grouped by its first column with count and max (`agg`), or with f_double(id) (`call`, PostgreSQL).
 * PostgreSQL: materialized (`index`: with an index on its first column), and a comment.
 */
export interface ViewSpec {
  name: string; table: string; cols: string[]; where: boolean;
  shape?: 'select' | 'join' | 'agg' | 'call'; other?: string | null; cast?: boolean; materialized?: boolean; index?: boolean; comment?: string | null;
}
/** A policy on a table; `col` is a column its USING names (or null: `id > 0`). */
export interface PolicySpec { name: string; command: 'all' | 'select' | 'insert' | 'update' | 'delete'; permissive: boolean; col: string | null }
export interface SequenceSpec { name: string; start: number; increment: number; cycle: boolean; comment?: string | null }

/** The part of a table these kinds add. */
export interface TableKinds { rls?: { enabled: boolean; forced: boolean }; policies?: PolicySpec[] }

interface TableLike extends TableKinds { name: string; columns: { name: string; kind: string }[] }
interface SchemaLike { tables: TableLike[]; views?: ViewSpec[]; sequences?: SequenceSpec[]; functions?: { name: string }[] }

const VIEW_NAMES = ['v_one', 'V Two', 'v_three'];
const COMMENTS = ['a note', "it's\nmultiline"];
const POLICY_NAMES = ['own rows', 'p_write'];
const SEQUENCE_NAMES = ['counter', 'Order No'];
const COMMANDS = ['all', 'select', 'insert', 'update', 'delete'] as const;
/** Columns a view or policy may name: not json (no equality operator for DISTINCT-free plans is needed, but kept simple). */
const readable = (t: TableLike) => ['id', ...t.columns.filter((c) => c.kind !== 'json').map((c) => c.name)];

function randomView(c: Chooser, s: SchemaLike, name: string, o: KindOptions): ViewSpec | null {
  if (s.tables.length === 0) return null;
  const t = c.pick(s.tables);
  const cols = readable(t).filter(() => c.chance(2));
  const shape = c.pick(o.postgres ? (['select', 'select', 'join', 'agg', 'call'] as const) : (['select', 'select', 'join', 'agg'] as const));
  const pg = o.postgres ? { cast: c.chance(2), materialized: c.chance(3), index: c.chance(2), comment: c.chance(3) ? c.pick(COMMENTS) : null } : {};
  return { name, table: t.name, cols: cols.length > 0 ? cols : ['id'], where: c.chance(2), shape, other: shape === 'join' ? c.pick(s.tables).name : null, ...pg };
}

function randomPolicy(c: Chooser, t: TableLike, name: string): PolicySpec {
  const cols = t.columns.filter((x) => x.kind !== 'json');
  return { name, command: c.pick(COMMANDS), permissive: !c.chance(3), col: cols.length > 0 && c.chance(2) ? c.pick(cols).name : null };
}

/** Adds random views (and, on PostgreSQL, RLS, policies and sequences) to a schema whose tables exist. */
export function randomKinds(c: Chooser, s: SchemaLike, o: KindOptions): void {
  s.views = [];
  for (const name of VIEW_NAMES) {
    const v = c.chance(2) ? randomView(c, s, name, o) : null;
    if (v) s.views.push(v);
  }
  if (!o.postgres) return;
  for (const t of s.tables) randomTableKinds(c, t);
  s.sequences = SEQUENCE_NAMES.filter(() => c.chance(3)).map((name) => ({ name, start: c.pick([1, 100]), increment: c.pick([1, 5]), cycle: c.chance(2), comment: c.chance(3) ? c.pick(COMMENTS) : null }));
}

/** A new table's switches and policies (PostgreSQL). */
export function randomTableKinds(c: Chooser, t: TableLike): void {
  t.rls = c.chance(2) ? { enabled: true, forced: c.chance(2) } : { enabled: false, forced: false };
  t.policies = POLICY_NAMES.filter(() => c.chance(3)).map((n) => randomPolicy(c, t, n));
}

/** One random mutation of these kinds (B from A). */
export function mutateKinds(c: Chooser, s: SchemaLike, o: KindOptions): void {
  const t = s.tables.length > 0 ? c.pick(s.tables) : null;
  switch (c.int(o.postgres ? 8 : 2)) {
    case 0: { // a view appears, goes or reads other columns
      s.views ??= [];
      const name = c.pick(VIEW_NAMES);
      const at = s.views.findIndex((v) => v.name === name);
      const next = c.chance(3) ? null : randomView(c, s, name, o);
      if (at >= 0) s.views.splice(at, 1, ...(next ? [next] : []));
      else if (next) s.views.push(next);
      break;
    }
    case 1: { // a view's filter toggles
      const v = s.views && s.views.length > 0 ? c.pick(s.views) : null;
      if (v) v.where = !v.where;
      break;
    }
    case 2: // a table's switches
      if (t) t.rls = { enabled: c.chance(2), forced: c.chance(2) };
      break;
    case 3: { // a policy appears, goes or changes
      if (!t) break;
      t.policies ??= [];
      const name = c.pick(POLICY_NAMES);
      const at = t.policies.findIndex((p) => p.name === name);
      const next = c.chance(3) ? null : randomPolicy(c, t, name);
      if (at >= 0) t.policies.splice(at, 1, ...(next ? [next] : []));
      else if (next) t.policies.push(next);
      break;
    }
    case 4: { // a sequence appears, goes or changes its options (in place)
      s.sequences ??= [];
      const name = c.pick(SEQUENCE_NAMES);
      const at = s.sequences.findIndex((x) => x.name === name);
      const next = c.chance(3) ? null : { name, start: c.pick([1, 100]), increment: c.pick([1, 5]), cycle: c.chance(2), comment: null };
      if (at >= 0) s.sequences.splice(at, 1, ...(next ? [next] : []));
      else if (next) s.sequences.push(next);
      break;
    }
    case 5: // the same as case 3 on another table: policies change more often than anything else here
      if (t && t.policies && t.policies.length > 0) t.policies[0]!.permissive = !t.policies[0]!.permissive;
      break;
    case 6: { // a view's or a sequence's comment
      const x = c.chance(2) && s.views && s.views.length > 0 ? c.pick(s.views) : s.sequences && s.sequences.length > 0 ? c.pick(s.sequences) : null;
      if (x) x.comment = x.comment ? null : c.pick(COMMENTS);
      break;
    }
    case 7: { // a view becomes materialized or plain (dropped and created), or its index or casts change
      const v = s.views && s.views.length > 0 ? c.pick(s.views) : null;
      if (v) Object.assign(v, c.chance(2) ? { materialized: !v.materialized } : c.chance(2) ? { index: !v.index } : { cast: !v.cast });
      break;
    }
  }
}

/** After table and column mutations: views and policies lose what they read (a view of a table that went goes with it). */
export function repairKinds(s: SchemaLike): void {
  const tables = new Map(s.tables.map((t) => [t.name, t]));
  s.views = (s.views ?? []).flatMap((v) => {
    const t = tables.get(v.table);
    if (!t) return [];
    const cols = v.cols.filter((n) => readable(t).includes(n));
    const other = v.shape === 'join' && v.other && tables.has(v.other) ? v.other : null;
    const shape = v.shape === 'join' && other === null ? 'select' : v.shape === 'call' && !s.functions?.some((f) => f.name === 'f_double') ? 'select' : v.shape;
    return [{ ...v, cols: cols.length > 0 ? cols : ['id'], shape, other }];
  });
  for (const t of s.tables) {
    for (const p of t.policies ?? []) if (p.col !== null && !t.columns.some((x) => x.name === p.col && x.kind !== 'json')) p.col = null;
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A policy's DSL declaration on table `on`. */
function policyDecl(p: PolicySpec, on: dsl.TableDecl): dsl.PolicyDecl {
  const condition = dsl.sql(p.col === null ? 'id > 0' : `${quote(p.col)} IS NOT NULL OR id > 0`);
  return dsl.policy(p.name, {
    on,
    for: p.command,
    ...(p.command === 'insert' ? {} : { using: condition }),
    ...(p.command === 'select' || p.command === 'delete' ? {} : { withCheck: dsl.sql('id > 0') }),
    permissive: p.permissive,
  });
}

/** A table declaration with its switches. */
export function withRls(decl: dsl.TableDecl, t: TableKinds): dsl.TableDecl {
  let out = decl;
  if (t.rls?.enabled) out = out.enableRls();
  if (t.rls?.forced) out = out.forceRls();
  return out;
}

/** The DSL declarations of these kinds, added to a model file's exports; `tables` by name. */
export function kindExports(s: SchemaLike, tables: ReadonlyMap<string, dsl.TableDecl>, exports: Record<string, unknown>): void {
  (s.views ?? []).forEach((v, i) => {
    const query = dsl.sql(viewQuery(v, tables.get(v.table)!));
    const comment = v.comment ? { comment: v.comment } : {};
    const first = v.cols[0]!;
    exports[`view${i}`] = v.materialized
      ? dsl.materializedView(v.name, query, comment, v.index ? (m) => [dsl.index(`ix_${v.name}`).on(m[first]!)] : undefined)
      : dsl.view(v.name, query, comment);
  });
  s.tables.forEach((t, i) => (t.policies ?? []).forEach((p, k) => { exports[`policy${i}_${k}`] = policyDecl(p, tables.get(t.name)!); }));
  (s.sequences ?? []).forEach((q, i) => { exports[`sequence${i}`] = dsl.sequence(q.name, { start: q.start, increment: q.increment, cycle: q.cycle, ...(q.comment ? { comment: q.comment } : {}) }); });
}

/** A view's query; `t` is its table's declaration (for the kinds of its columns). */
function viewQuery(v: ViewSpec, decl: dsl.TableDecl): string {
  const where = v.where ? ' where a.id > 0' : '';
  const from = `from ${quote(v.table)} a`;
  const col = (n: string) => (v.cast && decl.columnSpecs[n]?.type.kind === 'enum' ? `a.${quote(n)}::text AS ${quote(n)}` : `a.${quote(n)}`);
  switch (v.shape ?? 'select') {
    case 'select': return `select ${v.cols.map(col).join(', ')} ${from}${where}`;
    case 'join': return `select ${v.cols.map(col).join(', ')}, b.id AS other_id ${from} join ${quote(v.other!)} b on b.id = a.id${where}`;
    case 'agg': return `select ${col(v.cols[0]!)}, count(*) AS row_count, max(a.id) AS top_id ${from}${where} group by a.${quote(v.cols[0]!)}`;
    case 'call': return `select ${v.cols.map(col).join(', ')}, f_double(a.id) AS doubled ${from}${where}`;
  }
}

/** One line per object, for failure messages. */
export function describeKinds(s: SchemaLike): string[] {
  const lines = (s.views ?? []).map((v) => `${v.materialized ? 'materialized ' : ''}view ${JSON.stringify(v.name)} ${v.shape ?? 'select'}${v.cast ? ' cast' : ''}: ${v.cols.join(', ')} of ${JSON.stringify(v.table)}${v.other ? ` join ${JSON.stringify(v.other)}` : ''}${v.where ? ' where id > 0' : ''}${v.index ? ' indexed' : ''}${v.comment ? ` comment ${JSON.stringify(v.comment)}` : ''}`);
  for (const t of s.tables) {
    if (t.rls?.enabled || t.rls?.forced) lines.push(`rls ${JSON.stringify(t.name)}:${t.rls.enabled ? ' enabled' : ''}${t.rls.forced ? ' forced' : ''}`);
    for (const p of t.policies ?? []) lines.push(`policy ${JSON.stringify(p.name)} on ${JSON.stringify(t.name)}: ${p.command}${p.permissive ? '' : ' restrictive'}${p.col === null ? '' : ` uses ${JSON.stringify(p.col)}`}`);
  }
  for (const q of s.sequences ?? []) lines.push(`sequence ${JSON.stringify(q.name)}: start ${q.start} increment ${q.increment}${q.cycle ? ' cycle' : ''}`);
  return lines;
}
