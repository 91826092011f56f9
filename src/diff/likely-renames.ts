/**
 * Drops and adds that look like a rename: in one table, exactly one column dropped and one added, of the same type,
 * nullability and default. Only a suggestion for the user (to declare `.renamedFrom`), never acted on: a wrong
 * guess here would rename data into a column that means something else, and asking would make CI wait.
 */
import type { Operation } from '../operations/operations.js';
import { sameIR } from '../ir/ir-util.js';

export interface LikelyRename {
  readonly table: string;
  readonly from: string;
  readonly to: string;
}

/** The column renames `ops` (autogenerate's output) probably meant, one per table at most. */
export function likelyRenames(ops: readonly Operation[]): LikelyRename[] {
  const drops = new Map<string, Extract<Operation, { kind: 'dropColumn' }>[]>();
  const adds = new Map<string, Extract<Operation, { kind: 'addColumn' }>[]>();
  for (const o of ops) {
    if (o.kind === 'dropColumn') drops.set(o.table, [...(drops.get(o.table) ?? []), o]);
    else if (o.kind === 'addColumn') adds.set(o.table, [...(adds.get(o.table) ?? []), o]);
  }
  const out: LikelyRename[] = [];
  for (const [table, dropped] of drops) {
    const added = adds.get(table) ?? [];
    if (dropped.length !== 1 || added.length !== 1) continue;
    const old = dropped[0]!.column;
    const next = added[0]!.column;
    if (old === null || old.name === next.name) continue;
    if (!sameIR(old.type, next.type) || old.nullable !== next.nullable || old.serverDefault !== next.serverDefault) continue;
    out.push({ table, from: old.name, to: next.name });
  }
  return out;
}

/** The line that tells the user what to declare. */
export function renameSuggestionText(r: LikelyRename): string {
  return `${r.table}.${r.from} dropped and ${r.table}.${r.to} added look like a rename: to keep the data, add .renamedFrom('${r.from}') to column ${r.to} of table ${r.table} in the models and generate again`;
}
