/**
 * What the one IR applier (apply-table.ts) asks of whoever runs it. The
 * symbolic oracle (apply.ts) and SQLite's table rebuild apply the same
 * table-level operations to the same IR, but the databases they stand for
 * differ in a few documented ways; each difference is one field here, so a
 * dialect states it instead of keeping an applier of its own.
 */
import type { RetortError } from '../errors.js';
import type { CheckIR, ColumnIR, TableIR } from '../ir/ir.js';
import type { ColumnChanges, Operation, OperationOf } from './operations.js';

/** SqlNames finds and renames column names inside SQL text (CHECK expressions, index expressions and predicates), by the dialect's quoting rules. */
export interface SqlNames {
  /** Whether `sql` names `name` as a whole token (a name inside a string literal or a longer quoted name does not count). */
  mentions(sql: string, name: string): boolean;
  /** `sql` with every mention of `from` renamed to `to`, string literals left alone. */
  rename(sql: string, from: string, to: string): string;
}

/** ApplyRefusal says why the applier refused an operation, for the policy to word as an error. */
export type ApplyRefusal =
  | { readonly reason: 'exists'; readonly what: 'column' | 'index' | 'constraint'; readonly name: string; readonly table: string }
  | { readonly reason: 'missing'; readonly what: 'column' | 'index' | 'constraint'; readonly name: string; readonly table: string }
  | { readonly reason: 'primaryKeyExists'; readonly table: string }
  | { readonly reason: 'columnInUse'; readonly name: string; readonly table: string };

/** ApplyPolicy holds the facts of one database (or of the oracle) that change what a table-level operation does to the IR. */
export interface ApplyPolicy {
  /**
   * Whether dropping a column takes the keys, indexes and constraints that use it along (the database drops
   * them with it), or is refused while any remain (the oracle: the differ must drop them first).
   */
  readonly dropColumnRemovesDependents: boolean;
  /** Whether a constraint may not take a name another constraint of the table already has. */
  readonly uniqueConstraintNames: boolean;
  /**
   * Whether dropConstraint finds the primary key by its name only. Without (a database whose keys may have been
   * written unnamed), it finds the key under any name, after every other kind of constraint.
   */
  readonly namedPrimaryKey: boolean;
  /** Whether auto-increment exists only on a primary-key column, so dropping the key ends it. */
  readonly autoIncrementNeedsPrimaryKey: boolean;
  /** Whether the database keeps table comments (setTableComment changes nothing where it does not). */
  readonly tableComments: boolean;
  /** How SQL text names columns; null where the applier does not look inside SQL text. */
  readonly sqlNames: SqlNames | null;
  /** The column as the database stores it when added; absent: as given. */
  addedColumn?(c: ColumnIR): ColumnIR;
  /** The column as the database stores it after `to`; absent: `to` applied as given (alterColumnIR). */
  alteredColumn?(old: ColumnIR, to: ColumnChanges): ColumnIR;
  /** The table's CHECKs once a column is added or altered (`checks`: those of `t`, with the column's renames applied); absent: unchanged. */
  checksAfter?(t: TableIR, checks: readonly CheckIR[], o: OperationOf<'addColumn' | 'alterColumn'>): readonly CheckIR[];
  /** The error to throw for a refused operation. */
  refuse(o: Operation, why: ApplyRefusal): RetortError;
}
