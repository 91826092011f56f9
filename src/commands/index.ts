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
export { verify, type VerifyOptions, type VerifyReport, type VerifyEvents } from './verify.js';
export { lint, type LintOptions, type LintReport } from './lint.js';
export { pull, type PullOptions, type PullReport } from './pull.js';
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
import { verify } from './verify.js';
import { lint } from './lint.js';
import { pull } from './pull.js';

/** Every command under its CLI name (`commands.check` is `checkDatabase`). */
export const commands = { upgrade, downgrade, stamp, current, history, heads, branches, show, check, revision, autogenerate, merge, init, verify, lint, pull } as const;
