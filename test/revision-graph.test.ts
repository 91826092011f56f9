// The revision graph: validation errors that name the files, order, history and branch data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRetortError } from '../src/errors.js';
import { RevisionGraph } from '../src/revisions/revision-graph.js';
import { planDowngrade, planUpgrade } from '../src/revisions/revision-target.js';
import { branched, chain, dependent, linear, merged, rev } from './revision-fixtures.js';

const invalid: { name: string; headers: ReturnType<typeof rev>[]; message: RegExp; files: string[] }[] = [
  {
    name: 'duplicate revision ids name both files',
    headers: [rev('a1', null), { ...rev('a1', null), file: 'migrations/a1_copy.ts' }],
    message: /^duplicate revision id 'a1' in migrations\/a1\.ts and migrations\/a1_copy\.ts$/,
    files: ['migrations/a1.ts', 'migrations/a1_copy.ts'],
  },
  {
    name: 'a downRevision that points at no file names the file and the id',
    headers: [rev('a1', null), rev('b2', 'zz9')],
    message: /^migrations\/b2\.ts: `downRevision` names revision 'zz9', which no revision file has$/,
    files: ['migrations/b2.ts'],
  },
  {
    name: 'a dependsOn that points at no file',
    headers: [rev('a1', null, { deps: ['nope'] })],
    message: /`dependsOn` names revision 'nope'/,
    files: ['migrations/a1.ts'],
  },
  {
    name: 'a cycle names the files on it',
    headers: [rev('a1', null), rev('b2', ['a1', 'd4']), rev('c3', 'b2'), rev('d4', 'c3'), rev('e5', 'd4')],
    message: /^revision cycle: /,
    files: ['migrations/b2.ts', 'migrations/c3.ts', 'migrations/d4.ts'],
  },
  {
    name: 'a cycle through dependsOn',
    headers: [rev('a1', null, { deps: ['b2'] }), rev('b2', 'a1')],
    message: /^revision cycle: /,
    files: ['migrations/a1.ts', 'migrations/b2.ts'],
  },
  {
    name: 'a branch label used twice',
    headers: [rev('a1', null, { labels: ['x'] }), rev('b2', 'a1', { labels: ['x'] })],
    message: /^branch label 'x' is used by both migrations\/a1\.ts and migrations\/b2\.ts$/,
    files: ['migrations/a1.ts', 'migrations/b2.ts'],
  },
  {
    name: 'a branch label equal to a revision id',
    headers: [rev('a1', null), rev('b2', 'a1', { labels: ['a1'] })],
    message: /also the revision id of migrations\/a1\.ts/,
    files: ['migrations/b2.ts', 'migrations/a1.ts'],
  },
];

for (const c of invalid) {
  test(`graph error: ${c.name}`, () => {
    assert.throws(() => new RevisionGraph(c.headers), (e: unknown) => {
      assert.ok(isRetortError(e));
      assert.equal(e.code, 'REVISION_GRAPH');
      assert.match(e.message, c.message);
      for (const f of c.files) assert.ok(e.message.includes(f), `${e.message} names ${f}`);
      assert.ok(e.hint);
      return true;
    });
  });
}

test('a cycle message lists exactly the revisions on the cycle', () => {
  assert.throws(() => new RevisionGraph([rev('a1', null), rev('b2', ['a1', 'd4']), rev('c3', 'b2'), rev('d4', 'c3'), rev('e5', 'd4')]), (e: unknown) => {
    assert.ok(isRetortError(e));
    assert.ok(!e.message.includes('e5') && !e.message.includes('a1'), e.message);
    return true;
  });
});

const shapes: { name: string; graph: () => RevisionGraph; heads: string[]; bases: string[]; history: string[]; branchPoints: [string, string[]][] }[] = [
  { name: 'linear', graph: linear, heads: ['d4'], bases: ['a1'], history: ['d4', 'c3', 'b2', 'a1'], branchPoints: [] },
  { name: 'branched', graph: branched, heads: ['f2', 'g2'], bases: ['r0'], history: ['g2', 'f2', 'g1', 'f1', 'r1', 'r0'], branchPoints: [['r1', ['f1', 'g1']]] },
  { name: 'merged', graph: merged, heads: ['n1'], bases: ['r0'], history: ['n1', 'm1', 'g2', 'f2', 'g1', 'f1', 'r1', 'r0'], branchPoints: [['r1', ['f1', 'g1']]] },
  { name: 'dependent', graph: dependent, heads: ['a2', 'l2'], bases: ['a1', 'l1'], history: ['l2', 'a2', 'a1', 'l1'], branchPoints: [] },
];

