/** renameEnumValue: renames one value of an enum in place; rows holding it hold the new value after (PostgreSQL 10+ RENAME VALUE). */
import { opCall, quoteString as q } from '../../render/literal.js';
import type { OperationDef } from '../operation-def.js';

export interface RenameEnumValueOp { readonly kind: 'renameEnumValue'; readonly name: string; readonly from: string; readonly to: string }

export const renameEnumValue: OperationDef<RenameEnumValueOp> = {
  inverse: (o) => ({ kind: 'renameEnumValue', name: o.name, from: o.to, to: o.from }),
  table: () => null,
  describe: (o) => [`~ enum value ${o.name}.'${o.from}' renamed to '${o.to}'`],
  render: (o) => opCall('renameEnumValue', q(o.name), q(o.from), q(o.to)),
  apply: (s, o) => {
    const e = s.enums.get(o.name) ?? s.fail(o, `no enum type "${o.name}"`);
    if (!e.values.includes(o.from)) s.fail(o, `enum "${o.name}" has no value "${o.from}"`);
    if (e.values.includes(o.to)) s.fail(o, `enum "${o.name}" already has the value "${o.to}"`);
    // The value keeps its place: order is meaningful in an enum.
    s.enums.set(o.name, { ...e, values: e.values.map((v) => (v === o.from ? o.to : v)) });
  },
};
