/**
 * The error a failed step reports: which revision, what failed, and where that leaves the database. Offline
 * (`--sql`) and in the replay that plans it, no database of the user's was touched, so the message says that instead.
 */
import { RetortError, isRetortError, lineIn, messageOf } from '../../errors.js';
import type { Dialect, InvalidIndex, Statement } from '../../dialects/dialect.js';
import { describeStep, headsBeforeText, type PlannedStep } from './steps.js';
import { STRAY_HINT, StrayError } from './stray-errors.js';
import { VERSION_CONFLICT } from '../version-table.js';

/**
 * How far a revision with autocommit blocks got: what a later failure can no longer roll back. `block` counts
 * the blocks entered (the work before each was committed first); `inBlock` is true until that block's statements
 * have all run, `blockStatementsRun` counts those that did.
 */
export interface EarlyCommits {
  block: number;
  inBlock: boolean;
  blockStatementsRun: number;
}

/**
 * Where a failed step leaves the database. `rolledBack`: its transaction was rolled back, all but what its
 * autocommit blocks committed. `partlyApplied` (a run without transactions): the statements in `ran` stay
 * applied, and the version table marks the database at `markedAt`.
 */
export type FailedStepStanding =
  | { readonly kind: 'rolledBack'; readonly early: EarlyCommits }
  | { readonly kind: 'partlyApplied'; readonly ran: readonly Statement[]; readonly markedAt: readonly string[] };

/** The standing of a step that failed part-way through a run without transactions. */
export type PartlyApplied = Extract<FailedStepStanding, { kind: 'partlyApplied' }>;

/** What migrationError needs to know besides the failure; without `standing` the step was rolled back whole. */
export interface MigrationErrorContext {
  readonly dialect: Dialect;
  readonly offline: boolean;
  readonly replaying?: boolean;
  readonly standing?: FailedStepStanding;
  /** INVALID indexes found after a failure inside an autocommit block (a concurrent build it stopped), to drop first. */
  readonly leftInvalid?: readonly InvalidIndex[];
}

