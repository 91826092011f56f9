/**
 * CompilerPart answers how changes become statements: operations compiled to SQL, enum changes planned into
 * operations, the guarded version-table write, and the database's errors explained in the user's terms.
 */
import type { EnumPlanner } from '../../diff/enum-change.js';
import type { GeneratedColumnRules } from '../../diff/generated-moves.js';
import type { OnlineForms } from '../../diff/online-plan.js';
import type { Operation } from '../../operations/operations.js';
import type { Catalog, Statement } from './connection.js';

export interface CompilerPart {
  /** Compiles a batch of operations to statements, in order. `catalog` reads the schema as it stands before the batch. */
  compile(ops: readonly Operation[], catalog: Catalog): Promise<Statement[]>;
  /** How autogenerate carries out an enum whose values change (PostgreSQL: ADD VALUE, or a type rebuild). */
  readonly enumPlanner: EnumPlanner;
  /** How autogenerate moves generated columns around a change (diff/generated-moves.ts). */
  readonly generatedColumns: GeneratedColumnRules;
  /**
   * True where adding a column to a table leaves the views over it alone, both ways (PostgreSQL: a view keeps the
   * columns it was created with, so neither ADD COLUMN nor the downgrade's DROP COLUMN of that new column touches it):
   * autogenerate then does not drop and create them (and refill a materialized view) around the add. Otherwise they
   * are moved out of the way (SQLite, whose rebuilds rename tables under the views).
   */
  readonly viewsKeepThroughAddColumn?: boolean;
  /**
   * Statements that run `write` (an UPDATE, DELETE or INSERT ... SELECT on the version table) and fail the
   * transaction with an error whose text holds `message` unless it changed exactly one row. Plain SQL, so they
   * also work in a batch; `printed` asks for a form that prints nothing where a person runs the script (`--sql`),
   * else the cheapest form for a live run.
   */
  guardedWrite(write: string, message: string, printed: boolean): Statement[];
  /**
   * A migration failed with the database's message `message`: the message as the user should read it
   * (names of the dialect's own scratch objects replaced by the user's) and a hint, when the dialect
   * knows the cause. Null leaves the message as it is.
   */
  explainFailure?(message: string): { readonly message: string; readonly hint?: string } | null;
  /** Whether the database's error `e` says a table, column, index or constraint a statement names does not exist (NOT_FOUND). */
  isNotFound?(e: unknown): boolean;
  /**
   * A warning for a revision that creates `tables` tables in one transaction, when that is more than the
   * database takes with default settings (PostgreSQL holds several locks per new table until commit, in a
   * shared table of limited size); null when it is fine. Autogenerate prints it.
   */
  bigTransactionWarning?(tables: number): string | null;
  /**
   * The lock-safe forms autogenerate writes for tables in use (safety 'online'): PostgreSQL's CONCURRENTLY,
   * NOT VALID and friends. Absent where a schema change does not hold writers off (SQLite: one writer anyway).
   */
  readonly online?: OnlineForms;
}