for (const s of shapes) {
  test(`graph shape: ${s.name}`, () => {
    const g = s.graph();
    assert.deepEqual(g.heads, s.heads);
    assert.deepEqual(g.bases, s.bases);
    assert.deepEqual(g.history().map((h) => h.revision), s.history);
    assert.deepEqual(g.branchPoints.map((b) => [b.revision.revision, b.children.map((c) => c.revision)]), s.branchPoints);
    // Topological: every revision after everything it requires.
    const pos = new Map(g.topologicalOrder().map((h, i) => [h.revision, i]));
    for (const h of g.topologicalOrder()) for (const r of g.requirements(h.revision)) assert.ok(pos.get(r)! < pos.get(h.revision)!, `${r} before ${h.revision}`);
  });
}

test('ancestors, descendants and isAncestor follow parents and dependencies', () => {
  const g = merged();
  assert.deepEqual(g.sortIds(g.ancestors('m1')), ['r0', 'r1', 'f1', 'g1', 'f2', 'g2']);
  assert.deepEqual(g.sortIds(g.descendants('g1')), ['g2', 'm1', 'n1']);
  assert.deepEqual(g.children('r1'), ['f1', 'g1']);
  assert.equal(g.isAncestor('f1', 'n1'), true);
  assert.equal(g.isAncestor('f1', 'g2'), false);
  assert.equal(g.isAncestor('n1', 'n1'), false);
  assert.equal(g.isMergePoint('m1'), true);
  const d = dependent();
  assert.equal(d.isAncestor('l1', 'a2'), true, 'dependsOn counts');
  assert.deepEqual(d.dependents('l1'), ['a2']);
  assert.deepEqual([...d.descendants('l1')].sort(), ['a2', 'l2']);
  assert.deepEqual(d.headsOf(new Set(['l1', 'a1', 'a2'])), ['a2']);
});

test('history with a range: between two revisions, newest first', () => {
  const g = merged();
  assert.deepEqual(g.history('g1', 'n1').map((h) => h.revision), ['n1', 'm1', 'g2', 'g1']);
  assert.deepEqual(g.history(null, 'f2').map((h) => h.revision), ['f2', 'f1', 'r1', 'r0']);
  assert.deepEqual(g.history('m1').map((h) => h.revision), ['n1', 'm1']);
});

test('dependsOn may name a branch label', () => {
  const g = new RevisionGraph([rev('x1', null, { deps: ['lib'] }), rev('l1', null, { labels: ['lib'] })]);
  assert.deepEqual([...g.requirements('x1')], ['l1']);
  assert.deepEqual(g.topologicalOrder().map((h) => h.revision), ['l1', 'x1']);
});

test('a 10000-long chain builds, walks and plans without overflowing the stack', () => {
  const headers = chain(10_000);
  const g = new RevisionGraph(headers);
  assert.deepEqual(g.heads, ['c9999']);
  assert.equal(g.history().length, 10_000);
  assert.equal(g.ancestors('c9999').size, 9_999);
  assert.equal(g.isAncestor('c0', 'c9999'), true);
  const up = planUpgrade(g, [], 'head');
  assert.equal(up.length, 10_000);
  assert.deepEqual(up.at(-1)!.headsAfter, ['c9999']);
  assert.equal(planDowngrade(g, ['c9999'], 'base').length, 10_000);
});

// How fast: `npm run bench -- --revisions 5000 --cases history,heads` (a test on a shared machine cannot time it).
test('5000 revisions: graph, heads and history', () => {
  const g = new RevisionGraph(chain(5000));
  assert.deepEqual(g.heads, ['c4999']);
  const history = g.history();
  assert.equal(history.length, 5000);
  assert.equal(history[0]!.revision, 'c4999');
  assert.equal(history.at(-1)!.revision, 'c0');
});

test('branch labels are carried as Alembic shows them: to later revisions, and back down their unbranched stretch', () => {
  // r1 - r2 (branch point) - a3 - a4[feature] - a5 - m7 (merge) - n8
  //                        \ b3 -------------------/
  // x1 (another base, depends on a4: a dependency carries no label)
  const g = new RevisionGraph([
    rev('r1', null),
    rev('r2', 'r1'),
    rev('a3', 'r2'),
    rev('a4', 'a3', { labels: ['feature'] }),
    rev('a5', 'a4'),
    rev('b3', 'r2'),
    rev('m7', ['a5', 'b3']),
    rev('n8', 'm7'),
    rev('x1', null, { deps: ['a4'] }),
  ]);
  const carried = (id: string) => g.branchLabelsOf(id).join(',');
  assert.deepEqual(['a3', 'a4', 'a5', 'm7', 'n8'].map(carried), ['feature', 'feature', 'feature', 'feature', 'feature']);
  assert.deepEqual(['r1', 'r2', 'b3', 'x1'].map(carried), ['', '', '', '']);
  assert.deepEqual(new RevisionGraph([rev('a1', null), rev('b2', 'a1')]).branchLabelsOf('b2'), []);
});
