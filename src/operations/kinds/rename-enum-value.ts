/** renameEnumValue: renames one value of an enum in place; rows holding it hold the new value after (PostgreSQL 10+ RENAME VALUE). */
import { enumNameOf } from '../../ir/ir.js';
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
    // A server default holds the value itself (PostgreSQL keeps the label's OID), so it names the new one after.
    const old = `'${o.from.replace(/'/g, "''")}'`;
    const now = `'${o.to.replace(/'/g, "''")}'`;
    const renamed = (d: string | null) => (d !== null && (d === old || d.startsWith(`${old}::`)) ? now + d.slice(old.length) : d);
    for (const [n, t] of s.tables) {
      if (t.columns.some((c) => enumNameOf(c.type) === o.name && renamed(c.serverDefault) !== c.serverDefault)) {
        s.tables.set(n, { ...t, columns: t.columns.map((c) => (enumNameOf(c.type) === o.name ? { ...c, serverDefault: renamed(c.serverDefault) } : c)) });
      }
    }
  },
};
