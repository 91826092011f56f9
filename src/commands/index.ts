/**
 * The command layer: one use case per command, each taking typed options and returning a typed report (plain
 * data, JSON as it is), telling progress through CommandEvents; none prints, exits or sets an exit code. The CLI
 * (cli/) renders the reports as text or JSON; programs import them from 'retort-migrate'.
 */
export { upgrade, downgrade, stamp, type MigrateCommandOptions, type MigrateReport, type UpgradeReport, type DowngradeReport, type StepReport, type StampOptions, type StampReport } from './migrate.js';
export { current, history, heads, branches, show, type CurrentOptions, type CurrentReport, type HistoryOptions, type HistoryReport, type HeadsReport, type BranchesReport, type ShowOptions, type ShowReport, type ListedRevision } from './inspect.js';
// `check` is also the DSL's CHECK constraint builder (models/builders.ts), which model files import from the
// package: the command is exported as `checkDatabase`, and as `commands.check` with the other CLI names.
export { check as checkDatabase, type CheckOptions, type CheckReport } from './check.js';
export { revision, autogenerate, merge, init, type RevisionOptions, type RevisionReport, type MergeOptions, type MergeReport, type InitOptions, type InitReport } from './revision.js';
export type { VerifyOptions, VerifyReport, VerifyEvents } from './verify.js';
export type { LintOptions, LintReport } from './lint.js';
export type { PullOptions, PullReport } from './pull.js';
export type { CommandOptions, LockingOptions } from './context.js';
export type { CommandEvents, StepEvent } from './events.js';
export type { ModelsSummary } from './models-summary.js';
export type { RevisionInfo, BranchPointInfo } from '../revisions/revision-info.js';
export type { ChangedRevision } from '../runtime/migrate.js';
export type { HistoryRow } from '../runtime/history-table.js';

import { upgrade, downgrade, stamp } from './migrate.js';
import { current, history, heads, branches, show } from './inspect.js';
import { check } from './check.js';
import { revision, autogenerate, merge, init } from './revision.js';

type Verify = typeof import('./verify.js').verify;
type Lint = typeof import('./lint.js').lint;
type Pull = typeof import('./pull.js').pull;

// verify, lint and pull load their modules when first called (a scratch database's machinery, a SQL parser, the model
// renderer): importing the package, as every command and model file does, does not evaluate them.
/** Runs every revision up and down on a scratch database (commands/verify.ts). */
export function verify(...args: Parameters<Verify>): ReturnType<Verify> {
  return import('./verify.js').then((m) => m.verify(...args));
}

/** Lints revision files for operations that lock or lose data (commands/lint.ts). */
export function lint(...args: Parameters<Lint>): ReturnType<Lint> {
  return import('./lint.js').then((m) => m.lint(...args));
}

/** Writes model files from a live database (commands/pull.ts). */
export function pull(...args: Parameters<Pull>): ReturnType<Pull> {
  return import('./pull.js').then((m) => m.pull(...args));
}

/** Every command under its CLI name (`commands.check` is `checkDatabase`). */
export const commands = { upgrade, downgrade, stamp, current, history, heads, branches, show, check, revision, autogenerate, merge, init, verify, lint, pull } as const;
