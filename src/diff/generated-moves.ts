/**
 * Generated columns dropped and added again around a change, with what is built on them.
 *
 * A generated column cannot be altered in place when its expression or type changes, and where the dialect says so
 * (`generatedPinInputs`: PostgreSQL refuses "cannot alter type of a column used by a generated column") a column it
 * reads cannot change type under it either. Both are solved the same way, which loses nothing (its values are
 * computed): the generated column is dropped before the table's changes and added again after them. Its indexes,
 * unique constraints, checks, foreign keys and exclusion constraints go with it (a DROP COLUMN takes them): they are
 * dropped explicitly first, so that the downgrade, the exact inverse, builds them again, and created again after the
 * column comes back.
 *
 * The differ compares the table as it stands once those drops have run (`table`), so the column and its items are
 * added back by the ordinary comparison. Names in expressions are matched, not parsed: a name the dialect's scanner
 * finds in the expression (`names`) that is a changed column's counts as reading it.
 */
import { isGeneratedType, type TableIR } from '../ir/ir.js';
import { byName, sameIR } from '../ir/ir-util.js';
import type { Operation } from '../operations/operations.js';
import { compareColumns } from './compare-columns.js';
import { compareConstraints } from './compare-constraints.js';

/** The table with the moved generated columns and their items taken away, and the operations that take them. */
export interface GeneratedMoves {
  readonly table: TableIR;
  readonly drops: readonly Operation[];
}

/** How the dialect answers for generated columns (its CompareOptions). */
export interface GeneratedColumnRules {
  /** True where a column's type cannot change while a generated column reads it (PostgreSQL). */
  readonly pinInputs: boolean;
  /** The names an SQL expression mentions, as the dialect's scanner finds them (bare ones case-folded). */
  readonly names: (sql: string) => ReadonlySet<string>;
}

/** The generated columns of `from` to drop and add again on the way to `to`, or null when there are none. */
export function generatedMoves(from: TableIR, to: TableIR, rules: GeneratedColumnRules): GeneratedMoves | null {
  if (!from.columns.some((c) => isGeneratedType(c.type))) return null;
  const declared = byName(to.columns);
  const retyped = new Set(
    from.columns.filter((c) => !isGeneratedType(c.type) && declared.has(c.name) && !sameIR(c.type, declared.get(c.name)!.type)).map((c) => c.name),
  );
  const moving = new Set<string>();
  for (const c of from.columns) {
    const next = declared.get(c.name);
    if (!isGeneratedType(c.type) || next === undefined) continue;
    const changes = !sameIR(c.type, next.type);
    const pinned = rules.pinInputs && retyped.size > 0 && c.type.kind === 'custom' && mentions(rules.names(c.type.sql), retyped);
    if (changes || pinned) moving.add(c.name);
  }
  if (moving.size === 0) return null;
  const reads = (text: string | null | undefined) => text != null && mentions(rules.names(text), moving);
  const onMoved = (columns: readonly string[]) => columns.some((c) => moving.has(c) || reads(c));
  const table: TableIR = {
    ...from,
    columns: from.columns.filter((c) => !moving.has(c.name)),
    indexes: from.indexes.filter((i) => !onMoved(i.columns) && !onMoved(i.include ?? []) && !reads(i.where)),
    uniques: from.uniques.filter((u) => !onMoved(u.columns)),
    checks: from.checks.filter((k) => !reads(k.expression)),
    foreignKeys: from.foreignKeys.filter((f) => !onMoved(f.columns)),
    ...(from.excludes !== undefined ? { excludes: from.excludes.filter((x) => !reads(JSON.stringify(x.elements)) && !reads(x.where)) } : {}),
  };
  const items = compareConstraints(from, table);
  // The columns dropped last first, so that the downgrade, adding them back in the reverse order, keeps their order.
  return { table, drops: [...items.fkDrops, ...items.drops, ...compareColumns(from, table).drops.reverse()] };
}

/** The first of `columns` that `names` holds (as written, or case-folded as a bare name reads), or undefined. */
export function mentionedColumn(names: ReadonlySet<string>, columns: Iterable<string>): string | undefined {
  for (const c of columns) if (names.has(c) || names.has(c.toLowerCase())) return c;
  return undefined;
}

const mentions = (names: ReadonlySet<string>, columns: Iterable<string>): boolean => mentionedColumn(names, columns) !== undefined;
