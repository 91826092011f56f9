/** current, history, heads, branches, show: the reports as text or JSON. */
import { branches, current, heads, history, show, type ListedRevision } from '../../commands/inspect.js';
import { stoppedText, type HistoryRow } from '../../runtime/history-table.js';
import type { CliContext } from '../context.js';
import { cliEvents } from '../events.js';
import { out, print, warn } from '../output.js';
import { Listing, type Marks } from './listing.js';

/** Prints a listing; nothing at all when it is empty. */
function printListing(text: string): void {
  if (text !== '') print(text);
}

/** The history rows a listing carries, for the text rendering. */
function appliedMap(revisions: readonly ListedRevision[]): Map<string, HistoryRow> | undefined {
  if (!revisions.some((r) => r.applied !== undefined)) return undefined;
  const map = new Map<string, HistoryRow>();
  for (const r of revisions) if (r.applied) map.set(r.revision, r.applied);
  return map;
}

export async function currentCommand(ctx: CliContext, opts: { verbose?: boolean }): Promise<void> {
  const report = await current({ ...ctx.options, records: !!opts.verbose });
  if (ctx.renderJson('current', report)) return;
  const marks: Marks = opts.verbose ? { applied: appliedMap(report.revisions) ?? new Map(), listedAreApplied: true } : {};
  const listing = new Listing(out);
  // Alembic prints nothing at base, which reads as if the command failed or found no database: say it.
  if (report.heads.length === 0) print('base (no revision applied)');
  for (const r of report.revisions) print(listing.brief(r, !!opts.verbose, marks));
  for (const id of report.missing) print(`${id} (no revision file has it)`);
  for (const w of report.warnings) warn(w);
  // The next revision's committed part: what a lost connection left, which `current` is the first to say.
  if (report.stopped !== null) print(out.yellow(stoppedText(report.stopped)));
}

export async function historyCommand(ctx: CliContext, opts: { revRange?: string; verbose?: boolean; indicateCurrent?: boolean }): Promise<void> {
  const report = await history({
    ...ctx.options,
    ...(opts.revRange !== undefined ? { revRange: opts.revRange } : {}),
    indicateCurrent: !!opts.indicateCurrent,
    records: !!opts.verbose,
  }, cliEvents(ctx).events);
  if (ctx.renderJson('history', report)) return;
  const applied = appliedMap(report.revisions);
  const marks: Marks = { ...(opts.indicateCurrent ? { current: new Set(report.current ?? []) } : {}), ...(applied ? { applied } : {}) };
  // One write for the whole listing: a write per line costs more than building thousands of lines.
  printListing(new Listing(out).history(report.revisions, !!opts.verbose, marks));
}

export async function headsCommand(ctx: CliContext, opts: { verbose?: boolean }): Promise<void> {
  const report = await heads(ctx.options);
  if (!ctx.renderJson('heads', report)) printListing(new Listing(out).heads(report.heads, !!opts.verbose));
}

export async function branchesCommand(ctx: CliContext, opts: { verbose?: boolean }): Promise<void> {
  const report = await branches(ctx.options);
  if (!ctx.renderJson('branches', report)) printListing(new Listing(out).branches(report.branchPoints, !!opts.verbose));
}

export async function showCommand(ctx: CliContext, rev: string): Promise<void> {
  const report = await show({ ...ctx.options, revision: rev });
  if (ctx.renderJson('show', report)) return;
  const listing = new Listing(out);
  for (const r of report.revisions) print(listing.block(r));
}
