/**
 * Targets as Alembic spells them (`head`, `heads`, `base`, `current`, ids and unique id
 * prefixes, `+N`, `-N`, `<rev>+N`, `<rev>-N`, `label@head`, `label@base`,
 * `label@+N`, a branch label alone) and the plans that reach them. A plan is a
 * list of steps, each saying which heads the version table holds before and
 * after it, so the runner updates one row per applied head in the same
 * transaction as the migration. Planning is pure: an impossible target throws
 * before anything runs.
 */
import { RetortError } from '../errors.js';
import type { RevisionGraph } from './revision-graph.js';
import type { RevisionHeader } from './revision-header.js';

/** Step is one migration to run, with the version table's heads around it. */
export interface Step {
  readonly revision: RevisionHeader;
  readonly direction: 'up' | 'down';
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
}

/**
 * What a target names: the revisions to end at (`ids`, empty for base) and,
 * for a relative walk down, the lowest revision to un-apply (`removeFrom`),
 * so `-1` takes off exactly one revision even at a branch point.
 */
interface Resolved {
  readonly ids: readonly string[];
  readonly removeFrom?: readonly string[];
}

const RELATIVE = /^([+-])(\d+)$/;
const REV_RELATIVE = /^(.+?)([+-])(\d+)$/;
const AT_FORM = /^(.+)@(head|base|[+-]\d+)$/;

/** Splits `from:to` (either side may be empty) for `history -r` and offline `--sql`. */
export function parseRange(text: string): { from: string | null; to: string | null } {
  const parts = text.split(':');
  if (parts.length !== 2) {
    throw new RetortError('TARGET', `'${text}' is not a revision range`, { hint: 'write a range as from:to, e.g. base:head, 1a2b:head or :3c4d' });
  }
  const [from, to] = parts.map((p) => p.trim() || null) as [string | null, string | null];
  return { from, to };
}

/**
 * The ends of a `history -r` range: the revisions to list from (null: from the base) and to (null: to the
 * heads). A single name means from that revision on. `currentHeads` answers `current` and relative steps.
 */
export function historyBounds(graph: RevisionGraph, currentHeads: readonly string[], text: string): { from: string[] | null; to: string[] | null } {
  const range = parseRange(text.includes(':') ? text : `${text}:`);
  let from = range.from === null || range.from === 'base' ? null : resolveHeads(graph, currentHeads, range.from);
  // A start that names no revision (a branch's base) lists from the beginning rather than nothing.
  if (from !== null && from.length === 0) from = null;
  const to = range.to === null ? null : resolveHeads(graph, currentHeads, range.to);
  // Alembic's refusal: a range that runs backwards lists nothing, which reads as "no revisions".
  if (from !== null && to !== null && to.length > 0 && !to.some((t) => from!.some((f) => f === t || graph.isAncestor(f, t)))) {
    // Backwards (to before from), or two branches, where neither order lists anything.
    const backwards = to.some((t) => from!.some((f) => graph.isAncestor(t, f)));
    throw new RetortError('TARGET', `'${text}' lists nothing: ${from.join(', ')} is not an ancestor of ${to.join(', ')}${backwards ? '' : ' (they are on different branches: neither is an ancestor of the other)'}`, {
      hint: backwards ? 'write the older revision first: from:to' : branchesHint(graph, from, to),
    });
  }
  return { from, to };
}

/** Where two branches part, for a range between them: list both from there, or one of them. */
function branchesHint(graph: RevisionGraph, from: readonly string[], to: readonly string[]): string {
  const below = graph.ancestors(to, true);
  const common = graph.sortIds([...graph.ancestors(from, true)].filter((id) => below.has(id))).pop();
  return common === undefined ? `they share no revision: list one branch with -r :${to[0]}` : `they part at ${common}: list both with -r ${common}:, or one with -r ${common}:${to[0]}`;
}

