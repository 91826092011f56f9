/**
 * The one IR applier for operations that act on one existing table: what an
 * operation does to a TableIR, one handler per operation kind. The symbolic
 * oracle (apply.ts) runs it on every table of a schema, SQLite's compiler on
 * the table it is about to rebuild; where their databases differ, the
 * ApplyPolicy each passes decides (apply-policy.ts).
 */
import type { ColumnIR, TableIR } from '../ir/ir.js';
import type { ApplyPolicy, SqlNames } from './apply-policy.js';
import type { ColumnChanges, ConstraintDef, Operation, OperationOf } from './operations.js';

/** TableOperation is an operation that acts on one existing table. */
export type TableOperation = OperationOf<'setTableComment' | 'addColumn' | 'dropColumn' | 'alterColumn' | 'createIndex' | 'dropIndex' | 'addConstraint' | 'dropConstraint'>;

type Handler<K extends TableOperation['kind']> = (t: TableIR, o: OperationOf<K>, p: ApplyPolicy) => TableIR;

// A typed map over every table-level kind: a kind added to TableOperation without a handler fails to compile.
const handlers: { readonly [K in TableOperation['kind']]: Handler<K> } = {
  setTableComment: (t, o, p) => (p.tableComments ? { ...t, comment: o.comment } : t),
  addColumn,
  dropColumn,
  alterColumn,
  createIndex: (t, o, p) => {
    if (t.indexes.some((i) => i.name === o.index.name)) throw p.refuse(o, { reason: 'exists', what: 'index', name: o.index.name, table: t.name });
    return { ...t, indexes: [...t.indexes, o.index] };
  },
  dropIndex: (t, o, p) => {
    const ix = t.indexes.find((i) => i.name === o.name) ?? refuseMissing(o, p, 'index', o.name, t);
    return { ...t, indexes: t.indexes.filter((i) => i !== ix) };
  },
  addConstraint,
  dropConstraint: (t, o, p) => removeConstraint(t, findConstraint(t, o.name, o.constraintKind, p) ?? refuseMissing(o, p, 'constraint', o.name, t), p),
};

/** True for operations that act on one existing table. */
export function isTableOperation(o: Operation): o is TableOperation {
  return Object.hasOwn(handlers, o.kind);
}

/** The table after `o`, as `policy` says its database leaves it; refusals are thrown as the policy words them. */
export function applyTableOperation(t: TableIR, o: TableOperation, policy: ApplyPolicy): TableIR {
  return (handlers[o.kind] as (t: TableIR, o: TableOperation, p: ApplyPolicy) => TableIR)(t, o, policy);
}

function refuseMissing(o: Operation, p: ApplyPolicy, what: 'column' | 'index' | 'constraint', name: string, t: TableIR): never {
  throw p.refuse(o, { reason: 'missing', what, name, table: t.name });
}

/** Whether an index entry uses a column: the entry is that column, or an expression that mentions it (when `names` can read SQL text). */
export function entryUses(entry: string, column: string, columns: readonly string[], names: SqlNames | null): boolean {
  if (columns.includes(entry)) return entry === column;
  return names !== null && names.mentions(entry, column);
}

function addColumn(t: TableIR, o: OperationOf<'addColumn'>, p: ApplyPolicy): TableIR {
  if (t.columns.some((c) => c.name === o.column.name)) throw p.refuse(o, { reason: 'exists', what: 'column', name: o.column.name, table: t.name });
  const next = { ...t, columns: [...t.columns, p.addedColumn ? p.addedColumn(o.column) : o.column] };
  return p.checksAfter ? { ...next, checks: p.checksAfter(t, t.checks, o) } : next;
}

function dropColumn(t: TableIR, o: OperationOf<'dropColumn'>, p: ApplyPolicy): TableIR {
  const col = t.columns.find((c) => c.name === o.name) ?? refuseMissing(o, p, 'column', o.name, t);
  const columns = t.columns.filter((c) => c !== col);
  const names = t.columns.map((c) => c.name);
  const uses = (cols: readonly string[]) => cols.some((c) => entryUses(c, o.name, names, p.sqlNames));
  const inSql = (sql: string | null) => sql !== null && p.sqlNames !== null && p.sqlNames.mentions(sql, o.name);
  const used = uses(t.primaryKey?.columns ?? []) || t.uniques.some((u) => uses(u.columns)) || t.indexes.some((i) => uses(i.columns) || inSql(i.where)) ||
    t.foreignKeys.some((f) => uses(f.columns)) || t.checks.some((k) => inSql(k.expression));
  if (!used) return { ...t, columns };
  if (!p.dropColumnRemovesDependents) throw p.refuse(o, { reason: 'columnInUse', name: o.name, table: t.name });
  return {
    ...t,
    columns,
    primaryKey: t.primaryKey && uses(t.primaryKey.columns) ? null : t.primaryKey,
    uniques: t.uniques.filter((u) => !uses(u.columns)),
    indexes: t.indexes.filter((i) => !uses(i.columns) && !inSql(i.where)),
    foreignKeys: t.foreignKeys.filter((f) => !uses(f.columns)),
    checks: t.checks.filter((k) => !inSql(k.expression)),
  };
}

