/**
 * The run policy: how the runner may group and wrap a run's statements, decided once per run from the dialect's
 * flags. The runner consults these members and never the dialect's name, so a database without transactional DDL
 * (MySQL, MariaDB: each schema change commits at once) needs a flag, not a branch in the runner.
 */
import type { Dialect, RevisionTimeouts, Statement, StepSavepoint } from '../../dialects/dialect.js';

/** RunPolicy says what the runner may promise about a step, and how it sends the step's statements. */
export interface RunPolicy {
  /**
   * True when a step runs between the dialect's `beginSql` and COMMIT together with its version-table update, so
   * a failure rolls the whole step back; false runs it without a transaction (one would promise a rollback the
   * database cannot give), records the version after the step's statements, and reports a failed step as partly applied.
   */
  readonly transactional: boolean;
  /**
   * True when a step's statements travel to the database as one string; false sends them one at a time, so the
   * statement that fails is known without replaying anything and an interrupt is seen between any two.
   */
  readonly batches: boolean;
  /** True when several steps' transactions may share one request (the Pipeline), each still committed on its own. */
  readonly pipelines: boolean;
  /**
   * True when a pipelined request of several steps runs as one transaction, a stretch (the dialect's
   * pipelineStretches): one COMMIT and one version-table write for the request; a failure in it is run again one
   * step per transaction to commit the steps before the failing one and name it.
   */
  readonly stretches: boolean;
  /**
   * True when a failed batch may be run again statement by statement, in a transaction then rolled back, to name
   * the statement that failed; never without transactions, where running a statement twice would apply it twice.
   */
  readonly replaysFailedBatch: boolean;
  /**
   * The savepoint statements when the run is one transaction and each step a savepoint in it (the dialect's
   * stepSavepoint; online runs only, where statements are not batched and transactions not pipelined); else null.
   */
  readonly savepoints: StepSavepoint | null;
}

/** The policy for a run on `dialect`; `offline` (`--sql`) prints each statement on its own. */
export function runPolicy(dialect: Dialect, offline: boolean): RunPolicy {
  const transactional = dialect.transactionalDdl;
  const pipelines = transactional && !offline && dialect.pipelinesTransactions === true;
  const batches = transactional && !offline && dialect.batchesStatements === true;
  return {
    transactional,
    batches,
    pipelines,
    stretches: pipelines && dialect.pipelineStretches === true,
    replaysFailedBatch: transactional && !offline,
    savepoints: transactional && !offline && !pipelines && !batches ? (dialect.stepSavepoint ?? null) : null,
  };
}

/** The statements that bound a transaction's lock waits and statements (SET LOCAL lock_timeout), where the dialect has them. */
export function timeoutStatements(dialect: Dialect, timeouts: RevisionTimeouts | undefined): readonly Statement[] {
  return timeouts && dialect.revisionTimeoutSql ? dialect.revisionTimeoutSql(timeouts) : [];
}
