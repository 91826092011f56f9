/**
 * Rename hints (`.renamedFrom('old')`) become rename operations. A drop and an add look exactly like a rename to a
 * differ, and guessing loses data one way or the other; the models saying so is the only safe signal, and it needs
 * no prompt, so CI never waits. A hint acts only when the database has the old name and not the new one: once the
 * rename has run it is inert, so it may stay in the models.
 *
 * The result is the rename operations, the `from` schema as they leave it, and `to` without hints, so that the
 * comparators see one object under one name and compare everything else (type, default...) as usual. They are
 * planned in the order enum types, enum values, tables, columns, then indexes and constraints (on the tables' new
 * names), sequences and views, and placed by placeRenames: the columns' after the drops of the triggers and views
 * moved out of the way, the others before them; the downgrade reverses it.
 */
import type { EnumIR, SchemaIR, TableIR } from '../ir/ir.js';
import type { Operation } from '../operations/operations.js';
import { applyOperations } from '../operations/apply.js';
import { byName, sameIR, unmarked } from '../ir/ir-util.js';
import { schemaOf } from '../ir/qualified.js';
import { applyNaming, defaultNaming, type NamingConvention } from '../models/naming.js';
import type { RenameTableOp } from '../operations/kinds/rename-table.js';
import type { EnumTypes } from './enum-change.js';
import { hasRenameHints, tableItems, type Hinted } from '../ir/rename-hints.js';

export interface RenameOptions {
  /** The dialect's keyNamesSchemaWide: a renamed table's derived key names follow it too, not only its indexes'. */
  readonly keyNamesSchemaWide?: boolean;
  /** The naming convention the models' names were derived with (the config's; the default when not given). */
  readonly naming?: NamingConvention;
}

export interface RenamePlan {
  readonly ops: Operation[];
  /** `from` with the renames applied. */
  readonly from: SchemaIR;
  /** `to` without rename hints. */
  readonly to: SchemaIR;
}

/**
 * The renames the hints of `to` ask for against `from`. `enumTypes` is the dialect's way to read enum types where it
 * has none (SQLite: its CHECKs), so enum hints work there too.
 */
export function planRenames(from: SchemaIR, to: SchemaIR, enumTypes?: EnumTypes, options: RenameOptions = {}): RenamePlan {
  if (!hasRenameHints(to)) return { ops: [], from, to };
  const ops: Operation[] = [];
  const run = (s: SchemaIR, more: Operation[]) => {
    ops.push(...more);
    return more.length > 0 ? applyOperations(s, more) : s;
  };

  // On a dialect without enum types, against the enums its CHECKs stand for, and back at the end: a CHECK standing for
  // an enum is named after the enum, its table and its column (SQLite), so it follows each of their renames.
  const original = from;
  if (enumTypes !== undefined) from = { ...from, ...enumTypes.lift(from) };
  const enumHints = to.enumHints ?? to.enums;
  from = run(from, namesRenamed(from.enums, enumHints, (x, y) => ({ kind: 'renameEnum', from: x, to: y })));
  from = run(from, enumValueRenames(from.enums, enumHints));
  from = run(from, namesRenamed(from.tables, to.tables, (x, y) => ({ kind: 'renameTable', from: x, to: y })));
  const now = byName(from.tables);
  const columnOps: Operation[] = [];
  const itemOps: Operation[] = [];
  for (const t of to.tables) {
    const current = now.get(t.name);
    if (!current) continue;
    // `from` records the old name, so the inverse renames back on downgrade.
    columnOps.push(...namesRenamed(current.columns, t.columns, (x, y) => ({ kind: 'alterColumn', table: t.name, column: x, to: { name: y }, from: { name: x } })));
    itemOps.push(...namesRenamed(current.indexes, t.indexes, (x, y) => ({ kind: 'renameIndex', table: t.name, from: x, to: y })));
    const constraints = tableItems({ ...current, indexes: [] });
    itemOps.push(...namesRenamed(constraints, tableItems({ ...t, indexes: [] }), (x, y) => ({ kind: 'renameConstraint', table: t.name, from: x, to: y })));
  }
  from = run(from, columnOps);
  from = run(from, itemOps);
  const tableRenames = ops.filter((o): o is RenameTableOp => o.kind === 'renameTable');
  if (tableRenames.length > 0) {
    // Each renamed column's old name, by table and new name: a derived name spells the columns as they were.
    const columnsBefore = new Map<string, Map<string, string>>();
    for (const o of columnOps) {
      if (o.kind !== 'alterColumn' || o.to.name === undefined) continue;
      const m = columnsBefore.get(o.table) ?? new Map<string, string>();
      m.set(o.to.name, o.column);
      columnsBefore.set(o.table, m);
    }
    from = run(from, derivedNamesFollow(from, to, tableRenames, columnsBefore, options.keyNamesSchemaWide === true, options.naming ?? defaultNaming));
  }
  from = run(from, namesRenamed(from.sequences ?? [], to.sequences ?? [], (x, y) => ({ kind: 'renameSequence', from: x, to: y })));
  const liveViews = byName(from.views ?? []);
  from = run(from, namesRenamed(from.views ?? [], to.views ?? [], (x, y) => ({ kind: 'renameView', from: x, to: y, materialized: liveViews.get(x)?.materialized ?? false })));
  if (enumTypes !== undefined) from = ops.length === 0 ? original : { ...from, ...enumTypes.lower(from) };
  return { ops, from, to: withoutHints(to) };
}