function alterColumn(t: TableIR, o: OperationOf<'alterColumn'>, p: ApplyPolicy): TableIR {
  const old = t.columns.find((c) => c.name === o.column) ?? refuseMissing(o, p, 'column', o.column, t);
  const next = p.alteredColumn ? p.alteredColumn(old, o.to) : alterColumnIR(old, o.to);
  let out: TableIR = { ...t, columns: t.columns.map((c) => (c === old ? next : c)) };
  if (next.name !== old.name) out = renameColumnRefs(out, t.columns, old.name, next.name, p.sqlNames);
  return p.checksAfter ? { ...out, checks: p.checksAfter(t, out.checks, o) } : out;
}

/** A column with `to` applied as given (no database's spelling imposed). */
export function alterColumnIR(col: ColumnIR, to: ColumnChanges): ColumnIR {
  return {
    ...col,
    name: to.name ?? col.name,
    type: to.type ?? col.type,
    nullable: to.nullable ?? col.nullable,
    serverDefault: to.serverDefault !== undefined ? to.serverDefault : col.serverDefault,
    comment: to.comment !== undefined ? to.comment : col.comment,
    autoIncrement: to.autoIncrement ?? col.autoIncrement,
  };
}

// A renamed column's keys, indexes and constraints follow it; with `names`, so do the mentions in SQL text
// (an index entry that is not a column of the table as it was is an expression).
function renameColumnRefs(t: TableIR, before: readonly ColumnIR[], from: string, to: string, names: SqlNames | null): TableIR {
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
  if (!p.namedPrimaryKey && pkWanted && t.primaryKey) return { kind: 'primaryKey', def: t.primaryKey };
  return null;
}

function removeConstraint(t: TableIR, c: ConstraintDef, p: ApplyPolicy): TableIR {
  switch (c.kind) {
    case 'primaryKey':
      return p.autoIncrementNeedsPrimaryKey ? { ...t, primaryKey: null, columns: t.columns.map((col) => ({ ...col, autoIncrement: false })) } : { ...t, primaryKey: null };
    case 'unique': return { ...t, uniques: t.uniques.filter((x) => x.name !== c.def.name) };
    case 'foreignKey': return { ...t, foreignKeys: t.foreignKeys.filter((x) => x.name !== c.def.name) };
    case 'check': return { ...t, checks: t.checks.filter((x) => x.name !== c.def.name) };
  }
}

function addConstraint(table: TableIR, o: OperationOf<'addConstraint'>, p: ApplyPolicy): TableIR {
  const c = o.constraint;
  // A unique constraint USING INDEX takes the index over: it is the constraint's own index after.
  const t = o.usingIndex === undefined ? table : { ...table, indexes: table.indexes.filter((i) => i.name !== o.usingIndex) };
  const name = c.def.name ?? '';
  if (p.uniqueConstraintNames && findConstraint(t, name, c.kind, p)) throw p.refuse(o, { reason: 'exists', what: 'constraint', name, table: t.name });
  switch (c.kind) {
    case 'primaryKey': {
      if (t.primaryKey) throw p.refuse(o, { reason: 'primaryKeyExists', table: t.name });
      // A primary key makes its columns NOT NULL.
      const columns = t.columns.map((col) => (c.def.columns.includes(col.name) ? { ...col, nullable: false } : col));
      return { ...t, primaryKey: p.namedPrimaryKey ? c.def : { name: null, columns: c.def.columns }, columns };
    }
    case 'unique': return { ...t, uniques: [...t.uniques, c.def] };
    case 'foreignKey': return { ...t, foreignKeys: [...t.foreignKeys, c.def] };
    case 'check': return { ...t, checks: [...t.checks, c.def] };
  }
}
