/**
 * OperationDef: everything Retort knows about one kind of operation, in one
 * place (`kinds/<kind>.ts`), after Kysely's node-per-file: how to undo it,
 * which table it acts on, its summary line, its TypeScript in a revision
 * file and what it does to the Schema IR. The registry (operations.ts) holds
 * one definition per kind in a typed map, so a kind without a complete
 * definition fails to compile. Only the `op` method (op-api.ts) and each
 * dialect's compiler live elsewhere: the first is the API users call, the
 * second is the dialect's.
 */
import { RetortError } from '../errors.js';
import type { CheckIR, ExclusionIR, ForeignKeyIR, IdentityIR, PrimaryKeyIR, TableIR, UniqueIR, ColumnType } from '../ir/ir.js';
import type { NamingConvention } from '../models/naming.js';
import type { Imports } from '../render/render-column.js';
import type { ApplyPolicy } from './apply-policy.js';
import type { SchemaState } from './apply.js';
import type { Operation } from './operations.js';

/** The changeable facets of a column; absent means "unchanged". */
export interface ColumnChanges {
  readonly type?: ColumnType;
  readonly nullable?: boolean;
  readonly serverDefault?: string | null;
  readonly comment?: string | null;
  /** The column's collation; null for the type's default. */
  readonly collation?: string | null;
  readonly name?: string;
  /**
   * Whether the database generates the column's values (PostgreSQL: a sequence the column owns, serial or
   * identity; SQLite: INTEGER PRIMARY KEY AUTOINCREMENT, which takes a table rebuild).
   */
  readonly autoIncrement?: boolean;
  /** GENERATED ... AS IDENTITY with its options, or null for none (PostgreSQL; changed in place). */
  readonly identity?: IdentityIR | null;
  /** SQL expression used to convert existing values on a type change (PostgreSQL `USING`); `{col}` stands for the column. */
  readonly using?: string;
}

export type ConstraintKind = 'unique' | 'foreignKey' | 'check' | 'primaryKey' | 'exclude';

/** The definition of a constraint, tagged by kind, so that dropping one can be reversed. */
export type ConstraintDef =
  | { readonly kind: 'unique'; readonly def: UniqueIR }
  | { readonly kind: 'foreignKey'; readonly def: ForeignKeyIR }
  | { readonly kind: 'check'; readonly def: CheckIR }
  | { readonly kind: 'primaryKey'; readonly def: PrimaryKeyIR }
  | { readonly kind: 'exclude'; readonly def: ExclusionIR };

/** IrreversibleOperationError is thrown (code IRREVERSIBLE) when an operation lacks the state needed to reverse it. */
export class IrreversibleOperationError extends RetortError {
  constructor(readonly operation: Operation, reason: string) {
    super('IRREVERSIBLE', `${operation.kind} cannot be reversed: ${reason}`);
  }
}

/** RenderContext is what rendering one operation as an `op` call needs: the revision's naming convention and the imports it collects. */
export interface RenderContext {
  readonly naming: NamingConvention;
  readonly imports: Imports;
}

/** OperationShape is what every operation is: data tagged by `kind` (the registry's union, or a kind being written). */
export interface OperationShape {
  readonly kind: string;
}

/** OperationBase is the part of a definition every kind has. */
export interface OperationBase<O extends OperationShape> {
  /** The operation that undoes `o`; throws IrreversibleOperationError when `o` lacks the state to compute it. */
  inverse(o: O): Operation;
  /**
   * The operations that undo `o` when no single one can (in run order), or null to use `inverse`;
   * inverseAll() asks this first. Absent: always `inverse`.
   */
  undo?(o: O): readonly Operation[] | null;
  /** The table `o` acts on, or null for schema-level operations (enums, raw SQL). */
  table(o: O): string | null;
  /** The summary lines of `retort check` and autogenerate for `o` (`+ table posts`). */
  describe(o: O): string[];
  /** One `op` call (or `op.run({...})`) that builds `o` again in a revision file. */
  render(o: O, ctx: RenderContext): string;
}

/** TableApply: a kind that acts on one existing table applies through the shared table applier, under each caller's policy. */
export interface TableApply<O extends OperationShape> {
  /** The table after `o`, as `p` says the database leaves it; refusals are thrown as `p` words them. */
  applyTable(t: TableIR, o: O, p: ApplyPolicy): TableIR;
  /** The symbolic oracle's checks across tables, run after applyTable on the table as it was (`before`). Absent: none. */
  check?(s: SchemaState, o: O, before: TableIR): void;
}

/** SchemaApply: a kind that acts on the schema (tables as a whole, enums, raw SQL) applies in the symbolic oracle only. */
export interface SchemaApply<O extends OperationShape> {
  /** Runs `o` on the oracle's schema state, or throws with `s.fail()`. */
  apply(s: SchemaState, o: O): void;
}

/**
 * OperationDef is one kind's definition: a kind with `table: string` acts on one existing table (TableApply),
 * any other on the schema (SchemaApply).
 */
export type OperationDef<O extends OperationShape> = OperationBase<O> & (O extends { readonly table: string } ? TableApply<O> : SchemaApply<O>);
