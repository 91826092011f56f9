/**
 * RunPolicyPart answers how a run goes on this database: whether schema changes are transactional, how a step's
 * transaction opens and ends, whether statements travel together, what runs around a run and before each
 * commit, and how a printed script begins, ends and times itself. The runner reads it through
 * runtime/run/run-policy.ts and never a dialect's name.
 */
import type { Connection, Statement } from './connection.js';
import type { Operation } from '../../operations/operations.js';

/** SQL that lets the server time a revision: run after its BEGIN; read in its history row. */
export interface StepClock {
  /** Notes the time the revision starts. */
  readonly startSql: string;
  /** Milliseconds since then, an integer. */
  readonly elapsedMsSql: string;
  /** The time now as ISO-8601 text in UTC, as the history table stores it. */
  readonly nowSql: string;
}

/** Statements that make a step a savepoint inside a run's transaction, and how long a group of steps may grow. */
export interface StepSavepoint {
  readonly open: string;
  readonly release: string;
  readonly rollback: string;
  /** A group commits at the end of the first step that ends this many milliseconds after the group began. */
  readonly commitAfterMs: number;
}

/** How a run goes: offline (`--sql`), `conn` prints what it is given, and reads answer nothing about the real database. */
export interface RunOptions {
  readonly offline: boolean;
  /**
   * The names of Retort's own tables (the version and history tables): rows written to them are bookkeeping, so a
   * check the dialect makes before each commit may pass over them.
   */
  readonly ownTables?: readonly string[];
  /** Set for afterRun when the run failed: what committed before the failure must still end durable. */
  readonly failed?: boolean;
}