/** The error for `step` failing with `e`, in `statement` when one is known. */
export function migrationError(step: PlannedStep, statement: Statement | null, e: unknown, opts: MigrationErrorContext): RetortError {
  const where = headsBeforeText(step);
  const partly = opts.standing?.kind === 'partlyApplied' ? opts.standing : null;
  if (isRetortError(e) && e.code === 'INTERRUPTED') {
    const early = opts.standing?.kind === 'rolledBack' ? opts.standing.early : undefined;
    const outcome = partly ? partlyAppliedOutcome(partly) : (committedOutcome(early, where) ?? `rolled back, the database stays at ${where}`);
    const invalid = opts.leftInvalid ?? [];
    const details = [...(partly ? ranDetails(partly) : []), ...invalidDetails(invalid)];
    return new RetortError('INTERRUPTED', `interrupted during ${describeStep(step)}; ${outcome}${invalidOutcome(invalid)}`, { exitCode: 130, ...(details.length > 0 ? { details } : {}) });
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
  const details: string[] = partly && !writingSql ? ranDetails(partly) : [];
  if (statement) details.push(`statement: ${statement.sql}`);
  const thrownAt = statement || isRetortError(e) ? null : lineIn(e, step.revision.file);
  // Writing SQL, a statement fails only on the scratch database: calling that "database" would contradict the message.
  details.push(`${statement && !writingSql ? 'database' : 'error'}: ${explained?.message ?? messageOf(e)}${thrownAt ? ` (${step.revision.file}, ${thrownAt})` : ''}`);
  if (isRetortError(e)) details.push(...e.details);
  details.push(...invalidDetails(opts.leftInvalid ?? []));
  // A table the revisions did not create is unknown offline; a revision before the range is replayed from base, so only an online run helps.
  const offlineHint = !writingSql || !isRetortError(e) || e.code !== 'NOT_FOUND'
    ? undefined
    : opts.replaying
      ? 'with --sql, Retort replays the revisions before the range on an empty in-memory database, where tables made outside them do not exist: run without --sql, where the live tables are read'
      : 'with --sql, Retort knows only what the earlier revisions created (tables made outside them are unknown): run without --sql, or start the range where those revisions begin';
  const causeHint = explained?.hint ?? offlineHint ?? (isRetortError(e) ? e.hint : e instanceof StrayError ? STRAY_HINT : undefined);
  const hint = partly && !writingSql && partly.ran.length > 0 ? [causeHint, PARTLY_APPLIED_HINT].filter(Boolean).join('; ') : causeHint;
  // Writing SQL nothing ran anywhere: the SQL could not be planned, for this revision or (replaying, on SQLite's
  // in-memory scratch database) for the ones after it. Saying the database was rolled back would send the reader to check it.
  const outcome = opts.replaying
    ? 'while writing the SQL, replaying it in memory to plan the revisions after it; nothing was run on any database'
    : opts.offline
      ? 'while writing its SQL; nothing was run on any database'
      : partly
        ? partlyAppliedOutcome(partly)
        : (committedOutcome(opts.standing?.kind === 'rolledBack' ? opts.standing.early : undefined, where) ?? `rolled back, the database stays at ${where}`);
  // Something the revision names is not there: NOT_FOUND (Retort's own check, or the database's answer), else MIGRATION_FAILED.
  const notFound = isRetortError(e) ? e.code === 'NOT_FOUND' : opts.dialect.isNotFound?.(e) === true;
  const error = new RetortError(notFound ? 'NOT_FOUND' : 'MIGRATION_FAILED', `${describeStep(step)} failed (${step.revision.file}); ${outcome}${invalidOutcome(opts.leftInvalid ?? [])}`, {
    details,
    cause: e,
    ...(hint ? { hint } : {}),
  });
  failedSteps.set(error, { step, cause: e, standing: opts.standing ?? null });
  return error;
}

/** The step a migration error is about, what the database answered, and where it left the database. */
export interface StepFailure {
  readonly step: PlannedStep;
  readonly cause: unknown;
  readonly standing: FailedStepStanding | null;
}

const failedSteps = new WeakMap<object, StepFailure>();

/** The failure behind an error migrationError built, or null for any other error (the runner's retry reads it). */
export function stepFailureOf(e: unknown): StepFailure | null {
  return typeof e === 'object' && e !== null ? (failedSteps.get(e) ?? null) : null;
}

/** How to recover from a revision that stopped half-way with no rollback. */
const PARTLY_APPLIED_HINT = "the statements that ran stay applied: undo them by hand, or finish the revision's work by hand and mark it done with `retort stamp`, before running it again";

/**
 * What an autocommit block left committed when its revision failed, or null when nothing was (the failure came
 * before the first block, or in the COMMIT that would have opened it).
 */
export function committedOutcome(early: EarlyCommits | undefined, where: string): string | null {
  if (!early || early.block === 0) return null;
  const block = early.block === 1 ? 'its autocommit block' : `its autocommit block number ${early.block}`;
  const n = early.blockStatementsRun;
  const kept = !early.inBlock
    ? `the work up to and in ${block} stays committed`
    : `the work before ${block} stays committed${n === 0 ? " (the block's first statement failed)" : `, and so ${n === 1 ? 'does the statement' : `do the ${n} statements`} of the block before the one that failed`}`;
  return `${kept}, the rest is rolled back, and the database stays marked at ${where} (run it again once fixed: what committed is not run again, and the block runs again from its start, so it must be safe to repeat)`;
}

/** What the INVALID indexes a stopped concurrent build left mean for the next run (empty when there are none). */
function invalidOutcome(invalid: readonly InvalidIndex[]): string {
  if (invalid.length === 0) return '';
  const one = invalid.length === 1;
  return `; the stopped build left index ${invalid.map((i) => `"${i.name}" on "${i.table}"`).join(', ')} INVALID, which the next run refuses: drop ${one ? 'it' : 'them'} first (the \`run:\` statement${one ? '' : 's'} below)`;
}

/** One `run:` line per INVALID index, with the statement that drops it. */
function invalidDetails(invalid: readonly InvalidIndex[]): string[] {
  return invalid.map((i) => `run: ${i.dropSql}`);
}

/** The outcome of a step that ran without a transaction: how many of its statements ran, and that none was undone. */
export function partlyAppliedOutcome(partly: PartlyApplied): string {
  const n = partly.ran.length;
  const marked = partly.markedAt.length === 0 ? 'base' : partly.markedAt.join(', ');
  if (n === 0) return `none of its statements ran, and the version table marks the database at ${marked}`;
  const ran = n === 1 ? 'its first statement ran' : `its first ${n} statements ran`;
  return `partly applied: ${ran} and nothing was rolled back (the database has no transactional DDL), and the version table marks the database at ${marked}`;
}

/** One `ran:` line per statement that stays applied, in the order they ran. */
function ranDetails(partly: PartlyApplied): string[] {
  return partly.ran.map((s) => `ran: ${s.sql}`);
}
