/**
 * upgrade, downgrade and stamp: plan against the version table under the
 * migration lock, then run (online) or print (offline, `--sql`).
 */
import { RetortError } from '../errors.js';
import { liveCatalog, lockWaitInterrupted, type Connection, type Dialect, type LockOptions } from '../dialects/dialect.js';
import { planDowngrade, planUpgrade, parseRange, resolveHeads } from '../revisions/revision-target.js';
// The runner (and with it the revision loader) is imported by the commands that run revisions, not by check or current.
import type { HeaderCheck } from '../revisions/header-cache.js';
import type { PlannedStep, RunnerEvents, RunnerOptions } from './runner.js';
import { withConnection, type Project } from './project.js';
import { HistoryTable, lastUpgrades, newestRow, toolVersion, type HistoryRow } from './history-table.js';
import { VersionTable, createOwnTables, findOwnTables, requireKnownHeads } from './version-table.js';
import { sourceChecksum } from './checksum.js';
import { parentChange, type ParentChange } from './changed-parents.js';
import { readFileSync } from 'node:fs';

export type Direction = 'up' | 'down';

/** The lock and statement timeouts each revision's transaction sets, and the lock retries (config `revisionLockTimeout`...). */
export function revisionTimeouts(project: Project): NonNullable<RunnerOptions['timeouts']> {
  const { lockTimeoutMs, statementTimeoutMs, lockRetries } = project.config.online;
  return { lockTimeoutMs, statementTimeoutMs, lockRetries };
}

export interface MigrateOptions {
  readonly events?: RunnerEvents;
  /** Called once if another process holds the migration lock. */
  readonly onLockWait?: (holder: string | null) => void;
  readonly lockTimeoutMs?: number;
  /** Run even when an applied revision's file changed since it ran. */
  readonly allowChanged?: boolean;
  /** Checked between statements (Ctrl-C). */
  readonly interrupted?: () => boolean;
  /** Aborted on Ctrl-C: the statement running then is cancelled where the database can (Connection.cancel). */
  readonly signal?: AbortSignal;
  /** Told which changed files --allow-changed accepted. */
  readonly onAccepted?: (changed: readonly ChangedRevision[]) => void;
  /** Told about an error a revision's code throws outside its await chain once the run is over (see RunnerOptions). */
  readonly onLateError?: (error: RetortError) => void;
  /** Told the plan, and the heads the database was at, before any step runs. */
  readonly onPlanned?: (steps: readonly PlannedStep[], heads: readonly string[]) => void;
}

