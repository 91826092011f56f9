/** What a run is given: the caller's options, and what its steps share while they run. */
import type { RetortError } from '../../errors.js';
import type { Dialect, RevisionTimeouts } from '../../dialects/dialect.js';
import type { NamingConvention } from '../../models/naming.js';
import type { VersionTable } from '../version-table.js';
import type { HistoryRow, HistoryTable } from '../history-table.js';
import type { PlannedStep, RunnerEvents } from './steps.js';
import type { RunPolicy } from './run-policy.js';
import type { StrayErrorWatch } from './stray-errors.js';

/** RunnerOptions are the caller's settings for one run of steps. */
export interface RunnerOptions {
  readonly dialect: Dialect;
  readonly versionTable: VersionTable;
  /** Where each step is recorded; absent for scratch replays. */
  readonly historyTable?: HistoryTable;
  /**
   * The history table's newest row, where the caller read the table already under its lock: a `part` row of the first
   * step makes it resume (step-run.ts). Absent: read when needed.
   */
  readonly newestHistoryRow?: HistoryRow | null;
  /** Which of the version and history tables exist, where the caller looked already under its lock (findOwnTables). */
  readonly ownTablesPresent?: ReadonlySet<string>;
  /** Checked between statements: a Ctrl-C stops the run at the next statement and rolls back (where the run policy is transactional). */
  readonly interrupted?: () => boolean;
  readonly naming: NamingConvention;
  readonly schema?: string;
  readonly events?: RunnerEvents;
  /**
   * Set when the steps run on the dialect's scratch database only so that offline SQL can be planned from the
   * schema the earlier revisions left (SQLite's rebuild reads the table): they do run, but on a private in-memory
   * database, so a failure must say that the SQL could not be written and that no database was touched.
   */
  readonly replaying?: boolean;
  /**
   * Told about an error a revision's code throws outside its await chain after the run ended (a timer it left);
   * when set, the run keeps listening for such errors until the process exits. Without it they are not caught.
   */
  readonly onLateError?: (error: RetortError) => void;
  /**
   * Bounds each revision's lock waits and statements, and how often a revision that gave up waiting for a lock
   * runs again (after a pause that doubles each time) before the run fails. Absent: no timeouts, no retries.
   */
  readonly timeouts?: RevisionTimeouts & { readonly lockRetries: number; readonly firstPauseMs?: number };
}

/** StepRunOptions are what one step sees: the run's options, whether it is offline, and what the steps share. */
export interface StepRunOptions extends RunnerOptions {
  readonly offline: boolean;
  /** Every step of the run, to name the one a stray error came from. */
  readonly steps: readonly PlannedStep[];
  readonly strays: StrayErrorWatch;
  readonly policy: RunPolicy;
}