/**
 * A renamed table's indexes (and, where `keys`, its primary key and unique constraints) whose names the naming
 * convention derived from its old name, renamed to the names it derives from the new one: the models declare them
 * unnamed (`autoNamed`), under the new table's (and new columns') derived names, and the database still has
 * `users_pkey`, `ix_users_email`. Left as they were, they would block the old name: a new table `users` could not
 * create its own `users_pkey` (PostgreSQL: relation "users_pkey" already exists). A live name is renamed only when it
 * is exactly what the convention gives the old table and the old column names (`columnsBefore`: the column renames
 * planned with it), so a name chosen otherwise stays, and only when no index or key of its schema has the new name.
 * Foreign keys and checks keep theirs: their names are their table's alone.
 */
function derivedNamesFollow(live: SchemaIR, declared: SchemaIR, renames: readonly RenameTableOp[], columnsBefore: ReadonlyMap<string, ReadonlyMap<string, string>>, keys: boolean, naming: NamingConvention): Operation[] {
  const liveTables = byName(live.tables);
  const declaredTables = byName(declared.tables);
  // Index names (and key names where they are indexes too) are unique in their schema, not only in their table.
  const inSchema = (table: string, name: string) => `${schemaOf(table) ?? ''}\u0000${name}`;
  const taken = new Set<string>();
  for (const t of live.tables) {
    for (const i of t.indexes) taken.add(inSchema(t.name, i.name));
    if (keys) {
      if (t.primaryKey?.name) taken.add(inSchema(t.name, t.primaryKey.name));
      for (const u of t.uniques) taken.add(inSchema(t.name, u.name));
    }
  }
  const out: Operation[] = [];
  for (const r of renames) {
    const l = liveTables.get(r.to);
    const d = declaredTables.get(r.to);
    if (!l || !d) continue;
    const renamedColumns = columnsBefore.get(r.to);
    const columnNames = new Set(l.columns.map((c) => c.name));
    // What the convention named an item of these (current) columns when the table and its columns had their old names.
    const before = (template: string, columns: readonly string[]) =>
      applyNaming(template, { table: r.from, columns: columns.map((c) => (columnNames.has(c) ? (renamedColumns?.get(c) ?? c) : 'expr')) });
    const follows = (liveName: string, declaredName: string, template: string, columns: readonly string[]) =>
      liveName !== declaredName && !taken.has(inSchema(r.to, declaredName)) && liveName === before(template, columns);
    const same = <T extends { readonly name: string; readonly autoNamed?: boolean; readonly renamedFrom?: string }>(a: T, b: T) => sameIR({ ...a, name: '' }, { ...unmarked(b), name: '' });
    const rename = (kind: 'renameIndex' | 'renameConstraint', from: string, to: string) => {
      out.push({ kind, table: r.to, from, to });
      taken.delete(inSchema(r.to, from));
      taken.add(inSchema(r.to, to));
    };
    for (const di of d.indexes) {
      if (di.autoNamed !== true) continue;
      const li = l.indexes.find((x) => same(x, di) && follows(x.name, di.name, naming.index, x.columns));
      if (li) rename('renameIndex', li.name, di.name);
    }
    if (!keys) continue;
    const pk = d.primaryKey;
    const livePk = l.primaryKey?.name ?? null;
    if (pk?.autoNamed === true && pk.name !== null && livePk !== null && sameIR(l.primaryKey!.columns, pk.columns) && follows(livePk, pk.name, naming.pk, pk.columns)) {
      rename('renameConstraint', livePk, pk.name);
    }
    for (const du of d.uniques) {
      if (du.autoNamed !== true) continue;
      const lu = l.uniques.find((x) => same(x, du) && follows(x.name, du.name, naming.unique, x.columns));
      if (lu) rename('renameConstraint', lu.name, du.name);
    }
  }
  return out;
}

