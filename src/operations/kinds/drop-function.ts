/** dropFunction: drops a function, a procedure or an aggregate, by name and identity arguments. */
import type { FunctionIR } from '../../ir/routine.js';
import { opCall, quoteString as q } from '../../render/literal.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** `function` is the full definition when known (autogenerate), or null (hand-written). */
export interface DropFunctionOp {
  readonly kind: 'dropFunction';
  readonly name: string;
  /** The identity arguments (`integer, integer`) that tell overloads apart. */
  readonly args: string;
  readonly function: FunctionIR | null;
  /** PROCEDURE or AGGREGATE (hand-written drops of those say so); absent means the function's own kind or FUNCTION. */
  readonly objectKind?: FunctionIR['kind'];
}

export const dropFunction: OperationDef<DropFunctionOp> = {
  inverse: (o) => {
    if (o.function === null) throw new IrreversibleOperationError(o, `the definition of ${o.name}(${o.args}) is not known`);
    return { kind: 'createFunction', function: o.function };
  },
  table: () => null,
  describe: (o) => [`- ${o.function?.kind ?? o.objectKind ?? 'function'} ${o.name}(${o.args})`],
  render: (o) => {
    const kind = o.function?.kind ?? o.objectKind;
    return opCall('dropFunction', q(o.name), q(o.args), ...(kind !== undefined && kind !== 'function' ? [`{ kind: ${q(kind)} }`] : []));
  },
  apply: (s, o) => {
    const key = `${o.name}(${o.args})`;
    const f = s.functions.get(key) ?? s.fail(o, `no function ${key}`);
    for (const t of s.triggers.values()) if (t.execute === o.name) s.fail(o, `trigger "${t.name}" on "${t.table}" executes ${o.name}`);
    s.sameAs(o, `function ${key}`, o.function, f);
    s.functions.delete(key);
  },
};
