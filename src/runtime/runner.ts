/**
 * The runner: applies planned steps, each in its own transaction together with
 * its version-table update, so a failure rolls back to the last good revision.
 * Online it talks to the database; offline (`--sql`) it writes the same
 * statements to a sink, replaying them on the dialect's scratch database where
 * the compiler needs to read the schema (SQLite's table rebuild).
 */
import { RetortError, isRetortError, lineIn, messageOf } from '../errors.js';
import { liveCatalog, noCatalog, type Catalog, type Connection, type Dialect, type Statement } from '../dialects/dialect.js';
import { OperationRecorder, type Op } from '../operations/op-api.js';
import type { NamingConvention } from '../models/naming.js';
import type { MigrationContext } from './migration-context.js';
import { loadModuleWithChecksum } from './module-loader.js';
import { VERSION_CONFLICT, VersionTable, createOwnTables } from './version-table.js';
import { toolVersion, type HistoryTable } from './history-table.js';
import { Pipeline } from './pipeline.js';
import { STRAY_HINT, StrayError, StrayErrorWatch } from './stray-errors.js';

/** A step as the revision planner hands it over. */
export interface PlannedStep {
  readonly revision: { readonly revision: string; readonly downRevisions: readonly string[]; readonly file: string; readonly message: string };
  readonly direction: 'up' | 'down';
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
}

export interface RunnerEvents {
  stepStart?(step: PlannedStep): void;
  stepDone?(step: PlannedStep, ms: number): void;
}

export interface RunnerOptions {
  readonly dialect: Dialect;
  readonly versionTable: VersionTable;
  /** Where each step is recorded; absent for scratch replays. */
  readonly historyTable?: HistoryTable;
  /** Checked between statements: a Ctrl-C stops the run at the next statement and rolls back. */
  readonly interrupted?: () => boolean;
  readonly naming: NamingConvention;
  readonly schema?: string;
  readonly events?: RunnerEvents;
  /**
   * Set when the steps run on the dialect's scratch database only so that offline SQL can be planned from the
   * schema the earlier revisions left (SQLite's rebuild reads the table): they do run, but on a private in-memory
   * database, so a failure must say that the SQL could not be written and that no database was touched.
   */
  readonly replaying?: boolean;
  /**
   * Told about an error a revision's code throws outside its await chain after the run ended (a timer it left);
   * when set, the run keeps listening for such errors until the process exits. Without it they are not caught.
   */
  readonly onLateError?: (error: RetortError) => void;
}

type MigrationFn = (op: Op, ctx: MigrationContext) => unknown;

/** A revision's function to run and the checksum of the file text it came from. */
interface LoadedRevision {
  readonly fn: MigrationFn;
  readonly checksum: string;
}

/** Loads a revision module and checks it has what the header promised. */
export async function loadRevisionModule(step: PlannedStep): Promise<LoadedRevision> {
  const file = step.revision.file;
  const { exports: mod, checksum } = await loadModuleWithChecksum(file, 'revision file');
  const name = step.direction === 'up' ? 'upgrade' : 'downgrade';
  const fn = mod[name];
  if (typeof fn !== 'function') {
    throw new RetortError('REVISION_FILE', `revision file ${file} has no exported function \`${name}\``, { hint: `add \`export function ${name}(op: Op) { ... }\`` });
  }
  if (mod.revision !== undefined && mod.revision !== step.revision.revision) {
    throw new RetortError('REVISION_FILE', `revision file ${file} exports revision "${String(mod.revision)}" but its header reads "${step.revision.revision}"`);
  }
  return { fn: fn as MigrationFn, checksum };
}

/** Describes a step for humans: `upgrade 1a2b -> 3c4d, add users`. */
export function describeStep(step: PlannedStep): string {
  const parents = step.revision.downRevisions.length === 0 ? '<base>' : step.revision.downRevisions.join(', ');
  const rev = step.revision.revision;
  return step.direction === 'up' ? `upgrade ${parents} -> ${rev}, ${step.revision.message}` : `downgrade ${rev} -> ${parents}, ${step.revision.message}`;
}

