/**
 * Helpers the table-level operation kinds share when they change a TableIR
 * (kinds/*.ts `applyTable`): finding and removing constraints, following a
 * renamed column, refusing as the caller's ApplyPolicy words it.
 */
import type { ColumnIR, TableIR } from '../ir/ir.js';
import type { ApplyPolicy, SqlNames } from './apply-policy.js';
import type { ColumnChanges, ConstraintDef } from './operation-def.js';
import type { Operation } from './operations.js';

/** TableOperation is an operation that acts on one existing table (its kind's definition has `applyTable`). */
export type TableOperation = Extract<Operation, { readonly table: string }>;

/**
 * True for operations that act on one existing table. OperationDef's type gives a kind `applyTable` exactly when its
 * operation has `table: string` (createTable and dropTable carry a TableIR there), so the field says it without the
 * registry: SQLite's compiler asks this of every operation, and importing the registry (every kind with its
 * renderer, about 60 modules) cost every SQLite command its loading.
 */
export function isTableOperation(o: Operation): o is TableOperation {
  return typeof (o as { readonly table?: unknown }).table === 'string';
}

/** Throws the policy's refusal for a missing column, index or constraint. */
export function refuseMissing(o: Operation, p: ApplyPolicy, what: 'column' | 'index' | 'constraint', name: string, t: TableIR): never {
  throw p.refuse(o, { reason: 'missing', what, name, table: t.name });
}

/** Whether an index entry uses a column: the entry is that column, or an expression that mentions it (when `names` can read SQL text). */
export function entryUses(entry: string, column: string, columns: readonly string[], names: SqlNames | null): boolean {
  if (columns.includes(entry)) return entry === column;
  return names !== null && names.mentions(entry, column);
}

/** A column with `to` applied as given (no database's spelling imposed). */
export function alterColumnIR(col: ColumnIR, to: ColumnChanges): ColumnIR {
  const identity = to.identity !== undefined ? (to.identity ?? undefined) : col.identity;
  const collation = to.collation !== undefined ? to.collation : (col.collation ?? null);
  const { identity: _oldIdentity, collation: _oldCollation, ...rest } = col;
  return {
    ...rest,
    ...(collation !== null ? { collation } : {}),
    name: to.name ?? col.name,
    type: to.type ?? col.type,
    nullable: to.nullable ?? col.nullable,
    serverDefault: to.serverDefault !== undefined ? to.serverDefault : col.serverDefault,
    comment: to.comment !== undefined ? to.comment : col.comment,
    autoIncrement: to.autoIncrement ?? col.autoIncrement,
    ...(identity !== undefined ? { identity } : {}),
  };
}

// A renamed column's keys, indexes and constraints follow it; with `names`, so do the mentions in SQL text
// (an index entry that is not a column of the table as it was is an expression).
export function renameColumnRefs(t: TableIR, before: readonly ColumnIR[], from: string, to: string, names: SqlNames | null): TableIR {
  const r = (cols: readonly string[]) => cols.map((c) => (c === from ? to : c));
  const sql = (s: string) => (names === null ? s : names.rename(s, from, to));
  const entry = (c: string) => (c === from ? to : before.some((x) => x.name === c) ? c : sql(c));
  return {
    ...t,
    primaryKey: t.primaryKey ? { ...t.primaryKey, columns: r(t.primaryKey.columns) } : null,
    uniques: t.uniques.map((u) => ({ ...u, columns: r(u.columns) })),
    indexes: t.indexes.map((i) => {
      const renamed = { ...i, columns: i.columns.map(entry) };
      return names !== null && i.where !== null ? { ...renamed, where: sql(i.where) } : renamed;
    }),
    foreignKeys: t.foreignKeys.map((f) => ({ ...f, columns: r(f.columns), refColumns: f.refTable === t.name ? r(f.refColumns) : f.refColumns })),
    checks: names === null ? t.checks : t.checks.map((k) => ({ name: k.name, expression: sql(k.expression) })),
  };
}

/** The constraint `name` of table `t` (of kind `kind` when given), looked up as `p` says primary keys are named; null when there is none. */
export function findConstraint(t: TableIR, name: string, kind: ConstraintDef['kind'] | null, p: ApplyPolicy): ConstraintDef | null {
  const pkWanted = kind === null || kind === 'primaryKey';
  if (p.namedPrimaryKey && pkWanted && t.primaryKey && (t.primaryKey.name ?? '') === name) return { kind: 'primaryKey', def: t.primaryKey };
  if (kind === null || kind === 'unique') { const u = t.uniques.find((x) => x.name === name); if (u) return { kind: 'unique', def: u }; }
  if (kind === null || kind === 'foreignKey') { const f = t.foreignKeys.find((x) => x.name === name); if (f) return { kind: 'foreignKey', def: f }; }
  if (kind === null || kind === 'check') { const c = t.checks.find((x) => x.name === name); if (c) return { kind: 'check', def: c }; }
  if (kind === null || kind === 'exclude') { const x = t.excludes?.find((e) => e.name === name); if (x) return { kind: 'exclude', def: x }; }
  if (!p.namedPrimaryKey && pkWanted && t.primaryKey) return { kind: 'primaryKey', def: t.primaryKey };
  return null;
}
