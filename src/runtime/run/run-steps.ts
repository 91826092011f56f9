/**
 * Runs a list of planned steps: sets the run up (dialect hooks, bookkeeping tables, stray-error watch, pipeline
 * where the policy allows one), runs each step while the next revision file loads, and checks at the end that
 * nothing (Ctrl-C, a stray error) came too late to stop but still makes the run no success.
 */
import { RetortError, isRetortError } from '../../errors.js';
import type { Catalog, Connection, Statement } from '../../dialects/dialect.js';
import { Pipeline, StretchFailed, type PipelineItem } from './pipeline.js';
import { compileStepsAhead, describeStep, prefetch, type PlannedStep, type Prefetched } from './steps.js';
import { forgetAhead } from '../module-loader.js';
import { interruptedError, yieldToEventLoop } from './interrupt.js';
import { findFailingStatement } from './failing-statement.js';
import { migrationError } from './migration-error.js';
import { strayAfterCommit } from './stray-failure.js';
import { StrayErrorWatch } from './stray-errors.js';
import { runPolicy, timeoutStatements } from './run-policy.js';
import { runStep, type ResumeFrom } from './step-run.js';
import { pause, retryDecision } from './lock-retry.js';
import { createOwnTables } from '../version-table.js';
import type { RunnerOptions } from './run-options.js';
import type { HistoryRow } from '../history-table.js';

/**
 * Applies steps on a connection. `conn` is the database online, or a
 * PrintingConnection offline; `catalog` is what the compiler may read.
 */
