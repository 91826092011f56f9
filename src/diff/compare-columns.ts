/**
 * Columns of a table present on both sides: added, removed, and changed in
 * type, nullability, server default or comment. Every alterColumn carries the
 * old value of each facet it changes so that its inverse is exact.
 * A type change keeps the server default in both `from` and `to` even when it
 * stays the same: PostgreSQL must drop a default before a type change it cannot
 * cast it through (text -> enum, one enum -> another) and set it again after.
 */
import { isGeneratedType, type ColumnIR, type TableIR } from '../ir/ir.js';
import type { ColumnChanges, Operation } from '../operations/operations.js';
import { byName, sameIR } from '../ir/ir-util.js';

/** Column differences between two versions of one table, split by phase. */
export interface ColumnDiff {
  readonly drops: Operation[];
  readonly alters: Operation[];
  readonly adds: Operation[];
}

/** Compares the columns of two versions of the same table. */
export function compareColumns(from: TableIR, to: TableIR): ColumnDiff {
  const before = byName(from.columns);
  const after = byName(to.columns);
  const drops: Operation[] = from.columns.filter((c) => !after.has(c.name)).map((c) => ({ kind: 'dropColumn', table: from.name, name: c.name, column: c }));
  const adds: Operation[] = to.columns.filter((c) => !before.has(c.name)).map((c) => ({ kind: 'addColumn', table: to.name, column: c }));
  const alters: Operation[] = [];
  for (const c of to.columns) {
    const old = before.get(c.name);
    if (!old) continue;
    const change = columnChange(old, c);
    if (!change) continue;
    // A generated column's type or expression cannot be altered in place: it is dropped and added again,
    // which loses nothing (its values are computed from the other columns).
    if (change.to.type !== undefined && (isGeneratedType(old.type) || isGeneratedType(c.type))) {
      drops.push({ kind: 'dropColumn', table: from.name, name: old.name, column: old });
      adds.push({ kind: 'addColumn', table: to.name, column: c });
      continue;
    }
    alters.push({ kind: 'alterColumn', table: to.name, column: c.name, to: change.to, from: change.from });
  }
  return { drops, alters, adds };
}

/** The facets that differ between two versions of a column, or null. */
export function columnChange(old: ColumnIR, next: ColumnIR): { to: ColumnChanges; from: ColumnChanges } | null {
  const to: { -readonly [K in keyof ColumnChanges]: ColumnChanges[K] } = {};
  const from: { -readonly [K in keyof ColumnChanges]: ColumnChanges[K] } = {};
  if (!sameIR(old.type, next.type)) { to.type = next.type; from.type = old.type; }
  if (old.nullable !== next.nullable) { to.nullable = next.nullable; from.nullable = old.nullable; }
  if (old.serverDefault !== next.serverDefault) { to.serverDefault = next.serverDefault; from.serverDefault = old.serverDefault; }
  if (old.comment !== next.comment) { to.comment = next.comment; from.comment = old.comment; }
  // A collation is changed with the type (PostgreSQL: ALTER COLUMN ... TYPE ... COLLATE), and a type change that
  // does not carry the collation resets it to the new type's default: the two always travel together.
  const collated = old.collation !== undefined || next.collation !== undefined;
  if ((old.collation ?? null) !== (next.collation ?? null) || (to.type !== undefined && collated)) {
    to.collation = next.collation ?? null;
    from.collation = old.collation ?? null;
    if (to.type === undefined) { to.type = next.type; from.type = old.type; }
  }
  if (old.autoIncrement !== next.autoIncrement) { to.autoIncrement = next.autoIncrement; from.autoIncrement = old.autoIncrement; }
  if (!sameIR(old.identity, next.identity)) { to.identity = next.identity ?? null; from.identity = old.identity ?? null; }
  if (to.type !== undefined && to.serverDefault === undefined && old.serverDefault !== null) { to.serverDefault = next.serverDefault; from.serverDefault = old.serverDefault; }
  return Object.keys(to).length === 0 ? null : { to, from };
}
