/**
 * One step of a run, in phases: open (the transaction, where the policy has one), work (the revision's function,
 * its operations compiled and sent as it goes), close (the version-table update and history row), send (now, or
 * handed to the pipeline) and, on failure, fail (roll back where there is a transaction, name the statement,
 * build the error). With a transactional policy the step is all or nothing; without one its statements run
 * one at a time and a failure reports the ones that ran.
 */
import { createHash } from 'node:crypto';
import { RetortError } from '../../errors.js';
import type { Catalog, Connection, InvalidIndex, Statement, StepClock } from '../../dialects/dialect.js';
import type { Operation } from '../../operations/operations.js';
import { OperationRecorder } from '../../operations/op-api.js';
import type { MigrationContext } from '../migration-context.js';
import { toolVersion, type HistoryRow } from '../history-table.js';
import type { Pipeline, PipelineItem } from './pipeline.js';
import { timeoutStatements } from './run-policy.js';
import { describeStep, type LoadedRevision, type PlannedStep } from './steps.js';
import { interruptedError, yieldToEventLoop } from './interrupt.js';
import { StatementRunner } from './statement-runner.js';
import { findFailingStatement } from './failing-statement.js';
import { migrationError, type EarlyCommits, type FailedStepStanding } from './migration-error.js';
import { strayFromElsewhere } from './stray-failure.js';
import { StrayError } from './stray-errors.js';
import { PrintingConnection } from './offline.js';
import type { StepRunOptions } from './run-options.js';

/**
 * Where a step runs: the connection, the catalog its compiler reads, the pipeline when the policy has one, and what
 * an earlier run of the same step committed before it failed (resumeFrom).
 */
export interface StepPlace {
  readonly conn: Connection;
  readonly catalog: Catalog;
  readonly pipeline: Pipeline | null;
  readonly resume?: ResumeFrom | null;
}

/**
 * What an earlier run of a step committed (the work before one of its autocommit blocks), from its `part` row in the
 * history table: its first `operations` operations, of hash `hash` (operationKey). Resuming, the step records them
 * again without running them, and checks their hash once all have come: a file whose start changed is refused.
 */
export interface ResumeFrom {
  readonly operations: number;
  readonly hash: string;
}

