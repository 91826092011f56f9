/**
 * Sends a step's statements and keeps track of the one running, for error messages. Statements are queued and
 * sent together when something needs their effect (a ctx.query, an autocommit block, the COMMIT): with a
 * batching policy a typical revision is one round trip.
 */
import type { Connection, Statement } from '../../dialects/dialect.js';
import { interruptedError, yieldToEventLoop } from './interrupt.js';

/** StatementRunner sends one step's statements on a connection, in order, and remembers which ran and which failed. */
export class StatementRunner {
  /** The statement (or joined batch) on its way, named by the error when it fails. */
  current: Statement | null = null;
  /** Runs once, right after the next batch is on its way: work for the client while the server executes it. */
  whileServerWorks: (() => void) | null = null;
  /** Runs before the first statement is sent (the pipeline commits earlier revisions first). */
  beforeFirstSend: (() => Promise<void>) | null = null;
  /** The batch that failed, for finding its failing statement afterwards. */
  failedBatch: Statement[] | null = null;
  /** Every statement that has run, in order: without transactions, what a failure leaves applied. */
  readonly ran: Statement[] = [];
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
    const reply = this.track(this.conn.query<R>(sql, params));
    return reply.then((rows) => {
      this.ran.push({ sql, ...(params ? { params } : {}) });
      return rows;
    });
  }

  /** Adds statements to send with the next sync. */
  queue(...statements: Statement[]): void {
    this.pending.push(...statements);
  }

  /** Sends everything queued, then `s`. */
  async run(s: Statement): Promise<void> {
    this.queue(s);
    await this.sync();
  }

  /** How many statements are queued. */
  get queuedCount(): number {
    return this.pending.length;
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
        this.ran.push(b);
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
    this.ran.push(...batch);
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
