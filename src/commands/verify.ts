/**
 * `verify`: tests the project's revisions the way pytest-alembic does, and more strictly. On an empty scratch
 * database (created and dropped here, or given): one head; each revision upgraded, downgraded and upgraded again,
 * with the downgrade giving back exactly the schema from before the upgrade; at head the models match; with `sql`
 * every revision renders as a script. Returns a report; never prints, never exits.
 */
import { RetortError, isRetortError, messageOf } from '../errors.js';
import { loadConfig } from '../config/load-config.js';
import { resolveConfig, workingFolder } from '../config/config.js';
import type { Dialect, ScratchDatabase } from '../dialects/dialect.js';
import { describeDifferences } from '../operations/describe.js';
import { checkDatabase, liveSchema } from '../runtime/autogenerate-revision.js';
import { migrate, migrateOffline } from '../runtime/migrate.js';
import { Project, withConnection } from '../runtime/project.js';
import { VersionTable } from '../runtime/version-table.js';
import { roundTrips, type RevisionTiming, type RoundTripEvents } from '../runtime/verify-walk.js';
import { differenceText } from './verify-text.js';

export interface VerifyOptions {
  /** A config file's path, or the config object itself; absent: the config found from `cwd`. */
  readonly config?: string | object;
  /** Where to look for the config; default: the working folder. */
  readonly cwd?: string;
  /**
   * An empty database to verify on, used as it is and downgraded to base again at the end (where a check fails, it
   * is left where the failure left it). Absent: a scratch database is created beside
   * the configured one (its server and credentials) and dropped at the end; the configured database is not touched.
   */
  readonly url?: string;
  /** Also render every revision as a script (upgrade base:head and downgrade head:base, as --sql does). */
  readonly sql?: boolean;
  /** Stops the run (Ctrl-C): the running step is cancelled and rolled back, the scratch database dropped, INTERRUPTED thrown. */
  readonly signal?: AbortSignal;
}

/** What `verify` reports while it runs. */
export interface VerifyEvents extends RoundTripEvents {
  /** The database the run uses, once it exists. */
  database?(masked: string, scratch: boolean): void;
  /** A check other than the round trips starts. */
  check?(check: 'models' | 'sql'): void;
}

export type VerifyCheck = 'heads' | 'round trips' | 'models' | 'sql';
export type CheckStatus = 'passed' | 'failed' | 'skipped';

/** The first failure: which check, which revision and step, and what differs, in words. */
export interface VerifyFailure {
  readonly check: VerifyCheck;
  readonly revision: string | null;
  readonly file: string | null;
  /** For a round trip: the step that failed. */
  readonly phase: 'upgrade' | 'downgrade' | 'upgrade again' | null;
  readonly message: string;
  /** The error's own lines (the failed statement and the database's reply). */
  readonly details: readonly string[];
  /** One line per object that differs, or per head. */
  readonly differences: readonly string[];
  readonly hint: string | null;
}

/** VerifyReport is the whole result of a run, as plain data. */
export interface VerifyReport {
  readonly ok: boolean;
  /** The database used (password masked) and whether verify created it (and then dropped it). */
  readonly database: { readonly url: string; readonly scratch: boolean } | null;
  /** Revisions in the project, and how many passed their round trip. */
  readonly revisions: number;
  readonly verified: number;
  readonly heads: readonly string[];
  readonly checks: Readonly<Record<VerifyCheck, CheckStatus>>;
  readonly failure: VerifyFailure | null;
  readonly timings: readonly RevisionTiming[];
  readonly durationMs: number;
}

/** The project as the options name it. */
async function loadProject(options: VerifyOptions): Promise<Project> {
  const cwd = options.cwd ?? workingFolder();
  const config = options.config !== undefined && typeof options.config === 'object'
    ? resolveConfig(options.config, null, cwd, {})
    : await loadConfig(cwd, { config: options.config });
  return new Project(config);
}

/** The project moved onto another database. */
function onDatabase(project: Project, url: string, source: string): Project {
  return new Project({ ...project.config, url, urlSource: source });
}

/** A database given with --url must hold nothing: verify migrates it from base, and would change whatever is there. */
async function refuseNonEmpty(project: Project, dialect: Dialect, conn: Parameters<typeof liveSchema>[2], masked: string): Promise<void> {
  const schema = await liveSchema(project, dialect, conn);
  const heads = await new VersionTable(dialect, project.config.versionTable, project.schema(dialect)).readHeads(conn);
  const objects = [...schema.tables.map((t) => `table ${t.name}`), ...schema.enums.map((e) => `enum ${e.name}`)];
  if (objects.length === 0 && heads.length === 0) return;
  const what = objects.length > 0 ? `${objects.length} object${objects.length === 1 ? '' : 's'} (${objects.slice(0, 3).join(', ')}${objects.length > 3 ? ', ...' : ''})` : `revision ${heads.join(', ')} applied`;
  throw new RetortError('USAGE', `${masked} is not empty: it holds ${what}, and verify migrates the database it is given from base`, {
    hint: 'give --url an empty database, or leave --url out to let verify create and drop its own',
  });
}

