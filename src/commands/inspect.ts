/**
 * current, history, heads, branches and show as use cases: what the revision files and the database say, as
 * reports of plain revisions (RevisionInfo). history, heads, branches and show read only the revision headers;
 * current, and history when it must, read the database.
 */
import { RetortError, isRetortError, messageOf } from '../errors.js';
import type { HistoryRow, StoppedRevision } from '../runtime/history-table.js';
import type { Project } from '../runtime/project.js';
import { branchPointInfos, revisionInfo, type BranchPointInfo, type RevisionInfo } from '../revisions/revision-info.js';
import { historyNeedsDatabase } from '../revisions/history-range.js';
import { loadProject, type CommandOptions } from './context.js';
import type { CommandEvents } from './events.js';

/** A revision of a listing, with what the database says of it where the command read that. */
export interface ListedRevision extends RevisionInfo {
  /** Whether the database is at it (history with `indicateCurrent`, and current). */
  readonly current?: boolean;
  /** When it last ran (its history-table row), null when applied without a record; present only where asked. */
  readonly applied?: HistoryRow | null;
}

/** Options of current. */
export interface CurrentOptions extends CommandOptions {
  /** Also read when each applied revision ran (the history table), as `current -v` shows it. */
  readonly records?: boolean;
}

/** CurrentReport names the revisions the database is at (none: base). */
export interface CurrentReport {
  readonly heads: readonly string[];
  /** The known heads, as revisions. */
  readonly revisions: readonly ListedRevision[];
  /** Heads the version table names that no revision file has (a branch switched, a revert). */
  readonly missing: readonly string[];
  /** What to do about `missing`, one line each. */
  readonly warnings: readonly string[];
  /**
   * A revision an earlier run left part-way (a kill or a lost connection after the work before one of its autocommit
   * blocks committed): what committed of it, which the next run skips; null when none.
   */
  readonly stopped: StoppedRevision | null;
}

/** The database's current revision(s). */
export async function current(options: CurrentOptions = {}): Promise<CurrentReport> {
  const project = await loadProject(options);
  // The version table is read with the dialect's connector alone; the whole dialect only for `records`.
  // Unchecked: a head no file has is shown, with the way out, where every other command refuses it.
  const { heads, stopped } = await (await import('../runtime/current-heads.js')).currentState(project, null);
  const graph = project.graph('folder');
  const records = options.records ? await (await import('../runtime/migrate.js')).appliedRecords(project) : null;
  const missing = heads.filter((id) => !graph.has(id));
  return {
    heads,
    stopped,
    revisions: heads.filter((id) => graph.has(id)).map((id) => ({ ...revisionInfo(graph, graph.require(id)), current: true, ...(records ? { applied: records.get(id) ?? null } : {}) })),
    missing,
    warnings: await missingWarnings(project, missing),
  };
}

/** One warning per head no revision file has: that no file has it, and the way out. */
async function missingWarnings(project: Project, missing: readonly string[]): Promise<string[]> {
  if (missing.length === 0) return [];
  const { missingHeadHint } = await import('../runtime/version-table.js');
  return missing.map((id) => `the database is at ${id}, which no file in ${project.config.migrationsDir} has (a branch switched or a revert?): ${missingHeadHint(id)}`);
}

/** Options of history. */
export interface HistoryOptions extends CommandOptions {
  /** Only revisions in `from:to` (either side may be empty; `current` and `-N` read the database). */
  readonly revRange?: string;
  /** Mark the revisions the database is at (connects). */
  readonly indicateCurrent?: boolean;
  /** Also say when each revision ran, if a database is configured and answers (never fails for want of one). */
  readonly records?: boolean;
}

/** HistoryReport lists revisions newest first. */
export interface HistoryReport {
  readonly range: string | null;
  /** Where the database is, when the listing read it (indicateCurrent, or a range that needs it); else null. */
  readonly current: readonly string[] | null;
  readonly revisions: readonly ListedRevision[];
  readonly warnings: readonly string[];
}

