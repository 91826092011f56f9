/**
 * Enum types: created, dropped, or changed. A changed enum becomes one neutral
 * AlterEnum (enum-change.ts), which the dialect's planner turns into
 * operations; this comparator only sorts the changes by when they may run.
 */
import type { SchemaIR } from '../ir/ir.js';
import { enumNameOf } from '../ir/ir.js';
import type { Operation } from '../operations/operations.js';
import { byName } from '../ir/ir-util.js';
import { onlyAddsValues, sameValues, type AlterEnum } from './enum-change.js';

/** What happens to enum types, split by phase. */
export interface EnumPlan {
  readonly creates: Operation[];
  /** Enums whose values were only added: changed with the new types, before any table changes. */
  readonly widened: AlterEnum[];
  /** Enums whose values were removed or reordered: changed once the columns dropped by the upgrade (which may hold a removed value) are gone. */
  readonly reshaped: AlterEnum[];
  readonly drops: Operation[];
}

/** Compares the enum types of two schemas; an enum still used by a column of `to` is never dropped. */
export function planEnums(from: SchemaIR, to: SchemaIR): EnumPlan {
  const before = byName(from.enums);
  const after = byName(to.enums);
  const usedInTarget = new Set(to.tables.flatMap((t) => t.columns.map((c) => enumNameOf(c.type))).filter((n): n is string => n !== null));
  const creates: Operation[] = to.enums.filter((e) => !before.has(e.name)).map((e) => ({ kind: 'createEnum', enum: e }));
  const drops: Operation[] = from.enums.filter((e) => !after.has(e.name) && !usedInTarget.has(e.name)).map((e) => ({ kind: 'dropEnum', name: e.name, enum: e }));
  const widened: AlterEnum[] = [];
  const reshaped: AlterEnum[] = [];
  for (const e of to.enums) {
    const old = before.get(e.name);
    if (!old || sameValues(old.values, e.values)) continue;
    (onlyAddsValues(old, e) ? widened : reshaped).push({ kind: 'alterEnum', name: e.name, from: old, to: e });
  }
  return { creates, widened, reshaped, drops };
}
