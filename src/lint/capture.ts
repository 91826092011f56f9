/**
 * Runs a revision's `upgrade` the way `--sql` does, without a database: the same op API, the same dialect
 * compiler, nothing sent anywhere. Each operation keeps the line of the revision file's call that added it (read
 * from the call's stack as the op API records it), so a finding points at the `op.*` call, and each statement
 * knows the transaction it would run in (an autocommit block runs outside any; the next block of work opens a new
 * one). The version-table bookkeeping `--sql` adds around each revision is left out: it is Retort's, not the
 * revision's. `ctx.isOffline` is true; a `ctx.query()` reached anyway is recorded as a statement and answers no rows.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { messageOf } from '../errors.js';
import { sourceLine } from '../source-lines.js';
import { noCatalog, type Dialect } from '../dialects/dialect.js';
import type { NamingConvention } from '../models/naming.js';
import { OperationRecorder, type OperationSegment } from '../operations/op-api.js';
import type { Operation } from '../operations/operations.js';
import type { MigrationContext } from '../runtime/migration-context.js';
import { loadModuleWithChecksum } from '../runtime/module-loader.js';

/** One statement the revision would run, or (where the dialect is not compiled for lint) one operation. */
export interface CapturedStatement {
  /** The SQL; null for an operation that was not compiled (raw SQL is always kept). */
  readonly sql: string | null;
  /** The operation it came from; null for a ctx.query(). */
  readonly op: Operation | null;
  /** Which call of the revision made it (statements of one call share it). */
  readonly call: number;
  /** The revision file's line of that call; null when the stack did not show it. */
  readonly line: number | null;
  /** The transaction it runs in, counted from 0 within the revision; null when it runs outside any. */
  readonly transaction: number | null;
}

/** What running a revision offline produced. */
export interface CapturedRevision {
  readonly statements: readonly CapturedStatement[];
  /** Why the run stopped early (a load error, an exception in upgrade, an operation that does not compile). */
  readonly failure: { readonly message: string; readonly line: number | null } | null;
}

/** How to capture: the project's dialect and naming, and whether to compile the operations to SQL. */
export interface CaptureOptions {
  readonly dialect: Dialect;
  readonly naming: NamingConvention;
  readonly compile: boolean;
}

/**
 * Runs revisions' upgrades offline, one after another, through one op API: building the op API costs about
 * 25 µs, and lint captures thousands of revisions. Each capture starts from an empty queue.
 */
export class RevisionCapturer {
  private readonly recorder: OperationRecorder;
  /** The revision being captured: its path, the call site of each operation, the calls so far. */
  private current: { target: string; sites: Map<Operation, { call: number; site: CallSite }>; calls: number } = { target: '', sites: new Map(), calls: 0 };

  constructor(private readonly opts: CaptureOptions) {
    this.recorder = new OperationRecorder(opts.dialect.sqlSpelling, opts.naming, (op) => {
      const c = this.current;
      c.sites.set(op, { call: c.calls++, site: callSite(c.target) });
    });
  }

