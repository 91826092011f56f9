/**
 * What a command says while it runs: an object of optional callbacks, each called as the thing happens. The
 * command never prints; the CLI turns these into progress lines on stderr, and a program may log them or ignore
 * them. Everything said here is also in the command's report when it ends, except lock waits.
 */
import type { ChangedRevision } from '../runtime/migrate.js';

/** StepEvent describes one revision step of a run, as `stepStart` and `stepDone` see it. */
export interface StepEvent {
  readonly revision: string;
  readonly direction: 'up' | 'down';
  /** The revision's parents (where a downgrade step goes). */
  readonly downRevisions: readonly string[];
  readonly message: string;
  /** 1 for the first step of the run. */
  readonly index: number;
  /** How many steps the run has. */
  readonly total: number;
  /** The step as one line: `upgrade 1a2b -> 3c4d, add users`. */
  readonly description: string;
}

/** CommandEvents are the callbacks a command calls while it runs (all optional). */
export interface CommandEvents {
  /** Another process holds the migration lock (`holder` names it where the database can tell); said once. */
  lockWait?(holder: string | null): void;
  /** Another process is writing a revision in the same folder; said once. */
  revisionLockWait?(holder: string, lockFile: string): void;
  /** The run is planned: how many steps it has (0 when there is nothing to do). */
  planned?(total: number): void;
  stepStart?(step: StepEvent): void;
  stepDone?(step: StepEvent, durationMs: number): void;
  /** Applied revision files that changed since they ran (`check` says so before comparing; upgrade with allowChanged accepts them). */
  changedFiles?(changed: readonly ChangedRevision[], accepted: boolean): void;
  /** A warning (also in the report's `warnings`). */
  warning?(text: string): void;
  /**
   * An error a revision's code threw outside its await chain after the run ended (a timer it left behind). Without
   * this callback such errors are not watched for.
   */
  lateError?(error: Error): void;
}
