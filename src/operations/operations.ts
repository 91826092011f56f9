/**
 * Operations are data: one tagged union that autogenerate produces, revision
 * files build through the `op` API, the renderer prints and each dialect
 * compiles to SQL. Every operation that changes something carries enough of
 * the state before it (`from`, or the whole dropped object) for `inverse()` to
 * compute the way back, so a downgrade is never written twice.
 */
import { RetortError } from '../errors.js';
import type { CheckIR, ColumnIR, ColumnType, EnumIR, ForeignKeyIR, IndexIR, PrimaryKeyIR, TableIR, UniqueIR } from '../ir/ir.js';

/** The changeable facets of a column; absent means "unchanged". */
export interface ColumnChanges {
  readonly type?: ColumnType;
  readonly nullable?: boolean;
  readonly serverDefault?: string | null;
  readonly comment?: string | null;
  readonly name?: string;
  /**
   * Whether the database generates the column's values (PostgreSQL: a sequence the column owns, serial or
   * identity; SQLite: INTEGER PRIMARY KEY AUTOINCREMENT, which takes a table rebuild).
   */
  readonly autoIncrement?: boolean;
  /** SQL expression used to convert existing values on a type change (PostgreSQL `USING`); `{col}` stands for the column. */
  readonly using?: string;
}

export type ConstraintKind = 'unique' | 'foreignKey' | 'check' | 'primaryKey';

/** The definition of a constraint, tagged by kind, so that dropping one can be reversed. */
export type ConstraintDef =
  | { readonly kind: 'unique'; readonly def: UniqueIR }
  | { readonly kind: 'foreignKey'; readonly def: ForeignKeyIR }
  | { readonly kind: 'check'; readonly def: CheckIR }
  | { readonly kind: 'primaryKey'; readonly def: PrimaryKeyIR };

export type Operation =
  | { readonly kind: 'createTable'; readonly table: TableIR }
  /** `table` is the full definition when known (autogenerate), or only a name (hand-written). */
  | { readonly kind: 'dropTable'; readonly name: string; readonly table: TableIR | null }
  | { readonly kind: 'renameTable'; readonly from: string; readonly to: string }
  | { readonly kind: 'setTableComment'; readonly table: string; readonly comment: string | null; readonly from?: string | null }
  | { readonly kind: 'addColumn'; readonly table: string; readonly column: ColumnIR }
  | { readonly kind: 'dropColumn'; readonly table: string; readonly name: string; readonly column: ColumnIR | null }
  /** `from` holds the old values of whatever `to` changes, when known. */
  | { readonly kind: 'alterColumn'; readonly table: string; readonly column: string; readonly to: ColumnChanges; readonly from?: ColumnChanges }
  /** `concurrently`: built without blocking writes (PostgreSQL CONCURRENTLY), which runs only in an autocommit block. */
  | { readonly kind: 'createIndex'; readonly table: string; readonly index: IndexIR; readonly concurrently?: boolean }
  | { readonly kind: 'dropIndex'; readonly table: string; readonly name: string; readonly index: IndexIR | null; readonly concurrently?: boolean }
  /**
   * `notValid`: a foreign key or check added without checking the rows already there (PostgreSQL NOT VALID; new
   * rows are checked at once), to be validated later by validateConstraint. `usingIndex`: a unique constraint
   * taking over an existing unique index of that name (built concurrently before), instead of building its own.
   */
  | { readonly kind: 'addConstraint'; readonly table: string; readonly constraint: ConstraintDef; readonly notValid?: boolean; readonly usingIndex?: string }
  /** Checks the existing rows against a constraint added NOT VALID, under a lock that lets writes go on (PostgreSQL VALIDATE CONSTRAINT). */
  | { readonly kind: 'validateConstraint'; readonly table: string; readonly name: string }
  | { readonly kind: 'dropConstraint'; readonly table: string; readonly name: string; readonly constraintKind: ConstraintKind | null; readonly constraint: ConstraintDef | null }
  | { readonly kind: 'createEnum'; readonly enum: EnumIR }
  | { readonly kind: 'dropEnum'; readonly name: string; readonly enum: EnumIR | null }
  | { readonly kind: 'renameEnum'; readonly from: string; readonly to: string }
  /** Renames one value of enum `name`; rows holding it hold the new value after (PostgreSQL 10+ RENAME VALUE). */
  | { readonly kind: 'renameEnumValue'; readonly name: string; readonly from: string; readonly to: string }
  /**
   * Adds `value` to an enum, placed before or after an existing value, or last. `undo`, when
   * known (autogenerate), holds the operations that take the value out again (an enum
   * rebuild): inverseAll() runs them, since no single operation can.
   */
  | { readonly kind: 'addEnumValue'; readonly name: string; readonly value: string; readonly before?: string; readonly after?: string; readonly undo?: readonly Operation[] }
  | { readonly kind: 'execute'; readonly sql: string; readonly params?: readonly unknown[] };

export type OperationKind = Operation['kind'];
export type OperationOf<K extends OperationKind> = Extract<Operation, { kind: K }>;

