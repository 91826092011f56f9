/**
 * The differ's neutral enum change and the dialect part that plans it. The
 * differ says which enum changes, from what to what, and when in the diff it
 * may happen; how a database carries it out (values added in place, the type
 * rebuilt, CHECKs swapped) is the dialect's, since databases differ most here:
 * PostgreSQL cannot remove an enum value, SQLite has no enum type at all.
 */
import type { EnumIR, SchemaIR } from '../ir/ir.js';
import type { Operation } from '../operations/operations.js';

/** AlterEnum is one enum type whose values change, with both states so that a planner can also plan the way back. */
export interface AlterEnum {
  readonly kind: 'alterEnum';
  readonly name: string;
  readonly from: EnumIR;
  readonly to: EnumIR;
}

/** EnumPlanner turns the differ's enum changes into operations; each dialect has one. */
export interface EnumPlanner {
  /**
   * planEnumChange returns the operations that turn enum `change.from` into `change.to` on schema `current` (the
   * schema as it stands where they run, with every column that uses the enum), such that inverseAll() of them
   * turns it back: operations that cannot be reversed from their own fields carry their `undo`.
   */
  planEnumChange(change: AlterEnum, current: SchemaIR): Operation[];
  /** Where the dialect has no enum types (SQLite), how its schemas read as enum types and back, for enum rename hints. */
  readonly enumTypes?: EnumTypes;
}

/** EnumTypes reads a schema of a dialect without enum types as one with them, and back (only tables and enums change). */
export interface EnumTypes {
  /** The schema with each column whose CHECK stands for an enum of that enum's type, and the enums in `enums`. */
  lift(schema: SchemaIR): Pick<SchemaIR, 'tables' | 'enums'>;
  /** The schema as the dialect keeps it: enum columns back to what stands for them, no enums. */
  lower(schema: SchemaIR): Pick<SchemaIR, 'tables' | 'enums'>;
}

/** sameValues tells whether two value lists are equal, in order. */
export function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * onlyAddsValues tells whether `to` keeps every value of `from` in the same order, so that the change only adds
 * values: then no stored value becomes invalid and the change may run before anything else in the diff.
 */
export function onlyAddsValues(from: EnumIR, to: EnumIR): boolean {
  const old = new Set(from.values);
  return sameValues(to.values.filter((v) => old.has(v)), from.values);
}
