/**
 * The Dialect interface: everything that differs between databases lives behind
 * it. Core code (runner, autogenerate, CLI) asks the dialect and never tests a
 * dialect's name. Each dialect folder has the same files: `-dialect` (this
 * interface), `-driver`, `-compiler`, `-introspector`.
 */
import type { DatabaseUrl } from '../config/url.js';
import type { Operation } from '../operations/operations.js';
import type { SqlSpelling } from '../models/dsl.js';
import type { ColumnType, SchemaIR, TableIR } from '../ir/ir.js';

/** One SQL statement, with its parameters when it has any (placeholders in the dialect's own style). */
export interface Statement {
  readonly sql: string;
  readonly params?: readonly unknown[];
}

/** A live connection. Statements run one at a time, in order. */
export interface Connection {
  /** Runs one statement and returns its rows (an empty array for DDL). */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /**
   * Runs read statements in one round trip and returns each one's rows, in the order given. Each
   * entry is exactly one statement, without placeholders (values written in as literals). They run
   * in order like as many query() calls, inside one implicit transaction when no transaction is open;
   * the first error stops the rest and is thrown. Optional: callers without it send the statements
   * one query() at a time.
   */
  queryBatch?(statements: readonly string[]): Promise<Record<string, unknown>[][]>;
  /**
   * Asks the database to stop the statement running on this connection now (Ctrl-C); that statement then
   * fails. Does nothing when none runs. Absent where a running statement cannot be stopped (SQLite runs in
   * this process: the runner stops between statements).
   */
  cancel?(): Promise<void>;
  close(): Promise<void>;
}

/** What a dialect may read of the schema while compiling (SQLite's table rebuild needs the table as it stands). */
export interface Catalog {
  /** The table as it stands now, inside the running transaction, or null when there is no such table. */
  table(name: string): Promise<TableIR | null>;
  /**
   * A read-only query on the same connection, for catalog rows the IR does not hold (SQLite's
   * triggers and views in sqlite_master, which its table rebuild must recreate). Absent offline.
   */
  query?<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/** Options for introspection. */
export interface IntrospectOptions {
  /** PostgreSQL schema to read; ignored by SQLite. */
  readonly schema?: string;
  /** Tables to leave out entirely: the version and history tables and the config's `exclude`. */
  readonly exclude: (tableName: string) => boolean;
}

/** A released lock. */
export type ReleaseLock = () => Promise<void>;

export interface LockOptions {
  /** Identifies the lock (the version table's name): two runs with the same key exclude each other. */
  readonly key: string;
  readonly timeoutMs: number;
  /** Called once when the lock is held by someone else, with who holds it where the database can tell. */
  readonly onWait?: (holder: string | null) => void;
}

/** How a command connects: `readOnly` for commands that only read (`current`, `history -i`/`-v`). */
export interface ConnectOptions {
  readonly readOnly?: boolean;
  /**
   * How long a statement waits for a lock another connection holds on the database itself (SQLite's file lock,
   * taken by any program that writes to it), in ms: the command's --lock-timeout. Absent: the dialect's default.
   */
  readonly lockTimeoutMs?: number;
}

export interface Dialect {
  /** Human-readable name for messages ("PostgreSQL", "SQLite"). */
  readonly displayName: string;
  /** The statement that opens a migration's transaction. */
  readonly beginSql: string;

  quoteIdentifier(name: string): string;
  quoteLiteral(value: string): string;
  /**
   * How SQL written in models and revision code (sql`` fragments, string defaults) is spelled in this database:
   * as the database itself spells stored expressions, so declared and live text compare equal.
   */
  readonly sqlSpelling: SqlSpelling;
  /**
   * A statement parameter (op.execute's) as an SQL literal this database reads as the value its driver would have
   * sent, for printed SQL (`--sql`). Throws RetortError('UNSUPPORTED'), with a hint, for a value the driver
   * could not send either.
   */
  literalSql(value: unknown): string;
  /** The SQL spelling of a column type (used by compilers and by `check --diff`). */
  typeSql(type: ColumnType): string;

  /** Compiles a batch of operations to statements, in order. `catalog` reads the schema as it stands before the batch. */
  compile(ops: readonly Operation[], catalog: Catalog): Promise<Statement[]>;

  /**
   * Opens a connection; throws RetortError('CONNECTION') naming the masked URL on failure. With `readOnly`
   * (`current`, `history -i`/`-v`) a database that does not exist yet is not created: it reads as empty.
   */
  connect(url: DatabaseUrl, opts?: ConnectOptions): Promise<Connection>;
  /**
   * A private scratch database of this dialect, for offline (`--sql`) runs of dialects whose
   * compiler needs a catalog: the runner replays earlier revisions on it. Null where not needed.
   */
  openScratch(): Promise<Connection | null>;

  /** Reads the whole schema in a fixed number of queries, normalised. */
  introspect(conn: Connection, options: IntrospectOptions): Promise<SchemaIR>;
  /** Reads one table, normalised, or null. */
  introspectTable(conn: Connection, name: string, options?: { schema?: string }): Promise<TableIR | null>;
  /** Whether a table exists, in one cheap query (the version and history tables are looked for on every run). */
  tableExists(conn: Connection, name: string, options?: { schema?: string }): Promise<boolean>;
  /** Normalises a schema (declared or introspected) to the form this dialect stores, so equal schemas compare equal. */
  normalize(schema: SchemaIR): SchemaIR;
  /**
   * Asks the database how it would store the declared expressions (checks, server defaults,
   * index expressions and predicates) that still differ textually from `live` after
   * normalisation, and returns `declared` with those it merely respells written as in `live`.
   * Leaves the database unchanged. Absent where normalisation is enough.
   */
  canonicalize?(conn: Connection, declared: SchemaIR, live: SchemaIR, options: { readonly schema?: string }): Promise<SchemaIR>;

