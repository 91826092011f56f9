/**
 * How revisions are shown: one line each (`1a2b -> 3c4d (head), add users`) or
 * a block with everything the header says. Pure formatting from the graph and
 * the given styles; both the full CLI and the quick path print through here.
 */
import path from 'node:path';
import type { ChalkInstance } from 'chalk';
import type { RevisionGraph } from '../../revisions/revision-graph.js';
import type { RevisionHeader } from '../../revisions/revision-header.js';
import type { HistoryRow } from '../../runtime/history-table.js';

export interface Marks {
  readonly current?: ReadonlySet<string>;
  /** When applied revisions ran, for verbose listings. */
  readonly applied?: ReadonlyMap<string, HistoryRow>;
  /** Every revision listed is applied (`current -v`): one without a history row says it has none. */
  readonly listedAreApplied?: boolean;
}

/**
 * Whether a `history -r` range needs the database: a side that names `current` or steps from where the database
 * is (`-2`, `+1`, `label@-1`). Steps from a named revision (`head-1`, `1a2b+2`) do not.
 */
export function rangeNeedsDatabase(range: string): boolean {
  return range.split(':').some((side) => {
    const s = side.trim();
    return /(^|[^\w-])current\b/.test(s) || /^[+-]\d+$/.test(s) || /@[+-]\d+$/.test(s);
  });
}

/** Whether `history` with these options reads the database: to mark where it is (-i), or for such a range. */
export function historyNeedsDatabase(opts: { readonly revRange?: string | undefined; readonly indicateCurrent?: boolean | undefined }): boolean {
  return !!opts.indicateCurrent || (opts.revRange !== undefined && rangeNeedsDatabase(opts.revRange));
}

export class Listing {
  constructor(
    private readonly graph: RevisionGraph,
    private readonly s: ChalkInstance,
  ) {}

  /** `history`: newest first, between `from` and `to` (null: the base, the heads); '' when nothing is listed. */
  history(from: string[] | null, to: string[] | null, verbose: boolean, marks: Marks = {}): string {
    return this.graph
      .history(from, to)
      .map((h) => (verbose ? `${this.block(h, marks)}\n` : this.line(h, marks)))
      .join('\n');
  }

  /** `heads`: one line or block per head. */
  heads(verbose: boolean): string {
    return this.graph.heads.map((id) => this.brief(this.graph.require(id), verbose)).join('\n');
  }

  /** `branches`: each branch point and the revisions that leave it. */
  branches(verbose: boolean): string {
    const rows: string[] = [];
    for (const bp of this.graph.branchPoints) {
      rows.push(verbose ? this.block(bp.revision) : this.line(bp.revision));
      for (const child of bp.children) rows.push(`  -> ${child.revision}${this.tags(child)}, ${child.message}`);
    }
    return rows.join('\n');
  }

  /** A revision as `current` and `heads` show it: its id and tags, or its block. */
  brief(h: RevisionHeader, verbose: boolean, marks: Marks = {}): string {
    return verbose ? `${this.block(h, marks)}\n` : `${h.revision}${this.tags(h)}`;
  }

  /** One line: `1a2b -> 3c4d (head), add users`. */
  line(h: RevisionHeader, marks: Marks = {}): string {
    return `${parents(h)} -> ${this.s.bold(h.revision)}${this.tags(h, marks)}, ${h.message}`;
  }

  /** A block with everything the header says. */
  block(h: RevisionHeader, marks: Marks = {}, extra: string[] = []): string {
    const rows = [`Rev: ${this.s.bold(h.revision)}${this.tags(h, marks)}`];
    rows.push(`${h.downRevisions.length > 1 ? 'Merges' : 'Parent'}: ${h.downRevisions.length ? h.downRevisions.join(', ') : '<base>'}`);
    const kids = this.graph.children(h.revision);
    if (kids.length > 1) rows.push(`Branches into: ${kids.join(', ')}`);
    if (h.dependsOn.length) rows.push(`Also depends on: ${h.dependsOn.join(', ')}`);
    const labels = this.graph.branchLabelsOf(h.revision);
    if (labels.length) rows.push(`Branch names: ${labels.join(', ')}`);
    rows.push(`Path: ${path.relative(process.cwd(), h.file) || h.file}`);
    rows.push('', `    ${h.message}`, '');
    if (h.createDate) rows.push(`    Create Date: ${h.createDate}`);
    rows.push(...[...appliedLine(marks, h.revision), ...extra].map((e) => `    ${e}`));
    return rows.join('\n');
  }

  private tags(h: RevisionHeader, marks: Marks = {}): string {
    const t: string[] = [];
    if (this.graph.heads.includes(h.revision)) t.push(this.s.green('(head)'));
    const labels = this.graph.branchLabelsOf(h.revision);
    if (labels.length > 0) t.push(this.s.cyan(`(${labels.join(', ')})`));
    if (this.graph.isBranchPoint(h.revision)) t.push(this.s.yellow('(branchpoint)'));
    if (this.graph.isMergePoint(h.revision)) t.push(this.s.yellow('(mergepoint)'));
    if (marks.current?.has(h.revision)) t.push(this.s.magenta('(current)'));
    return t.length ? ` ${t.join(' ')}` : '';
  }
}

function appliedLine(marks: Marks, id: string): string[] {
  if (!marks.applied) return [];
  const row = marks.applied.get(id);
  if (row) return [`Applied: ${row.appliedAt} in ${row.durationMs} ms by Retort ${row.toolVersion} (sha256 ${row.checksum.slice(0, 12)})`];
  // Applied, but not by a Retort that kept history: by Alembic, by hand, or stamped.
  return marks.listedAreApplied ? ['Applied: no record (by another tool, before Retort kept history, or stamped)'] : [];
}

function parents(h: RevisionHeader): string {
  if (h.downRevisions.length === 0) return '<base>';
  return h.downRevisions.length === 1 ? h.downRevisions[0]! : `(${h.downRevisions.join(', ')})`;
}