/** Lists revisions, newest first. */
export async function history(options: HistoryOptions = {}, events: CommandEvents = {}): Promise<HistoryReport> {
  const project = await loadProject(options);
  const graph = project.graph('folder');
  // The database layer is loaded only when the listing needs the database: for -i, and for a range that
  // `current` or a relative step (`-2:`) bounds, which only the database can answer, as in Alembic.
  const readsDatabase = historyNeedsDatabase(options);
  // -i alone marks the heads the files have and warns of the others; a range counted from the database needs them all.
  const heads = readsDatabase ? await (await import('../runtime/current-heads.js')).currentHeads(project, options.revRange ? 'folder' : null) : [];
  const missing = heads.filter((id) => !graph.has(id));
  // Target resolution is loaded only for a range: a plain listing does not need it.
  const { from, to } = options.revRange ? (await import('../revisions/revision-target.js')).historyBounds(graph, heads, options.revRange) : { from: null, to: null };
  const warnings: string[] = [];
  for (const w of await missingWarnings(project, missing)) {
    warnings.push(w);
    events.warning?.(w);
  }
  const records = options.records ? await verboseRecords(project, (w) => { warnings.push(w); events.warning?.(w); }) : undefined;
  const at = new Set(heads);
  const revisions = graph.history(from, to).map((h): ListedRevision => ({
    ...revisionInfo(graph, h),
    ...(options.indicateCurrent ? { current: at.has(h.revision) } : {}),
    ...(records ? { applied: records.get(h.revision) ?? null } : {}),
  }));
  return { range: options.revRange ?? null, current: readsDatabase ? heads : null, revisions, warnings };
}

/** For `history` with records: when revisions ran, if a database is configured and answers. */
async function verboseRecords(project: Project, warn: (text: string) => void): Promise<ReadonlyMap<string, HistoryRow> | undefined> {
  if (project.config.url === null) return undefined;
  try {
    return await (await import('../runtime/migrate.js')).appliedRecords(project);
  } catch (e) {
    warn(`not showing when revisions ran: ${isRetortError(e) ? e.message : messageOf(e)}`);
    return undefined;
  }
}

/** HeadsReport lists the head revisions. */
export interface HeadsReport {
  readonly heads: readonly RevisionInfo[];
}

/** The head revisions. */
export async function heads(options: CommandOptions = {}): Promise<HeadsReport> {
  const graph = (await loadProject(options)).graph('folder');
  return { heads: graph.heads.map((id) => revisionInfo(graph, graph.require(id))) };
}

/** BranchesReport lists the branch points, oldest first, and the revisions that leave each. */
export interface BranchesReport {
  readonly branchPoints: readonly BranchPointInfo[];
}

/** The branch points and their branches. */
export async function branches(options: CommandOptions = {}): Promise<BranchesReport> {
  return { branchPoints: branchPointInfos((await loadProject(options)).graph('folder')) };
}

/** Options of show. */
export interface ShowOptions extends CommandOptions {
  /** A revision id, prefix, `head`, `heads` or `label@head`. */
  readonly revision: string;
}

/** ShowReport holds the revisions `revision` names (several for `heads`). */
export interface ShowReport {
  readonly revisions: readonly RevisionInfo[];
}

/** One revision (or each that `revision` names). */
export async function show(options: ShowOptions): Promise<ShowReport> {
  const graph = (await loadProject(options)).graph('folder');
  const { resolveHeads } = await import('../revisions/revision-target.js');
  const target = options.revision.trim();
  // show reads no database: a step from where it stands (+1, -1, label@+1), or `current`, has nothing to count from.
  if (/^[+-]\d+$/.test(target) || /@[+-]\d+$/.test(target) || target === 'current') {
    throw new RetortError('TARGET', `show reads the revision files, not the database: '${target}' counts from where the database stands`, {
      hint: 'name a revision (or head, a branch label, rev-1, head-1), or run `retort current` to see where the database is',
    });
  }
  const ids = resolveHeads(graph, [], target);
  // label@base and base name no revision: an empty answer would read as success.
  if (ids.length === 0) throw new RetortError('TARGET', `'${target}' names no revision (it is the state before the first one)`, { hint: 'name a revision, such as head or a branch label' });
  return { revisions: ids.map((id) => revisionInfo(graph, graph.require(id))) };
}