  /**
   * Session settings the SQL Retort writes relies on, whatever the server's defaults (PostgreSQL:
   * standard_conforming_strings on). The driver makes them when it connects; a --sql script begins with them.
   */
  readonly sessionSetup?: readonly Statement[];

  /**
   * Statements a printed (--sql) script begins and ends with, after sessionSetup and before anything else, so
   * that the usual ways of running a script take it as it is (PostgreSQL: `psql -f` and `psql -1 -f` alike).
   */
  readonly scriptFrame?: { readonly opening: readonly Statement[]; readonly closing: readonly Statement[] };

  /**
   * Statements that make unqualified names mean `schema` for the rest of the session (PostgreSQL:
   * search_path, after checking that the schema exists). Run after connecting, and printed first by --sql.
   */
  schemaSetup?(schema: string): Statement[];

  /**
   * Run inside the last migration's transaction just before its COMMIT, where beforeRun relaxed
   * durability for the earlier ones (PostgreSQL: synchronous_commit back on, so the final commit
   * flushes every earlier one too).
   */
  readonly durableCommitSql?: string;

  /**
   * A warning for a revision that creates `tables` tables in one transaction, when that is more than the
   * database takes with default settings (PostgreSQL holds several locks per new table until commit, in a
   * shared table of limited size); null when it is fine. Autogenerate prints it.
   */
  bigTransactionWarning?(tables: number): string | null;

  /** The server's clock for the history rows of a printed (`--sql`) script, so it records when it really ran. */
  readonly stepClock?: StepClock;

  /**
   * True when the driver can run several migrations' `BEGIN ... COMMIT` blocks sent as one string,
   * stopping at the first error with the blocks before it committed and the failing one open
   * (PostgreSQL's simple query protocol). The runner then sends small revisions in groups, one
   * transaction each still, and prepares the next group while the server runs the current one.
   */
  readonly pipelinesTransactions?: boolean;

  /**
   * True when a revision's statements should travel to the database together, as one string (a server over a
   * network: one round trip instead of one per statement). Otherwise (an in-process database) they run one at a
   * time and an interrupt (Ctrl-C) is seen between any two of them.
   */
  readonly batchesStatements?: boolean;

  // Run policy (the runner reads it through runtime/run/run-policy.ts).
  /**
   * True when schema changes run inside a transaction and roll back with it (Alembic's transactional_ddl:
   * PostgreSQL, SQLite). False where each one commits at once (MySQL, MariaDB): the runner then opens no
   * transaction around a step, sends its statements one at a time and records the version after each step.
   */
  readonly transactionalDdl: boolean;

  /** Runs once before a run's first migration, outside any transaction (SQLite: foreign_keys OFF). */
  beforeRun?(conn: Connection, options?: RunOptions): Promise<void>;
  /** Runs once after a run, even a failed one (SQLite: restore foreign_keys). */
  afterRun?(conn: Connection, options?: RunOptions): Promise<void>;
  /** Runs inside each migration's transaction just before COMMIT (SQLite: foreign_key_check). */
  beforeCommit?(conn: Connection): Promise<void>;

  /**
   * A migration failed with the database's message `message`: the message as the user should read it
   * (names of the dialect's own scratch objects replaced by the user's) and a hint, when the dialect
   * knows the cause. Null leaves the message as it is.
   */
  explainFailure?(message: string): { readonly message: string; readonly hint?: string } | null;

  /** Takes the database-wide migration lock, waiting up to `timeoutMs`. */
  lock(conn: Connection, options: LockOptions): Promise<ReleaseLock>;

  /** How autogenerate carries out an enum whose values change (PostgreSQL: ADD VALUE, or a type rebuild). */
  readonly enumPlanner: import('../diff/enum-change.js').EnumPlanner;

  /**
   * Runs `read` on one read-only snapshot of the database: the version table and the whole catalog as one
   * moment left them. Waits first, as lock() does, for a migration in progress (taking the migration lock in a
   * shared form where the database has one), so autogenerate and check never read a run half-way through.
   */
  readSnapshot<T>(conn: Connection, options: LockOptions, read: () => Promise<T>): Promise<T>;

  /**
   * Statements that run `write` (an UPDATE, DELETE or INSERT ... SELECT on the version table) and fail the
   * transaction with `message` unless it changed exactly one row, or when it hits a duplicate key. Plain SQL,
   * so they also work in a batch and in a printed (`--sql`) script.
   */
  guardedWrite(write: string, message: string): Statement[];
}

/** SQL that lets the server time a revision: run after its BEGIN; read in its history row. */
export interface StepClock {
  /** Notes the time the revision starts. */
  readonly startSql: string;
  /** Milliseconds since then, an integer. */
  readonly elapsedMsSql: string;
  /** The time now as ISO-8601 text in UTC, as the history table stores it. */
  readonly nowSql: string;
}

/** How a run goes: offline (`--sql`), `conn` prints what it is given, and reads answer nothing about the real database. */
export interface RunOptions {
  readonly offline: boolean;
}

/** A Catalog for offline runs of dialects that never read one. */
export const noCatalog: Catalog = {
  async table(name: string): Promise<TableIR | null> {
    throw new Error(`internal: the schema of "${name}" was read without a connection`);
  },
};

/** A Catalog that reads through a connection. */
export function liveCatalog(dialect: Dialect, conn: Connection, schema?: string): Catalog {
  return {
    table: (name) => dialect.introspectTable(conn, name, schema === undefined ? {} : { schema }),
    query: <R = Record<string, unknown>>(sql: string, params?: readonly unknown[]) => conn.query<R>(sql, params),
  };
}
