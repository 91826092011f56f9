/** execute: raw SQL with optional parameters; opaque to every stage but the driver. */
import { opCall, sqlTemplate } from '../../render/literal.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

export interface ExecuteOp { readonly kind: 'execute'; readonly sql: string; readonly params?: readonly unknown[] }

export const execute: OperationDef<ExecuteOp> = {
  inverse: (o) => { throw new IrreversibleOperationError(o, 'raw SQL has no known inverse'); },
  table: () => null,
  describe: (o) => [`! sql ${o.sql}`],
  render: (o, { imports }) => {
    imports.add('sql');
    return opCall('execute', sqlTemplate(o.sql), ...(o.params ? [JSON.stringify(o.params)] : []));
  },
  apply: (s, o) => s.fail(o, 'raw SQL cannot be applied symbolically'),
};
