/** createEnum: a new enum type with its values in order. */
import type { EnumIR } from '../../ir/ir.js';
import { opCall, quoteString as q, stringArray } from '../../render/literal.js';
import { values } from '../describe-text.js';
import type { OperationDef } from '../operation-def.js';

export interface CreateEnumOp { readonly kind: 'createEnum'; readonly enum: EnumIR }

export const createEnum: OperationDef<CreateEnumOp> = {
  inverse: (o) => ({ kind: 'dropEnum', name: o.enum.name, enum: o.enum }),
  table: () => null,
  describe: (o) => [`+ enum ${o.enum.name} ${values(o.enum.values)}`],
  render: (o) => opCall('createEnum', q(o.enum.name), stringArray(o.enum.values)),
  apply: (s, o) => {
    if (s.enums.has(o.enum.name)) s.fail(o, `enum type "${o.enum.name}" already exists`);
    s.enums.set(o.enum.name, o.enum);
  },
};
