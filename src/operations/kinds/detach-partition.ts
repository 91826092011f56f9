/**
 * detachPartition: makes a partition a table of its own again, rows kept (PostgreSQL DETACH PARTITION). The table
 * keeps its columns, and copies of the parent's keys, indexes and foreign keys under their own names.
 */
import type { PartitionBoundIR } from '../../ir/ir.js';
import { opCall, quoteString as q } from '../../render/literal.js';
import { detached } from '../../ir/partition-copies.js';
import { renderBound } from '../../render/render-partitions.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** `bound` is the partition's bound when known (autogenerate), so that the detach can be undone; null when written by hand without it. */
export interface DetachPartitionOp { readonly kind: 'detachPartition'; readonly parent: string; readonly partition: string; readonly bound: PartitionBoundIR | null }

export const detachPartition: OperationDef<DetachPartitionOp> = {
  inverse: (o) => {
    if (o.bound === null) throw new IrreversibleOperationError(o, `the bound of partition "${o.partition}" is not known`);
    return { kind: 'attachPartition', parent: o.parent, partition: o.partition, bound: o.bound };
  },
  table: (o) => o.parent,
  describe: (o) => [`- partition ${o.partition} detached from ${o.parent} (the table stays)`],
  render: (o, { imports }) => opCall('detachPartition', q(o.parent), q(o.partition), ...(o.bound === null ? [] : [renderBound(o.bound, imports)])),
  apply: (s, o) => {
    const parent = s.table(o, o.parent);
    const t = s.table(o, o.partition);
    if (t.partitionOf?.parent !== o.parent) s.fail(o, `table "${o.partition}" is not a partition of "${o.parent}"`);
    if (s.strict && o.bound !== null && JSON.stringify(o.bound) !== JSON.stringify(t.partitionOf?.bound)) s.fail(o, `the recorded bound of partition "${o.partition}" differs from the schema as it stands`);
    s.tables.set(o.partition, detached(t, parent));
  },
};
