/** dropColumn: removes a column and its data. */
import type { ColumnIR } from '../../ir/ir.js';
import { opCall, quoteString as q } from '../../render/literal.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';
import { entryUses, refuseMissing } from '../table-ir.js';

/** `column` is the full definition when known (autogenerate), or null (hand-written). */
export interface DropColumnOp { readonly kind: 'dropColumn'; readonly table: string; readonly name: string; readonly column: ColumnIR | null }

export const dropColumn: OperationDef<DropColumnOp> = {
  inverse: (o) => {
    if (!o.column) throw new IrreversibleOperationError(o, `the definition of column "${o.table}.${o.name}" is not known`);
    return { kind: 'addColumn', table: o.table, column: o.column };
  },
  table: (o) => o.table,
  describe: (o) => [`- column ${o.table}.${o.name}`],
  render: (o) => opCall('dropColumn', q(o.table), q(o.name)),
  applyTable: (t, o, p) => {
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
  },
  check: (s, o, t) => {
    if (s.referencedBy(o.table, [o.name], null)) s.fail(o, `column ${o.table}.${o.name} is referenced by a foreign key`);
    s.sameAs(o, `column ${o.table}.${o.name}`, o.column, t.columns.find((c) => c.name === o.name));
    s.dropOwnedSequences(o.table, o.name);
  },
};
