/**
 * renameConstraint: gives a named constraint (unique, check, exclusion, foreign or primary key) of a table a new name; its
 * definition stays. PostgreSQL renames a key's index with it.
 */
import type { TableIR } from '../../ir/ir.js';
import { opCall, quoteString as q } from '../../render/literal.js';
import type { OperationDef } from '../operation-def.js';
import { findConstraint, refuseMissing } from '../table-ir.js';

export interface RenameConstraintOp { readonly kind: 'renameConstraint'; readonly table: string; readonly from: string; readonly to: string }

export const renameConstraint: OperationDef<RenameConstraintOp> = {
  inverse: (o) => ({ kind: 'renameConstraint', table: o.table, from: o.to, to: o.from }),
  table: (o) => o.table,
  describe: (o) => [`~ constraint ${o.from} on ${o.table} renamed to ${o.to}`],
  render: (o) => opCall('renameConstraint', q(o.table), q(o.from), q(o.to)),
  applyTable: (t, o, p) => {
    const found = findConstraint(t, o.from, null, p) ?? refuseMissing(o, p, 'constraint', o.from, t);
    if (p.uniqueConstraintNames && findConstraint(t, o.to, null, { ...p, namedPrimaryKey: true }) !== null) throw p.refuse(o, { reason: 'exists', what: 'constraint', name: o.to, table: t.name });
    return renamed(t, found.kind, o.from, o.to);
  },
};

function renamed(t: TableIR, kind: 'unique' | 'foreignKey' | 'check' | 'primaryKey' | 'exclude', from: string, to: string): TableIR {
  const r = <X extends { readonly name: string }>(xs: readonly X[]) => xs.map((x) => (x.name === from ? { ...x, name: to } : x));
  switch (kind) {
    case 'primaryKey': return { ...t, primaryKey: t.primaryKey === null ? null : { ...t.primaryKey, name: to } };
    case 'unique': return { ...t, uniques: r(t.uniques) };
    case 'foreignKey': return { ...t, foreignKeys: r(t.foreignKeys) };
    case 'check': return { ...t, checks: r(t.checks) };
    case 'exclude': return { ...t, excludes: r(t.excludes ?? []) };
  }
}
