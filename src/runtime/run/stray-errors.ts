/**
 * Errors a revision throws outside its own await chain: a callback that throws (`setTimeout(() => { throw ... })`)
 * or a promise it rejects and never awaits. Node would print a raw stack and end the process wherever the run
 * happened to be, so whether the step committed depended on timing. While steps run, the runner listens for them
 * (process-level `uncaughtException` and `unhandledRejection`), names the revision whose file is in the error's
 * stack, and fails the step that is running, or reports, after the fact, the step that had already committed.
 */
import { lineIn, messageOf } from '../../errors.js';

/** The file and line of the revision a stray error came from, when its stack passes through a revision file. */
export interface StrayOrigin {
  readonly file: string;
  readonly line: string | null;
}

/** An error that surfaced outside the revision's await chain; `origin` is the revision file its stack names. */
export class StrayError extends Error {
  constructor(
    readonly original: unknown,
    readonly kind: 'uncaughtException' | 'unhandledRejection',
    readonly origin: StrayOrigin | null,
  ) {
    const how = kind === 'uncaughtException' ? 'thrown in a callback' : 'a promise rejected that nothing awaited';
    super(`${messageOf(original)} (${how}${origin ? `, ${origin.file}${origin.line ? `, ${origin.line}` : ''}` : ''})`);
    this.name = 'StrayError';
  }
}

/** What to do about stray errors while code that is not the user's may still run. */
export const STRAY_HINT = 'await every promise a revision starts and do not throw from callbacks (setTimeout, event handlers): Retort can only roll back what fails inside upgrade()/downgrade() as it runs';

/** The revision file named by the first frame of `error`'s stack that is in one of `files`. */
export function strayOrigin(error: unknown, files: readonly string[]): StrayOrigin | null {
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  let best: { at: number; file: string } | null = null;
  for (const file of files) {
    const at = stack.indexOf(file);
    if (at >= 0 && (!best || at < best.at)) best = { at, file };
  }
  return best ? { file: best.file, line: lineIn(error, best.file) } : null;
}

/**
 * Listens for stray errors while it is installed. The runner asks `take()` at the points where a step can still be
 * rolled back, and `failed` rejects as soon as one arrives so that a step waiting on something else stops at once.
 */
export class StrayErrorWatch {
  private pending: StrayError | null = null;
  private wake: ((e: StrayError) => void) | null = null;
  private forwardTo: ((e: StrayError) => void) | null = null;
  private installed = false;
  private readonly onException = (e: unknown) => this.record(e, 'uncaughtException');
  private readonly onRejection = (e: unknown) => this.record(e, 'unhandledRejection');

  constructor(private readonly files: readonly string[]) {}

  /** Starts listening (process-level handlers); again is harmless. */
  install(): void {
    if (this.installed) return;
    this.installed = true;
    process.on('uncaughtException', this.onException);
    process.on('unhandledRejection', this.onRejection);
  }

  /** Stops listening. */
  remove(): void {
    if (!this.installed) return;
    this.installed = false;
    process.off('uncaughtException', this.onException);
    process.off('unhandledRejection', this.onRejection);
  }

  /** The first stray error not yet handled, which is then handled. */
  take(): StrayError | null {
    const e = this.pending;
    this.pending = null;
    return e;
  }

  /** Rejects with the next stray error (at once when one is pending); never resolves. */
  failed(): Promise<never> {
    return new Promise<never>((_, reject) => {
      const e = this.take();
      if (e) reject(e);
      else this.wake = reject;
    });
  }

  /** Stops the current `failed()` promise from taking the next stray error (the step it guarded is over). */
  settle(): void {
    this.wake = null;
  }

  /**
   * From now on hands every stray error to `report`, including one still pending, and stays installed until the
   * process exits: a timer a revision set can fire after the run ended, and must still be reported, not crash.
   */
  forward(report: (e: StrayError) => void): void {
    this.wake = null;
    this.forwardTo = report;
    const e = this.take();
    if (e) report(e);
    this.install();
  }

  private record(error: unknown, kind: StrayError['kind']): void {
    const stray = new StrayError(error, kind, strayOrigin(error, this.files));
    if (this.forwardTo) {
      this.forwardTo(stray);
      return;
    }
    // The first one is the cause; any later ones are consequences of the same failure.
    if (this.wake) {
      const wake = this.wake;
      this.wake = null;
      wake(stray);
    } else {
      this.pending ??= stray;
    }
  }
}
