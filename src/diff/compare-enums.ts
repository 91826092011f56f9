/**
 * Enum types: created, dropped, values added in place, or rebuilt. PostgreSQL
 * can add a value (ALTER TYPE ... ADD VALUE BEFORE/AFTER) but never remove or
 * reorder one, so any other change rebuilds the type: create `<name>__new`,
 * move every column to it, drop the old type, rename the new one. Each step
 * is an ordinary operation, so the downgrade rebuilds back.
 */
import type { ColumnType, EnumIR, SchemaIR, TableIR } from '../ir/ir.js';
import { enumNameOf } from '../ir/ir.js';
import type { Operation } from '../operations/operations.js';
import { byName, renameEnumInType } from '../ir/ir-util.js';

/** What happens to enum types, split by phase. */
export interface EnumPlan {
  readonly creates: Operation[];
  readonly valueAdds: Operation[];
  /** Enums whose values were removed or reordered: rebuilt once the columns dropped by the upgrade are gone. */
  readonly rebuilds: { readonly from: EnumIR; readonly to: EnumIR }[];
  readonly drops: Operation[];
}

/** Compares the enum types of two schemas; an enum still used by a column of `to` is never dropped. */
export function planEnums(from: SchemaIR, to: SchemaIR): EnumPlan {
  const before = byName(from.enums);
  const after = byName(to.enums);
  const usedInTarget = new Set(to.tables.flatMap((t) => t.columns.map((c) => enumNameOf(c.type))).filter((n): n is string => n !== null));
  const creates: Operation[] = to.enums.filter((e) => !before.has(e.name)).map((e) => ({ kind: 'createEnum', enum: e }));
  const drops: Operation[] = from.enums.filter((e) => !after.has(e.name) && !usedInTarget.has(e.name)).map((e) => ({ kind: 'dropEnum', name: e.name, enum: e }));
  const valueAdds: Operation[] = [];
  const rebuilds: { from: EnumIR; to: EnumIR }[] = [];
  for (const e of to.enums) {
    const old = before.get(e.name);
    if (!old || sameValues(old.values, e.values)) continue;
    const adds = valueAdditions(old, e);
    if (adds) valueAdds.push(...adds);
    else rebuilds.push({ from: old, to: e });
  }
  return { creates, valueAdds, rebuilds, drops };
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * addEnumValue operations turning `old` into `next`, each placed after its
 * declared predecessor (or before the first value), in declared order; null
 * when `old` is not a subsequence of `next` (a value removed or moved).
 */
export function valueAdditions(old: EnumIR, next: EnumIR): Operation[] | null {
  const oldSet = new Set(old.values);
  const kept = next.values.filter((v) => oldSet.has(v));
  if (!sameValues(kept, old.values)) return null;
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
 * The operations that rebuild enum `from` as `to`, moving every column of
 * `current` that uses it. A column's server default is dropped first
 * (PostgreSQL cannot cast a default to the new type, and it may name a removed
 * value); the comparator sets the target default afterwards, or, with
 * `restoreDefaults`, the rebuild sets the same default again at the end.
 */
export function rebuildEnum(current: SchemaIR, from: EnumIR, to: EnumIR, quoteIdentifier: (name: string) => string, options: { restoreDefaults?: boolean } = {}): Operation[] {
  const taken = new Set(current.enums.map((e) => e.name));
  let tmp = `${from.name}__new`;
  for (let i = 2; taken.has(tmp); i++) tmp = `${from.name}__new${i}`;
  const ops: Operation[] = [{ kind: 'createEnum', enum: { name: tmp, values: to.values } }];
  const restore: Operation[] = [];
  for (const t of current.tables) {
    const moved = t.columns.filter((c) => enumNameOf(c.type) === from.name).map((c) => c.name);
    if (moved.length === 0) continue;
    // PostgreSQL stores a CHECK or an index predicate with its literals cast to the old type ('a'::mood), and the
    // column's type change re-reads it ("operator does not exist: mood__new <> mood"): they step aside and come back.
    const aside = sqlAside(t, moved);
    ops.push(...aside.drops);
    restore.push(...aside.adds);
    for (const c of t.columns) {
      if (enumNameOf(c.type) !== from.name) continue;
      if (c.serverDefault !== null) {
        ops.push({ kind: 'alterColumn', table: t.name, column: c.name, to: { serverDefault: null }, from: { serverDefault: c.serverDefault } });
        if (options.restoreDefaults) restore.push({ kind: 'alterColumn', table: t.name, column: c.name, to: { serverDefault: c.serverDefault }, from: { serverDefault: null } });
      }
      const type = renameEnumInType(c.type, from.name, tmp);
      ops.push({ kind: 'alterColumn', table: t.name, column: c.name, to: { type, using: `{col}::${textType(c.type)}::${castType(type, quoteIdentifier)}` }, from: { type: c.type } });
    }
  }
  ops.push({ kind: 'dropEnum', name: from.name, enum: from }, { kind: 'renameEnum', from: tmp, to: from.name }, ...restore);
  return ops;
}

/** Drop and re-add operations for the CHECKs and expression or partial indexes of `t` whose SQL may name one of `columns`. */
function sqlAside(t: TableIR, columns: readonly string[]): { drops: Operation[]; adds: Operation[] } {
  // Plain text search: a false positive only drops and re-adds a constraint.
  const names = (sql: string) => columns.some((c) => sql.includes(c));
  const drops: Operation[] = [];
  const adds: Operation[] = [];
  for (const k of t.checks) {
    if (!names(k.expression)) continue;
    drops.push({ kind: 'dropConstraint', table: t.name, name: k.name, constraintKind: 'check', constraint: { kind: 'check', def: k } });
    adds.push({ kind: 'addConstraint', table: t.name, constraint: { kind: 'check', def: k } });
  }
  for (const ix of t.indexes) {
    const expressions = ix.columns.filter((c) => !t.columns.some((x) => x.name === c));
    if (!(ix.where !== null && names(ix.where)) && !expressions.some(names)) continue;
    drops.push({ kind: 'dropIndex', table: t.name, name: ix.name, index: ix });
    adds.push({ kind: 'createIndex', table: t.name, index: ix });
  }
  return { drops, adds };
}

function textType(t: ColumnType): string {
  return t.kind === 'array' ? `${textType(t.element)}[]` : 'text';
}

function castType(t: ColumnType, quote: (name: string) => string): string {
  if (t.kind === 'array') return `${castType(t.element, quote)}[]`;
  return t.kind === 'enum' ? quote(t.name) : 'text';
}

/**
 * The value additions of `plan`, each enum's first addition carrying the rebuild
 * that undoes all of them (`undo`), computed on `current`: the schema just after
 * the additions, where the columns using the enum are those of the old schema.
 */
export function withUndo(valueAdds: readonly Operation[], from: SchemaIR, current: SchemaIR, quoteIdentifier: (name: string) => string): Operation[] {
  const before = byName(from.enums);
  const after = byName(current.enums);
  const done = new Set<string>();
  return valueAdds.map((o) => {
    if (o.kind !== 'addEnumValue') return o;
    if (done.has(o.name)) return { ...o, undo: [] };
    done.add(o.name);
    return { ...o, undo: rebuildEnum(current, after.get(o.name)!, before.get(o.name)!, quoteIdentifier, { restoreDefaults: true }) };
  });
}