/** An operation as the hash of a committed part reads it: its fields as JSON (bigints as text). */
function operationKey(op: Operation): string {
  return JSON.stringify(op, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/**
 * Runs `step` with its loaded revision. `last` marks the run's last step (its commit is the durable one);
 * `loadNext` starts loading the next revision while the server works on this one.
 */
export async function runStep(place: StepPlace, step: PlannedStep, loaded: LoadedRevision, opts: StepRunOptions, last: boolean, loadNext: () => void): Promise<void> {
  await new StepRun(place, step, loaded, opts, last).run(loadNext);
}

/** The state of one step while it runs; each method is one phase. */
class StepRun {
  private readonly conn: Connection;
  private readonly runner: StatementRunner;
  private readonly recorder: OperationRecorder;
  /** Autocommit blocks committed so far (transactional policy only). */
  private readonly early: EarlyCommits = { block: 0, inBlock: false, blockStatementsRun: 0 };
  /** The version-table statements once queued: a run without transactions has moved the mark when they all ran. */
  private transition: readonly Statement[] = [];
  private announced = false;
  /**
   * The revision runs SQL of its own (op.execute): what it costs is unknown (a backfill, a whole-table UPDATE), so it
   * is never part of a group. In one, the locks the revisions before it took (an ALTER TABLE's moment of ACCESS
   * EXCLUSIVE on a busy table) were held until it finished: writers stalled for the length of the backfill.
   */
  private rawSql = false;
  private started = 0;
  /** How many statements open() queued (BEGIN and the timeouts): a step handed to the pipeline goes without them. */
  private opening = 0;
  /** An earlier revision's failure, met while this step waited for the pipeline: reported as it is, not as this step's. */
  private earlier: unknown = null;
  /**
   * The revision's operations so far (run or skipped): a `part` row records their number and hash, worked out only
   * where one is written or checked (a revision without autocommit blocks never hashes its operations).
   */
  private readonly seen: Operation[] = [];
  /**
   * Resuming: whether the run has reached the autocommit block the earlier run stopped at (or one after the committed
   * operations). Until then everything is part of the work that committed, ctx.query() calls included.
   */
  private pastCommitted = false;

  constructor(
    private readonly place: StepPlace,
    private readonly step: PlannedStep,
    private readonly loaded: LoadedRevision,
    private readonly opts: StepRunOptions,
    private readonly last: boolean,
  ) {
    this.conn = place.conn;
    // Offline, each statement is printed on its own; online, the policy says whether a revision's statements travel together.
    this.runner = new StatementRunner(place.conn, opts.interrupted ?? (() => false), opts.policy.batches);
    this.runner.beforeFirstSend = () => this.announce();
    this.recorder = new OperationRecorder(opts.dialect.sqlSpelling, opts.naming);
  }

  /** Runs the step's phases; throws the step's migration error. */
  async run(loadNext: () => void): Promise<void> {
    const { step, opts } = this;
    const pipeline = this.place.pipeline;
    if (!pipeline) await this.announce();
    if (this.conn instanceof PrintingConnection) this.conn.comment(`Running ${describeStep(step)}`);
    this.started = performance.now();
    const clock = this.open();
    let handOver: PipelineItem | null = null;
    // A stray error (a callback that throws, a rejection nobody awaits) stops the step even while it waits on something else.
    const stray = opts.strays.failed();
    stray.catch(() => undefined);
    try {
      const work = this.work();
      work.catch(() => undefined);
      await Promise.race([work, stray]);
      // A promise the revision rejected and left is reported when this turn of the event loop ends: before the COMMIT.
      opts.strays.settle();
      await yieldToEventLoop();
      const left = opts.strays.take();
      if (left) throw left;
      handOver = this.handOver();
      if (!handOver) {
        this.runner.queue(...this.closing(clock));
        this.runner.whileServerWorks = loadNext;
        await this.runner.sync();
      }
    } catch (e) {
      if (this.earlier !== null) {
        await this.runner.idle();
        throw this.earlier;
      }
      throw await this.fail(e);
    }
    if (handOver) {
      await pipeline!.add(handOver);
      return;
    }
    opts.events?.stepDone?.(step, performance.now() - this.started);
  }

  /**
   * Reports the step's start. With a pipeline, a revision that talks to the database before its end (ctx.query, an
   * autocommit block, a check before COMMIT) first lets the earlier ones commit, then runs on its own.
   */
  private async announce(): Promise<void> {
    if (this.announced) return;
    this.announced = true;
    try {
      await this.place.pipeline?.drain();
    } catch (e) {
      // The revision's code may go on (it may catch what its ctx.query threw): nothing more is sent for it.
      this.earlier = e;
      this.runner.halt(e instanceof Error ? e : new Error(String(e)));
      throw e;
    }
    this.opts.events?.stepStart?.(this.step);
  }

  /** Queues the step's opening statements; returns the dialect's step clock when the step is timed by the server. */
  private open(): StepClock | undefined {
    const { dialect, policy, offline } = this.opts;
    if (policy.transactional) this.runner.queue({ sql: policy.savepoints?.open ?? dialect.beginSql }, ...this.timeouts());
    this.opening = this.runner.queuedCount;
    // A printed script records when it really runs, by the server's clock. Online the client times each revision: the
    // server-side clock costs a statement per revision (about 0.1 ms each, a fifth of a light upgrade).
    const clock = offline ? dialect.stepClock : undefined;
    if (clock) this.runner.queue({ sql: clock.startSql });
    return clock;
  }

  /** Runs the revision's function, sends what it left queued that must be checked, and runs the dialect's check before COMMIT. */
  private async work(): Promise<void> {
    const { dialect, offline, interrupted } = this.opts;
    await this.loaded.fn(this.recorder.op, this.context());
    await this.flush();
    if (this.skipping) throw this.notResumable(`it now has ${this.seen.length === 0 ? 'none' : `only ${this.seen.length}`}`);
    if (interrupted?.()) throw interruptedError();
    // Without a transaction the check still comes before the version is recorded.
    if (!offline && dialect.beforeCommit) {
      await this.runner.sync();
      await dialect.beforeCommit(this.conn);
    }
  }

  /** Compiles the operations recorded so far and queues their statements (an autocommit block runs at once). */
  private async flush(): Promise<void> {
    const { dialect, policy } = this.opts;
    for (const segment of this.recorder.drainSegments()) {
      // What the work before the block commits with it: the operations so far.
      const done = this.seen.length;
      if (segment.autocommit && this.place.resume && done >= this.place.resume.operations) this.pastCommitted = true;
      const ops = this.pass(segment.ops);
      if (ops.length === 0) continue;
      if (!this.rawSql && ops.some((o) => o.kind === 'execute')) this.rawSql = true;
      // Without a transaction every statement commits on its own already: an autocommit block is like any other. A
      // dialect may also keep a block in the transaction when its operations do not need to leave it (SQLite).
      if (!segment.autocommit || !policy.transactional) {
        this.runner.queue(...(await dialect.compile(ops, this.place.catalog)));
        continue;
      }
      if (dialect.needsAutocommit?.(ops) === false) {
        // In the transaction, run where it stands, as a block would be: each segment's compile reads the schema the
        // segments before it left, so what came before runs first, and the block's statements before what follows.
        await this.runner.sync();
        this.runner.queue(...(await dialect.compile(ops, this.place.catalog)));
        await this.runner.sync();
        continue;
      }
      await this.autocommitBlock(ops, done);
    }
  }

  /**
   * Counts `ops` into the revision's operations and returns those to run: resuming, the ones an earlier run committed
   * are left out, and once the last of them has come their hash must be the one recorded.
   */
  private pass(ops: readonly Operation[]): readonly Operation[] {
    const resume = this.place.resume;
    const out: Operation[] = [];
    for (const op of ops) {
      this.seen.push(op);
      if (!resume || this.seen.length > resume.operations) {
        out.push(op);
        continue;
      }
      if (this.seen.length < resume.operations) continue;
      if (this.hashOf(resume.operations) !== resume.hash) throw this.notResumable('its operations up to there are no longer the ones that committed');
      this.opts.events?.resumed?.(this.step, resume.operations);
    }
    return out;
  }

  /** Whether the step is still among the operations an earlier run committed (resuming). */
  private get skipping(): boolean {
    const resume = this.place.resume;
    return !!resume && this.seen.length < resume.operations;
  }

  /** The hash of the revision's first `n` operations (operationKey, one per line): what a `part` row records. */
  private hashOf(n: number): string {
    const hash = createHash('sha256');
    for (let i = 0; i < n; i++) hash.update(`${operationKey(this.seen[i]!)}\n`);
    return hash.digest('hex');
  }

  /** The error when a step cannot resume where an earlier run of it stopped (`why`); nothing of this run was sent. */
  private notResumable(why: string): RetortError {
    const { step, opts } = this;
    const n = this.place.resume!.operations;
    const table = opts.historyTable?.name ?? 'retort_history';
    return new RetortError('REVISION_FILE', `${describeStep(step)} (${step.revision.file}) stopped in an earlier run after committing its first ${n} operation${n === 1 ? '' : 's'} (the work before an autocommit block), and ${why}: Retort cannot tell what of it is done, so nothing was run`, {
      hint: `restore the revision as it was when it failed and run again (what committed is skipped); or undo the committed work by hand and delete the newest row of ${table} (direction ${step.direction}:${n}), so the revision runs from its start`,
    });
  }

  /**
   * Outside the transaction: records in it what the step has done (its first `done` operations, a `part` row, so
   * that a later run can skip them), commits, runs each statement on its own, then carries on in a new transaction.
   */
  private async autocommitBlock(ops: readonly Operation[], done: number): Promise<void> {
    const { dialect, offline, policy, historyTable } = this.opts;
    const { runner, early } = this;
    await runner.sync();
    if (!offline) await dialect.beforeCommit?.(this.conn);
    if (!offline && !this.opts.replaying && historyTable && done > 0) {
      await runner.run(historyTable.partStatement(this.step.revision.revision, { direction: this.step.direction, operations: done }, this.hashOf(done)));
    }
    // Where the run is one transaction, the block commits the steps before this one too.
    if (policy.savepoints) await runner.run({ sql: policy.savepoints.release });
    await runner.run({ sql: 'COMMIT' });
    Object.assign(early, { block: early.block + 1, inBlock: true, blockStatementsRun: 0 });
    const bounds = this.opts.timeouts ? dialect.autocommitTimeoutSql?.(this.opts.timeouts) : undefined;
    for (const s of bounds?.before ?? []) await runner.run(s);
    for (const s of await dialect.compile(ops, this.place.catalog)) {
      await runner.run(s);
      early.blockStatementsRun++;
    }
    for (const s of bounds?.after ?? []) await runner.run(s);
    early.inBlock = false;
    runner.queue({ sql: dialect.beginSql });
    if (policy.savepoints) runner.queue({ sql: policy.savepoints.open });
    runner.queue(...this.timeouts());
  }

  /** The statements bounding each transaction's lock waits and statements (SET LOCAL lock_timeout), where the dialect has them. */
  private timeouts(): readonly Statement[] {
    return timeoutStatements(this.opts.dialect, this.opts.timeouts);
  }

  /** The `ctx` a revision's function receives. */
  private context(): MigrationContext {
    const { step, opts, runner } = this;
    return {
      // Read offline, it decides what the script leaves out: the run says so (a data change behind it is not in it).
      get isOffline() {
        if (opts.offline) opts.events?.offlineChecked?.(step);
        return opts.offline;
      },
      dialect: opts.dialect.displayName,
      revision: step.revision.revision,
      direction: step.direction === 'up' ? 'upgrade' : 'downgrade',
      query: async <R>(sql: string, params?: readonly unknown[]) => {
        if (opts.offline) {
          throw new RetortError('OFFLINE', `revision ${step.revision.revision} (${step.revision.file}) calls ctx.query(), which needs a live database; nothing was run on any database`, {
            hint: 'guard data migrations with `if (!ctx.isOffline)` or run without --sql',
          });
        }
        await this.flush();
        // A query before the block the earlier run stopped at committed with that work (it may have changed data).
        if (this.place.resume && !this.pastCommitted) throw this.notResumable('it calls ctx.query() before the autocommit block after them, as part of the work that committed (it may have changed data)');
        await runner.sync();
        await yieldToEventLoop();
        runner.current = { sql, ...(params ? { params } : {}) };
        const rows = await runner.query<R>(sql, params);
        runner.current = null;
        return rows;
      },
    };
  }

  /** The statements that record the step: the version-table update, the history row and, with a transaction, COMMIT. */
  private closing(clock: StepClock | undefined): Statement[] {
    const { step, opts, last } = this;
    const { dialect, policy } = opts;
    this.transition = opts.versionTable.transition(step.headsBefore, step.headsAfter, opts.offline);
    const closing: Statement[] = [...this.transition, ...this.history(clock)];
    if (policy.savepoints) closing.push({ sql: policy.savepoints.release });
    else if (policy.transactional) {
      if (last && dialect.durableCommitSql) closing.push({ sql: dialect.durableCommitSql });
      closing.push({ sql: 'COMMIT' });
    }
    return closing;
  }

  /** The step's history row, where the run keeps a history table. */
  private history(clock: StepClock | undefined): Statement[] {
    const row = this.historyRow();
    return row && this.opts.historyTable ? [this.opts.historyTable.insertStatement(row, clock)] : [];
  }

  /** The step's history row as data, where the run keeps a history table. */
  private historyRow(): HistoryRow | null {
    const { step, opts } = this;
    if (!opts.historyTable) return null;
    return {
      revision: step.revision.revision,
      direction: step.direction,
      checksum: this.loaded.checksum,
      appliedAt: new Date().toISOString(),
      durationMs: performance.now() - this.started,
      toolVersion: toolVersion(),
    };
  }

  /**
   * The step for the pipeline when it may carry it (not yet started, no parameters): its work, and its history row
   * as data, without BEGIN, the version-table write and COMMIT, which the pipeline puts around one revision or a
   * stretch with the history rows; else null.
   */
  private handOver(): PipelineItem | null {
    if (!this.place.pipeline || this.announced || this.rawSql) return null;
    const statements = this.runner.take();
    if (statements.some((st) => st.params && st.params.length > 0)) {
      this.runner.queue(...statements);
      return null;
    }
    return { step: this.step, statements: statements.slice(this.opening), history: this.historyRow(), last: this.last };
  }

  /** After a failure: stops the step, rolls back where there is a transaction, and returns the error to throw. */
  private async fail(e: unknown): Promise<RetortError> {
    const { step, opts, runner, conn } = this;
    const { dialect, policy, offline } = opts;
    opts.strays.settle();
    if (e instanceof StrayError) {
      // The revision's code may still be running: it sends nothing more, and the rollback waits for the statement on its way.
      runner.halt(e);
      await runner.idle();
    }
    if (!offline && this.announced && policy.transactional) await this.rollback();
    const culprit = !offline && policy.replaysFailedBatch ? await findFailingStatement(conn, dialect, runner.failedBatch, e) : null;
    // A statement the database cancelled on Ctrl-C fails like any other: it is the interrupt that stopped it.
    const cause = opts.interrupted?.() && !offline ? interruptedError() : (culprit?.error ?? e);
    const standing = this.standing();
    const leftInvalid = await this.leftInvalid(standing);
    const error =
      e instanceof StrayError && e.origin && e.origin.file !== step.revision.file
        ? strayFromElsewhere(step, e, opts.steps, offline, standing.kind === 'partlyApplied' ? standing : null)
        : migrationError(step, culprit?.statement ?? (e instanceof StrayError ? null : runner.current), cause, { ...opts, standing, leftInvalid });
    // The revisions before this one are good: they commit (or report their own failure) first.
    await this.announce();
    return error;
  }

  /**
   * Undoes the step: its transaction, or its savepoint where the run is one transaction (the run then commits the
   * steps before it). A savepoint the database already rolled back with the whole transaction is left to the run.
   */
  private async rollback(): Promise<void> {
    const { conn, opts } = this;
    const savepoints = opts.policy.savepoints;
    if (!savepoints) {
      await conn.query('ROLLBACK').catch(() => undefined);
      return;
    }
    try {
      await conn.query(savepoints.rollback);
      await conn.query(savepoints.release);
    } catch {
      // The run sees the transaction gone when it commits, and says what that cost.
    }
  }

  /** Where the failure leaves the database: see FailedStepStanding. */
  /**
   * The INVALID indexes a failure (or an interrupt) inside an autocommit block left (PostgreSQL: a concurrent build
   * cancelled or failed), which the next run refuses until they are dropped: asked only then, in one query.
   */
  private async leftInvalid(standing: FailedStepStanding): Promise<readonly InvalidIndex[]> {
    const { dialect, offline, replaying, schema } = this.opts;
    if (offline || replaying === true || standing.kind !== 'rolledBack' || !standing.early.inBlock || !dialect.invalidIndexes) return [];
    return dialect.invalidIndexes(this.conn, schema === undefined ? {} : { schema }).catch(() => []);
  }

  private standing(): FailedStepStanding {
    if (this.opts.policy.transactional) return { kind: 'rolledBack', early: this.early };
    const ran = this.runner.ran;
    const marked = this.transition.length > 0 && this.transition.every((s) => ran.includes(s));
    return { kind: 'partlyApplied', ran: [...ran], markedAt: marked ? this.step.headsAfter : this.step.headsBefore };
  }
}
