/**
 * Partitions attached and detached. A table that stays but changes partition (becomes one, stops being one, or
 * moves to another parent or bound) is detached first, before anything else changes, and attached last, after
 * new tables exist (its parent may be one of them); a bound changes by a detach and an attach. The comparators
 * then see `from` as the detaches and attaches leave it, so a partition's columns (its parent's) never read as
 * dropped or added. A table's partition key cannot change in place (PostgreSQL has no ALTER for it): that is an
 * error naming the table, not a silent drop and re-create of its rows.
 */
import { RetortError } from '../errors.js';
import type { SchemaIR, TableIR } from '../ir/ir.js';
import { partitionKeyText } from '../ir/partition.js';
import type { Operation } from '../operations/operations.js';
import { byName, sameIR } from '../ir/ir-util.js';
import { attached, detached } from '../ir/partition-copies.js';

export interface PartitionPlan {
  /** Detaches, to run first. */
  readonly detaches: Operation[];
  /** Attaches, to run after new tables are created. */
  readonly attaches: Operation[];
  /** `from` as the detaches and attaches leave it. */
  readonly from: SchemaIR;
}

/** The attaches and detaches that take the staying tables of `from` to the partitions `to` declares. */
export function planPartitions(from: SchemaIR, to: SchemaIR): PartitionPlan {
  const live = byName(from.tables);
  const declared = byName(to.tables);
  const detaches: Operation[] = [];
  const attaches: Operation[] = [];
  const changed = new Map<string, TableIR>();
  for (const t of to.tables) {
    const l = live.get(t.name);
    if (l === undefined) continue;
    if (!sameIR(l.partitionBy ?? null, t.partitionBy ?? null)) {
      const was = l.partitionBy ? `partitioned by ${partitionKeyText(l.partitionBy)}` : 'not partitioned';
      const now = t.partitionBy ? `partitioned by ${partitionKeyText(t.partitionBy)}` : 'not partitioned';
      throw new RetortError('UNSUPPORTED', `table "${t.name}" is ${was} in the database and ${now} in the models; PostgreSQL cannot change a table's partitioning in place`, {
        hint: `declare a new table with the partitioning wanted, move the rows in a revision (op.execute), then drop "${t.name}"`,
      });
    }
    const lp = l.partitionOf;
    const tp = t.partitionOf;
    if (sameIR(lp ?? null, tp ?? null)) continue;
    let now: TableIR = l;
    if (lp !== undefined) {
      detaches.push({ kind: 'detachPartition', parent: lp.parent, partition: t.name, bound: lp.bound });
      now = detached(now, live.get(lp.parent));
    }
    if (tp !== undefined) {
      attaches.push({ kind: 'attachPartition', parent: tp.parent, partition: t.name, bound: tp.bound });
      now = attached(now, tp, declared.get(tp.parent));
    }
    changed.set(t.name, now);
  }
  if (changed.size === 0) return { detaches, attaches, from };
  return { detaches, attaches, from: { ...from, tables: from.tables.map((t) => changed.get(t.name) ?? t) } };
}

