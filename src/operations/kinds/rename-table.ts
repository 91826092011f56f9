/** renameTable: gives a table a new name; foreign keys that reference it and its triggers follow. */
import { triggerKey } from '../../ir/routine.js';
import { opCall, quoteString as q } from '../../render/literal.js';
import type { OperationDef } from '../operation-def.js';

export interface RenameTableOp { readonly kind: 'renameTable'; readonly from: string; readonly to: string }

export const renameTable: OperationDef<RenameTableOp> = {
  inverse: (o) => ({ kind: 'renameTable', from: o.to, to: o.from }),
  table: (o) => o.from,
  describe: (o) => [`~ table ${o.from} renamed to ${o.to}`],
  render: (o) => opCall('renameTable', q(o.from), q(o.to)),
  apply: (s, o) => {
    const t = s.table(o, o.from);
    if (s.tables.has(o.to)) s.fail(o, `table "${o.to}" already exists`);
    s.tables.delete(o.from);
    s.tables.set(o.to, { ...t, name: o.to });
    s.renamePolicyTable(o.from, o.to);
    // Foreign keys follow a renamed table, as in PostgreSQL.
    for (const [n, x] of s.tables) {
      if (x.foreignKeys.some((fk) => fk.refTable === o.from)) s.tables.set(n, { ...x, foreignKeys: x.foreignKeys.map((fk) => (fk.refTable === o.from ? { ...fk, refTable: o.to } : fk)) });
    }
    for (const [k, x] of [...s.triggers]) {
      if (x.table !== o.from) continue;
      s.triggers.delete(k);
      s.triggers.set(triggerKey({ ...x, table: o.to }), { ...x, table: o.to });
    }
  },
};
