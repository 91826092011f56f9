/**
 * Sends small revisions in groups: one request holds several revisions, and
 * the runner prepares the next group while the server runs the current one.
 * Used where the dialect says its driver stops at the first error with the
 * earlier transactions committed (PostgreSQL), so a failure still leaves the
 * database at the last good revision; which one that is, is read back from
 * the version table.
 *
 * A request is either one transaction per revision (each with its own
 * version-table write), or, where the policy has stretches, one transaction
 * for the whole request with one version-table write at its end. A stretch
 * that fails is rolled back whole and its revisions are handed back to the
 * runner (StretchFailed) to run again one transaction each, which commits the
 * ones before the failing revision and names it.
 *
 * Groups start at one revision and double while the server answers quickly;
 * after a slow answer the next group shrinks in proportion, so a slow revision
 * is soon sent alone again and its progress line appears when it starts, not
 * only when it ends. That also bounds how long a stretch holds the locks its
 * revisions took: about as long as one quick request. Near the end of the run
 * the groups halve, so the last request is small.
 */
import { RetortError, isRetortError } from '../../errors.js';
import type { Connection, Statement } from '../../dialects/dialect.js';
import type { PlannedStep, RunnerEvents } from './steps.js';
import type { HistoryRow } from '../history-table.js';

/** PipelineItem is one revision handed to the pipeline: its step and its statements, without the transaction around them. */
export interface PipelineItem {
  readonly step: PlannedStep;
  /** The revision's work; its history row, the version-table write and BEGIN/COMMIT come from PipelineHooks.wrap. */
  readonly statements: readonly Statement[];
  /** The revision's history row, where the run keeps a history table. */
  readonly history: HistoryRow | null;
  /** The run's last step: its commit is the durable one. */
  readonly last: boolean;
}

/**
 * A stretch (several revisions in one transaction) failed and was rolled back whole: the runner runs `steps`
 * again one transaction each, which finds the failing one and commits those before it. `cause` is the stretch's error.
 */
export class StretchFailed extends Error {
  constructor(
    readonly steps: readonly PlannedStep[],
    override readonly cause: unknown,
  ) {
    super(`a stretch of ${steps.length} revisions failed and was rolled back`);
  }
}

/** PipelineHooks are what the pipeline asks of the runner: progress events, Ctrl-C, the heads, and the errors to report. */
export interface PipelineHooks {
  readonly events?: RunnerEvents | undefined;
  readonly interrupted: () => boolean;
  /** The heads the version table holds, read after a failed request was rolled back. */
  readHeads(): Promise<string[]>;
  /** The error to report for the revision that failed (it names the failing statement). */
  failure(item: PipelineItem, error: unknown): Promise<Error>;
  /** The error to report when a Ctrl-C stops the run before `item` was sent. */
  interruptedBefore(item: PipelineItem): Error;
  /** One transaction around `items`: BEGIN, their statements, their history rows and version-table write, COMMIT. */
  wrap(items: readonly PipelineItem[]): Statement[];
}

/** Requests that come back faster than this let the next group grow. */
const QUICK_MS = 50;
/** At most this many revisions, or this many bytes of SQL, travel in one request. */
const MAX_STEPS = 256;
const MAX_BYTES = 1 << 20;

interface InFlight {
  readonly items: readonly PipelineItem[];
  readonly reply: Promise<unknown>;
  readonly sentAt: number;
  /** When the reply came, seen at the runner's next turn of the event loop (one revision's work at most later). */
  answeredAt: number | null;
  /** Several revisions in one transaction. */
  readonly stretch: boolean;
}

/** Pipeline sends revisions' transactions in groups, one request in flight at a time (see the top of this file). */
export class Pipeline {
  private building: PipelineItem[] = [];
  private bytes = 0;
  private flight: InFlight | null = null;
  private groupSize = 1;
  /** True: a request is one transaction (a stretch); false: one transaction per revision. */
  stretching = false;
  /** How many steps of the run come after the one being added (set by the runner before each step). */
  toCome = Number.POSITIVE_INFINITY;

  constructor(
    private readonly conn: Connection,
    private readonly hooks: PipelineHooks,
  ) {}

  /** Adds a revision's transaction; sends the group when it is full. */
  async add(item: PipelineItem): Promise<void> {
    this.building.push(item);
    for (const s of item.statements) this.bytes += s.sql.length;
    // Near the end of the run a group is sent once it holds as many revisions as are left to come, so the last
    // requests halve (4, 2, 1): what the server still has to do once the runner has nothing left to prepare is one
    // small request, not a group of up to MAX_STEPS revisions that the runner would only wait for.
    if (this.building.length >= Math.min(this.groupSize, Math.max(this.toCome, 1)) || this.bytes >= MAX_BYTES) await this.send();
  }

