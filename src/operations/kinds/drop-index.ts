/** dropIndex: removes an index. */
import type { IndexIR } from '../../ir/ir.js';
import { opCall, quoteString as q } from '../../render/literal.js';
import { indexText } from '../describe-text.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';
import { refuseMissing } from '../table-ir.js';

/** `index` is the full definition when known (autogenerate), or null (hand-written). */
export interface DropIndexOp { readonly kind: 'dropIndex'; readonly table: string; readonly name: string; readonly index: IndexIR | null; readonly concurrently?: boolean }

export const dropIndex: OperationDef<DropIndexOp> = {
  inverse: (o) => {
    if (!o.index) throw new IrreversibleOperationError(o, `the definition of index "${o.name}" is not known`);
    return { kind: 'createIndex', table: o.table, index: o.index, ...(o.concurrently ? { concurrently: true } : {}) };
  },
  table: (o) => o.table,
  // What the database holds, when known, so a drop and an add of one name show what differs.
  describe: (o) => [o.index === null ? `- index ${o.name} on ${o.table}` : `- ${indexText(o.index, o.table)}`],
  render: (o) => opCall('dropIndex', q(o.name), q(o.table), ...(o.concurrently ? ['{ concurrently: true }'] : [])),
  applyTable: (t, o, p) => {
    // Concurrently it is IF EXISTS (see createIndex).
    if (o.concurrently && !t.indexes.some((i) => i.name === o.name)) return t;
    const ix = t.indexes.find((i) => i.name === o.name) ?? refuseMissing(o, p, 'index', o.name, t);
    return { ...t, indexes: t.indexes.filter((i) => i !== ix) };
  },
  check: (s, o, t) => s.sameAs(o, `index "${o.name}"`, o.index, t.indexes.find((i) => i.name === o.name)),
};
