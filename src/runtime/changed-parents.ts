/**
 * An applied revision whose file now names other parents than the ones it ran on: a branch rebased or cherry-picked
 * onto a revision that came in meanwhile. The history table records no parents, only the file's checksum, so the
 * parents it ran on are found by putting each known revision back in place of a parent and matching that checksum,
 * and the parents that never ran first by replaying the history's rows up to the revision's own upgrade.
 */
import type { RevisionGraph } from '../revisions/revision-graph.js';
import { sourceChecksum } from './checksum.js';
import type { HistoryRow } from './history-table.js';

/** How a changed revision file's parents differ from the ones it ran on. */
export interface ParentChange {
  /** The parents the file names now. */
  readonly now: readonly string[];
  /** The parents the file named when it ran (one put back gives the recorded checksum); null where none does. */
  readonly appliedOn: readonly string[] | null;
  /** What it requires now that had no upgrade row before its own: never run before it on this database. */
  readonly neverRan: readonly string[];
}

/**
 * What changed in the parents of `revision`, applied with the file checksum `recorded` and now read as `source`; null
 * when nothing points at its parents (a parent put back does not give the checksum, and every one ran before it).
 * A database stamped or adopted from Alembic has no rows for what it did not run: `neverRan` alone does not prove a
 * rebase, `appliedOn` does.
 */
export function parentChange(graph: RevisionGraph, revision: string, source: string, recorded: string, rows: readonly HistoryRow[]): ParentChange | null {
  const ranAt = lastUpgradeIndex(rows, revision);
  // No upgrade row (stamped, or applied before the history table): nothing to compare with.
  if (ranAt < 0) return null;
  const before = appliedBefore(rows, ranAt);
  const neverRan = graph.requirements(revision).filter((r) => !before.has(r));
  const appliedOn = parentsThatRan(graph, revision, source, recorded, [...before, ...graph.ids(), ...rows.map((r) => r.revision)]);
  return appliedOn === null && neverRan.length === 0 ? null : { now: graph.require(revision).downRevisions, appliedOn, neverRan };
}

function lastUpgradeIndex(rows: readonly HistoryRow[], revision: string): number {
  for (let i = rows.length - 1; i >= 0; i--) if (rows[i]!.revision === revision && rows[i]!.direction === 'up') return i;
  return -1;
}

/** The revisions the history's rows before `end` leave applied (upgrades less downgrades). */
function appliedBefore(rows: readonly HistoryRow[], end: number): Set<string> {
  const applied = new Set<string>();
  for (let i = 0; i < end; i++) {
    const r = rows[i]!;
    if (r.direction === 'up') applied.add(r.revision);
    else if (r.direction === 'down') applied.delete(r.revision);
  }
  return applied;
}

/**
 * The parents `revision`'s file named when it ran: one parent at a time replaced by each candidate, everywhere its id
 * stands (downRevision and the docstring's "Revises:") or in the downRevision line only, until the text's checksum is
 * the recorded one. Runs only for a file whose checksum changed: a thousand candidates hash a few megabytes.
 */
function parentsThatRan(graph: RevisionGraph, revision: string, source: string, recorded: string, candidates: readonly string[]): string[] | null {
  const parents = graph.require(revision).downRevisions;
  const tried = new Set<string>();
  for (const [i, parent] of parents.entries()) {
    const id = new RegExp(`\\b${parent}\\b`, 'g');
    const headerLine = new RegExp(`^(.*\\bdownRevision\\b.*)$`, 'm');
    for (const candidate of candidates) {
      if (candidate === parent || candidate === revision || parents.includes(candidate) || tried.has(`${i}:${candidate}`)) continue;
      tried.add(`${i}:${candidate}`);
      const everywhere = source.replace(id, candidate);
      const inHeader = source.replace(headerLine, (line) => line.replace(id, candidate));
      if (sourceChecksum(everywhere) === recorded || sourceChecksum(inHeader) === recorded) return parents.map((p, j) => (j === i ? candidate : p));
    }
  }
  return null;
}