  /** Sends what is left and waits until every revision handed over is committed. */
  async drain(): Promise<void> {
    await this.send();
    await this.settle();
  }

  private async send(): Promise<void> {
    if (this.building.length === 0) return;
    // One request at a time: a group is sent only once the one before it has committed.
    await this.settle();
    const items = this.building;
    this.building = [];
    this.bytes = 0;
    if (this.hooks.interrupted()) throw this.hooks.interruptedBefore(items[0]!);
    // A group of one reports its start now; a larger group reports its revisions as they commit.
    if (items.length === 1) this.hooks.events?.stepStart?.(items[0]!.step);
    const statements = this.stretching ? this.hooks.wrap(items) : items.flatMap((i) => this.hooks.wrap([i]));
    const reply = this.conn.query(statements.map((s) => s.sql).join(';\n'));
    const flight: InFlight = { items, reply, sentAt: performance.now(), answeredAt: null, stretch: this.stretching && items.length > 1 };
    reply.then(
      () => void (flight.answeredAt = performance.now()),
      () => undefined,
    );
    this.flight = flight;
  }

  private async settle(): Promise<void> {
    const f = this.flight;
    if (!f) return;
    this.flight = null;
    try {
      await f.reply;
    } catch (e) {
      throw await this.failed(f, e);
    }
    // The server's time, not the runner's: a group is settled only once the next one is prepared, and preparing
    // 1000 revisions' files took longer than the server ran them, so the time to settle reset groups to one
    // revision (then 2, 4, ...) where the server had answered quickly (the bench upgrade on a loaded machine: 88-121
    // requests before, 42-63 with this and the proportional shrink below).
    const took = (f.answeredAt ?? performance.now()) - f.sentAt;
    // A slow request's group shrinks in proportion, to what would have taken QUICK_MS: one revision after a slow
    // one (a second for a group of 16 gives 1), about half after a request that took twice QUICK_MS. Starting
    // again from one revision after each slow request made a loaded server's run mostly groups of 1-8 revisions.
    this.groupSize = took < QUICK_MS ? Math.min(this.groupSize * 2, MAX_STEPS) : Math.max(1, Math.floor((f.items.length * QUICK_MS) / took));
    this.reportDone(f, f.items.length, took);
  }

  /** Reports the first `count` revisions of a request as done; a group of one had its start reported when sent. */
  private reportDone(f: InFlight, count: number, took: number): void {
    const each = took / Math.max(count, 1);
    for (const i of f.items.slice(0, count)) {
      if (f.items.length > 1) this.hooks.events?.stepStart?.(i.step);
      this.hooks.events?.stepDone?.(i.step, each);
    }
  }

  /** After a failed request: roll back the open transaction, report what committed, name what failed. */
  private async failed(f: InFlight, error: unknown): Promise<Error> {
    await this.conn.query('ROLLBACK').catch(() => undefined);
    let read: readonly string[];
    try {
      read = await this.hooks.readHeads();
    } catch (e) {
      // The connection is gone, so which of the revisions in flight committed is unknown: name them all.
      if (!isRetortError(e) || e.code !== 'CONNECTION') throw e;
      const inFlight = f.items.map((i) => i.step.revision.revision).join(', ');
      const how = f.stretch ? 'in one transaction, so all of them or none' : 'each in its own transaction';
      return new RetortError('CONNECTION', `${e.message} (revisions in flight, ${how}: ${inFlight})`, { cause: e, ...(e.hint ? { hint: e.hint } : {}) });
    }
    // Nothing of a failed stretch committed: its revisions run again, one transaction each (a Ctrl-C is reported at once).
    if (f.stretch && !this.hooks.interrupted()) return new StretchFailed(f.items.map((i) => i.step), error);
    const heads = new Set(read);
    const same = (list: readonly string[]) => list.length === heads.size && list.every((h) => heads.has(h));
    let committed = 0;
    f.items.forEach((i, k) => {
      if (same(i.step.headsAfter)) committed = k + 1;
    });
    const failed = f.items[Math.min(committed, f.items.length - 1)]!;
    this.reportDone(f, committed, performance.now() - f.sentAt);
    if (f.items.length > 1) this.hooks.events?.stepStart?.(failed.step);
    return this.hooks.failure(failed, error);
  }
}
