/** current, history, heads, branches, show: read-only commands and their formatting. */
import path from 'node:path';
import type { RevisionGraph } from '../../revisions/revision-graph.js';
import type { RevisionHeader } from '../../revisions/revision-header.js';
import type { HistoryRow } from '../../runtime/history-table.js';
import { isRetortError, messageOf } from '../../errors.js';
import type { Project } from '../../runtime/project.js';
import { out, print, warn } from '../output.js';

interface Marks {
  readonly current?: ReadonlySet<string>;
  /** When applied revisions ran, for verbose listings. */
  readonly applied?: ReadonlyMap<string, HistoryRow>;
  /** Every revision listed is applied (`current -v`): one without a history row says it has none. */
  readonly listedAreApplied?: boolean;
}

function appliedLine(marks: Marks, id: string): string[] {
  if (!marks.applied) return [];
  const row = marks.applied.get(id);
  if (row) return [`Applied: ${row.appliedAt} in ${row.durationMs} ms by Retort ${row.toolVersion} (sha256 ${row.checksum.slice(0, 12)})`];
  // Applied, but not by a Retort that kept history: by Alembic, by hand, or stamped.
  return marks.listedAreApplied ? ['Applied: no record (by another tool, before Retort kept history, or stamped)'] : [];
}

function tags(graph: RevisionGraph, h: RevisionHeader, marks: Marks): string {
  const t: string[] = [];
  if (graph.heads.includes(h.revision)) t.push(out.green('(head)'));
  if (h.branchLabels.length > 0) t.push(out.cyan(`(${h.branchLabels.join(', ')})`));
  if (graph.isBranchPoint(h.revision)) t.push(out.yellow('(branchpoint)'));
  if (graph.isMergePoint(h.revision)) t.push(out.yellow('(mergepoint)'));
  if (marks.current?.has(h.revision)) t.push(out.magenta('(current)'));
  return t.length ? ` ${t.join(' ')}` : '';
}

function parents(h: RevisionHeader): string {
  if (h.downRevisions.length === 0) return '<base>';
  return h.downRevisions.length === 1 ? h.downRevisions[0]! : `(${h.downRevisions.join(', ')})`;
}

/** One line: `1a2b -> 3c4d (head), add users`. */
function line(graph: RevisionGraph, h: RevisionHeader, marks: Marks = {}): string {
  return `${parents(h)} -> ${out.bold(h.revision)}${tags(graph, h, marks)}, ${h.message}`;
}

/** A block with everything the header says. */
function block(graph: RevisionGraph, h: RevisionHeader, marks: Marks = {}, extra: string[] = []): string {
  const rows = [`Rev: ${out.bold(h.revision)}${tags(graph, h, marks)}`];
  rows.push(`${h.downRevisions.length > 1 ? 'Merges' : 'Parent'}: ${h.downRevisions.length ? h.downRevisions.join(', ') : '<base>'}`);
  const kids = graph.children(h.revision);
  if (kids.length > 1) rows.push(`Branches into: ${kids.join(', ')}`);
  if (h.dependsOn.length) rows.push(`Also depends on: ${h.dependsOn.join(', ')}`);
  if (h.branchLabels.length) rows.push(`Branch names: ${h.branchLabels.join(', ')}`);
  rows.push(`Path: ${path.relative(process.cwd(), h.file) || h.file}`);
  rows.push('', `    ${h.message}`, '');
  if (h.createDate) rows.push(`    Create Date: ${h.createDate}`);
  rows.push(...[...appliedLine(marks, h.revision), ...extra].map((e) => `    ${e}`));
  return rows.join('\n');
}

export async function currentCommand(project: Project, opts: { verbose?: boolean }): Promise<void> {
  const { appliedRecords, currentHeads } = await import('../../runtime/migrate.js');
  const heads = await currentHeads(project);
  const graph = project.graph();
  const marks: Marks = opts.verbose ? { applied: await appliedRecords(project), listedAreApplied: true } : {};
  for (const id of heads) {
    const h = graph.require(id);
    print(opts.verbose ? `${block(graph, h, marks)}\n` : `${h.revision}${tags(graph, h, {})}`);
  }
}

export async function historyCommand(project: Project, opts: { revRange?: string; verbose?: boolean; indicateCurrent?: boolean }): Promise<void> {
  const graph = project.graph();
  // The database layer is loaded only when the listing needs the database: for -i, and for a range that starts or
  // ends at `current` or walks relative to it (`-2:`), which only the database can answer, as in Alembic.
  const rangeNeedsDb = opts.revRange !== undefined && /(^|[:@])current\b|(^|:)[-+]\d/.test(opts.revRange);
  const heads = opts.indicateCurrent || rangeNeedsDb ? await (await import('../../runtime/migrate.js')).currentHeads(project) : undefined;
  const current = opts.indicateCurrent && heads ? new Set(heads) : undefined;
  let from: string[] | null = null;
  let to: string[] | null = null;
  if (opts.revRange) {
    // Target resolution is loaded only for a range: a plain listing does not need it.
    const { parseRange, resolveHeads } = await import('../../revisions/revision-target.js');
    const range = parseRange(opts.revRange.includes(':') ? opts.revRange : `${opts.revRange}:`);
    from = range.from === null || range.from === 'base' ? null : resolveHeads(graph, heads ?? [], range.from);
    // A start that names no revision (a branch's base) lists from the beginning rather than nothing.
    if (from !== null && from.length === 0) from = null;
    to = range.to === null ? null : resolveHeads(graph, heads ?? [], range.to);
  }
  const applied = opts.verbose ? await verboseRecords(project) : undefined;
  const marks: Marks = { ...(current ? { current } : {}), ...(applied ? { applied } : {}) };
  // One write for the whole listing: a write per line costs more than building thousands of lines.
  const lines = graph.history(from, to).map((h) => (opts.verbose ? `${block(graph, h, marks)}\n` : line(graph, h, marks)));
  if (lines.length > 0) print(lines.join('\n'));
}

export async function headsCommand(project: Project, opts: { verbose?: boolean }): Promise<void> {
  const graph = project.graph();
  for (const id of graph.heads) {
    const h = graph.require(id);
    print(opts.verbose ? `${block(graph, h)}\n` : `${h.revision}${tags(graph, h, {})}`);
  }
}

export async function branchesCommand(project: Project, opts: { verbose?: boolean }): Promise<void> {
  const graph = project.graph();
  for (const bp of graph.branchPoints) {
    print(opts.verbose ? block(graph, bp.revision) : line(graph, bp.revision));
    for (const child of bp.children) print(`  -> ${child.revision}${tags(graph, child, {})}, ${child.message}`);
  }
}

export async function showCommand(project: Project, rev: string): Promise<void> {
  const graph = project.graph();
  const { resolveHeads } = await import('../../revisions/revision-target.js');
  for (const id of resolveHeads(graph, [], rev)) print(block(graph, graph.require(id)));
}

/** For `history -v`: when revisions ran, if a database is configured and answers; a listing never fails for want of one. */
async function verboseRecords(project: Project): Promise<ReadonlyMap<string, HistoryRow> | undefined> {
  if (!project.config.url) return undefined;
  try {
    return await (await import('../../runtime/migrate.js')).appliedRecords(project);
  } catch (e) {
    warn(`not showing when revisions ran: ${isRetortError(e) ? e.message : messageOf(e)}`);
    return undefined;
  }
}