  /** Runs `file`'s upgrade offline and returns its statements. */
  async capture(file: string): Promise<CapturedRevision> {
    const { opts, recorder } = this;
    const target = path.resolve(file);
    recorder.drainSegments(); // whatever a revision that failed left queued
    const cur = (this.current = { target, sites: new Map(), calls: 0 });
    const statements: CapturedStatement[] = [];
    let transaction = 0;
    const transactional = opts.dialect.transactionalDdl;
    const flush = async (segments: readonly OperationSegment[]): Promise<void> => {
      for (const segment of segments) {
        const outside = segment.autocommit || !transactional;
        for (const op of segment.ops) {
          const at = cur.sites.get(op) ?? { call: cur.calls++, site: NO_SITE };
          const tx = outside ? null : transaction;
          if (!opts.compile) {
            // Raw SQL is kept as written: the rules about renames and drops read it where PostgreSQL's grammar takes it.
            statements.push(statement(op.kind === 'execute' ? op.sql : null, op, at, tx));
            continue;
          }
          let compiled;
          try {
            compiled = await opts.dialect.compile([op], noCatalog);
          } catch (e) {
            throw new CaptureFailure(messageOf(e), at.site());
          }
          for (const s of compiled) statements.push(statement(s.sql, op, at, tx));
        }
        // The work after an autocommit block runs in a transaction of its own.
        if (segment.autocommit && transactional) transaction++;
      }
    };
    try {
      let fn: unknown;
      let down: unknown;
      try {
        const { exports } = await loadModuleWithChecksum(target, 'revision file');
        fn = exports.upgrade;
        down = exports.downgrade;
      } catch (e) {
        return { statements, failure: { message: messageOf(e), line: null } };
      }
      if (typeof fn !== 'function') return { statements, failure: { message: `${file} has no exported function \`upgrade\``, line: null } };
      // upgrade refuses such a file (run/steps.ts): lint says so before it is applied.
      if (typeof down !== 'function') return { statements, failure: { message: `${file} has no exported function \`downgrade\` (add one; one that throws if the revision cannot be undone)`, line: null } };
      const ctx: MigrationContext = {
        isOffline: true,
        dialect: opts.dialect.displayName,
        revision: '',
        direction: 'upgrade',
        query: async <R>(sql: string) => {
          await flush(recorder.drainSegments());
          statements.push(statement(sql, null, { call: cur.calls++, site: callSite(target) }, transactional ? transaction : null));
          return [] as R[];
        },
      };
      try {
        await (fn as (op: unknown, ctx: MigrationContext) => unknown)(recorder.op, ctx);
      } catch (e) {
        await flush(recorder.drainSegments()).catch(() => undefined);
        return { statements, failure: { message: `upgrade() threw: ${messageOf(e)}`, line: lineOfError(e, target) } };
      }
      await flush(recorder.drainSegments());
      return { statements, failure: null };
    } catch (e) {
      if (e instanceof CaptureFailure) return { statements, failure: { message: e.message, line: e.line } };
      throw e;
    }
  }
}

class CaptureFailure extends Error {
  constructor(message: string, readonly line: number | null) {
    super(message);
  }
}

/** The revision file's line of a call, read when first asked for (memoised). */
type CallSite = () => number | null;
const NO_SITE: CallSite = () => null;

/** A captured statement whose `line` is read from its call's stack only when a finding asks for it. */
function statement(sql: string | null, op: Operation | null, at: { call: number; site: CallSite }, transaction: number | null): CapturedStatement {
  return { sql, op, call: at.call, transaction, get line() { return at.site(); } };
}

/**
 * The stack of the call running now, kept unformatted: V8 formats a captured stack only when `.stack` is read, and
 * only a statement with a finding needs its line, so the line of `file` nearest the top (the revision's call) is
 * read then. Reading the frames of every operation at once was a twentieth of lint's time over 1000 revisions.
 */
function callSite(file: string): CallSite {
  const limit = Error.stackTraceLimit;
  const holder: { stack?: unknown } = {};
  try {
    Error.stackTraceLimit = 100;
    Error.captureStackTrace(holder, callSite);
  } finally {
    Error.stackTraceLimit = limit;
  }
  let line: number | null | undefined;
  return () => (line ??= lineInStack(typeof holder.stack === 'string' ? holder.stack : '', file));
}

/** The revision file's line an error was thrown from, read from its stack text. */
function lineOfError(e: unknown, file: string): number | null {
  return lineInStack(e instanceof Error ? (e.stack ?? '') : '', file);
}

/** The first line of `file` a stack's text names (`at fn (/path/file.ts:12:3)` or `file:///path/file.ts:12:3`). */
function lineInStack(stack: string, file: string): number | null {
  const url = pathToFileURL(file).href;
  for (const line of stack.split('\n')) {
    const at = Math.max(line.lastIndexOf(`${file}:`), line.lastIndexOf(`${url}:`));
    if (at < 0) continue;
    const name = line.startsWith(url, at) ? url : file;
    const m = /^(\d+):(\d+)/.exec(line.slice(at + name.length + 1));
    if (m) return sourceLine(file, Number(m[1]), Number(m[2]));
  }
  return null;
}
