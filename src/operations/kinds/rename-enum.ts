/** renameEnum: gives an enum type a new name; the columns of that type follow. */
import { enumNameOf } from '../../ir/ir.js';
import { renameEnumInType } from '../../ir/ir-util.js';
import { opCall, quoteString as q } from '../../render/literal.js';
import type { OperationDef } from '../operation-def.js';

export interface RenameEnumOp { readonly kind: 'renameEnum'; readonly from: string; readonly to: string }

export const renameEnum: OperationDef<RenameEnumOp> = {
  inverse: (o) => ({ kind: 'renameEnum', from: o.to, to: o.from }),
  table: () => null,
  describe: (o) => [`~ enum ${o.from} renamed to ${o.to}`],
  render: (o) => opCall('renameEnum', q(o.from), q(o.to)),
  apply: (s, o) => {
    const e = s.enums.get(o.from) ?? s.fail(o, `no enum type "${o.from}"`);
    if (s.enums.has(o.to)) s.fail(o, `enum type "${o.to}" already exists`);
    s.enums.delete(o.from);
    s.enums.set(o.to, { ...e, name: o.to });
    // Columns hold the type itself (by OID in PostgreSQL), so they follow the rename, and so do their defaults' casts.
    const cast = `::${o.from}`;
    const recast = (d: string | null) => (d !== null && d.endsWith(cast) ? `${d.slice(0, -cast.length)}::${o.to}` : d);
    for (const [n, t] of s.tables) {
      if (t.columns.some((c) => enumNameOf(c.type) === o.from)) {
        s.tables.set(n, { ...t, columns: t.columns.map((c) => (enumNameOf(c.type) === o.from ? { ...c, type: renameEnumInType(c.type, o.from, o.to), serverDefault: recast(c.serverDefault) } : c)) });
      }
    }
  },
};
