/**
 * The revision graph, built from headers alone. Edges go from a revision to
 * its parents (`downRevision`) and to the revisions it depends on
 * (`dependsOn`); both must be applied first, but only parents decide heads and
 * branches, as in Alembic. Every walk is iterative, so a chain of 10000
 * revisions cannot overflow the stack.
 */
import { RetortError } from '../errors.js';
import type { RevisionHeader } from './revision-header.js';

/** A revision with two or more children, for `retort branches`. */
export interface BranchPoint {
  readonly revision: RevisionHeader;
  readonly children: readonly RevisionHeader[];
}

/** RevisionGraph validates a set of headers and answers questions about their order. */
export class RevisionGraph {
  private readonly byId = new Map<string, RevisionHeader>();
  private readonly childIds = new Map<string, string[]>();
  private readonly dependentIds = new Map<string, string[]>();
  private readonly labelOwner = new Map<string, string>();
  private readonly order: readonly RevisionHeader[];
  /** Each revision's index in `order`, worked out on first use (the listings never need it). */
  private positionMemo: Map<string, number> | undefined;
  /** branchLabelsOf's answers, worked out on first use. */
  private carried: Map<string, string[]> | undefined;
  /** Revisions no other revision names as a parent, sorted by id. */
  readonly heads: readonly string[];
  /** Revisions without parents, sorted by id. */
  readonly bases: readonly string[];

  constructor(headers: readonly RevisionHeader[]) {
    // One pass per concern, with as few objects per revision as possible: at 10,000 revisions the listings spend
    // more time here and in the garbage collector than in Node's own start.
    for (const h of headers) {
      const seen = this.byId.get(h.revision);
      if (seen) {
        throw new RetortError('REVISION_GRAPH', `duplicate revision id '${h.revision}' in ${seen.file} and ${h.file}`, {
          hint: 'give one of them a new id (and update any downRevision that meant it)',
        });
      }
      this.byId.set(h.revision, h);
    }
    for (const h of headers) for (const label of h.branchLabels) this.addLabel(label, h);
    for (const h of headers) {
      for (const p of h.downRevisions) pushTo(this.childIds, this.requireRef(h, p, 'downRevision'), h.revision);
      for (const d of h.dependsOn) pushTo(this.dependentIds, this.requireRef(h, d, 'dependsOn'), h.revision);
    }
    for (const list of this.childIds.values()) if (list.length > 1) list.sort();
    for (const list of this.dependentIds.values()) if (list.length > 1) list.sort();
    this.order = this.sortTopologically();
    const heads: string[] = [];
    const bases: string[] = [];
    for (const h of this.order) {
      if (!this.childIds.has(h.revision)) heads.push(h.revision);
      if (h.downRevisions.length === 0) bases.push(h.revision);
    }
    this.heads = heads.sort();
    this.bases = bases.sort();
  }

  private addLabel(label: string, h: RevisionHeader): void {
    const owner = this.labelOwner.get(label);
    if (owner !== undefined) {
      throw new RetortError('REVISION_GRAPH', `branch label '${label}' is used by both ${this.byId.get(owner)!.file} and ${h.file}`, {
        hint: 'a branch label names one branch: put it on the branch\'s first revision only',
      });
    }
    const clash = this.byId.get(label);
    if (clash) {
      throw new RetortError('REVISION_GRAPH', `branch label '${label}' in ${h.file} is also the revision id of ${clash.file}`, { hint: 'choose another branch label' });
    }
    this.labelOwner.set(label, h.revision);
  }

  // Resolves a parent or dependency; `dependsOn` may also name a branch label (as in Alembic).
  private requireRef(h: RevisionHeader, ref: string, field: 'downRevision' | 'dependsOn'): string {
    if (this.byId.has(ref)) return ref;
    if (field === 'dependsOn') {
      const owner = this.labelOwner.get(ref);
      if (owner !== undefined) return owner;
    }
    throw new RetortError('REVISION_GRAPH', `${h.file}: \`${field}\` names revision '${ref}', which no revision file has`, {
      hint: 'restore the missing revision file, or correct the id in this file',
    });
  }