export async function runSteps(conn: Connection, catalog: Catalog, steps: readonly PlannedStep[], opts: RunnerOptions & { offline: boolean }): Promise<void> {
  const { dialect, versionTable } = opts;
  const policy = runPolicy(dialect, opts.offline);
  const strays = new StrayErrorWatch(steps.map((s) => s.revision.file));
  let finished = false;
  const ownTables = opts.historyTable ? [versionTable, opts.historyTable] : [versionTable];
  await compileStepsAhead(steps);
  try {
    await dialect.beforeRun?.(conn, { offline: opts.offline, ownTables: ownTables.map((t) => t.name) });
  } catch (e) {
    forgetAhead();
    throw e;
  }
  strays.install();
  try {
    // A printed script cannot look first: it creates them if they do not exist.
    let early: Prefetched | null = null;
    if (opts.offline) {
      for (const t of ownTables) await conn.query(t.createStatement().sql);
      for (const s of dialect.scriptFrame?.afterOwnTables ?? []) await conn.query(s.sql);
    } else {
      // The first revision file (and the modules it needs) loads while the server looks for, or creates, the tables.
      const creating = createOwnTables(conn, dialect, ownTables, opts.ownTablesPresent);
      creating.catch(() => undefined);
      early = steps[0] ? prefetch(steps[0]) : null;
      await creating;
    }
    // The history's newest row as the caller read it, for the first try only: a retry reads it again.
    let known = opts.newestHistoryRow;
    // What every step sees, built once: a spread with properties after it costs V8 a slow path per object built.
    const stepOpts = { ...opts, steps, strays, policy };
    // A run from steps[start]: each call has its own pipeline, so a retry starts clean after a failed group. Steps
    // before steps[plainUntil] (a stretch that failed, run again) go one transaction each.
    const runFrom = async (start: number, plainUntil: number): Promise<void> => {
      const pipeline = policy.pipelines ? newPipeline(conn, opts) : null;
      if (pipeline) pipeline.stretching = policy.stretches && start >= plainUntil;
      // The compiler reads the schema as the earlier revisions left it: those must be committed first.
      const stepCatalog: Catalog = pipeline ? committedFirst(catalog, pipeline) : catalog;
      // Each revision file is loaded while the server executes the one before it.
      let next: Prefetched | null = start === 0 && early ? early : steps[start] ? prefetch(steps[start]) : null;
      early = null;
      const group = policy.savepoints !== null && steps.length > 0 ? { after: policy.savepoints.commitAfterMs, first: start, began: performance.now() } : null;
      const resume = steps[start] && policy.transactional ? await resumeFrom(conn, steps[start], opts, known) : null;
      known = undefined;
      if (group) await conn.query(dialect.beginSql);
      let done = start;
      try {
        for (let i = start; i < steps.length; i++) {
          const step = steps[i]!;
          const loaded = await next!;
          const following = steps[i + 1];
          next = null;
          if (pipeline && i === plainUntil && policy.stretches) {
            await pipeline.drain();
            pipeline.stretching = true;
          }
          if (pipeline) pipeline.toCome = steps.length - i - 1;
          await runStep({ conn, catalog: stepCatalog, pipeline, resume: i === start ? resume : null }, step, loaded, stepOpts, i === steps.length - 1, () => {
            if (following) next = prefetch(following);
          });
          done++;
          if (group && following && performance.now() - group.began >= group.after) {
            await commitGroup(conn, steps, group.first, done, null);
            await conn.query(dialect.beginSql);
            Object.assign(group, { first: done, began: performance.now() });
          }
          if (following) next ??= prefetch(following);
        }
      } catch (e) {
        // The steps before the failed one are good: they commit (its own savepoint is rolled back already).
        if (group) await commitGroup(conn, steps, group.first, done, e);
        throw e;
      }
      if (group) await commitGroup(conn, steps, group.first, done, null);
      await pipeline?.drain();
    };
    // A revision that gave up waiting for a lock rolled back whole: it runs again, and the ones after it, after a pause.
    const tries = new Map<PlannedStep, number>();
    let plainUntil = 0;
    for (let start = 0; ; ) {
      try {
        await runFrom(start, plainUntil);
        break;
      } catch (e) {
        // A stretch rolled back whole: its steps run again one transaction each, at once (nothing of them committed).
        if (e instanceof StretchFailed) {
          start = steps.indexOf(e.steps[0]!);
          plainUntil = Math.max(plainUntil, start + e.steps.length);
          continue;
        }
        const decision = policy.transactional && !opts.offline && policy.savepoints === null ? retryDecision(e, dialect, opts, tries) : { again: false as const, error: e };
        if (!decision.again) throw decision.error;
        opts.events?.lockRetry?.(decision.step, tries.get(decision.step)!, opts.timeouts!.lockRetries + 1, decision.pauseMs);
        await pause(decision.pauseMs);
        start = steps.indexOf(decision.step);
      }
    }
    // Ctrl-C came while the last statements ran and could not stop them: say so, and never report success.
    if (!opts.offline && opts.interrupted?.() && steps.length > 0) {
      const at = steps[steps.length - 1]!.headsAfter;
      throw new RetortError('INTERRUPTED', `interrupted, but too late to stop: ${describeStep(steps[steps.length - 1]!)} had already committed; the database is at ${at.join(', ') || 'base'}`, { exitCode: 130 });
    }
    // A stray error that came once the last step had committed: nothing is left to roll back, but the run is not a success.
    await yieldToEventLoop();
    const late = strays.take();
    if (late) throw strayAfterCommit(late, steps, steps[steps.length - 1]?.headsAfter ?? null, 'before the run finished', opts.offline);
    finished = true;
  } finally {
    forgetAhead();
    await dialect.afterRun?.(conn, { offline: opts.offline, failed: !finished });
    const onLate = opts.onLateError;
    // Code a revision left behind (a timer) can still throw after the run: report it instead of crashing with a stack.
    if (onLate && steps.length > 0) {
      const at = finished ? (steps[steps.length - 1]?.headsAfter ?? null) : null;
      strays.forward((e) => onLate(strayAfterCommit(e, steps, at, 'after the run finished', opts.offline)));
    } else {
      strays.remove();
    }
  }
}

/**
 * What an earlier run of `step` committed before it failed, when that is the newest row of the history table (a
 * `part` row of the same revision and direction; any later step or run makes it stale), else null. Online only.
 */
async function resumeFrom(conn: Connection, step: PlannedStep, opts: RunnerOptions & { offline: boolean }, known: HistoryRow | null | undefined): Promise<ResumeFrom | null> {
  if (opts.offline || opts.replaying || !opts.historyTable) return null;
  const newest = known !== undefined ? known : await opts.historyTable.newest(conn);
  const part = newest?.part;
  if (!part) return null;
  if (newest.revision !== step.revision.revision || part.direction !== step.direction) {
    // Another step runs first: the part row goes stale with this run, and the half-done revision with it.
    opts.events?.notResumed?.(newest.revision, part.direction, part.operations);
    return null;
  }
  return { operations: part.operations, hash: newest.checksum };
}

