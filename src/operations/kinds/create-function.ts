/** createFunction: creates a function, a procedure or an aggregate. */
import { functionKey, type FunctionIR } from '../../ir/routine.js';
import { renderFunctionCall } from '../../render/render-routines.js';
import type { OperationDef } from '../operation-def.js';

export interface CreateFunctionOp { readonly kind: 'createFunction'; readonly function: FunctionIR }

export const createFunction: OperationDef<CreateFunctionOp> = {
  inverse: (o) => ({ kind: 'dropFunction', name: o.function.name, args: o.function.identity ?? o.function.args, function: o.function }),
  table: () => null,
  describe: (o) => [`+ ${o.function.kind} ${functionKey(o.function)}`],
  render: (o, ctx) => renderFunctionCall('createFunction', o.function, ctx.imports),
  apply: (s, o) => {
    const key = functionKey(o.function);
    if (s.functions.has(key)) s.fail(o, `${o.function.kind} ${key} already exists`);
    s.functions.set(key, o.function);
  },
};
