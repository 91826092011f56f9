/**
 * How revisions are shown: one line each (`1a2b -> 3c4d (head), add users`) or
 * a block with everything the header says.
 */
import path from 'node:path';
import type { ChalkInstance } from 'chalk';
import type { BranchPointInfo, RevisionInfo } from '../../revisions/revision-info.js';
import type { HistoryRow } from '../../runtime/history-table.js';
import { plain } from '../styles.js';

export interface Marks {
  readonly current?: ReadonlySet<string>;
  /** When applied revisions ran, for verbose listings. */
  readonly applied?: ReadonlyMap<string, HistoryRow>;
  /** Every revision listed is applied (`current -v`): one without a history row says it has none. */
  readonly listedAreApplied?: boolean;
}

export { historyNeedsDatabase, rangeNeedsDatabase } from '../../revisions/history-range.js';

/**
 * Renders revisions of a report. Pure formatting from the reports' plain data and the given styles; both the
 * full CLI and the quick path print through here.
 */
export class Listing {
  // Without colour the revision id is written as it is: a call through the plain styles' Proxy per line was a
  // tenth of `history`'s own time at 10,000 revisions.
  private readonly bold: (text: string) => string;

  constructor(private readonly s: ChalkInstance) {
    this.bold = s === plain ? (text) => text : (text) => s.bold(text);
  }

  /** `history`: the revisions as listed (newest first); '' when there are none. */
  history(revisions: readonly RevisionInfo[], verbose: boolean, marks: Marks = {}): string {
    return revisions.map((h) => (verbose ? `${this.block(h, marks)}\n` : this.line(h, marks))).join('\n');
  }

  /** `heads`: one line or block per head. */
  heads(heads: readonly RevisionInfo[], verbose: boolean): string {
    return heads.map((h) => this.brief(h, verbose)).join('\n');
  }

  /** `branches`: each branch point and the revisions that leave it. */
  branches(points: readonly BranchPointInfo[], verbose: boolean): string {
    const rows: string[] = [];
    for (const bp of points) {
      rows.push(verbose ? this.block(bp.revision) : this.line(bp.revision));
      for (const child of bp.children) rows.push(`  -> ${child.revision}${this.tags(child)}, ${child.message}`);
    }
    return rows.join('\n');
  }

  /** A revision as `current` and `heads` show it: its id and tags, or its block. */
  brief(h: RevisionInfo, verbose: boolean, marks: Marks = {}): string {
    return verbose ? `${this.block(h, marks)}\n` : `${h.revision}${this.tags(h)}`;
  }

  /** One line: `1a2b -> 3c4d (head), add users`. */
  line(h: RevisionInfo, marks: Marks = {}): string {
    return `${parents(h)} -> ${this.bold(h.revision)}${this.tags(h, marks)}, ${h.message}`;
  }

  /** A block with everything the header says. */
  block(h: RevisionInfo, marks: Marks = {}, extra: string[] = []): string {
    const rows = [`Rev: ${this.bold(h.revision)}${this.tags(h, marks)}`];
    rows.push(`${h.downRevisions.length > 1 ? 'Merges' : 'Parent'}: ${h.downRevisions.length ? h.downRevisions.join(', ') : '<base>'}`);
    if (h.children.length > 1) rows.push(`Branches into: ${h.children.join(', ')}`);
    if (h.dependsOn.length) rows.push(`Also depends on: ${h.dependsOn.join(', ')}`);
    if (h.branchLabels.length) rows.push(`Branch names: ${h.branchLabels.join(', ')}`);
    rows.push(`Path: ${path.relative(process.cwd(), h.file) || h.file}`);
    rows.push('', `    ${h.message}`, '');
    if (h.createDate) rows.push(`    Create Date: ${h.createDate}`);
    rows.push(...[...appliedLine(marks, h.revision), ...extra].map((e) => `    ${e}`));
    return rows.join('\n');
  }

  private tags(h: RevisionInfo, marks: Marks = {}): string {
    // Most revisions of a long history have no tag at all.
    if (!h.isHead && !h.isBranchPoint && !h.isMergePoint && h.branchLabels.length === 0 && marks.current === undefined) return '';
    const t: string[] = [];
    if (h.isHead) t.push(this.s.green('(head)'));
    if (h.branchLabels.length > 0) t.push(this.s.cyan(`(${h.branchLabels.join(', ')})`));
    if (h.isBranchPoint) t.push(this.s.yellow('(branchpoint)'));
    if (h.isMergePoint) t.push(this.s.yellow('(mergepoint)'));
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

function parents(h: RevisionInfo): string {
  if (h.downRevisions.length === 0) return '<base>';
  return h.downRevisions.length === 1 ? h.downRevisions[0]! : `(${h.downRevisions.join(', ')})`;
}
