/** dropEnum: removes an enum type no column uses. */
import { enumNameOf, type EnumIR } from '../../ir/ir.js';
import { opCall, quoteString as q } from '../../render/literal.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** `enum` is the full definition when known (autogenerate), or null (hand-written). */
export interface DropEnumOp { readonly kind: 'dropEnum'; readonly name: string; readonly enum: EnumIR | null }

export const dropEnum: OperationDef<DropEnumOp> = {
  inverse: (o) => {
    if (!o.enum) throw new IrreversibleOperationError(o, `the values of enum "${o.name}" are not known`);
    return { kind: 'createEnum', enum: o.enum };
  },
  table: () => null,
  describe: (o) => [`- enum ${o.name}`],
  render: (o) => opCall('dropEnum', q(o.name)),
  apply: (s, o) => {
    const e = s.enums.get(o.name) ?? s.fail(o, `no enum type "${o.name}"`);
    for (const t of s.tables.values()) for (const c of t.columns) if (enumNameOf(c.type) === o.name) s.fail(o, `enum type "${o.name}" is used by ${t.name}.${c.name}`);
    s.sameAs(o, `enum "${o.name}"`, o.enum, e);
    s.enums.delete(o.name);
  },
};
