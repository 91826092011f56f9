/** createIndex: a new index (unique, partial, with a method or INCLUDE columns). */
import type { IndexIR } from '../../ir/ir.js';
import { objectLiteral, opCall, quoteString as q, stringArray } from '../../render/literal.js';
import { indexText } from '../describe-text.js';
import type { OperationDef } from '../operation-def.js';

export interface CreateIndexOp { readonly kind: 'createIndex'; readonly table: string; readonly index: IndexIR }

export const createIndex: OperationDef<CreateIndexOp> = {
  inverse: (o) => ({ kind: 'dropIndex', table: o.table, name: o.index.name, index: o.index }),
  table: (o) => o.table,
  describe: (o) => [`+ ${indexText(o.index, o.table)}`],
  render: (o) => {
    const opts: [string, string][] = [];
    if (o.index.unique) opts.push(['unique', 'true']);
    if (o.index.where !== null) opts.push(['where', q(o.index.where)]);
    if (o.index.method !== undefined) opts.push(['using', q(o.index.method)]);
    if (o.index.include !== undefined && o.index.include.length > 0) opts.push(['include', stringArray(o.index.include)]);
    if (o.index.nullsNotDistinct === true) opts.push(['nullsNotDistinct', 'true']);
    return opCall('createIndex', q(o.index.name), q(o.table), stringArray(o.index.columns), ...(opts.length > 0 ? [objectLiteral(opts)] : []));
  },
  applyTable: (t, o, p) => {
    if (t.indexes.some((i) => i.name === o.index.name)) throw p.refuse(o, { reason: 'exists', what: 'index', name: o.index.name, table: t.name });
    return { ...t, indexes: [...t.indexes, o.index] };
  },
};