/**
 * Commits a group of steps (see RunPolicy.savepoints): steps[first] up to before steps[done]. When the database
 * refuses (the transaction is gone: SQLite ends it on some errors, such as a full disk), none of the group
 * committed, and the error says so with where the database really is.
 */
async function commitGroup(conn: Connection, steps: readonly PlannedStep[], first: number, done: number, failure: unknown): Promise<void> {
  try {
    await conn.query('COMMIT');
  } catch (e) {
    const at = steps[first]!.headsBefore.join(', ') || 'base';
    const n = done - first;
    const lost = n === 0 ? '' : `; the ${n} revision${n === 1 ? '' : 's'} before it, uncommitted, ${n === 1 ? 'was' : 'were'} rolled back with it`;
    if (isRetortError(failure)) {
      throw new RetortError(failure.code, `${failure.message}${lost}: the database is at ${at}`, { ...(failure.hint ? { hint: failure.hint } : {}), details: failure.details, cause: failure, exitCode: failure.exitCode });
    }
    if (failure !== null) throw failure;
    throw new RetortError('MIGRATION_FAILED', `COMMIT failed, so the last ${n} revision${n === 1 ? '' : 's'} of the run ${n === 1 ? 'is' : 'are'} not applied: the database is at ${at}`, {
      hint: 'fix the cause (disk space, file permissions) and run the same command again',
      cause: e,
    });
  }
}

/** A catalog that lets the pipeline commit the revisions before it reads. */
function committedFirst(catalog: Catalog, pipeline: Pipeline): Catalog {
  const query = catalog.query;
  return {
    table: async (name) => {
      await pipeline.drain();
      return catalog.table(name);
    },
    ...(query
      ? {
          query: async <R>(sql: string, params?: readonly unknown[]) => {
            await pipeline.drain();
            return query.call(catalog, sql, params) as Promise<R[]>;
          },
        }
      : {}),
  };
}

/** The pipeline for an online run, wired to name a failed revision the way a step run would. */
function newPipeline(conn: Connection, opts: RunnerOptions): Pipeline {
  const wrap = (items: readonly PipelineItem[]) => transactionAround(items, opts);
  return new Pipeline(conn, {
    wrap,
    events: opts.events,
    interrupted: opts.interrupted ?? (() => false),
    readHeads: () => opts.versionTable.readHeads(conn),
    failure: async (item, error) => {
      if (opts.interrupted?.()) return migrationError(item.step, null, interruptedError(), { dialect: opts.dialect, offline: false });
      const culprit = await findFailingStatement(conn, opts.dialect, wrap([item]), error);
      return migrationError(item.step, culprit?.statement ?? null, culprit?.error ?? error, { dialect: opts.dialect, offline: false, replaying: opts.replaying === true });
    },
    interruptedBefore: (item) => migrationError(item.step, null, interruptedError(), { dialect: opts.dialect, offline: false }),
  });
}

/**
 * One transaction around pipelined steps: BEGIN and the timeouts, each step's statements, their history rows in one
 * INSERT, then the version-table write from the first step's heads to the last one's (checked once for all of them:
 * under the migration lock nothing else writes it), the durable-commit setting when the run's last step is among
 * them, and COMMIT.
 */
function transactionAround(items: readonly PipelineItem[], opts: RunnerOptions): Statement[] {
  const { dialect } = opts;
  const first = items[0]!;
  const last = items[items.length - 1]!;
  const out: Statement[] = [{ sql: dialect.beginSql }, ...timeoutStatements(dialect, opts.timeouts)];
  for (const i of items) out.push(...i.statements);
  // One INSERT for the group's history rows, instead of a statement per revision.
  const rows = items.flatMap((i) => (i.history ? [i.history] : []));
  if (opts.historyTable && rows.length > 0) out.push(opts.historyTable.insertRows(rows));
  out.push(...opts.versionTable.transition(first.step.headsBefore, last.step.headsAfter, false));
  if (last.last && dialect.durableCommitSql) out.push({ sql: dialect.durableCommitSql });
  out.push({ sql: 'COMMIT' });
  return out;
}
