/** dropConstraint: removes a constraint by name (and kind, when given). */
import type { TableIR } from '../../ir/ir.js';
import { applyNaming } from '../../models/naming.js';
import { opCall, quoteString as q } from '../../render/literal.js';
import type { ApplyPolicy } from '../apply-policy.js';
import { deferralText, foreignKeyText, list } from '../describe-text.js';
import { exclusionText } from '../../ir/partition.js';
import { IrreversibleOperationError, type ConstraintDef, type ConstraintKind, type OperationDef } from '../operation-def.js';
import { findConstraint, refuseMissing } from '../table-ir.js';

/** `constraint` is the full definition when known (autogenerate); `constraintKind` narrows the lookup by name. */
export interface DropConstraintOp { readonly kind: 'dropConstraint'; readonly table: string; readonly name: string; readonly constraintKind: ConstraintKind | null; readonly constraint: ConstraintDef | null }

export const dropConstraint: OperationDef<DropConstraintOp> = {
  inverse: (o) => {
    if (!o.constraint) throw new IrreversibleOperationError(o, `the definition of constraint "${o.name}" is not known`);
    return { kind: 'addConstraint', table: o.table, constraint: o.constraint };
  },
  table: (o) => o.table,
  describe: (o) => {
    const what = o.constraintKind === 'foreignKey' ? 'foreign key' : o.constraintKind === 'primaryKey' ? 'primary key' : o.constraintKind === 'exclude' ? 'exclusion' : o.constraintKind ?? 'constraint';
    // SQLite keeps no name for a primary key: its columns say which one.
    const cols = o.name === '' && o.constraint?.kind === 'primaryKey' ? ` (${list(o.constraint.def.columns)})` : '';
    // What the database holds, so a drop and an add of the same name show what differs.
    const c = o.constraint;
    const held = c?.kind === 'check' ? `: ${c.def.expression}` : c?.kind === 'foreignKey' ? ` ${foreignKeyText(c.def)}` : c?.kind === 'unique' ? ` (${list(c.def.columns)})${deferralText(c.def.deferrable)}` : c?.kind === 'exclude' ? ` ${exclusionText(c.def)}` : c?.kind === 'primaryKey' ? deferralText(c.def.deferrable) : '';
    return [`- ${what}${o.name === '' ? '' : ` ${o.name}`} on ${o.table}${cols}${held}`];
  },
  render: (o, { naming }) => {
    // A key the database keeps no name for (SQLite's primary key, found by kind) gets the conventional name, not ''.
    const pk = o.constraint?.kind === 'primaryKey' ? o.constraint.def.columns : [];
    const name = o.name === '' && o.constraintKind === 'primaryKey' ? applyNaming(naming.pk, { table: o.table, columns: pk }) : o.name;
    return opCall('dropConstraint', q(name), q(o.table), ...(o.constraintKind === null ? [] : [q(o.constraintKind)]));
  },
  applyTable: (t, o, p) => removeConstraint(t, findConstraint(t, o.name, o.constraintKind, p) ?? refuseMissing(o, p, 'constraint', o.name, t), p),
  check: (s, o, t) => {
    const found = findConstraint(t, o.name, o.constraintKind, s.policy)!;
    if (found.kind === 'unique' || found.kind === 'primaryKey') {
      // A foreign key needs some key on its referenced columns; another key on the same columns can serve it.
      const cols = found.def.columns;
      const same = (xs: readonly string[]) => xs.length === cols.length && xs.every((c) => cols.includes(c));
      const others = [...(t.primaryKey && found.kind !== 'primaryKey' ? [t.primaryKey.columns] : []), ...t.uniques.filter((u) => u.name !== o.name).map((u) => u.columns), ...t.indexes.filter((i) => i.unique && i.where === null).map((i) => i.columns)];
      const needed = [...s.tables.values()].some((x) => x.foreignKeys.some((fk) => fk.refTable === o.table && same(fk.refColumns)));
      if (!others.some(same) && needed) s.fail(o, `constraint "${o.name}" is needed by a foreign key`);
    }
    s.sameAs(o, `constraint "${o.name}"`, o.constraint, found);
  },
};

function removeConstraint(t: TableIR, c: ConstraintDef, p: ApplyPolicy): TableIR {
  switch (c.kind) {
    case 'primaryKey':
      return p.autoIncrementNeedsPrimaryKey ? { ...t, primaryKey: null, columns: t.columns.map((col) => ({ ...col, autoIncrement: false })) } : { ...t, primaryKey: null };
    case 'unique': return { ...t, uniques: t.uniques.filter((x) => x.name !== c.def.name) };
    case 'foreignKey': return { ...t, foreignKeys: t.foreignKeys.filter((x) => x.name !== c.def.name) };
    case 'check': return { ...t, checks: t.checks.filter((x) => x.name !== c.def.name) };
    case 'exclude': {
      const { excludes, ...rest } = t;
      const left = (excludes ?? []).filter((x) => x.name !== c.def.name);
      return left.length > 0 ? { ...rest, excludes: left } : rest;
    }
  }
}
