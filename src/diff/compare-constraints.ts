/**
 * Primary keys, unique constraints, indexes, foreign keys and checks of a
 * table present on both sides, matched by name. A changed constraint is
 * dropped and added again (no database alters a constraint in place). Drops
 * carry the full definition so that they can be reversed.
 */
import type { CheckIR, ForeignKeyIR, TableIR } from '../ir/ir.js';
import type { ConstraintDef, Operation } from '../operations/operations.js';
import { byName, sameIR } from '../ir/ir-util.js';

/** Constraint differences of one table, split by phase: foreign keys apart, since they depend on other tables. */
export interface ConstraintDiff {
  readonly drops: Operation[];
  readonly adds: Operation[];
  readonly fkDrops: Operation[];
  readonly fkAdds: Operation[];
}

function dropOf(table: string, c: ConstraintDef): Operation {
  return { kind: 'dropConstraint', table, name: c.def.name ?? '', constraintKind: c.kind, constraint: c };
}

function addOf(table: string, c: ConstraintDef): Operation {
  return { kind: 'addConstraint', table, constraint: c };
}

/** Items of `from` missing or different in `to`, and items of `to` missing or different in `from`. */
function diffByName<T extends { readonly name: string }>(from: readonly T[], to: readonly T[], force: (x: T) => boolean = () => false): { removed: T[]; added: T[] } {
  const a = byName(from);
  const b = byName(to);
  const changed = (x: T) => { const y = b.get(x.name); return !y || !sameIR(x, y) || force(x); };
  const removed = from.filter(changed);
  const removedNames = new Set(removed.map((x) => x.name));
  const added = to.filter((y) => !a.has(y.name) || removedNames.has(y.name));
  return { removed, added };
}

/**
 * Compares constraints and indexes of two versions of a table. `mustRebuildFk`
 * forces an unchanged foreign key to be dropped and added again (PostgreSQL
 * refuses to drop the unique constraint or key a foreign key relies on).
 */
export function compareConstraints(from: TableIR, to: TableIR, mustRebuildFk: (fk: ForeignKeyIR) => boolean = () => false): ConstraintDiff {
  const t = to.name;
  const drops: Operation[] = [];
  const adds: Operation[] = [];
  if (!sameIR(from.primaryKey, to.primaryKey)) {
    if (from.primaryKey) drops.push(dropOf(t, { kind: 'primaryKey', def: from.primaryKey }));
    if (to.primaryKey) adds.push(addOf(t, { kind: 'primaryKey', def: to.primaryKey }));
  }
  const u = diffByName(from.uniques, to.uniques);
  drops.push(...u.removed.map((def) => dropOf(t, { kind: 'unique', def })));
  adds.push(...u.added.map((def) => addOf(t, { kind: 'unique', def })));
  const c = diffByName(from.checks.map(validated), to.checks);
  drops.push(...c.removed.map((def) => dropOf(t, { kind: 'check', def })));
  adds.push(...c.added.map((def) => addOf(t, { kind: 'check', def })));
  adds.push(...toValidate(t, from.checks, c.removed));
  const x = diffByName(from.excludes ?? [], to.excludes ?? []);
  drops.push(...x.removed.map((def) => dropOf(t, { kind: 'exclude', def })));
  adds.push(...x.added.map((def) => addOf(t, { kind: 'exclude', def })));
  const i = diffByName(from.indexes, to.indexes);
  drops.push(...i.removed.map((index): Operation => ({ kind: 'dropIndex', table: t, name: index.name, index })));
  adds.push(...i.added.map((index): Operation => ({ kind: 'createIndex', table: t, index })));
  const f = diffByName(from.foreignKeys.map(validated), to.foreignKeys, mustRebuildFk);
  return {
    drops,
    adds,
    fkDrops: f.removed.map((def) => dropOf(t, { kind: 'foreignKey', def })),
    fkAdds: [...f.added.map((def) => addOf(t, { kind: 'foreignKey', def })), ...toValidate(t, from.foreignKeys, f.removed)],
  };
}

/** A constraint as it compares with its declaration: NOT VALID is the database's unfinished state, not its definition. */
function validated<T extends CheckIR | ForeignKeyIR>(c: T): T {
  if (c.notValid !== true) return c;
  const { notValid: _, ...rest } = c;
  return rest as T;
}

/**
 * A validateConstraint for each live constraint left NOT VALID (added NOT VALID and never validated, or its validation
 * failed) that stays as declared: validating checks the rows already there without blocking writes, where a drop and
 * add would rebuild it. One dropped and added again (`removed`) is added valid.
 */
function toValidate(table: string, live: readonly (CheckIR | ForeignKeyIR)[], removed: readonly { readonly name: string }[]): Operation[] {
  const gone = new Set(removed.map((c) => c.name));
  return live.filter((c) => c.notValid === true && !gone.has(c.name)).map((c): Operation => ({ kind: 'validateConstraint', table, name: c.name }));
}

/** The column sets of keys, unique constraints and unique indexes that `ops` drop, as `table(col,col)` keys. */
export function droppedKeys(ops: readonly Operation[]): Set<string> {
  const out = new Set<string>();
  for (const o of ops) {
    if (o.kind === 'dropConstraint' && o.constraint && (o.constraint.kind === 'unique' || o.constraint.kind === 'primaryKey')) out.add(keyOf(o.table, o.constraint.def.columns));
    if (o.kind === 'dropIndex' && o.index?.unique) out.add(keyOf(o.table, o.index.columns));
  }
  return out;
}

/** The key droppedKeys uses for a table and a column list (order-insensitive). */
export function keyOf(table: string, columns: readonly string[]): string {
  return JSON.stringify([table, [...columns].sort()]);
}