/** The single revision a name denotes: a full id, a branch label, or a unique id prefix. */
export function resolveName(graph: RevisionGraph, name: string): string {
  if (graph.has(name)) return name;
  const owner = graph.labelled(name);
  if (owner !== undefined) return owner;
  const candidates: string[] = [];
  if (name.length > 0) for (const id of graph.ids()) if (id.startsWith(name)) candidates.push(id);
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) {
    const meant = ['head', 'heads', 'base'].find((k) => editDistance(name.toLowerCase(), k) <= 1);
    throw new RetortError('TARGET', `Can't locate revision identified by '${name}'`, {
      hint: meant ? `did you mean \`${meant}\`?` : 'run `retort history` to see the revisions, or `retort heads`',
    });
  }
  const listed = graph.sortIds(candidates).map((id) => `${id} (${graph.require(id).message || 'no message'})`);
  throw new RetortError('TARGET', `Multiple revisions start with '${name}': ${listed.join(', ')}`, { hint: 'use more characters of the revision id' });
}

/** The revisions `target` names, for upgrade and stamp (empty for base). */
export function resolveHeads(graph: RevisionGraph, currentHeads: readonly string[], target: string): string[] {
  return [...resolve(graph, currentHeads, target).ids];
}

/**
 * The revision `--head` names for a new revision to build on: exactly one, and a head unless `splice` (a new revision
 * on a revision that already has children starts a branch).
 */
export function revisionToBuildOn(graph: RevisionGraph, head: string, splice: boolean): string {
  const ids = resolveHeads(graph, [], head);
  if (ids.length !== 1) throw new RetortError('TARGET', `--head ${head} names ${ids.length} revisions; name exactly one`);
  const id = ids[0]!;
  if (!graph.heads.includes(id) && !splice) {
    throw new RetortError('TARGET', `revision ${id} is not a head, so a new revision on it would start a branch`, { hint: 'pass --splice to start the branch on purpose' });
  }
  return id;
}

/** The single revision a target names, for `show` (`head` must be unique, `base` names nothing). */
export function resolveRevision(graph: RevisionGraph, target: string, currentHeads: readonly string[] = []): string {
  const ids = resolveHeads(graph, currentHeads, target);
  if (ids.length !== 1) {
    throw new RetortError('TARGET', ids.length === 0 ? `'${target}' names no revision` : `'${target}' names several revisions: ${ids.join(', ')}`, { hint: 'name one revision' });
  }
  return ids[0]!;
}

function resolve(graph: RevisionGraph, current: readonly string[], target: string): Resolved {
  const t = target.trim();
  if (t === 'heads') return { ids: graph.heads };
  if (t === 'head') return { ids: [singleHead(graph, graph.heads, 'head')] };
  if (t === 'base') return { ids: [] };
  // `current` (as in `history -r current:heads`) is what the database holds.
  if (t === 'current') return { ids: appliedState(graph, current).heads };
  let m = RELATIVE.exec(t);
  if (m) return walkFromCurrent(graph, current, t, m[1] === '+' ? 1 : -1, count(t, m[2]!), null);
  m = AT_FORM.exec(t);
  if (m) {
    const [, name, where] = m as unknown as [string, string, string];
    const root = resolveName(graph, name);
    if (where === 'head') {
      const heads = graph.heads.filter((h) => h === root || graph.isParentAncestor(root, h));
      return { ids: [singleHead(graph, heads, t)] };
    }
    if (where === 'base') return { ids: [], removeFrom: [branchRoot(graph, root)] };
    const rel = RELATIVE.exec(where)!;
    return walkFromCurrent(graph, current, t, rel[1] === '+' ? 1 : -1, count(t, rel[2]!), root);
  }
  m = REV_RELATIVE.exec(t);
  if (m) {
    const name = m[1]!;
    // `head-1` and `base+2` read naturally; `heads` has no single starting point.
    const start = name === 'base' ? null : name === 'head' ? singleHead(graph, graph.heads, t) : resolveName(graph, name);
    return walk(graph, start, t, m[2] === '+' ? 1 : -1, count(t, m[3]!), null);
  }
  return { ids: [resolveName(graph, t)] };
}

function count(target: string, digits: string): number {
  const n = Number(digits);
  if (n === 0) {
    // The step's sign as written: `-0` (a downgrade, `head-0`) asks for -1, `+0` for +1.
    const down = /-0+$/.test(target);
    throw new RetortError('TARGET', `relative revision '${target}' moves zero steps`, { hint: down ? 'use -1 or less' : 'use +1 or more' });
  }
  return n;
}