export interface RunPolicyPart {
  /**
   * True when schema changes run inside a transaction and roll back with it (Alembic's transactional_ddl:
   * PostgreSQL, SQLite). False where each one commits at once (MySQL, MariaDB): the runner then opens no
   * transaction around a step, sends its statements one at a time and records the version after each step.
   */
  readonly transactionalDdl: boolean;
  /**
   * True when schema changes take per-table locks of different strengths, so that how a change is written decides
   * whether other sessions' reads and writes wait for it (PostgreSQL: CREATE INDEX CONCURRENTLY, NOT VALID).
   * `retort lint` then compiles each revision and reads its statements with PostgreSQL's parser for its lock rules.
   * Absent where one writer holds the whole database anyway (SQLite): only the rules about running code apply.
   */
  readonly tableLockLevels?: boolean;
  /** The statement that opens a migration's transaction. */
  readonly beginSql: string;
  /**
   * True when the driver can run several migrations' `BEGIN ... COMMIT` blocks sent as one string,
   * stopping at the first error with the blocks before it committed and the failing one open
   * (PostgreSQL's simple query protocol). The runner then sends small revisions in groups, one
   * transaction each still, and prepares the next group while the server runs the current one.
   */
  readonly pipelinesTransactions?: boolean;
  /**
   * With pipelinesTransactions: a request of several revisions may run as ONE transaction (a stretch) with one
   * version-table write at its end, instead of a transaction per revision. A failure inside it rolls the whole
   * stretch back, and the runner runs its revisions again one transaction each, which commits the ones before the
   * failing revision and names it: the database ends at the last good revision either way (PostgreSQL, where a
   * COMMIT and the per-revision version write cost the server more than many small revisions' own DDL).
   */
  readonly pipelineStretches?: boolean;
  /**
   * True when a revision's statements should travel to the database together, as one string (a server over a
   * network: one round trip instead of one per statement). Otherwise (an in-process database) they run one at a
   * time and an interrupt (Ctrl-C) is seen between any two of them.
   */
  readonly batchesStatements?: boolean;
  /**
   * Run inside the last migration's transaction just before its COMMIT, where beforeRun relaxed
   * durability for the earlier ones (PostgreSQL: synchronous_commit back on, so the final commit
   * flushes every earlier one too).
   */
  readonly durableCommitSql?: string;
  /**
   * Where set, an online run commits in groups: steps run as savepoints inside a transaction (opened with beginSql)
   * that commits once `commitAfterMs` have passed since it began, at the end of a step, and at the end of the run.
   * A step is still all or nothing (rolled back to its savepoint), the steps before a failed or interrupted one
   * commit, and a run of many small revisions pays for one durable commit per group instead of one per revision
   * (SQLite: each COMMIT syncs the journal and the file, most of a 1000-revision upgrade's time). A crash (the
   * process killed) leaves the database at a revision boundary at most `commitAfterMs` of work before the step it
   * was in. Not combined with pipelinesTransactions.
   */
  readonly stepSavepoint?: StepSavepoint;
  /**
   * Where set, an autocommit block leaves the revision's transaction only when its operations need it (true);
   * otherwise it runs inside it, and the revision stays all or nothing. SQLite needs it only for VACUUM and for
   * PRAGMAs (a transaction ignores or refuses some), not for an added enum value or an index; PostgreSQL, unset,
   * always leaves the transaction (CONCURRENTLY, ALTER TYPE ... ADD VALUE).
   */
  needsAutocommit?(ops: readonly Operation[]): boolean;
  /** Runs once before a run's first migration, outside any transaction (SQLite: foreign_keys OFF). */
  beforeRun?(conn: Connection, options?: RunOptions): Promise<void>;
  /** Runs once after a run, even a failed one (SQLite: restore foreign_keys). */
  afterRun?(conn: Connection, options?: RunOptions): Promise<void>;
  /**
   * A run under the lock that found nothing to do: what an earlier run could not finish is finished here (SQLite: the
   * journal mode a run switched to WAL and could not switch back while other connections, often Retort processes
   * waiting for the lock, had the file open). Never runs a step; cheap when there is nothing to finish.
   */
  afterIdleRun?(conn: Connection): Promise<void>;
  /** Runs inside each migration's transaction just before COMMIT (SQLite: foreign_key_check). */
  beforeCommit?(conn: Connection): Promise<void>;
  /** The server's clock for the history rows of a printed (`--sql`) script, so it records when it really ran. */
  readonly stepClock?: StepClock;
  /**
   * Statements a printed (--sql) script begins and ends with, after sessionSetup and before anything else, so
   * that the usual ways of running a script take it as it is (PostgreSQL: `psql -f` and `psql -1 -f` alike);
   * `afterOwnTables` follow the version and history tables' CREATE ... IF NOT EXISTS (which the opening may quiet).
   */
  readonly scriptFrame?: { readonly opening: readonly Statement[]; readonly afterOwnTables?: readonly Statement[]; readonly closing: readonly Statement[] };
  /**
   * Statements run right after each BEGIN of a revision that bound how long it waits for locks and runs
   * (PostgreSQL: SET LOCAL lock_timeout and statement_timeout); absent where a database has no such setting.
   */
  revisionTimeoutSql?(timeouts: RevisionTimeouts): readonly Statement[];
  /**
   * Statements around an autocommit block's statements, which run outside any transaction (so without the SET LOCAL
   * above): where the config sets a statement timeout, the block runs under it too (0: none), and the session's own
   * comes back after. Without it a role's or database's statement_timeout cancelled CREATE INDEX CONCURRENTLY.
   */
  autocommitTimeoutSql?(timeouts: RevisionTimeouts): { readonly before: readonly Statement[]; readonly after: readonly Statement[] };
  /** True when `error` says a statement gave up waiting for a lock (PostgreSQL: SQLSTATE 55P03): the revision may run again. */
  isLockTimeout?(error: unknown): boolean;
  /** True when `error` says a statement ran longer than statement_timeout (PostgreSQL: SQLSTATE 57014, a cancel). */
  isStatementTimeout?(error: unknown): boolean;
}

/** RevisionTimeouts bound each revision's transaction, in milliseconds. */
export interface RevisionTimeouts {
  /** 0: not set. */
  readonly lockTimeoutMs: number;
  /** null: not set (the session's own applies); 0: none. */
  readonly statementTimeoutMs: number | null;
}