/** What Ctrl-C raises where it is seen; migrationError turns it into the message that names the revision. */
function interruptedError(): RetortError {
  return new RetortError('INTERRUPTED', 'interrupted', { exitCode: 130 });
}

/**
 * Lets pending signal handlers run. A synchronous driver (better-sqlite3) resolves every query in a
 * microtask, so without a turn of the event loop a Ctrl-C would wait until the whole run ended.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs statements and tracks the one running, for error messages. Statements
 * are queued and sent together when something needs their effect (a ctx.query,
 * an autocommit block, the COMMIT): a typical revision is one round trip.
 */
class StatementRunner {
  current: Statement | null = null;
  /** Runs once, right after the next batch is on its way: work for the client while the server executes it. */
  whileServerWorks: (() => void) | null = null;
  /** Runs before the first statement is sent (the pipeline commits earlier revisions first). */
  beforeFirstSend: (() => Promise<void>) | null = null;
  /** The batch that failed, for finding its failing statement afterwards. */
  failedBatch: Statement[] | null = null;
  private pending: Statement[] = [];
  /** Set when the step has failed while the revision's code may still run: nothing more is sent for it. */
  private halted: Error | null = null;
  /** The statement on its way, so that a step stopped from outside rolls back only once it has answered. */
  private inFlight: Promise<unknown> | null = null;
  constructor(
    private readonly conn: Connection,
    private readonly interrupted: () => boolean,
    private readonly batching: boolean,
  ) {}

  /** Refuses every later statement with `error` (the revision's code may carry on in the background). */
  halt(error: Error): void {
    this.halted = error;
  }

  /** Throws when nothing more may be sent: the step was stopped, or Ctrl-C came. */
  checkGoing(): void {
    if (this.halted) throw this.halted;
    if (this.interrupted()) throw interruptedError();
  }

  /** Resolves once the statement on its way (if any) has answered, whatever the answer. */
  async idle(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
  }

  /** Sends a statement straight to the connection (ctx.query), tracked like the others. */
  query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    this.checkGoing();
    return this.track(this.conn.query<R>(sql, params));
  }

  queue(...statements: Statement[]): void {
    this.pending.push(...statements);
  }

  async run(s: Statement): Promise<void> {
    this.queue(s);
    await this.sync();
  }

  /** Hands over every queued statement without sending it. */
  take(): Statement[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  /** Sends every queued statement. */
  async sync(): Promise<void> {
    if (this.pending.length === 0) return;
    const first = this.beforeFirstSend;
    this.beforeFirstSend = null;
    await first?.();
    await yieldToEventLoop();
    this.checkGoing();
    const batch = this.pending;
    this.pending = [];
    if (!this.batching || batch.length === 1 || batch.some((b) => b.params && b.params.length > 0)) {
      for (const [i, b] of batch.entries()) {
        // One statement at a time (an in-process database): an interrupt is seen before each of them.
        if (i > 0) {
          await yieldToEventLoop();
          this.checkGoing();
        }
        this.current = b;
        await this.sent(this.track(this.conn.query(b.sql, b.params)));
      }
      this.current = null;
      return;
    }
    this.current = { sql: batch.map((b) => b.sql).join(';\n') };
    try {
      await this.sent(this.track(this.conn.query(this.current.sql)));
    } catch (e) {
      this.failedBatch = batch;
      throw e;
    }
    this.current = null;
  }

  private track<T>(reply: Promise<T>): Promise<T> {
    this.inFlight = reply;
    return reply;
  }

  private sent<T>(reply: Promise<T>): Promise<T> {
    const work = this.whileServerWorks;
    this.whileServerWorks = null;
    work?.();
    return reply;
  }
}

