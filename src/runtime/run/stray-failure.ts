/**
 * The errors for stray errors (see stray-errors.ts) once the runner has caught one: which revision threw, when,
 * and where that leaves the database.
 */
import { RetortError, messageOf } from '../../errors.js';
import { describeStep, headsBeforeText, type PlannedStep } from './steps.js';
import { STRAY_HINT, type StrayError } from './stray-errors.js';
import { partlyAppliedOutcome, type PartlyApplied } from './migration-error.js';

/** Names the revision a stray error came from: `revision 1a2b (file, line 9)`, or only the file when it is no step of the run. */
function strayRevision(e: StrayError, steps: readonly PlannedStep[]): string {
  const origin = e.origin!;
  const from = steps.find((s) => s.revision.file === origin.file);
  return `${from ? `revision ${from.revision.revision} ` : ''}(${origin.file}${origin.line ? `, ${origin.line}` : ''})`;
}

/**
 * A stray error from another revision's code stopped `step`: that revision had committed (or was being loaded).
 * `partly` is set when `step` ran without a transaction, so stopping it undid nothing.
 */
export function strayFromElsewhere(step: PlannedStep, e: StrayError, steps: readonly PlannedStep[], offline: boolean, partly: PartlyApplied | null = null): RetortError {
  const index = steps.findIndex((s) => s.revision.file === e.origin!.file);
  const mine = steps.indexOf(step);
  const when = index >= 0 && index < mine ? (offline ? 'after its SQL was written' : 'after its step committed') : 'while its file was loaded';
  const outcome = offline
    ? 'nothing was run on any database'
    : partly
      ? `${describeStep(step)} was stopped, ${partlyAppliedOutcome(partly)}`
      : `${describeStep(step)} was stopped and rolled back, the database stays at ${headsBeforeText(step)}`;
  return new RetortError('MIGRATION_FAILED', `revision code threw outside its await chain: ${strayRevision(e, steps)} threw ${when}; ${outcome}`, {
    details: [`error: ${messageOf(e.original)}`],
    hint: STRAY_HINT,
    cause: e.original,
  });
}

/** A stray error once every step of the run had committed (`at`: where the database then is, null when the run failed). */
export function strayAfterCommit(e: StrayError, steps: readonly PlannedStep[], at: readonly string[] | null, when: string, offline: boolean): RetortError {
  const source = e.origin ? `${strayRevision(e, steps)} threw` : 'code outside any revision file threw';
  const standing = offline ? 'the SQL written may not be what the revision meant' : at ? `its step had committed; the database is at ${at.join(', ') || 'base'}` : 'see the error above for where the database stands';
  return new RetortError('MIGRATION_FAILED', `${source} outside its await chain ${when}: ${messageOf(e.original)}; ${standing}`, {
    hint: `${STRAY_HINT}; check that the revision did all it should`,
    cause: e.original,
  });
}
