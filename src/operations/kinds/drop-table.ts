/** dropTable: removes a table and its rows. */
import type { TableIR } from '../../ir/ir.js';
import { opCall, quoteString as q } from '../../render/literal.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** `table` is the full definition when known (autogenerate), or only a name (hand-written). */
export interface DropTableOp { readonly kind: 'dropTable'; readonly name: string; readonly table: TableIR | null }

export const dropTable: OperationDef<DropTableOp> = {
  inverse: (o) => {
    if (!o.table) throw new IrreversibleOperationError(o, `the definition of table "${o.name}" is not known`);
    return { kind: 'createTable', table: o.table };
  },
  table: (o) => o.name,
  describe: (o) => [`- table ${o.name}`],
  render: (o) => opCall('dropTable', q(o.name)),
  apply: (s, o) => {
    const t = s.table(o, o.name);
    if (s.referencedBy(o.name, null, o.name)) s.fail(o, `table "${o.name}" is referenced by a foreign key of another table`);
    s.sameAs(o, `table "${o.name}"`, o.table, t);
    s.tables.delete(o.name);
    s.dropOwnedSequences(o.name, null);
  },
};
