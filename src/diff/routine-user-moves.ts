/**
 * The column defaults and checks in the way of a function dropped and created again (its result type or argument list
 * changes): PostgreSQL refuses to drop a function a default or a check calls ("cannot drop function ... because other
 * objects depend on it"). They are dropped before the function's drop and restored after its create, as the live
 * database holds them, so the table changes that follow see the live state they were compared against; the downgrade,
 * the same operations inverted, moves them around the function's way back. Defaults and checks only: an index, an
 * exclusion constraint or a generated column that calls the function still has to be handled in the revision by hand.
 */
import type { FunctionIR, SchemaIR } from '../ir/ir.js';
import type { Operation } from '../operations/operations.js';

/** The operations that take the live defaults and checks calling `functions` out of the way (`before`) and put them back (`after`). */
export function tableUsersAround(functions: readonly FunctionIR[], live: SchemaIR): { before: Operation[]; after: Operation[] } {
  const before: Operation[] = [];
  const after: Operation[] = [];
  const seen = new Set<string>();
  const tables = new Map(live.tables.map((t) => [t.name, t]));
  for (const f of functions) {
    for (const d of f.usedBy?.defaults ?? []) {
      const key = `default\u0000${d.table}\u0000${d.column}`;
      const value = tables.get(d.table)?.columns.find((c) => c.name === d.column)?.serverDefault ?? null;
      if (seen.has(key) || value === null) continue;
      seen.add(key);
      before.push({ kind: 'alterColumn', table: d.table, column: d.column, to: { serverDefault: null }, from: { serverDefault: value } });
      after.push({ kind: 'alterColumn', table: d.table, column: d.column, to: { serverDefault: value }, from: { serverDefault: null } });
    }
    for (const k of f.usedBy?.checks ?? []) {
      const key = `check\u0000${k.table}\u0000${k.name}`;
      const check = tables.get(k.table)?.checks.find((c) => c.name === k.name);
      if (seen.has(key) || check === undefined) continue;
      seen.add(key);
      before.push({ kind: 'dropConstraint', table: k.table, name: check.name, constraintKind: 'check', constraint: { kind: 'check', def: check } });
      after.push({ kind: 'addConstraint', table: k.table, constraint: { kind: 'check', def: check } });
    }
  }
  return { before, after };
}
