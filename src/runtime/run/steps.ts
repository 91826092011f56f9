/**
 * What the runner is handed: planned steps, the events it reports about them, and the revision modules they
 * run. Shared by every part of the runner (and the pipeline), so it depends on none of them.
 */
import { RetortError } from '../../errors.js';
import type { Op } from '../../operations/op-api.js';
import type { MigrationContext } from '../migration-context.js';
import { compileAhead, loadModuleWithChecksum } from '../module-loader.js';

/** A step as the revision planner hands it over. */
export interface PlannedStep {
  readonly revision: { readonly revision: string; readonly downRevisions: readonly string[]; readonly file: string; readonly message: string };
  readonly direction: 'up' | 'down';
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
}

/** RunnerEvents tells the caller (the CLI's progress lines) when each step starts and ends. */
export interface RunnerEvents {
  stepStart?(step: PlannedStep): void;
  stepDone?(step: PlannedStep, ms: number): void;
  /** The step gave up waiting for a lock and rolled back; it runs again after `pauseMs` (attempt counts from 2). */
  lockRetry?(step: PlannedStep, attempt: number, attempts: number, pauseMs: number): void;
  /** Writing SQL (--sql), the revision read `ctx.isOffline`: what it does only online is not in the script. */
  offlineChecked?(step: PlannedStep): void;
  /**
   * A revision an earlier run left part-way (its first `operations` committed) is not what this run starts with: its
   * committed work stays as it is, and the run forgets it.
   */
  notResumed?(revision: string, direction: 'up' | 'down', operations: number): void;
  /** The step resumes: its first `operations` operations, committed by an earlier run, are not run again. */
  resumed?(step: PlannedStep, operations: number): void;
}

/** A revision's `upgrade` or `downgrade` function. */
export type MigrationFn = (op: Op, ctx: MigrationContext) => unknown;

/** A revision's function to run and the checksum of the file text it came from. */
export interface LoadedRevision {
  readonly fn: MigrationFn;
  readonly checksum: string;
}

/** Loads a revision module and checks it has what the header promised. */
export async function loadRevisionModule(step: PlannedStep): Promise<LoadedRevision> {
  const file = step.revision.file;
  const { exports: mod, checksum } = await loadModuleWithChecksum(file, 'revision file', true);
  const name = step.direction === 'up' ? 'upgrade' : 'downgrade';
  const fn = mod[name];
  if (typeof fn !== 'function') {
    // Only a downgrade can meet an applied file without it (one applied before upgrades required both): adding it
    // changes the file whose checksum was recorded.
    const hint = name === 'downgrade'
      ? 'add `export function downgrade(op: Op) { ... }` and run the downgrade with --allow-changed (the file then differs from the one applied)'
      : 'add `export function upgrade(op: Op) { ... }`';
    throw new RetortError('REVISION_FILE', `revision file ${file} has no exported function \`${name}\``, { hint });
  }
  // A revision is applied only with its way back: applied without one, adding it later changes the applied file.
  if (step.direction === 'up' && typeof mod.downgrade !== 'function') {
    throw new RetortError('REVISION_FILE', `revision file ${file} has no exported function \`downgrade\``, {
      hint: 'add `export function downgrade(op: Op) { ... }` (one that throws, if the revision cannot be undone) before applying it',
    });
  }
  if (mod.revision !== undefined && mod.revision !== step.revision.revision) {
    throw new RetortError('REVISION_FILE', `revision file ${file} exports revision "${String(mod.revision)}" but its header reads "${step.revision.revision}"`);
  }
  return { fn: fn as MigrationFn, checksum };
}

/**
 * Compiles the revision files of `steps` before the first runs, so that a file that does not compile (a syntax error,
 * a merge conflict's markers) stops the run with nothing applied; what it read serves the loads (module-loader.ts).
 */
export async function compileStepsAhead(steps: readonly PlannedStep[]): Promise<void> {
  if (steps.length > 1) await compileAhead(steps.map((s) => s.revision.file), 'revision file');
}

/** A revision module loaded ahead of its turn; a file that fails to load fails when its step starts. */
export type Prefetched = Promise<LoadedRevision>;

/** Starts loading `step`'s module now, holding a load error until the step awaits it. */
export function prefetch(step: PlannedStep): Prefetched {
  const loading = loadRevisionModule(step);
  loading.catch(() => undefined);
  return loading;
}

/** Describes a step for humans: `upgrade 1a2b -> 3c4d, add users`. */
export function describeStep(step: PlannedStep): string {
  const parents = step.revision.downRevisions.length === 0 ? '<base>' : step.revision.downRevisions.join(', ');
  const rev = step.revision.revision;
  // Alembic's form, without the comma when a hand-written revision has no message.
  const message = step.revision.message ? `, ${step.revision.message}` : '';
  return step.direction === 'up' ? `upgrade ${parents} -> ${rev}${message}` : `downgrade ${rev} -> ${parents}${message}`;
}

/** Where the database stands before `step`, for messages: its heads, or `base (nothing applied)`. */
export function headsBeforeText(step: PlannedStep): string {
  return step.headsBefore.length === 0 ? 'base (nothing applied)' : step.headsBefore.join(', ');
}