/** A revision module loaded ahead of its turn; a file that fails to load fails when its step starts. */
type Prefetched = Promise<LoadedRevision>;

function prefetch(step: PlannedStep): Prefetched {
  const loading = loadRevisionModule(step);
  loading.catch(() => undefined);
  return loading;
}

/**
 * Applies steps on a connection. `conn` is the database online, or a
 * PrintingConnection offline; `catalog` is what the compiler may read.
 */
export async function runSteps(conn: Connection, catalog: Catalog, steps: readonly PlannedStep[], opts: RunnerOptions & { offline: boolean }): Promise<void> {
  const { dialect, versionTable } = opts;
  const strays = new StrayErrorWatch(steps.map((s) => s.revision.file));
  let finished = false;
  await dialect.beforeRun?.(conn, { offline: opts.offline });
  strays.install();
  try {
    const ownTables = opts.historyTable ? [versionTable, opts.historyTable] : [versionTable];
    // A printed script cannot look first: it creates them if they do not exist.
    if (opts.offline) for (const t of ownTables) await conn.query(t.createStatement().sql);
    else await createOwnTables(conn, dialect, ownTables);
    const pipeline = !opts.offline && dialect.pipelinesTransactions ? newPipeline(conn, opts) : null;
    // The compiler reads the schema as the earlier revisions left it: those must be committed first.
    const stepCatalog: Catalog = pipeline ? committedFirst(catalog, pipeline) : catalog;
    // Each revision file is loaded while the server executes the one before it.
    let next: Prefetched | null = steps[0] ? prefetch(steps[0]) : null;
    for (const [i, step] of steps.entries()) {
      const loaded = await next!;
      const following = steps[i + 1];
      next = null;
      await runStep(conn, stepCatalog, step, loaded, { ...opts, steps, strays }, i === steps.length - 1, pipeline, () => {
        if (following) next = prefetch(following);
      });
      if (following) next ??= prefetch(following);
    }
    await pipeline?.drain();
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
    await dialect.afterRun?.(conn, { offline: opts.offline });
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

/** What the steps of a run share while one of them runs. */
interface RunContext {
  readonly steps: readonly PlannedStep[];
  readonly strays: StrayErrorWatch;
}

/**
 * How far a revision with autocommit blocks got: what a later failure can no longer roll back. `block` counts
 * the blocks entered (the work before each was committed first); `inBlock` is true until that block's statements
 * have all run, `blockStatementsRun` counts those that did.
 */
interface EarlyCommits {
  block: number;
  inBlock: boolean;
  blockStatementsRun: number;
}

async function runStep(
  conn: Connection,
  catalog: Catalog,
  step: PlannedStep,
  { fn, checksum }: LoadedRevision,
  opts: RunnerOptions & RunContext & { offline: boolean },
  last: boolean,
  pipeline: Pipeline | null,
  loadNext: () => void,
): Promise<void> {
  const { dialect, versionTable, strays } = opts;
  // With a pipeline, a revision that talks to the database before its end (ctx.query, an autocommit
  // block, a check before COMMIT) first lets the earlier ones commit, then runs on its own.
  let announced = false;
  const announce = async () => {
    if (announced) return;
    announced = true;
    await pipeline?.drain();
    opts.events?.stepStart?.(step);
  };
  if (!pipeline) await announce();
  if (conn instanceof PrintingConnection) conn.comment(`Running ${describeStep(step)}`);
  const started = performance.now();
  // Offline, each statement is printed on its own; online, a revision's statements travel together.
  const runner = new StatementRunner(conn, opts.interrupted ?? (() => false), !opts.offline && dialect.batchesStatements === true);
  runner.beforeFirstSend = announce;
  const recorder = new OperationRecorder(dialect.sqlSpelling, opts.naming);
  const early: EarlyCommits = { block: 0, inBlock: false, blockStatementsRun: 0 };
  const flush = async () => {
    for (const segment of recorder.drainSegments()) {
      if (!segment.autocommit) {
        runner.queue(...(await dialect.compile(segment.ops, catalog)));
        continue;
      }
      // Outside the transaction: commit what came before, run each statement on its own, then carry on in a new transaction.
      await runner.sync();
      if (!opts.offline) await dialect.beforeCommit?.(conn);
      await runner.run({ sql: 'COMMIT' });
      Object.assign(early, { block: early.block + 1, inBlock: true, blockStatementsRun: 0 });
      for (const s of await dialect.compile(segment.ops, catalog)) {
        await runner.run(s);
        early.blockStatementsRun++;
      }
      early.inBlock = false;
      runner.queue({ sql: dialect.beginSql });
    }
  };
  const ctx: MigrationContext = {
    isOffline: opts.offline,
    dialect: dialect.displayName,
    revision: step.revision.revision,
    direction: step.direction === 'up' ? 'upgrade' : 'downgrade',
    query: async <R>(sql: string, params?: readonly unknown[]) => {
      if (opts.offline) {
        throw new RetortError('OFFLINE', `revision ${step.revision.revision} (${step.revision.file}) calls ctx.query(), which needs a live database; nothing was run on any database`, {
          hint: 'guard data migrations with `if (!ctx.isOffline)` or run without --sql',
        });
      }
      await flush();
      await runner.sync();
      await yieldToEventLoop();
      runner.current = { sql, ...(params ? { params } : {}) };
      const rows = await runner.query<R>(sql, params);
      runner.current = null;
      return rows;
    },
  };
  runner.queue({ sql: dialect.beginSql });
  // A printed script records when it really runs, by the server's clock. Online the client times each revision: the
  // server-side clock costs a statement per revision (about 0.1 ms each, a fifth of a light upgrade).
  const clock = opts.offline ? dialect.stepClock : undefined;
  if (clock) runner.queue({ sql: clock.startSql });
  let handOver: Statement[] | null = null;
  // A stray error (a callback that throws, a rejection nobody awaits) stops the step even while it waits on something else.
  const stray = strays.failed();
  stray.catch(() => undefined);
  try {
    const work = (async () => {
      await fn(recorder.op, ctx);
      await flush();
      if (opts.interrupted?.()) throw interruptedError();
      if (!opts.offline && dialect.beforeCommit) {
        await runner.sync();
        await dialect.beforeCommit(conn);
      }
    })();
    work.catch(() => undefined);
    await Promise.race([work, stray]);
    // A promise the revision rejected and left is reported when this turn of the event loop ends: before the COMMIT.
    strays.settle();
    await yieldToEventLoop();
    const left = strays.take();
    if (left) throw left;
    const closing: Statement[] = [...versionTable.transition(step.headsBefore, step.headsAfter)];
    if (opts.historyTable) {
      closing.push(
        opts.historyTable.insertStatement({
          revision: step.revision.revision,
          direction: step.direction,
          checksum,
          appliedAt: new Date().toISOString(),
          durationMs: performance.now() - started,
          toolVersion: toolVersion(),
        }, clock),
      );
    }
    if (last && dialect.durableCommitSql) closing.push({ sql: dialect.durableCommitSql });
    closing.push({ sql: 'COMMIT' });
    runner.queue(...closing);
    if (pipeline && !announced) {
      const statements = runner.take();
      if (statements.every((st) => !st.params || st.params.length === 0)) handOver = statements;
      else runner.queue(...statements);
    }
    if (!handOver) {
      runner.whileServerWorks = loadNext;
      await runner.sync();
    }
  } catch (e) {
    strays.settle();
    if (e instanceof StrayError) {
      // The revision's code may still be running: it sends nothing more, and the rollback waits for the statement on its way.
      runner.halt(e);
      await runner.idle();
    }
    if (!opts.offline && announced) await conn.query('ROLLBACK').catch(() => undefined);
    const culprit = opts.offline ? null : await findFailingStatement(conn, dialect, runner.failedBatch);
    // A statement the database cancelled on Ctrl-C fails like any other: it is the interrupt that stopped it.
    const cause = opts.interrupted?.() && !opts.offline ? interruptedError() : (culprit?.error ?? e);
    const error =
      e instanceof StrayError && e.origin && e.origin.file !== step.revision.file
        ? strayFromElsewhere(step, e, opts.steps, opts.offline)
        : migrationError(step, culprit?.statement ?? (e instanceof StrayError ? null : runner.current), cause, { ...opts, early });
    // The revisions before this one are good: they commit (or report their own failure) first.
    await announce();
    throw error;
  }
  if (handOver) {
    await pipeline!.add({ step, statements: handOver });
    return;
  }
  opts.events?.stepDone?.(step, performance.now() - started);
}

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

function newPipeline(conn: Connection, opts: RunnerOptions): Pipeline {
  return new Pipeline(conn, {
    events: opts.events,
    interrupted: opts.interrupted ?? (() => false),
    readHeads: () => opts.versionTable.readHeads(conn),
    failure: async (item, error) => {
      if (opts.interrupted?.()) return migrationError(item.step, null, interruptedError(), { dialect: opts.dialect, offline: false });
      const culprit = await findFailingStatement(conn, opts.dialect, [...item.statements]);
      return migrationError(item.step, culprit?.statement ?? null, culprit?.error ?? error, { dialect: opts.dialect, offline: false, replaying: opts.replaying === true });
    },
    interruptedBefore: (item) => migrationError(item.step, null, interruptedError(), { dialect: opts.dialect, offline: false }),
  });
}

/**
 * A batch that failed says only what went wrong, not where: when it opened its transaction,
 * run it again statement by statement in a transaction that is rolled back, to name the statement.
 */
async function findFailingStatement(conn: Connection, dialect: Dialect, batch: Statement[] | null): Promise<{ statement: Statement; error: unknown } | null> {
  if (!batch || batch[0]?.sql !== dialect.beginSql) return null;
  let found: { statement: Statement; error: unknown } | null = null;
  for (const s of batch) {
    if (s.sql === 'COMMIT') break;
    try {
      await conn.query(s.sql, s.params);
    } catch (error) {
      found = { statement: s, error };
      break;
    }
  }
  await conn.query('ROLLBACK').catch(() => undefined);
  return found;
}

/**
 * The error for a failed step: which revision, what failed, and where that leaves the database. Offline (`--sql`)
 * and in the replay that plans it, no database of the user's was touched, so the message says that instead.
 */
function migrationError(
  step: PlannedStep,
  statement: Statement | null,
  e: unknown,
  opts: { readonly dialect: Dialect; readonly offline: boolean; readonly replaying?: boolean; readonly early?: EarlyCommits },
): RetortError {
  const where = step.headsBefore.length === 0 ? 'base (nothing applied)' : step.headsBefore.join(', ');
  if (isRetortError(e) && e.code === 'INTERRUPTED') {
    return new RetortError('INTERRUPTED', `interrupted during ${describeStep(step)}; rolled back, the database stays at ${where}`, { exitCode: 130 });
  }
  if (isRetortError(e) && (e.code === 'OFFLINE' || e.code === 'REVISION_FILE')) return e;
  // The connection went during the revision: nothing was rolled back by Retort, and whether the server
  // committed is unknown (the driver's message says so and how to find out).
  if (isRetortError(e) && e.code === 'CONNECTION') return new RetortError('CONNECTION', `${describeStep(step)} (${step.revision.file}): ${e.message}`, { cause: e, ...(e.hint ? { hint: e.hint } : {}) });
  if (messageOf(e).includes(VERSION_CONFLICT)) {
    return new RetortError('MIGRATION_FAILED', `${describeStep(step)} (${step.revision.file}) was rolled back: ${VERSION_CONFLICT}`, { cause: e });
  }
  const explained = statement || !isRetortError(e) ? opts.dialect.explainFailure?.(messageOf(e)) ?? null : null;
  const writingSql = opts.offline || opts.replaying === true;
  const details: string[] = [];
  if (statement) details.push(`statement: ${statement.sql}`);
  const thrownAt = statement || isRetortError(e) ? null : lineIn(e, step.revision.file);
  // Writing SQL, a statement fails only on the scratch database: calling that "database" would contradict the message.
  details.push(`${statement && !writingSql ? 'database' : 'error'}: ${explained?.message ?? messageOf(e)}${thrownAt ? ` (${step.revision.file}, ${thrownAt})` : ''}`);
  if (isRetortError(e)) details.push(...e.details);
  // A table the revisions did not create is unknown offline; a revision before the range is replayed from base, so only an online run helps.
  const offlineHint = !writingSql || !isRetortError(e) || e.code !== 'NOT_FOUND'
    ? undefined
    : opts.replaying
      ? 'with --sql, Retort replays the revisions before the range on an empty in-memory database, where tables made outside them do not exist: run without --sql, where the live tables are read'
      : 'with --sql, Retort knows only what the earlier revisions created (tables made outside them are unknown): run without --sql, or start the range where those revisions begin';
  const hint = explained?.hint ?? offlineHint ?? (isRetortError(e) ? e.hint : e instanceof StrayError ? STRAY_HINT : undefined);
  // Writing SQL nothing ran anywhere: the SQL could not be planned, for this revision or (replaying, on SQLite's
  // in-memory scratch database) for the ones after it. Saying the database was rolled back would send the reader to check it.
  const outcome = opts.replaying
    ? 'while writing the SQL, replaying it in memory to plan the revisions after it; nothing was run on any database'
    : opts.offline
      ? 'while writing its SQL; nothing was run on any database'
      : (committedOutcome(opts.early, where) ?? `rolled back, the database stays at ${where}`);
  return new RetortError('MIGRATION_FAILED', `${describeStep(step)} failed (${step.revision.file}); ${outcome}`, {
    details,
    cause: e,
    ...(hint ? { hint } : {}),
  });
}

/**
 * What an autocommit block left committed when its revision failed, or null when nothing was (the failure came
 * before the first block, or in the COMMIT that would have opened it).
 */
function committedOutcome(early: EarlyCommits | undefined, where: string): string | null {
  if (!early || early.block === 0) return null;
  const block = early.block === 1 ? 'its autocommit block' : `its autocommit block number ${early.block}`;
  const n = early.blockStatementsRun;
  const kept = !early.inBlock
    ? `the work up to and in ${block} stays committed`
    : `the work before ${block} stays committed${n === 0 ? " (the block's first statement failed)" : `, and so ${n === 1 ? 'does the statement' : `do the ${n} statements`} of the block before the one that failed`}`;
  return `${kept}, the rest is rolled back, and the database stays marked at ${where} (run it again once fixed: the block must be safe to repeat)`;
}

/** Names the revision a stray error came from: `revision 1a2b (file, line 9)`, or only the file when it is no step of the run. */
function strayRevision(e: StrayError, steps: readonly PlannedStep[]): string {
  const origin = e.origin!;
  const from = steps.find((s) => s.revision.file === origin.file);
  return `${from ? `revision ${from.revision.revision} ` : ''}(${origin.file}${origin.line ? `, ${origin.line}` : ''})`;
}

/** A stray error from another revision's code stopped `step`: that revision had committed (or was being loaded). */
function strayFromElsewhere(step: PlannedStep, e: StrayError, steps: readonly PlannedStep[], offline: boolean): RetortError {
  const where = step.headsBefore.length === 0 ? 'base (nothing applied)' : step.headsBefore.join(', ');
  const index = steps.findIndex((s) => s.revision.file === e.origin!.file);
  const mine = steps.indexOf(step);
  const when = index >= 0 && index < mine ? (offline ? 'after its SQL was written' : 'after its step committed') : 'while its file was loaded';
  const outcome = offline ? 'nothing was run on any database' : `${describeStep(step)} was stopped and rolled back, the database stays at ${where}`;
  return new RetortError('MIGRATION_FAILED', `revision code threw outside its await chain: ${strayRevision(e, steps)} threw ${when}; ${outcome}`, {
    details: [`error: ${messageOf(e.original)}`],
    hint: STRAY_HINT,
    cause: e.original,
  });
}

/** A stray error once every step of the run had committed (`at`: where the database then is, null when the run failed). */
function strayAfterCommit(e: StrayError, steps: readonly PlannedStep[], at: readonly string[] | null, when: string, offline: boolean): RetortError {
  const source = e.origin ? `${strayRevision(e, steps)} threw` : 'code outside any revision file threw';
  const standing = offline ? 'the SQL written may not be what the revision meant' : at ? `its step had committed; the database is at ${at.join(', ') || 'base'}` : 'see the error above for where the database stands';
  return new RetortError('MIGRATION_FAILED', `${source} outside its await chain ${when}: ${messageOf(e.original)}; ${standing}`, {
    hint: `${STRAY_HINT}; check that the revision did all it should`,
    cause: e.original,
  });
}

/** A Connection that prints statements instead of running them, mirroring them onto a scratch database when there is one. */
export class PrintingConnection implements Connection {
  constructor(
    private readonly write: (text: string) => void,
    private readonly scratch: Connection | null,
    /** The dialect's literal for a parameter (Dialect.literalSql). */
    private readonly literal: (value: unknown) => string,
  ) {}
  /** A `-- ...` line for whoever reads the script (which revision the next statements belong to). */
  comment(text: string): void {
    // A line comment ends at any line break a reader knows (psql ends one at a bare \r too): none may reach
    // the script, or the text after it would run as SQL. Headers already refuse such messages; this is the second guard.
    this.write(`-- ${text.replace(/[\n\r\u2028\u2029\u0085\v\f]/g, ' ')}\n\n`);
  }

  async query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    this.write(`${params && params.length ? inlineParams(sql, params, this.literal) : sql};\n\n`);
    return this.scratch ? this.scratch.query<R>(sql, params) : [];
  }
  async close(): Promise<void> {
    await this.scratch?.close();
  }
}

/** The catalog offline runs read: the scratch database where the dialect has one. */
export function offlineCatalog(dialect: Dialect, scratch: Connection | null): Catalog {
  return scratch ? liveCatalog(dialect, scratch) : noCatalog;
}

/**
 * SQL with its parameters written in as literals, so printed SQL runs as it is: `$1`-style and `?`-style
 * placeholders outside quotes. `literal` spells a value as the dialect reads it; a value it refuses is named
 * by its placeholder.
 */
export function inlineParams(sql: string, params: readonly unknown[], literal: (value: unknown) => string): string {
  let next = 0;
  const unquoted = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, '');
  // One style per statement: with $n placeholders a `?` is PostgreSQL's jsonb operator, not a parameter.
  const dollars = /\$\d+/.test(unquoted);
  // Quoted strings and identifiers are skipped whole; placeholders are replaced.
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\$(\d+)|\?/g, (m, n: string | undefined) => {
    if (m.startsWith("'") || m.startsWith('"') || (m === '?' && dollars)) return m;
    const i = n === undefined ? next++ : Number(n) - 1;
    if (i < 0 || i >= params.length) throw new RetortError('USAGE', `statement has placeholder ${m} but ${params.length} parameter(s): ${sql}`);
    try {
      return literal(params[i]);
    } catch (e) {
      if (!isRetortError(e)) throw e;
      const which = n === undefined ? `parameter ${i + 1} (${m})` : `parameter ${m}`;
      throw new RetortError(e.code, `${which} cannot be written into the SQL: ${e.message}`, e.hint ? { hint: e.hint } : {});
    }
  });
}