function singleHead(graph: RevisionGraph, heads: readonly string[], target: string): string {
  if (heads.length === 1) return heads[0]!;
  if (heads.length === 0) {
    throw new RetortError('TARGET', `'${target}' names no revision: there are no revisions`, { hint: 'create one with `retort revision -m "message"`' });
  }
  const listed = heads.map((h) => `${h} (${graph.require(h).message || 'no message'})`).join(', ');
  throw new RetortError('TARGET', `multiple heads: ${listed}; '${target}' is ambiguous`, {
    hint: 'use `heads` to upgrade all, a specific head, or `retort merge` to join them',
  });
}

// Revisions on the lineage of `root`: those before it and those after it.
function inLineage(graph: RevisionGraph, root: string): (id: string) => boolean {
  return (id) => id === root || graph.isParentAncestor(id, root) || graph.isParentAncestor(root, id);
}

// The first revision of the branch `root` sits on: down the chain while it neither branches nor merges (as Alembic propagates labels).
function branchRoot(graph: RevisionGraph, root: string): string {
  let at = root;
  for (;;) {
    const parents = graph.require(at).downRevisions;
    if (parents.length !== 1 || graph.children(parents[0]!).length !== 1) return at;
    at = parents[0]!;
  }
}

function walkFromCurrent(graph: RevisionGraph, current: readonly string[], target: string, dir: 1 | -1, steps: number, label: string | null): Resolved {
  const keep = label === null ? null : inLineage(graph, label);
  const heads = graph.headsOf(graph.ancestors(current, true)).filter((h) => keep === null || keep(h));
  if (heads.length > 1) {
    throw new RetortError('TARGET', `relative revision '${target}' is ambiguous: several heads are applied (${heads.join(', ')})`, {
      hint: `start from one of them, e.g. ${heads[0]}${dir > 0 ? '+' : '-'}${steps}${label === null ? ', or use a branch label' : ''}`,
    });
  }
  return walk(graph, heads[0] ?? null, target, dir, steps, keep);
}

/** Walks `steps` revisions up (children) or down (parents) from `start` (null: base), one lineage only. */
function walk(graph: RevisionGraph, start: string | null, target: string, dir: 1 | -1, steps: number, keep: ((id: string) => boolean) | null): Resolved {
  // Alembic's words, which its users search for; at base going down there is nothing to count.
  const overwalk = (done: number) =>
    dir < 0 && start === null
      ? new RetortError('TARGET', `relative revision ${target} goes below base: no revision is applied`, {
        hint: 'there is nothing to undo; `retort current` shows where the database stands',
      })
      : new RetortError('TARGET', `Relative revision ${target} didn't produce ${steps} migration${steps === 1 ? '' : 's'} (only ${done} ${dir > 0 ? `after ${start ?? 'base'}` : `from ${start} down to base`})`, {
        hint: dir > 0 ? 'run `retort history` to count the revisions, or use `head`' : 'use `base` to undo every revision',
      });
  if (dir > 0) {
    let at = start;
    for (let i = 0; i < steps; i++) {
      const next = (at === null ? graph.bases : graph.children(at)).filter((id) => keep === null || keep(id));
      if (next.length === 0) throw overwalk(i);
      if (next.length > 1) throw ambiguousWalk(graph, target, at, next);
      at = next[0]!;
    }
    return { ids: [at!] };
  }
  if (start === null) throw overwalk(0);
  let at = start;
  for (let i = 1; i < steps; i++) {
    const parents = graph.require(at).downRevisions;
    if (parents.length === 0) throw overwalk(i);
    if (parents.length > 1) throw ambiguousWalk(graph, target, at, parents);
    at = parents[0]!;
  }
  return { ids: graph.require(at).downRevisions, removeFrom: [at] };
}

function ambiguousWalk(graph: RevisionGraph, target: string, at: string | null, options: readonly string[]): RetortError {
  const where = at === null ? 'there are several bases' : graph.isMergePoint(at) && options.every((o) => graph.require(at).downRevisions.includes(o)) ? `${at} merges several revisions` : `${at} has several children`;
  return new RetortError('TARGET', `relative revision '${target}' is ambiguous: ${where} (${options.join(', ')})`, {
    hint: `name the revision to go through, e.g. ${options[0]}`,
  });
}