/**
 * The renames of one namespace: each declared item whose hint names an item the database has, where the database
 * has no item of the new name and the models do not declare the old one.
 */
function namesRenamed(live: readonly Hinted[], declared: readonly Hinted[], op: (from: string, to: string) => Operation): Operation[] {
  const has = new Set(live.map((x) => x.name));
  const wanted = new Set(declared.map((x) => x.name));
  const out: Operation[] = [];
  for (const d of declared) {
    const old = d.renamedFrom;
    if (old === undefined || old === d.name || has.has(d.name) || !has.has(old) || wanted.has(old)) continue;
    out.push(op(old, d.name));
    has.delete(old);
    has.add(d.name);
  }
  return out;
}

/** Enum values renamed in place where the live enum has the old value and not the new one. */
function enumValueRenames(live: readonly EnumIR[], declared: readonly EnumIR[]): Operation[] {
  const byEnum = byName(live);
  const ops: Operation[] = [];
  for (const e of declared) {
    const current = byEnum.get(e.name);
    if (!current || e.renamedValues === undefined) continue;
    for (const [next, old] of Object.entries(e.renamedValues)) {
      if (current.values.includes(next) || !current.values.includes(old) || e.values.includes(old)) continue;
      ops.push({ kind: 'renameEnumValue', name: e.name, from: old, to: next });
    }
  }
  return ops;
}

function strip<T extends { readonly renamedFrom?: string }>(x: T): T {
  if (x.renamedFrom === undefined) return x;
  const { renamedFrom: _, ...rest } = x;
  return rest as T;
}

function withoutHints(s: SchemaIR): SchemaIR {
  const { enumHints: _h, ...schema } = s;
  return {
    ...schema,
    tables: s.tables.map((t) => ({
      ...strip(t),
      columns: t.columns.map(strip),
      primaryKey: t.primaryKey === null ? null : strip(t.primaryKey),
      uniques: t.uniques.map(strip),
      indexes: t.indexes.map(strip),
      foreignKeys: t.foreignKeys.map(strip),
      checks: t.checks.map(strip),
    })),
    enums: s.enums.map(({ renamedValues: _v, ...e }) => strip(e)),
    ...(s.sequences !== undefined ? { sequences: s.sequences.map(strip) } : {}),
    ...(s.views !== undefined ? { views: s.views.map(strip) } : {}),
  };
}

/**
 * Drops of objects that go around the table changes (compare-routines.ts, compare-policies.ts, compare-views.ts), and
 * the comments cleared before them (compare-comments.ts: none is on a column).
 */
const aroundDrop = (o: Operation) => o.kind === 'dropTrigger' || o.kind === 'dropPolicy' || o.kind === 'dropView' || o.kind === 'dropFunction' || o.kind === 'setComment';

/**
 * The rename operations `renames` (planRenames's) placed before `plan` (everything else, in runnable order, naming
 * things by their new names): the column renames after the plan's leading drops of triggers, policies, views and
 * functions, the others first. Those drops remove a trigger or a view that names a renamed column under the text it
 * has, so the downgrade (the inverse, in reverse) renames the column back before it creates that text again
 * (PostgreSQL and SQLite both refuse a text naming a column that is not there); and on SQLite a column's rename and
 * the change that rebuilds its table (a new type) meet in one run of table operations, which its compiler rebuilds
 * under the old name and renames natively after, so SQLite rewrites the views and triggers that stay. (Views are
 * renamed before the columns for SQLite too: it renames a view by creating it again from the text it has.)
 */
export function placeRenames(renames: readonly Operation[], plan: readonly Operation[]): Operation[] {
  const columns = renames.filter((o) => o.kind === 'alterColumn');
  if (columns.length === 0) return [...renames, ...plan];
  let k = 0;
  while (k < plan.length && aroundDrop(plan[k]!)) k++;
  return [...renames.filter((o) => o.kind !== 'alterColumn'), ...plan.slice(0, k), ...columns, ...plan.slice(k)];
}
