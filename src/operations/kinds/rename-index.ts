/** renameIndex: gives an index of a table a new name; its definition stays. */
import { opCall, quoteString as q } from '../../render/literal.js';
import type { OperationDef } from '../operation-def.js';
import { refuseMissing } from '../table-ir.js';

export interface RenameIndexOp { readonly kind: 'renameIndex'; readonly table: string; readonly from: string; readonly to: string }

export const renameIndex: OperationDef<RenameIndexOp> = {
  inverse: (o) => ({ kind: 'renameIndex', table: o.table, from: o.to, to: o.from }),
  table: (o) => o.table,
  describe: (o) => [`~ index ${o.from} on ${o.table} renamed to ${o.to}`],
  render: (o) => opCall('renameIndex', q(o.table), q(o.from), q(o.to)),
  applyTable: (t, o, p) => {
    if (!t.indexes.some((i) => i.name === o.from)) refuseMissing(o, p, 'index', o.from, t);
    if (t.indexes.some((i) => i.name === o.to)) throw p.refuse(o, { reason: 'exists', what: 'index', name: o.to, table: t.name });
    return { ...t, indexes: t.indexes.map((i) => (i.name === o.from ? { ...i, name: o.to } : i)) };
  },
};
