/**
 * replaceFunction: gives a function (or procedure, or aggregate) a new definition under the same name and identity
 * arguments. PostgreSQL's CREATE OR REPLACE keeps the result type and the argument names and defaults; where those
 * change (`recreate`) the function is dropped and created again, which its dependents must allow.
 */
import { functionKey, type FunctionIR } from '../../ir/routine.js';
import { renderFunctionCall } from '../../render/render-routines.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** `from` is the old definition when known. */
export interface ReplaceFunctionOp { readonly kind: 'replaceFunction'; readonly function: FunctionIR; readonly from: FunctionIR | null; readonly recreate?: boolean }

export const replaceFunction: OperationDef<ReplaceFunctionOp> = {
  inverse: (o) => {
    if (o.from === null) throw new IrreversibleOperationError(o, `the previous definition of ${functionKey(o.function)} is not known`);
    return { kind: 'replaceFunction', function: o.from, from: o.function, ...(o.recreate === true ? { recreate: true } : {}) };
  },
  table: () => null,
  describe: (o) => [`~ ${o.function.kind} ${functionKey(o.function)}: definition changed${o.recreate === true ? ' (dropped and created again)' : ''}`],
  render: (o, ctx) => renderFunctionCall('replaceFunction', o.function, ctx.imports, o.recreate === true ? [['recreate', 'true']] : []),
  apply: (s, o) => {
    const key = functionKey(o.function);
    const f = s.functions.get(key) ?? s.fail(o, `no function ${key}`);
    s.sameAs(o, `function ${key}`, o.from, f);
    s.functions.set(key, o.function);
  },
};
