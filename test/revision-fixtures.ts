// Revision graphs for the revision tests, built from headers in memory (the graph never reads files).
import type { RevisionHeader } from '../src/revisions/revision-header.js';
import { RevisionGraph } from '../src/revisions/revision-graph.js';

/** A header; `down` is the parents, `at` orders create dates. */
export function rev(revision: string, down: string | string[] | null, opts: { deps?: string[]; labels?: string[]; at?: number; message?: string } = {}): RevisionHeader {
  return {
    revision,
    downRevisions: down === null ? [] : typeof down === 'string' ? [down] : down,
    dependsOn: opts.deps ?? [],
    branchLabels: opts.labels ?? [],
    message: opts.message ?? `message of ${revision}`,
    createDate: opts.at === undefined ? null : new Date(Date.UTC(2024, 0, 1) + opts.at * 60_000).toISOString(),
    file: `migrations/${revision}.ts`,
  };
}

/** a1 -> b2 -> c3 -> d4 */
export function linear(): RevisionGraph {
  return new RevisionGraph([rev('a1', null, { at: 1 }), rev('b2', 'a1', { at: 2 }), rev('c3', 'b2', { at: 3 }), rev('d4', 'c3', { at: 4 })]);
}

/**
 * r0 -> r1 -> f1 -> f2   (label `feature` on f1)
 *          \-> g1 -> g2
 */
export function branched(): RevisionGraph {
  return new RevisionGraph([
    rev('r0', null, { at: 0 }),
    rev('r1', 'r0', { at: 1 }),
    rev('f1', 'r1', { at: 2, labels: ['feature'] }),
    rev('f2', 'f1', { at: 4 }),
    rev('g1', 'r1', { at: 3 }),
    rev('g2', 'g1', { at: 5 }),
  ]);
}

/** branched() plus m1 merging f2 and g2, then n1 after it. */
export function merged(): RevisionGraph {
  return new RevisionGraph([
    ...branched().topologicalOrder(),
    rev('m1', ['f2', 'g2'], { at: 6 }),
    rev('n1', 'm1', { at: 7 }),
  ]);
}

/** Two independent lines: lib (label `lib`) l1 -> l2, and app a1 -> a2 where a2 depends on l1. */
export function dependent(): RevisionGraph {
  return new RevisionGraph([
    rev('l1', null, { at: 0, labels: ['lib'] }),
    rev('l2', 'l1', { at: 3 }),
    rev('a1', null, { at: 1 }),
    rev('a2', 'a1', { at: 2, deps: ['l1'] }),
  ]);
}

/** A chain of `n` revisions, ids c0..c{n-1}. */
export function chain(n: number): RevisionHeader[] {
  return Array.from({ length: n }, (_, i) => rev(`c${i}`, i === 0 ? null : `c${i - 1}`, { at: i }));
}
