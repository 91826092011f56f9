/**
 * The PostgreSQL enum type rebuild: PostgreSQL can add an enum value but never
 * remove or reorder one, so any other change creates `<name>__new`, moves every
 * column to it (cast through text), drops the old type and renames the new one.
 * Each step is an ordinary operation, so the downgrade rebuilds back.
 */
import type { ColumnType, EnumIR, SchemaIR, TableIR } from '../../ir/ir.js';
import { enumNameOf } from '../../ir/ir.js';
import { renameEnumInType } from '../../ir/ir-util.js';
import type { Operation } from '../../operations/operations.js';
import { quoteQualified } from './postgres-sql.js';

/**
 * rebuildEnum returns the operations that rebuild enum `from` as `to`, moving every column of `current` that uses
 * it. A column's server default is dropped first (PostgreSQL cannot cast a default to the new type, and it may
 * name a removed value); the differ sets the target default afterwards, or, with `restoreDefaults`, the rebuild
 * sets the same default again at the end.
 */
export function rebuildEnum(current: SchemaIR, from: EnumIR, to: EnumIR, options: { restoreDefaults?: boolean } = {}): Operation[] {
  const tmp = temporaryName(current, from.name);
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
      ops.push({ kind: 'alterColumn', table: t.name, column: c.name, to: { type, using: `{col}::${textType(c.type)}::${castType(type)}` }, from: { type: c.type } });
    }
  }
  ops.push({ kind: 'dropEnum', name: from.name, enum: from }, { kind: 'renameEnum', from: tmp, to: from.name }, ...restore);
  return ops;
}

/** The rebuild's temporary type name, `<name>__new`, numbered past any type of that name `current` already has. */
function temporaryName(current: SchemaIR, name: string): string {
  const taken = new Set(current.enums.map((e) => e.name));
  let tmp = `${name}__new`;
  for (let i = 2; taken.has(tmp); i++) tmp = `${name}__new${i}`;
  return tmp;
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

/** The type an enum column passes through on its way to the new enum: text, or a text array of the same depth. */
function textType(t: ColumnType): string {
  return t.kind === 'array' ? `${textType(t.element)}[]` : 'text';
}

function castType(t: ColumnType): string {
  if (t.kind === 'array') return `${castType(t.element)}[]`;
  return t.kind === 'enum' ? quoteQualified(t.name) : 'text';
}
