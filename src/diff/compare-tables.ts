/**
 * Tables added and removed. New tables are created in foreign-key order; a
 * cycle of foreign keys between new tables is broken by creating one table
 * without its foreign keys into the cycle and adding them once every table
 * exists. Removed tables are the exact inverse of creating them.
 */
import type { ForeignKeyIR, TableIR } from '../ir/ir.js';
import { inverseAll, type Operation } from '../operations/operations.js';
import { byCodePoint } from '../ir/ir-util.js';

/** The operations that create `tables` (which may reference each other and existing tables): createTable in dependency order, then the foreign keys a cycle forced out. */
export function creationPlan(tables: readonly TableIR[]): Operation[] {
  const pending = new Map([...tables].sort((a, b) => byCodePoint(a.name, b.name)).map((t) => [t.name, t]));
  const creates: Operation[] = [];
  const deferred: Operation[] = [];
  const waitsOn = (t: TableIR, fk: ForeignKeyIR) => fk.refTable !== t.name && pending.has(fk.refTable);

  while (pending.size > 0) {
    // A partition waits for its parent, and is never part of a cycle: its own foreign keys are few and its parent's come with it.
    const parentPending = (t: TableIR) => t.partitionOf !== undefined && pending.has(t.partitionOf.parent);
    let next = [...pending.values()].find((t) => !parentPending(t) && !t.foreignKeys.some((fk) => waitsOn(t, fk)));
    if (!next) {
      // Every pending table waits on another: detach the foreign keys of the first table that sits on a cycle.
      const onCycle = [...pending.values()].find((t) => !parentPending(t) && reaches(pending, t.name, t.name)) ?? [...pending.values()].find((t) => !parentPending(t)) ?? [...pending.values()][0]!;
      const late = onCycle.foreignKeys.filter((fk) => waitsOn(onCycle, fk));
      deferred.push(...late.map((fk): Operation => ({ kind: 'addConstraint', table: onCycle.name, constraint: { kind: 'foreignKey', def: fk } })));
      next = { ...onCycle, foreignKeys: onCycle.foreignKeys.filter((fk) => !late.includes(fk)) };
    }
    creates.push({ kind: 'createTable', table: next });
    pending.delete(next.name);
  }
  return [...creates, ...deferred];
}

/** The operations that drop `tables`: the inverse of creating them, so foreign keys into a dropped table go first. */
export function removalPlan(tables: readonly TableIR[]): Operation[] {
  return inverseAll(creationPlan(tables));
}

function reaches(pending: Map<string, TableIR>, from: string, goal: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const t = pending.get(stack.pop()!);
    if (!t) continue;
    for (const fk of t.foreignKeys) {
      if (fk.refTable === t.name || !pending.has(fk.refTable)) continue;
      if (fk.refTable === goal) return true;
      if (!seen.has(fk.refTable)) { seen.add(fk.refTable); stack.push(fk.refTable); }
    }
  }
  return false;
}
