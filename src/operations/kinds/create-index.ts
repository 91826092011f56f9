/** createIndex: a new index (unique, partial, with a method or INCLUDE columns). */
import type { IndexIR } from '../../ir/ir.js';
import { objectLiteral, opCall, quoteString as q, stringArray } from '../../render/literal.js';
import { indexText } from '../describe-text.js';
import type { OperationDef } from '../operation-def.js';

/** `concurrently`: built without blocking writes (PostgreSQL CONCURRENTLY), which runs only in an autocommit block. */
export interface CreateIndexOp { readonly kind: 'createIndex'; readonly table: string; readonly index: IndexIR; readonly concurrently?: boolean }

export const createIndex: OperationDef<CreateIndexOp> = {
  inverse: (o) => ({ kind: 'dropIndex', table: o.table, name: o.index.name, index: o.index, ...(o.concurrently ? { concurrently: true } : {}) }),
  table: (o) => o.table,
  describe: (o) => [`+ ${indexText(o.index, o.table)}`],
  render: (o) => {
    const opts: [string, string][] = [];
    if (o.index.unique) opts.push(['unique', 'true']);
    if (o.index.where !== null) opts.push(['where', q(o.index.where)]);
    if (o.index.method !== undefined) opts.push(['using', q(o.index.method)]);
    if (o.index.include !== undefined && o.index.include.length > 0) opts.push(['include', stringArray(o.index.include)]);
    if (o.index.nullsNotDistinct === true) opts.push(['nullsNotDistinct', 'true']);
    if (o.concurrently) opts.push(['concurrently', 'true']);
    return opCall('createIndex', q(o.index.name), q(o.table), stringArray(o.index.columns), ...(opts.length > 0 ? [objectLiteral(opts)] : []));
  },
  applyTable: (t, o, p) => {
    // Concurrently it is IF NOT EXISTS: its autocommit block may run again after a later failure of the revision.
    if (t.indexes.some((i) => i.name === o.index.name)) {
      if (o.concurrently) return t;
      throw p.refuse(o, { reason: 'exists', what: 'index', name: o.index.name, table: t.name });
    }
    return { ...t, indexes: [...t.indexes, o.index] };
  },
};
