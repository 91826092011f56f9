/**
 * Sends small revisions in groups: one request holds several revisions, each
 * still `BEGIN ... COMMIT` with its own version-table update, and the runner
 * prepares the next group while the server runs the current one. Used where
 * the dialect says its driver stops at the first error with the earlier
 * transactions committed (PostgreSQL), so a failure still leaves the database
 * at the last good revision; which one that is, is read back from the version
 * table.
 *
 * Groups start at one revision and double while requests come back quickly,
 * so a slow revision is soon sent alone again and its progress line appears
 * when it starts, not only when it ends.
 */
import { RetortError, isRetortError } from '../../errors.js';
import type { Connection, Statement } from '../../dialects/dialect.js';
import type { PlannedStep, RunnerEvents } from './steps.js';

/** PipelineItem is one revision handed to the pipeline: its step and its whole transaction. */
export interface PipelineItem {
  readonly step: PlannedStep;
  /** The revision's whole transaction, BEGIN to COMMIT. */
  readonly statements: readonly Statement[];
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
}

/** Pipeline sends revisions' transactions in groups, one request in flight at a time (see the top of this file). */
export class Pipeline {
  private building: PipelineItem[] = [];
  private bytes = 0;
  private flight: InFlight | null = null;
  private groupSize = 1;

  constructor(
    private readonly conn: Connection,
    private readonly hooks: PipelineHooks,
  ) {}

  /** Adds a revision's transaction; sends the group when it is full. */
  async add(item: PipelineItem): Promise<void> {
    this.building.push(item);
    for (const s of item.statements) this.bytes += s.sql.length;
    if (this.building.length >= this.groupSize || this.bytes >= MAX_BYTES) await this.send();
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
    const sql = items.flatMap((i) => i.statements.map((s) => s.sql)).join(';\n');
    const reply = this.conn.query(sql);
    reply.catch(() => undefined);
    this.flight = { items, reply, sentAt: performance.now() };
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
    const took = performance.now() - f.sentAt;
    this.groupSize = took < QUICK_MS ? Math.min(this.groupSize * 2, MAX_STEPS) : 1;
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
      return new RetortError('CONNECTION', `${e.message} (revisions in flight, each in its own transaction: ${inFlight})`, { cause: e, ...(e.hint ? { hint: e.hint } : {}) });
    }
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