/** IrreversibleOperationError is thrown (code IRREVERSIBLE) when an operation lacks the state needed to reverse it. */
export class IrreversibleOperationError extends RetortError {
  constructor(readonly operation: Operation, reason: string) {
    super('IRREVERSIBLE', `${operation.kind} cannot be reversed: ${reason}`);
  }
}

function constraintName(c: ConstraintDef): string {
  return c.def.name ?? '';
}

/** Returns the operation that undoes `o`, or throws IrreversibleOperationError. */
export function inverse(o: Operation): Operation {
  switch (o.kind) {
    case 'createTable':
      return { kind: 'dropTable', name: o.table.name, table: o.table };
    case 'dropTable':
      if (!o.table) throw new IrreversibleOperationError(o, `the definition of table "${o.name}" is not known`);
      return { kind: 'createTable', table: o.table };
    case 'renameTable':
      return { kind: 'renameTable', from: o.to, to: o.from };
    case 'setTableComment':
      if (o.from === undefined) throw new IrreversibleOperationError(o, `the previous comment of "${o.table}" is not known`);
      return { kind: 'setTableComment', table: o.table, comment: o.from, from: o.comment };
    case 'addColumn':
      return { kind: 'dropColumn', table: o.table, name: o.column.name, column: o.column };
    case 'dropColumn':
      if (!o.column) throw new IrreversibleOperationError(o, `the definition of column "${o.table}.${o.name}" is not known`);
      return { kind: 'addColumn', table: o.table, column: o.column };
    case 'alterColumn': {
      const from = o.from;
      if (!from) throw new IrreversibleOperationError(o, `the previous state of "${o.table}.${o.column}" is not known`);
      for (const key of Object.keys(o.to) as (keyof ColumnChanges)[]) {
        if (key !== 'using' && !(key in from)) throw new IrreversibleOperationError(o, `the previous ${key} of "${o.table}.${o.column}" is not known`);
      }
      const { using: _using, ...back } = from;
      return { kind: 'alterColumn', table: o.table, column: o.to.name ?? o.column, to: back, from: withoutUsing(o.to) };
    }
    case 'createIndex':
      return { kind: 'dropIndex', table: o.table, name: o.index.name, index: o.index, ...(o.concurrently ? { concurrently: true } : {}) };
    case 'dropIndex':
      if (!o.index) throw new IrreversibleOperationError(o, `the definition of index "${o.name}" is not known`);
      return { kind: 'createIndex', table: o.table, index: o.index, ...(o.concurrently ? { concurrently: true } : {}) };
    case 'addConstraint':
      return { kind: 'dropConstraint', table: o.table, name: constraintName(o.constraint), constraintKind: o.constraint.kind, constraint: o.constraint };
    case 'dropConstraint':
      if (!o.constraint) throw new IrreversibleOperationError(o, `the definition of constraint "${o.name}" is not known`);
      return { kind: 'addConstraint', table: o.table, constraint: o.constraint };
    case 'createEnum':
      return { kind: 'dropEnum', name: o.enum.name, enum: o.enum };
    case 'dropEnum':
      if (!o.enum) throw new IrreversibleOperationError(o, `the values of enum "${o.name}" are not known`);
      return { kind: 'createEnum', enum: o.enum };
    case 'renameEnum':
      return { kind: 'renameEnum', from: o.to, to: o.from };
    case 'renameEnumValue':
      return { kind: 'renameEnumValue', name: o.name, from: o.to, to: o.from };
    case 'addEnumValue':
      // PostgreSQL cannot remove an enum value in place; autogenerate reverses a value change by rebuilding the type.
      throw new IrreversibleOperationError(o, 'an enum value cannot be removed in place; rebuild the type instead');
    case 'validateConstraint':
      // Nothing to undo: the constraint goes with the inverse of the addConstraint before it (inverseAll leaves this out).
      throw new IrreversibleOperationError(o, 'validating a constraint has nothing to undo; drop the constraint instead');
    case 'execute':
      throw new IrreversibleOperationError(o, 'raw SQL has no known inverse');
  }
}

function withoutUsing(c: ColumnChanges): ColumnChanges {
  const { using: _using, ...rest } = c;
  return rest;
}

/** Reverses a whole list: each operation inverted, in reverse order (an addEnumValue by its `undo` operations). */
export function inverseAll(ops: readonly Operation[]): Operation[] {
  return ops.flatMap((o) => (o.kind === 'validateConstraint' ? [] : o.kind === 'addEnumValue' && o.undo ? [...o.undo].reverse() : [inverse(o)])).reverse();
}

/** The table an operation acts on, or null for schema-level operations (enums, raw SQL). */
export function tableOf(o: Operation): string | null {
  switch (o.kind) {
    case 'createTable': return o.table.name;
    case 'dropTable': return o.name;
    case 'renameTable': return o.from;
    case 'setTableComment':
    case 'addColumn':
    case 'dropColumn':
    case 'alterColumn':
    case 'createIndex':
    case 'dropIndex':
    case 'addConstraint':
    case 'dropConstraint':
    case 'validateConstraint':
      return o.table;
    case 'createEnum':
    case 'dropEnum':
    case 'renameEnum':
    case 'renameEnumValue':
    case 'addEnumValue':
    case 'execute':
      return null;
  }
}