  /** Kahn's algorithm; ties broken by create date then id so the order never depends on the file system. */
  private sortTopologically(): RevisionHeader[] {
    const pending = new Map<string, number>();
    const ready = new MinHeap<RevisionHeader>(compareAge);
    for (const h of this.byId.values()) {
      const n = h.downRevisions.length + h.dependsOn.length;
      if (n === 0) ready.push(h);
      else pending.set(h.revision, n);
    }
    const out: RevisionHeader[] = [];
    const release = (next: string) => {
      const left = pending.get(next)! - 1;
      pending.set(next, left);
      if (left === 0) ready.push(this.byId.get(next)!);
    };
    for (let h = ready.pop(); h !== undefined; h = ready.pop()) {
      out.push(h);
      const children = this.childIds.get(h.revision);
      if (children !== undefined) for (const next of children) release(next);
      const dependents = this.dependentIds.get(h.revision);
      if (dependents !== undefined) for (const next of dependents) release(next);
    }
    if (out.length < this.byId.size) throw this.cycleError(new Set(out.map((h) => h.revision)));
    return out;
  }

  private cycleError(sorted: Set<string>): RetortError {
    // Every unsorted revision has an unsorted parent, so walking parents must come back to a revision seen before.
    let at = [...this.byId.keys()].find((id) => !sorted.has(id))!;
    const path: string[] = [];
    const index = new Map<string, number>();
    while (!index.has(at)) {
      index.set(at, path.length);
      path.push(at);
      const h = this.byId.get(at)!;
      at = [...h.downRevisions, ...h.dependsOn].map((r) => this.labelOwner.get(r) ?? r).find((r) => !sorted.has(r))!;
    }
    const cycle = path.slice(index.get(at)!).reverse();
    const files = cycle.map((id) => this.byId.get(id)!.file);
    return new RetortError('REVISION_GRAPH', `revision cycle: ${cycle.concat(cycle[0]!).join(' -> ')} (files: ${files.join(', ')})`, {
      hint: 'one of these files names a later revision as its downRevision or dependsOn; correct it',
    });
  }

  /** Number of revisions. */
  get size(): number {
    return this.byId.size;
  }

  /** Whether a revision with this exact id exists. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The header of a revision, or undefined. */
  get(id: string): RevisionHeader | undefined {
    return this.byId.get(id);
  }

  /** The header of a revision that must exist (ids come from the graph itself or were resolved). */
  require(id: string): RevisionHeader {
    const h = this.byId.get(id);
    if (!h) throw new RetortError('TARGET', `Can't locate revision identified by '${id}'`, { hint: 'run `retort history` to see the revisions' });
    return h;
  }

  /** All revision ids, in no particular order. */
  ids(): IterableIterator<string> {
    return this.byId.keys();
  }

  /** Children through `downRevision`, sorted. */
  children(id: string): readonly string[] {
    return this.childIds.get(id) ?? NONE;
  }

  /** Revisions that name `id` in `dependsOn`, sorted. */
  dependents(id: string): readonly string[] {
    return this.dependentIds.get(id) ?? NONE;
  }

  /** Parents and dependencies: everything that must be applied right before `id`. */
  requirements(id: string): readonly string[] {
    const h = this.require(id);
    return h.dependsOn.length === 0 ? h.downRevisions : [...h.downRevisions, ...h.dependsOn.map((d) => this.labelOwner.get(d) ?? d)];
  }

  /** The revision that declares a branch label, or undefined. */
  labelled(label: string): string | undefined {
    return this.labelOwner.get(label);
  }

  /** Every branch label in use. */
  labels(): string[] {
    return [...this.labelOwner.keys()].sort();
  }

  /**
   * The branch labels a revision carries, sorted, as Alembic shows them: a label declared on a revision is also
   * carried by every revision after it (through parents; a dependency carries none), and by the revisions before
   * it on the same unbranched stretch, down to the first revision after the branch point.
   */
  branchLabelsOf(id: string): readonly string[] {
    if (this.labelOwner.size === 0) return [];
    this.carried ??= this.carryLabels();
    return this.carried.get(id) ?? [];
  }

  private carryLabels(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const add = (id: string, label: string) => {
      const list = out.get(id);
      if (list === undefined) out.set(id, [label]);
      else if (!list.includes(label)) list.push(label);
    };
    for (const [label, owner] of this.labelOwner) {
      for (const id of this.walk([owner], true, (x) => this.children(x))) add(id, label);
      for (let at = this.byId.get(owner)!; at.downRevisions.length === 1; ) {
        const parent = this.byId.get(at.downRevisions[0]!)!;
        if (this.children(parent.revision).length !== 1 || parent.downRevisions.length > 1) break;
        add(parent.revision, label);
        at = parent;
      }
    }
    for (const list of out.values()) list.sort();
    return out;
  }

  private position(): Map<string, number> {
    if (this.positionMemo === undefined) {
      this.positionMemo = new Map();
      this.order.forEach((h, i) => this.positionMemo!.set(h.revision, i));
    }
    return this.positionMemo;
  }