/** Records the current checksums of changed files, so that accepting a change is needed once, not on every run. */
async function acceptChanged(project: Project, dialect: Dialect, conn: Connection, changed: readonly ChangedRevision[]): Promise<void> {
  const history = historyTable(project, dialect);
  await conn.query(dialect.beginSql);
  try {
    for (const c of changed) {
      await conn.query(history.insertStatement({ revision: c.revision, direction: 'accept', checksum: c.current, appliedAt: new Date().toISOString(), durationMs: 0, toolVersion: toolVersion() }).sql);
    }
    await conn.query('COMMIT');
  } catch (e) {
    await conn.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** An applied revision whose file is not what ran. */
export interface ChangedRevision {
  readonly revision: string;
  readonly file: string;
  readonly recorded: string;
  readonly current: string;
  /** Present when its parents changed since it ran (a rebase): what it ran on, and what it now requires that never ran before it. */
  readonly parents?: ParentChange;
}

/** Applied revisions whose file content differs from the checksum recorded when they ran. */
export async function changedRevisions(project: Project, dialect: Dialect, conn: Connection, heads: readonly string[], present?: ReadonlySet<string>, rows?: readonly HistoryRow[]): Promise<ChangedRevision[]> {
  const graph = project.graph();
  const history = rows ?? (await historyTable(project, dialect).read(conn, present));
  const recorded = lastUpgrades(history);
  const applied = graph.ancestors(heads, true);
  const changed: ChangedRevision[] = [];
  for (const [revision, row] of recorded) {
    const header = graph.get(revision);
    if (!header || !applied.has(revision)) continue;
    const source = readFileSync(header.file, 'utf8');
    const current = sourceChecksum(source);
    if (current === row.checksum) continue;
    const parents = parentChange(graph, revision, source, row.checksum, history);
    changed.push({ revision, file: header.file, recorded: row.checksum, current, ...(parents === null ? {} : { parents }) });
  }
  return changed;
}

/**
 * A changed file whose revision now requires a revision that never ran before it, and whose old parents were found:
 * it was rebased after it ran. Upgrading would never run the new parent (the version table counts it applied, being
 * before an applied head), so this is refused even with --allow-changed.
 */
function rebasedError(changed: readonly ChangedRevision[]): RetortError | null {
  const rebased = changed.find((c) => c.parents?.appliedOn != null && c.parents.neverRan.length > 0);
  if (rebased === undefined) return null;
  const { revision, file } = rebased;
  const { now, appliedOn, neverRan } = rebased.parents!;
  return new RetortError('CHECKSUM', `revision ${revision} ran on ${appliedOn!.join(', ')}, but its file now revises ${now.join(', ')} (rebased?): ${neverRan.join(', ')} never ran on this database, and upgrade would skip ${neverRan.length === 1 ? 'it' : 'them'} (counted as applied, being before ${revision})`, {
    details: [`file: ${file}`],
    hint: `put back ${revision}'s file as it ran (git stash, or check out the old file), run \`retort downgrade ${revision}-1\`, restore the rebased file, then \`retort upgrade head\``,
  });
}

function changedError(changed: readonly ChangedRevision[]): RetortError {
  const first = changed[0]!;
  return new RetortError('CHECKSUM', `revision file ${first.file} changed since revision ${first.revision} was applied (recorded sha256 ${first.recorded.slice(0, 12)}, now ${first.current.slice(0, 12)})${changed.length > 1 ? `, and ${changed.length - 1} more` : ''}`, {
    details: changed.slice(1).map((c) => `also changed: ${c.file} (${c.revision})`),
    hint: changedHint(first),
  });
}

/** What to do about a changed file: restore or accept it, unless the change is to its parents. */
function changedHint(c: ChangedRevision): string {
  const p = c.parents;
  if (p === undefined) return 'restore the file as it was applied, or pass --allow-changed if the change is deliberate';
  const never = p.neverRan.join(', ');
  // Its parents changed, to revisions that ran before it: accepting the file loses nothing.
  if (p.neverRan.length === 0) return `its parents changed (it ran on ${p.appliedOn!.join(', ')}, which it no longer revises); the revisions it now revises ran before it, so pass --allow-changed to accept the new parents, or restore the file`;
  // No old parent found: a rebase, or a revision stamped (no history row) and a file edited on purpose.
  return `it now requires ${never}, which has no history row before ${c.revision} ran: if ${c.revision} was rebased onto ${never}, put back its file as it ran (git stash), run \`retort downgrade ${c.revision}-1\`, restore the file, then \`retort upgrade head\`; if ${never} was stamped and the change is deliberate, pass --allow-changed`;
}

/**
 * Reads the applied heads and checks that every one has a revision file; `present` (ownTables) says which of Retort's
 * tables exist, when the caller looked already.
 */
export async function readCheckedHeads(project: Project, dialect: Dialect, conn: Connection, check: HeaderCheck = 'files', present?: ReadonlySet<string>): Promise<string[]> {
  return requireKnownHeads(project, await versionTable(project, dialect).readHeads(conn, present), check);
}

/** Which of the project's own tables (version, history) exist, in one query. */
export function ownTables(project: Project, dialect: Dialect, conn: Connection): Promise<ReadonlySet<string>> {
  return findOwnTables(conn, dialect, [versionTable(project, dialect), historyTable(project, dialect)]);
}

function plan(project: Project, direction: Direction, heads: readonly string[], target: string): PlannedStep[] {
  const graph = project.graph();
  return direction === 'up' ? planUpgrade(graph, heads, target) : planDowngrade(graph, heads, target);
}

/** How long to wait for a lock, the migration lock's and the database's own: --lock-timeout, else the config's. */
export function lockTimeoutMs(project: Project, opts: { readonly lockTimeoutMs?: number | undefined }): number {
  return opts.lockTimeoutMs ?? project.config.lockTimeoutMs;
}

/** The migration lock's options for a command. */
export function lockOptions(project: Project, dialect: Dialect, opts: { readonly lockTimeoutMs?: number | undefined; readonly onLockWait?: ((holder: string | null) => void) | undefined; readonly interrupted?: (() => boolean) | undefined; readonly signal?: AbortSignal | undefined }): LockOptions {
  const interrupted = opts.interrupted !== undefined || opts.signal !== undefined ? () => opts.interrupted?.() === true || opts.signal?.aborted === true : undefined;
  return {
    key: project.lockKey(dialect),
    timeoutMs: lockTimeoutMs(project, opts),
    ...(opts.onLockWait ? { onWait: opts.onLockWait } : {}),
    ...(interrupted ? { interrupted } : {}),
  };
}

/** Takes the migration lock for the length of `fn`; an interrupt while it waited (or as it got it) runs nothing. */
async function underLock<T>(project: Project, dialect: Dialect, conn: Connection, opts: MigrateOptions, fn: () => Promise<T>): Promise<T> {
  const options = lockOptions(project, dialect, opts);
  const release = await dialect.lock(conn, options);
  try {
    if (options.interrupted?.() === true) throw lockWaitInterrupted();
    return await fn();
  } finally {
    await release();
  }
}

/**
 * Stops a run while a failed concurrent index build has left an index the database does not use: a revision that
 * builds it again `IF NOT EXISTS` would pass over it and leave it broken for good.
 */
async function refuseInvalidIndexes(project: Project, dialect: Dialect, conn: Connection): Promise<void> {
  const invalid = (await dialect.invalidIndexes?.(conn, project.schema(dialect) === undefined ? {} : { schema: project.schema(dialect)! })) ?? [];
  if (invalid.length === 0) return;
  const names = invalid.map((i) => `"${i.name}" on "${i.table}"`).join(', ');
  throw new RetortError('MIGRATION_FAILED', `index ${names} ${invalid.length === 1 ? 'is' : 'are'} INVALID: a concurrent build failed or was interrupted and left ${invalid.length === 1 ? 'it' : 'them'} unused; nothing was run`, {
    details: invalid.map((i) => `run: ${i.dropSql}`),
    hint: `drop ${invalid.length === 1 ? 'it' : 'them'} (the statement${invalid.length === 1 ? '' : 's'} above) and run the command again, which builds ${invalid.length === 1 ? 'it' : 'them'} anew`,
  });
}

/** A from:to range names where the database stands, which only an offline run needs to be told. */
function refuseRange(target: string, command: string): void {
  if (!target.includes(':')) return;
  throw new RetortError('USAGE', `'${target}' is a range, which only --sql takes: online, ${command} reads where the database stands`, {
    hint: `give one target (e.g. ${target.split(':')[1] || 'head'}), or add --sql to print the SQL for the range`,
  });
}

/** Moves the database to `target`; returns the steps run (empty when already there). */
export async function migrate(project: Project, direction: Direction, target: string, opts: MigrateOptions = {}): Promise<PlannedStep[]> {
  refuseRange(target, direction === 'up' ? 'upgrade' : 'downgrade');
  project.readGraphSoon();
  return withConnection(project, (dialect, conn) =>
    underLock(project, dialect, conn, opts, async () => {
      // Looked for once, under the lock: the reads below and the run's creating them need not look again.
      const present = await ownTables(project, dialect, conn);
      const heads = await readCheckedHeads(project, dialect, conn, 'files', present);
      const steps = plan(project, direction, heads, target);
      // Read once: the checksums of what is applied, and the newest row (a step's committed part, to resume).
      const history = await historyTable(project, dialect).read(conn, present);
      const changed = await changedRevisions(project, dialect, conn, heads, present, history);
      if (changed.length > 0) {
        const rebased = rebasedError(changed);
        if (rebased !== null) throw rebased;
        if (!opts.allowChanged) throw changedError(changed);
      }
      opts.onPlanned?.(steps, heads);
      if (steps.length > 0) {
        await refuseInvalidIndexes(project, dialect, conn);
        const { runSteps } = await import('./runner.js');
        const cancel = () => void conn.cancel?.().catch(() => undefined);
        opts.signal?.addEventListener('abort', cancel, { once: true });
        try {
          await runSteps(conn, liveCatalog(dialect, conn, project.schema(dialect)), steps, {
          dialect,
          versionTable: versionTable(project, dialect),
          historyTable: historyTable(project, dialect),
          ownTablesPresent: present,
          newestHistoryRow: newestRow(history),
          ...(opts.interrupted ? { interrupted: opts.interrupted } : {}),
          naming: project.config.naming,
          schema: project.schema(dialect),
          offline: false,
          ...(opts.events ? { events: opts.events } : {}),
          ...(opts.onLateError ? { onLateError: opts.onLateError } : {}),
          timeouts: revisionTimeouts(project),
          });
        } finally {
          opts.signal?.removeEventListener('abort', cancel);
        }
      } else {
        await dialect.afterIdleRun?.(conn);
      }
      // Accepted once the run has succeeded, so that a failed run leaves nothing behind (the next run needs
      // --allow-changed again); a revision this run undid is no longer applied, and has no checksum to accept.
      if (changed.length > 0) {
        const undone = new Set(steps.filter((s) => s.direction === 'down').map((s) => s.revision.revision));
        const kept = changed.filter((c) => !undone.has(c.revision));
        if (kept.length > 0) {
          await acceptChanged(project, dialect, conn, kept);
          opts.onAccepted?.(kept);
        }
      }
      return steps;
    }),
    // A downgrade of a SQLite file that does not exist finds nothing applied, and leaves no empty file behind.
    { lockTimeoutMs: lockTimeoutMs(project, opts), readOnly: direction === 'down' },
  );
}

/**
 * Writes the SQL of a migration without connecting. `target` is `to` or
 * `from:to` (downgrade needs the range, as the database is not read).
 */
export async function migrateOffline(
  project: Project,
  direction: Direction,
  target: string,
  write: (text: string) => void,
  opts: Pick<MigrateOptions, 'onLateError' | 'events'> = {},
): Promise<PlannedStep[]> {
  const [dialect, { offlineCatalog, PrintingConnection, runSteps }] = await Promise.all([project.dialect(), import('./runner.js')]);
  const range = target.includes(':') ? parseRange(target) : { from: null, to: target };
  if (direction === 'down' && range.from === null) {
    throw new RetortError('USAGE', `downgrade --sql needs a range such as ${project.graph().heads[0] ?? 'head'}:${target}, because the database is not read`);
  }
  const graph = project.graph();
  const startSteps = range.from && range.from !== 'base' ? planUpgrade(graph, [], range.from) : [];
  const startHeads = startSteps.length > 0 ? startSteps[startSteps.length - 1]!.headsAfter : [];
  const scratch = await dialect.openScratch();
  try {
    const common = { dialect, versionTable: versionTable(project, dialect), naming: project.config.naming, schema: project.schema(dialect) };
    // The scratch database replays what the printed SQL assumes is already there.
    if (scratch && startSteps.length > 0) await runSteps(scratch, liveCatalog(dialect, scratch), startSteps, { ...common, offline: false, replaying: true });
    const steps = plan(project, direction, startHeads, range.to ?? 'head');
    // A range that runs backwards would print an empty script that looks like success.
    if (direction === 'up' && steps.length === 0 && range.from !== null && range.to !== null) {
      const to = resolveHeads(graph, startHeads, range.to);
      if (to.length > 0 && to.every((t) => startHeads.some((h) => graph.isAncestor(t, h)))) {
        throw new RetortError('TARGET', `'${target}' runs backwards: ${to.join(', ')} comes before ${range.from}, and an upgrade range goes from an older revision to a newer one`, { hint: `write ${range.to}:${range.from}, or use downgrade ${range.from}:${range.to} --sql` });
      }
    }
    const printer = new PrintingConnection(write, scratch, dialect);
    const frame = dialect.scriptFrame;
    for (const s of [...(dialect.sessionSetup ?? []), ...(frame?.opening ?? []), ...project.schemaSetup(dialect)]) write(`${s.sql};\n\n`);
    await runSteps(printer, offlineCatalog(dialect, scratch), steps, {
      ...common,
      timeouts: revisionTimeouts(project),
      historyTable: historyTable(project, dialect),
      offline: true,
      ...(opts.events ? { events: opts.events } : {}),
      ...(opts.onLateError ? { onLateError: opts.onLateError } : {}),
    });
    for (const s of frame?.closing ?? []) write(`${s.sql};\n\n`);
    return steps;
  } finally {
    await scratch?.close();
  }
}

/** Sets the version table to `target` without running any migration. */
export async function stamp(project: Project, target: string, opts: MigrateOptions & { purge: boolean; sql?: (text: string) => void }): Promise<{ before: string[]; after: string[] }> {
  const graph = project.graph();
  // Offline, `from:to` says where the database stands (it is not read); online the database says.
  if (!opts.sql) refuseRange(target, 'stamp');
  const range = opts.sql && target.includes(':') ? parseRange(target) : null;
  const to = range ? (range.to ?? 'heads') : target;
  const apply = async (dialect: Dialect, conn: Connection, before: string[]) => {
    const resolved = resolveHeads(graph, before, to);
    // Stamping base (or anything that resolves to no revision) empties the table, as in Alembic.
    const kept = opts.purge || resolved.length === 0 ? [] : before.filter((h) => resolved.every((r) => r !== h && !graph.isAncestor(h, r) && !graph.isAncestor(r, h)));
    const after = [...new Set([...kept, ...resolved])].sort();
    const vt = versionTable(project, dialect);
    // A printed script cannot look first: it creates the table if it does not exist.
    if (opts.sql) await conn.query(vt.createStatement().sql);
    else await createOwnTables(conn, dialect, [vt]);
    await conn.query(dialect.beginSql);
    try {
      if (opts.purge) await conn.query(`DELETE FROM ${dialect.quoteIdentifier(project.config.versionTable)}`);
      for (const s of vt.transition(opts.purge ? [] : before, after, opts.sql !== undefined)) await conn.query(s.sql);
      await conn.query('COMMIT');
    } catch (e) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
    return { before, after };
  };
  if (opts.sql) {
    const [dialect, { PrintingConnection }] = await Promise.all([project.dialect(), import('./runner.js')]);
    const from = range && range.from !== null && range.from !== 'base' ? resolveHeads(graph, [], range.from) : [];
    for (const s of dialect.sessionSetup ?? []) opts.sql(`${s.sql};\n\n`);
    return apply(dialect, new PrintingConnection(opts.sql, null, dialect), from);
  }
  return withConnection(project, (dialect, conn) =>
    underLock(project, dialect, conn, opts, async () => {
      // With --purge the table may name revisions that no longer exist: that is what purge is for.
      const before = opts.purge ? await versionTable(project, dialect).readHeads(conn) : await readCheckedHeads(project, dialect, conn);
      return apply(dialect, conn, before);
    }),
    { lockTimeoutMs: lockTimeoutMs(project, opts) },
  );
}


/** When each applied revision ran (its latest upgrade in the history table); empty for databases without history. */
export async function appliedRecords(project: Project): Promise<Map<string, HistoryRow>> {
  return withConnection(project, async (dialect, conn) => lastUpgrades(await historyTable(project, dialect).read(conn)), { readOnly: true });
}

/** The project's version table (its name and schema from the config). */
function versionTable(project: Project, dialect: Dialect): VersionTable {
  return new VersionTable(dialect, project.config.versionTable, project.schema(dialect));
}

/** The project's history table. */
export function historyTable(project: Project, dialect: Dialect): HistoryTable {
  return new HistoryTable(dialect, project.config.historyTable, project.schema(dialect));
}

