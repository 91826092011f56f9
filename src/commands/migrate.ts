/**
 * upgrade, downgrade and stamp as use cases: each loads the project, runs under the migration lock (or prints the
 * SQL, `sql: true`) and returns what it did as a report. Progress goes to `events`; nothing is printed.
 */
import { RetortError } from '../errors.js';
import type { ChangedRevision } from '../runtime/migrate.js';
import type { PlannedStep } from '../runtime/runner.js';
import { loadProject, lockTimeoutMs, type CommandOptions, type LockingOptions } from './context.js';
import type { CommandEvents, StepEvent } from './events.js';

/** Options of upgrade and downgrade. */
export interface MigrateCommandOptions extends CommandOptions, LockingOptions {
  /** Where to go: `head`, `heads`, a revision, `+N`/`-N`, `label@head`, `base`; with `sql` also `from:to`. Upgrade's default: `head`. */
  readonly target?: string;
  /** Return the SQL as `report.sql` instead of running it (no connection). */
  readonly sql?: boolean;
  /** Run even if an applied revision file changed since it ran (its new checksum is recorded). */
  readonly allowChanged?: boolean;
  /** Aborting it cancels the running statement (where the database can) or stops before the next one, and rolls back. */
  readonly signal?: AbortSignal;
}

/** One revision step of a run. */
export interface StepReport {
  readonly revision: string;
  readonly direction: 'up' | 'down';
  readonly message: string;
  /** The heads before and after the step. */
  readonly from: readonly string[];
  readonly to: readonly string[];
  /** How long the step took, in milliseconds; null for printed SQL. */
  readonly durationMs: number | null;
}

/** MigrateReport is what upgrade and downgrade did. */
export interface MigrateReport {
  readonly direction: 'up' | 'down';
  readonly target: string;
  /** Where the database stood before (its heads; empty at base) and stands now. */
  readonly from: readonly string[];
  readonly to: readonly string[];
  /** The steps run, in order; empty when there was nothing to do. */
  readonly steps: readonly StepReport[];
  /** Applied revision files that had changed and were accepted (allowChanged). */
  readonly accepted: readonly ChangedRevision[];
  /** The script, with `sql: true`; else null. */
  readonly sql: string | null;
  readonly warnings: readonly string[];
}
export type UpgradeReport = MigrateReport;
export type DowngradeReport = MigrateReport;

/** Applies revisions up to `target` (default `head`). */
export function upgrade(options: MigrateCommandOptions = {}, events: CommandEvents = {}): Promise<UpgradeReport> {
  return run('up', options.target ?? 'head', options, events);
}

/** Reverts revisions down to `target` (`base`, a revision, `-N`). */
export function downgrade(options: MigrateCommandOptions & { readonly target: string }, events: CommandEvents = {}): Promise<DowngradeReport> {
  if (typeof options?.target !== 'string' || options.target === '') {
    return Promise.reject(new RetortError('USAGE', 'downgrade needs a target', { hint: 'give `target`: base, a revision or -N' }));
  }
  return run('down', options.target, options, events);
}

function stepEvent(step: PlannedStep, index: number, total: number, describe: (s: PlannedStep) => string): StepEvent {
  return {
    revision: step.revision.revision,
    direction: step.direction,
    downRevisions: step.revision.downRevisions,
    message: step.revision.message,
    index,
    total,
    description: describe(step),
  };
}

function stepReport(step: PlannedStep, durationMs: number | null): StepReport {
  return { revision: step.revision.revision, direction: step.direction, message: step.revision.message, from: step.headsBefore, to: step.headsAfter, durationMs };
}