// The applied set and its normalised heads; every head must have a file.
function appliedState(graph: RevisionGraph, currentHeads: readonly string[]): { applied: Set<string>; heads: string[] } {
  for (const h of currentHeads) {
    if (!graph.has(h)) {
      throw new RetortError('TARGET', `Can't locate revision identified by '${h}' (the database's current revision)`, {
        hint: `check out the branch that has ${h}'s file and downgrade there to a revision this checkout has too (\`retort downgrade <rev>\`), or \`retort stamp <rev> --purge\` if its changes are not in the database either`,
      });
    }
  }
  const applied = graph.ancestors(currentHeads, true);
  return { applied, heads: graph.headsOf(applied) };
}

function sortedUnique(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort();
}

/** The steps that apply every not-yet-applied revision `target` needs, parents first. */
export function planUpgrade(graph: RevisionGraph, currentHeads: readonly string[], target: string): Step[] {
  if (/^-\d+$/.test(target)) {
    throw new RetortError('TARGET', `upgrade moves forward: '${target}' would go back`, { hint: `use +N, a revision or head (or \`retort downgrade ${target}\`)` });
  }
  const { applied, heads: start } = appliedState(graph, currentHeads);
  const { ids } = resolve(graph, currentHeads, target);
  const needed = graph.ancestors(ids, true);
  const todo = graph.sortIds([...needed].filter((id) => !applied.has(id)));
  const steps: Step[] = [];
  let before = sortedUnique(currentHeads);
  const heads = new Set(start);
  for (const id of todo) {
    // Every head below `id` is one of its direct requirements: any other would not be a head.
    for (const r of graph.requirements(id)) heads.delete(r);
    heads.add(id);
    const after = [...heads].sort();
    steps.push({ revision: graph.require(id), direction: 'up', headsBefore: before, headsAfter: after });
    before = after;
  }
  return steps;
}

/** The steps that un-apply every applied revision above `target`, children first. */
export function planDowngrade(graph: RevisionGraph, currentHeads: readonly string[], target: string): Step[] {
  if (/^\+\d+$/.test(target)) {
    throw new RetortError('TARGET', `downgrade moves back: '${target}' would go forward`, { hint: `use -N, a revision or base (or \`retort upgrade ${target}\`)` });
  }
  const { applied, heads: start } = appliedState(graph, currentHeads);
  const resolved = resolve(graph, currentHeads, target);
  const missing = resolved.ids.filter((id) => !applied.has(id));
  if (missing.length > 0) {
    throw new RetortError('TARGET', `Destination ${missing.join(', ')} is not a valid downgrade target from current head(s) ${start.length > 0 ? start.join(', ') : '(none: nothing applied)'}`, {
      hint: 'downgrade only moves back to an applied revision; use `upgrade` to move forward',
    });
  }
  // Un-apply the revisions above the target, or from a relative walk's lowest revision up; base takes everything.
  // Above the target means its children and what follows them; a revision that only depends on the target (another
  // branch's dependsOn) keeps what it needs, and stays, as in Alembic.
  const remove = resolved.removeFrom
    ? graph.descendants(resolved.removeFrom, true)
    : resolved.ids.length === 0 ? applied : graph.descendants(resolved.ids.flatMap((id) => graph.children(id)), true);
  const todo = graph.sortIds([...remove].filter((id) => applied.has(id))).reverse();
  const remaining = new Set(applied);
  const steps: Step[] = [];
  let before = sortedUnique(currentHeads);
  const heads = new Set(start);
  for (const id of todo) {
    remaining.delete(id);
    heads.delete(id);
    // A requirement becomes a head again unless another applied revision still needs it.
    for (const r of graph.requirements(id)) {
      const stillNeeded = graph.children(r).some((c) => remaining.has(c)) || graph.dependents(r).some((c) => remaining.has(c));
      if (!stillNeeded) heads.add(r);
    }
    const after = [...heads].sort();
    steps.push({ revision: graph.require(id), direction: 'down', headsBefore: before, headsAfter: after });
    before = after;
  }
  return steps;
}

// Edit distance counting a swap of two neighbours as one edit, for a typed keyword (`haed`, `bsae`, `heds`).
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
