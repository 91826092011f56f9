/** current, history, heads, branches, show: read-only commands and their formatting. */
import type { HistoryRow } from '../../runtime/history-table.js';
import { isRetortError, messageOf } from '../../errors.js';
import type { Project } from '../../runtime/project.js';
import { out, print, warn } from '../output.js';
import { Listing, historyNeedsDatabase, type Marks } from './listing.js';

/** Prints a listing; nothing at all when it is empty. */
function printListing(text: string): void {
  if (text !== '') print(text);
}

export async function currentCommand(project: Project, opts: { verbose?: boolean }): Promise<void> {
  const { appliedRecords, currentHeads } = await import('../../runtime/migrate.js');
  const heads = await currentHeads(project);
  const graph = project.graph();
  const marks: Marks = opts.verbose ? { applied: await appliedRecords(project), listedAreApplied: true } : {};
  const listing = new Listing(graph, out);
  // Alembic prints nothing at base, which reads as if the command failed or found no database: say it.
  if (heads.length === 0) print('base (no revision applied)');
  for (const id of heads) print(listing.brief(graph.require(id), !!opts.verbose, marks));
}

export async function historyCommand(project: Project, opts: { revRange?: string; verbose?: boolean; indicateCurrent?: boolean }): Promise<void> {
  const graph = project.graph();
  // The database layer is loaded only when the listing needs the database: for -i, and for a range that
  // `current` or a relative step (`-2:`) bounds, which only the database can answer, as in Alembic.
  const heads = historyNeedsDatabase(opts) ? await (await import('../../runtime/migrate.js')).currentHeads(project) : [];
  const current = opts.indicateCurrent ? new Set(heads) : undefined;
  // Target resolution is loaded only for a range: a plain listing does not need it.
  const { from, to } = opts.revRange ? (await import('../../revisions/revision-target.js')).historyBounds(graph, heads, opts.revRange) : { from: null, to: null };
  const applied = opts.verbose ? await verboseRecords(project) : undefined;
  const marks: Marks = { ...(current ? { current } : {}), ...(applied ? { applied } : {}) };
  // One write for the whole listing: a write per line costs more than building thousands of lines.
  printListing(new Listing(graph, out).history(from, to, !!opts.verbose, marks));
}

export async function headsCommand(project: Project, opts: { verbose?: boolean }): Promise<void> {
  printListing(new Listing(project.graph(), out).heads(!!opts.verbose));
}

export async function branchesCommand(project: Project, opts: { verbose?: boolean }): Promise<void> {
  printListing(new Listing(project.graph(), out).branches(!!opts.verbose));
}

export async function showCommand(project: Project, rev: string): Promise<void> {
  const graph = project.graph();
  const { resolveHeads } = await import('../../revisions/revision-target.js');
  const listing = new Listing(graph, out);
  for (const id of resolveHeads(graph, [], rev)) print(listing.block(graph.require(id)));
}

/** For `history -v`: when revisions ran, if a database is configured and answers; a listing never fails for want of one. */
async function verboseRecords(project: Project): Promise<ReadonlyMap<string, HistoryRow> | undefined> {
  if (project.config.url === null) return undefined;
  try {
    return await (await import('../../runtime/migrate.js')).appliedRecords(project);
  } catch (e) {
    warn(`not showing when revisions ran: ${isRetortError(e) ? e.message : messageOf(e)}`);
    return undefined;
  }
}