  /** Every revision, parents before children, deterministic. */
  topologicalOrder(): readonly RevisionHeader[] {
    return this.order;
  }

  /** Sorts ids parents-first (the graph's topological order). */
  sortIds(ids: Iterable<string>): string[] {
    return [...ids].sort((a, b) => this.position().get(a)! - this.position().get(b)!);
  }

  /** Transitive parents and dependencies of the given revisions (not themselves unless `includeSelf`). */
  ancestors(ids: string | readonly string[], includeSelf = false): Set<string> {
    return this.walk(typeof ids === 'string' ? [ids] : ids, includeSelf, (id) => this.requirements(id));
  }

  /** Transitive children and dependents of the given revisions (not themselves unless `includeSelf`). */
  descendants(ids: string | readonly string[], includeSelf = false): Set<string> {
    return this.walk(typeof ids === 'string' ? [ids] : ids, includeSelf, (id) => {
      const d = this.dependents(id);
      return d.length === 0 ? this.children(id) : [...this.children(id), ...d];
    });
  }

  private walk(start: readonly string[], includeSelf: boolean, next: (id: string) => readonly string[]): Set<string> {
    const seen = new Set<string>();
    const stack: string[] = [];
    for (const id of start) {
      this.require(id);
      if (includeSelf) seen.add(id);
      stack.push(...next(id));
    }
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const n of next(id)) if (!seen.has(n)) stack.push(n);
    }
    return seen;
  }

  /** Whether `ancestor` must be applied before `descendant` (strictly: a revision is not its own ancestor). */
  isAncestor(ancestor: string, descendant: string): boolean {
    const a = this.position().get(ancestor);
    const d = this.position().get(descendant);
    if (a === undefined || d === undefined || a >= d) return false;
    return this.ancestors(descendant).has(ancestor);
  }

  /**
   * Whether `ancestor` is on `descendant`'s line of parents (downRevision only): a dependsOn says what must be applied
   * first, not which branch a revision is on, so it carries no branch label (label@head, label@-1).
   */
  isParentAncestor(ancestor: string, descendant: string): boolean {
    const a = this.position().get(ancestor);
    const d = this.position().get(descendant);
    if (a === undefined || d === undefined || a >= d) return false;
    return this.walk([descendant], false, (id) => this.require(id).downRevisions).has(ancestor);
  }

  /** The heads of a set of applied revisions: those no other one in the set requires, sorted. */
  headsOf(applied: Set<string>): string[] {
    const covered = new Set<string>();
    for (const id of applied) for (const r of this.requirements(id)) covered.add(r);
    return [...applied].filter((id) => !covered.has(id)).sort();
  }

  /**
   * Revisions newest first, as `alembic history` lists them: those that are
   * ancestors of (or are) `to` (default: every head) and descendants of (or
   * are) `from` (default: no lower bound).
   */
  history(from?: string | readonly string[] | null, to?: string | readonly string[] | null): RevisionHeader[] {
    const upper = to === undefined || to === null ? null : this.ancestors(to, true);
    const lower = from === undefined || from === null ? null : this.descendants(from, true);
    const out: RevisionHeader[] = [];
    for (let i = this.order.length - 1; i >= 0; i--) {
      const h = this.order[i]!;
      if ((upper === null || upper.has(h.revision)) && (lower === null || lower.has(h.revision))) out.push(h);
    }
    return out;
  }

  /** Revisions with two or more children, oldest first, for `retort branches`. */
  get branchPoints(): BranchPoint[] {
    return this.order
      .filter((h) => this.children(h.revision).length > 1)
      .map((h) => ({ revision: h, children: this.children(h.revision).map((c) => this.byId.get(c)!) }));
  }

  /** Whether a revision has two or more children. */
  isBranchPoint(id: string): boolean {
    return this.children(id).length > 1;
  }

  /** Whether a revision has two or more parents. */
  isMergePoint(id: string): boolean {
    return this.require(id).downRevisions.length > 1;
  }
}

const NONE: readonly string[] = Object.freeze([]);

/** Appends `value` to the list under `key`; lists exist only for revisions that have children (or dependents). */
function pushTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function compareAge(a: RevisionHeader, b: RevisionHeader): number {
  const da = a.createDate ?? '';
  const db = b.createDate ?? '';
  if (da !== db) return da < db ? -1 : 1;
  return a.revision < b.revision ? -1 : a.revision > b.revision ? 1 : 0;
}

/** A small binary heap: the ready set of a topological sort can be wide. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly cmp: (a: T, b: T) => number) {}

  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.cmp(a[i]!, a[p]!) >= 0) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.cmp(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.cmp(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