/** Runs every check on the database `project` names; returns the first failure, or null. */
async function runChecks(project: Project, options: VerifyOptions, events: VerifyEvents, given: string | null, status: Record<VerifyCheck, CheckStatus>): Promise<{ failure: VerifyFailure | null; timings: readonly RevisionTiming[] }> {
  const { timings, failure } = await withConnection(project, async (dialect, conn) => {
    if (given !== null) await refuseNonEmpty(project, dialect, conn, given);
    const cancel = () => void conn.cancel?.().catch(() => undefined);
    options.signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await roundTrips(project, dialect, conn, events, options.signal);
    } finally {
      options.signal?.removeEventListener('abort', cancel);
    }
  });
  if (failure) {
    status['round trips'] = 'failed';
    return {
      timings,
      failure: { check: 'round trips', revision: failure.revision, file: failure.file, phase: failure.phase, message: failure.message, details: failure.details, differences: failure.differences.map((d) => differenceText(d, failure.phase, failure.revision)), hint: null },
    };
  }
  status['round trips'] = 'passed';

  events.check?.('models');
  const { ops } = await checkDatabase(project, () => undefined);
  if (ops.length > 0) {
    status.models = 'failed';
    const differences = describeDifferences(ops);
    return {
      timings,
      failure: { check: 'models', revision: null, file: null, phase: null, message: `at head the database differs from the models (${differences.length} difference${differences.length === 1 ? '' : 's'})`, details: [], differences, hint: 'run `retort revision --autogenerate` for the missing changes, or fix the revision that differs' },
    };
  }
  status.models = 'passed';

  if (options.sql && project.graph().size > 0) {
    events.check?.('sql');
    let revision: { revision: string; file: string } | null = null;
    const track = { stepStart: (s: { revision: { revision: string; file: string } }) => void (revision = s.revision) };
    try {
      await migrateOffline(project, 'up', 'base:head', () => undefined, { events: track });
      await migrateOffline(project, 'down', 'head:base', () => undefined, { events: track });
    } catch (e) {
      status.sql = 'failed';
      const at = revision as { revision: string; file: string } | null;
      return { timings, failure: { check: 'sql', revision: at?.revision ?? null, file: at?.file ?? null, phase: null, message: `the script cannot be rendered: ${messageOf(e)}`, details: e instanceof RetortError ? e.details : [], differences: [], hint: null } };
    }
    status.sql = 'passed';
  }
  // A database the user gave is left as it was found: empty, but for Retort's own tables.
  if (given !== null) await migrate(project, 'down', 'base');
  return { timings, failure: null };
}

/** Verifies the project's revisions; see the module comment. Errors (no config, no connection) are thrown. */
export async function verify(options: VerifyOptions = {}, events: VerifyEvents = {}): Promise<VerifyReport> {
  const started = performance.now();
  const project = await loadProject(options);
  const graph = project.graph();
  const heads = [...graph.heads];
  const status: Record<VerifyCheck, CheckStatus> = { heads: 'passed', 'round trips': 'skipped', models: 'skipped', sql: 'skipped' };
  const report = (database: VerifyReport['database'], failure: VerifyFailure | null, timings: readonly RevisionTiming[]): VerifyReport => ({
    ok: failure === null,
    database,
    revisions: graph.size,
    verified: timings.length,
    heads,
    checks: { ...status },
    failure,
    timings,
    durationMs: Math.round(performance.now() - started),
  });
  if (heads.length > 1) {
    status.heads = 'failed';
    return report(null, {
      check: 'heads', revision: null, file: null, phase: null,
      message: `the revisions have ${heads.length} heads, and a deployment can only move to one`,
      details: [], differences: heads.map((h) => `head ${h}: ${graph.require(h).message}`),
      hint: 'join them with `retort merge heads -m "merge"`',
    }, []);
  }

  let scratch: ScratchDatabase | null = null;
  let target: Project;
  if (options.url !== undefined) {
    target = onDatabase(project, options.url, '--url');
  } else {
    const url = project.url();
    const dialect = await project.dialect();
    scratch = await dialect.createScratchDatabase(url, { schema: project.config.schema ?? undefined });
    target = onDatabase(project, scratch.url, 'verify scratch database');
  }
  const masked = scratch ? scratch.masked : target.url().masked;
  events.database?.(masked, scratch !== null);
  let result: Awaited<ReturnType<typeof runChecks>>;
  try {
    result = await runChecks(target, options, events, scratch ? null : masked, status);
  } catch (e) {
    const dropped = await scratch?.drop().then(() => true, () => false);
    if (scratch && isRetortError(e) && e.code === 'INTERRUPTED') {
      throw new RetortError('INTERRUPTED', `${e.message}; ${dropped ? 'the scratch database was dropped' : `the scratch database ${masked} could not be dropped: drop it by hand`}`, { exitCode: 130, cause: e });
    }
    throw e;
  }
  if (scratch) {
    try {
      await scratch.drop();
    } catch (e) {
      throw new RetortError('CONNECTION', `verify could not drop its scratch database ${masked}: ${messageOf(e)}`, { hint: 'drop it by hand' });
    }
  }
  return report({ url: masked, scratch: scratch !== null }, result.failure, result.timings);
}
