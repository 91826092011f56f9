/**
 * A revision as commands report it: its header and where it stands in the graph, as plain data (JSON as it is),
 * so that `history`, `heads`, `show` and the rest render from a report without the graph.
 */
import type { RevisionGraph } from './revision-graph.js';
import type { RevisionHeader } from './revision-header.js';

/** RevisionInfo is one revision of a report: its header, and its place in the graph. */
export interface RevisionInfo {
  readonly revision: string;
  /** Parents; empty for a base, several for a merge. */
  readonly downRevisions: readonly string[];
  readonly dependsOn: readonly string[];
  /** The branch labels it carries (declared on it or on a revision of its branch), as listings show them. */
  readonly branchLabels: readonly string[];
  /** Revisions whose parent it is. */
  readonly children: readonly string[];
  readonly message: string;
  /** The revision file, absolute. */
  readonly file: string;
  readonly createDate: string | null;
  readonly isHead: boolean;
  readonly isBranchPoint: boolean;
  readonly isMergePoint: boolean;
}

/** The report form of one revision of `graph`. */
export function revisionInfo(graph: RevisionGraph, h: RevisionHeader): RevisionInfo {
  const children = graph.children(h.revision);
  return {
    revision: h.revision,
    downRevisions: h.downRevisions,
    dependsOn: h.dependsOn,
    branchLabels: graph.branchLabelsOf(h.revision),
    children,
    message: h.message,
    file: h.file,
    createDate: h.createDate,
    isHead: children.length === 0,
    isBranchPoint: children.length > 1,
    isMergePoint: h.downRevisions.length > 1,
  };
}

/** A branch point and the revisions that leave it. */
export interface BranchPointInfo {
  readonly revision: RevisionInfo;
  readonly children: readonly RevisionInfo[];
}

/** Every branch point of `graph`, oldest first. */
export function branchPointInfos(graph: RevisionGraph): BranchPointInfo[] {
  return graph.branchPoints.map((bp) => ({ revision: revisionInfo(graph, bp.revision), children: bp.children.map((c) => revisionInfo(graph, c)) }));
}
