/**
 * PostgreSQL's enum planner: values only added become ALTER TYPE ... ADD VALUE
 * (addEnumValue), placed BEFORE/AFTER their declared neighbour; any other
 * change rebuilds the type (postgres-enum-rebuild.ts). No statement removes an
 * enum value, so each enum's additions carry the rebuild that undoes them.
 */
import type { EnumIR, SchemaIR } from '../../ir/ir.js';
import type { EnumPlanner } from '../../diff/enum-change.js';
import { onlyAddsValues } from '../../diff/enum-change.js';
import { byCodePoint } from '../../ir/ir-util.js';
import type { Operation } from '../../operations/operations.js';
import { rebuildEnum } from './postgres-enum-rebuild.js';

/** postgresEnumPlanner plans enum changes as PostgreSQL can carry them out; see the module comment. */
export const postgresEnumPlanner: EnumPlanner = {
  planEnumChange(change, current) {
    if (!onlyAddsValues(change.from, change.to)) return rebuildEnum(current, change.from, change.to);
    return withUndo(valueAdditions(change.from, change.to), change.from, change.to, current);
  },
};

/**
 * valueAdditions returns the addEnumValue operations turning `old` into `next`, each placed after its declared
 * predecessor (or before the first value), in declared order; `old` must be a subsequence of `next`.
 */
export function valueAdditions(old: EnumIR, next: EnumIR): Operation[] {
  const oldSet = new Set(old.values);
  const current = [...old.values];
  const ops: Operation[] = [];
  next.values.forEach((v, i) => {
    if (oldSet.has(v)) return;
    const prev = next.values[i - 1];
    const first = current[0];
    if (prev !== undefined) { ops.push({ kind: 'addEnumValue', name: next.name, value: v, after: prev }); current.splice(current.indexOf(prev) + 1, 0, v); }
    else if (first !== undefined) { ops.push({ kind: 'addEnumValue', name: next.name, value: v, before: first }); current.unshift(v); }
    else { ops.push({ kind: 'addEnumValue', name: next.name, value: v }); current.push(v); }
  });
  return ops;
}

/**
 * The additions `adds` turning enum `from` into `to`, the first carrying the rebuild that undoes all of them (`undo`),
 * computed on the schema just after the additions, where the columns using the enum are those of `current`.
 * Adding values changes nothing but the enum's list, which valueAdditions leaves as `to` lists them; so that schema
 * is written here rather than by the IR applier, whose module (with every operation kind and their renderers, about
 * 37 modules) the dialect would otherwise load for every command, `upgrade` and `current` included.
 */
function withUndo(adds: readonly Operation[], from: EnumIR, to: EnumIR, current: SchemaIR): Operation[] {
  const grown: EnumIR = { ...(current.enums.find((e) => e.name === from.name) ?? from), values: [...to.values] };
  const after: SchemaIR = {
    ...current,
    tables: [...current.tables].sort((a, b) => byCodePoint(a.name, b.name)),
    enums: current.enums.map((e) => (e.name === from.name ? grown : e)).sort((a, b) => byCodePoint(a.name, b.name)),
  };
  return adds.map((o, i) => (o.kind !== 'addEnumValue' ? o : { ...o, undo: i === 0 ? rebuildEnum(after, grown, from, { restoreDefaults: true }) : [] }));
}