async function run(direction: 'up' | 'down', target: string, options: MigrateCommandOptions, events: CommandEvents): Promise<MigrateReport> {
  const project = await loadProject(options);
  const [{ migrate, migrateOffline }, { describeStep }] = await Promise.all([import('../runtime/migrate.js'), import('../runtime/runner.js')]);
  const lateError = events.lateError ? { onLateError: (e: Error) => events.lateError!(e) } : {};
  if (options.sql) {
    const parts: string[] = [];
    const offlineWarnings: string[] = [];
    const checked = new Set<string>();
    const offlineEvents = {
      offlineChecked: (step: PlannedStep) => {
        if (checked.has(step.revision.revision)) return;
        checked.add(step.revision.revision);
        const text = `${describeStep(step)} (${step.revision.file}) reads ctx.isOffline: what it does only with a database (a ctx.query() behind it) is not in this script; write a data change that must be in it with op.execute()`;
        offlineWarnings.push(text);
        events.warning?.(text);
      },
    };
    const steps = await migrateOffline(project, direction, target, (text) => parts.push(text), { ...lateError, events: offlineEvents });
    return {
      direction,
      target,
      from: steps[0]?.headsBefore ?? [],
      to: steps.at(-1)?.headsAfter ?? [],
      steps: steps.map((s) => stepReport(s, null)),
      accepted: [],
      sql: parts.join(''),
      warnings: offlineWarnings,
    };
  }
  const warnings: string[] = [];
  // Every warning the callback hears is in the report too (and so in --json).
  const warn = (text: string) => {
    warnings.push(text);
    events.warning?.(text);
  };
  let accepted: readonly ChangedRevision[] = [];
  let before: readonly string[] = [];
  const index = new Map<PlannedStep, number>();
  const durations = new Map<PlannedStep, number>();
  let total = 0;
  const signal = options.signal;
  const steps = await migrate(project, direction, target, {
    ...(signal ? { signal, interrupted: () => signal.aborted } : {}),
    allowChanged: options.allowChanged ?? false,
    ...lateError,
    ...(events.lockWait ? { onLockWait: (holder: string | null) => events.lockWait!(holder) } : {}),
    ...lockTimeoutMs(options),
    onAccepted: (changed) => {
      accepted = changed;
      events.changedFiles?.(changed, true);
      for (const c of changed) warn(`accepted the changed file ${c.file} (revision ${c.revision}); its new checksum is recorded`);
    },
    onPlanned: (planned, heads) => {
      before = heads;
      total = planned.length;
      planned.forEach((s, i) => index.set(s, i + 1));
      events.planned?.(total);
    },
    events: {
      stepStart: (step) => events.stepStart?.(stepEvent(step, index.get(step) ?? 0, total, describeStep)),
      stepDone: (step, took) => {
        durations.set(step, Math.round(took * 10) / 10);
        events.stepDone?.(stepEvent(step, index.get(step) ?? 0, total, describeStep), took);
      },
      notResumed: (revision, way, operations) =>
        warn(`the ${way === 'up' ? 'upgrade' : 'downgrade'} of ${revision} stopped part-way in an earlier run (its first ${operations} operation${operations === 1 ? '' : 's'} committed) and this run does not start with it: that work stays as it is, and is no longer resumed`),
      resumed: (step, operations) =>
        warn(`${describeStep(step)} resumes where an earlier run stopped: its first ${operations} operation${operations === 1 ? '' : 's'}, committed then, ${operations === 1 ? 'is' : 'are'} not run again`),
      lockRetry: (step, attempt, attempts, pauseMs) =>
        warn(`${describeStep(step)} gave up waiting for a lock (revisionLockTimeout) and rolled back what had not committed; attempt ${attempt} of ${attempts} in ${pauseMs < 1000 ? `${pauseMs} ms` : `${pauseMs / 1000} s`}`),
    },
  });
  return {
    direction,
    target,
    from: before,
    to: steps.at(-1)?.headsAfter ?? before,
    steps: steps.map((s) => stepReport(s, durations.get(s) ?? null)),
    accepted,
    sql: null,
    warnings,
  };
}

/** Options of stamp. */
export interface StampOptions extends CommandOptions, LockingOptions {
  /** A revision, `head`, `heads` or `base`; with `sql` also `from:to`. */
  readonly target: string;
  /** Empty the version table first (also when it names unknown revisions). */
  readonly purge?: boolean;
  /** Return the SQL as `report.sql` instead of writing the version table. */
  readonly sql?: boolean;
  /** Aborting it while the stamp waits for the migration lock stops the wait: the call rejects with INTERRUPTED. */
  readonly signal?: AbortSignal;
}

/** StampReport says what the version table held before and holds now. */
export interface StampReport {
  readonly target: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly purge: boolean;
  readonly sql: string | null;
}

/** Sets the version table to `target` without running any migration. */
export async function stamp(options: StampOptions, events: CommandEvents = {}): Promise<StampReport> {
  if (typeof options?.target !== 'string' || options.target === '') throw new RetortError('USAGE', 'stamp needs a target', { hint: 'give `target`: a revision, head, heads or base' });
  const project = await loadProject(options);
  const { stamp: stampVersions } = await import('../runtime/migrate.js');
  const parts: string[] = [];
  const result = await stampVersions(project, options.target, {
    purge: options.purge ?? false,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(events.lockWait ? { onLockWait: (holder: string | null) => events.lockWait!(holder) } : {}),
    ...lockTimeoutMs(options),
    ...(options.sql ? { sql: (text: string) => void parts.push(text) } : {}),
  });
  return { target: options.target, from: result.before, to: result.after, purge: options.purge ?? false, sql: options.sql ? parts.join('') : null };
}
