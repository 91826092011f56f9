/**
 * attachPartition: makes an existing table a partition of a partitioned table (PostgreSQL ATTACH PARTITION).
 * PostgreSQL scans the table to check that its rows fit the bound unless a valid CHECK constraint already
 * proves it, under SHARE UPDATE EXCLUSIVE on the parent and ACCESS EXCLUSIVE on the table attached.
 */
import type { PartitionBoundIR } from '../../ir/ir.js';
import { boundText } from '../../ir/partition.js';
import { attached } from '../../ir/partition-copies.js';
import { opCall, quoteString as q } from '../../render/literal.js';
import { renderBound } from '../../render/render-partitions.js';
import type { OperationDef } from '../operation-def.js';

export interface AttachPartitionOp { readonly kind: 'attachPartition'; readonly parent: string; readonly partition: string; readonly bound: PartitionBoundIR }

export const attachPartition: OperationDef<AttachPartitionOp> = {
  inverse: (o) => ({ kind: 'detachPartition', parent: o.parent, partition: o.partition, bound: o.bound }),
  table: (o) => o.parent,
  describe: (o) => [`+ partition ${o.partition} of ${o.parent} attached: ${boundText(o.bound)}`],
  render: (o, { imports }) => opCall('attachPartition', q(o.parent), q(o.partition), renderBound(o.bound, imports)),
  apply: (s, o) => {
    const parent = s.table(o, o.parent);
    const t = s.table(o, o.partition);
    if (parent.partitionBy === undefined) s.fail(o, `table "${o.parent}" is not partitioned`);
    if (t.partitionOf !== undefined) s.fail(o, `table "${o.partition}" is already a partition of "${t.partitionOf.parent}"`);
    s.tables.set(o.partition, attached(t, { parent: o.parent, bound: o.bound }, parent));
  },
};
