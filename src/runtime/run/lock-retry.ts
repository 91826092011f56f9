/**
 * Runs a revision again when it gave up waiting for a lock. A busy table is often locked only for a moment
 * (a long transaction finishing, autovacuum): the revision's transaction rolled back whole, so running it again
 * from its BEGIN is safe, and its autocommit blocks are written to be repeated (IF NOT EXISTS). The pauses double
 * (0.5 s, 1 s, 2 s...) so a queue of writers behind the revision's lock request drains in between.
 */
import { RetortError, messageOf } from '../../errors.js';
import type { Dialect } from '../../dialects/dialect.js';
import { describeStep, headsBeforeText, type PlannedStep } from './steps.js';
import { committedOutcome, stepFailureOf, type StepFailure } from './migration-error.js';
import type { RunnerOptions } from './run-options.js';

const FIRST_PAUSE_MS = 500;

/** What to do after a failed run from a step: run again from `step` after `pauseMs`, or give up with `error`. */
export type RetryDecision = { readonly again: true; readonly step: PlannedStep; readonly pauseMs: number } | { readonly again: false; readonly error: unknown };

/** Decides on `error` given how many times `tries` each step ran already; only lock timeouts of a rolled-back step run again. */
export function retryDecision(error: unknown, dialect: Dialect, opts: RunnerOptions, tries: Map<PlannedStep, number>): RetryDecision {
  const failure = stepFailureOf(error);
  const timeouts = opts.timeouts;
  if (!failure || !timeouts || !dialect.isLockTimeout?.(failure.cause)) return { again: false, error };
  // A step without a transaction may have applied part of itself: running it again would apply that twice.
  if (failure.standing?.kind === 'partlyApplied') return { again: false, error };
  const ran = tries.get(failure.step) ?? 1;
  if (ran > timeouts.lockRetries) return { again: false, error: lockTimeoutError(error as RetortError, failure, ran, timeouts.lockTimeoutMs) };
  tries.set(failure.step, ran + 1);
  return { again: true, step: failure.step, pauseMs: (timeouts.firstPauseMs ?? FIRST_PAUSE_MS) * 2 ** (ran - 1) };
}

/** The error once the retries are spent: which revision, the setting that bounded the wait, and the settings to change. */
function lockTimeoutError(e: RetortError, failure: StepFailure, attempts: number, lockTimeoutMs: number): RetortError {
  const { step, standing } = failure;
  const wait = lockTimeoutMs % 1000 === 0 ? `${lockTimeoutMs / 1000}s` : `${lockTimeoutMs}ms`;
  // What an autocommit block committed before the timeout (the work before it, a NOT VALID add and its validation)
  // stays: said as a failed step says it.
  const where = headsBeforeText(step);
  const outcome = (standing?.kind === 'rolledBack' ? committedOutcome(standing.early, where) : null) ?? `rolled back, the database stays at ${where}`;
  return new RetortError(
    'MIGRATION_FAILED',
    `${describeStep(step)} (${step.revision.file}) could not take its locks within revisionLockTimeout (${wait}) in ${attempts} attempt${attempts === 1 ? '' : 's'}: another session holds a lock on a table it changes; ${outcome}`,
    {
      details: e.details.length > 0 ? e.details : [`database: ${messageOf(e.cause)}`],
      hint: 'find the session holding a lock on a table the revision changes (pg_locks, pg_stat_activity: a long transaction, an idle one left open) and run again when it is done, or raise revisionLockTimeout or lockRetries in retort.config.ts',
      cause: e,
    },
  );
}

/** Waits `ms` milliseconds. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
