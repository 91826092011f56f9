// Targets and plans, on linear, branched, merged and dependent graphs. A step is written
// `rev:before>after` (heads of the version table around it) so each row reads as one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRetortError } from '../src/errors.js';
import type { RevisionGraph } from '../src/revisions/revision-graph.js';
import { parseRange, planDowngrade, planUpgrade, resolveHeads, resolveRevision, type Step } from '../src/revisions/revision-target.js';
import { branched, dependent, linear, merged } from './revision-fixtures.js';

function show(steps: Step[]): string[] {
  return steps.map((s) => `${s.revision.revision}:${s.headsBefore.join(',')}>${s.headsAfter.join(',')}`);
}

type Case = { graph: () => RevisionGraph; from: string[]; target: string; want: string[] | RegExp };

const upgrades: Record<string, Case> = {
  'linear head from base': { graph: linear, from: [], target: 'head', want: ['a1:>a1', 'b2:a1>b2', 'c3:b2>c3', 'd4:c3>d4'] },
  'linear heads': { graph: linear, from: ['b2'], target: 'heads', want: ['c3:b2>c3', 'd4:c3>d4'] },
  'linear full id': { graph: linear, from: [], target: 'b2', want: ['a1:>a1', 'b2:a1>b2'] },
  'linear unique prefix': { graph: linear, from: ['a1'], target: 'c', want: ['b2:a1>b2', 'c3:b2>c3'] },
  'linear +2 from base': { graph: linear, from: [], target: '+2', want: ['a1:>a1', 'b2:a1>b2'] },
  'linear +1 from b2': { graph: linear, from: ['b2'], target: '+1', want: ['c3:b2>c3'] },
  'linear rev+N': { graph: linear, from: [], target: 'a1+2', want: ['a1:>a1', 'b2:a1>b2', 'c3:b2>c3'] },
  'linear rev-N': { graph: linear, from: [], target: 'c3-1', want: ['a1:>a1', 'b2:a1>b2'] },
  'linear head-1': { graph: linear, from: [], target: 'head-1', want: ['a1:>a1', 'b2:a1>b2', 'c3:b2>c3'] },
  'linear base+1': { graph: linear, from: [], target: 'base+1', want: ['a1:>a1'] },
  'linear already there': { graph: linear, from: ['d4'], target: 'head', want: [] },
  'linear base is a no-op': { graph: linear, from: ['b2'], target: 'base', want: [] },
  'linear +9 overwalks': { graph: linear, from: ['b2'], target: '+9', want: /^Relative revision \+9 didn't produce 9 migrations \(only 2 after b2\)$/ },
  'linear +0': { graph: linear, from: [], target: '+0', want: /moves zero steps/ },
  'linear unknown': { graph: linear, from: [], target: 'zz', want: /^Can't locate revision identified by 'zz'$/ },
  'linear unknown current head': { graph: linear, from: ['gone'], target: 'head', want: /Can't locate revision identified by 'gone' \(the database's current revision\)/ },
  'branched head refuses': { graph: branched, from: [], target: 'head', want: /^multiple heads: f2 \(message of f2\), g2 \(message of g2\); 'head' is ambiguous$/ },
  'branched heads': { graph: branched, from: [], target: 'heads', want: ['r0:>r0', 'r1:r0>r1', 'f1:r1>f1', 'g1:f1>f1,g1', 'f2:f1,g1>f2,g1', 'g2:f2,g1>f2,g2'] },
  'branched one head': { graph: branched, from: ['f2'], target: 'g2', want: ['g1:f2>f2,g1', 'g2:f2,g1>f2,g2'] },
  'branched label@head': { graph: branched, from: [], target: 'feature@head', want: ['r0:>r0', 'r1:r0>r1', 'f1:r1>f1', 'f2:f1>f2'] },
  'branched bare label': { graph: branched, from: ['r1'], target: 'feature', want: ['f1:r1>f1'] },
  'branched label@+1': { graph: branched, from: ['r1'], target: 'feature@+1', want: ['f1:r1>f1'] },
  'branched rev@head': { graph: branched, from: ['r1'], target: 'g1@head', want: ['g1:r1>g1', 'g2:g1>g2'] },
  'branched +1 at a branch point': { graph: branched, from: ['r1'], target: '+1', want: /^relative revision '\+1' is ambiguous: r1 has several children \(f1, g1\)$/ },
  'branched +1 with two heads': { graph: branched, from: ['f1', 'g1'], target: '+1', want: /several heads are applied \(f1, g1\)/ },
  'branched ambiguous prefix': { graph: branched, from: [], target: 'f', want: /^Multiple revisions start with 'f': f1 \(message of f1\), f2 \(message of f2\)$/ },
  'merged head from two heads': { graph: merged, from: ['f2', 'g2'], target: 'head', want: ['m1:f2,g2>m1', 'n1:m1>n1'] },
  'merged merge point from one branch': { graph: merged, from: ['f1'], target: 'm1', want: ['g1:f1>f1,g1', 'f2:f1,g1>f2,g1', 'g2:f2,g1>f2,g2', 'm1:f2,g2>m1'] },
  'dependent pulls in its dependency': { graph: dependent, from: [], target: 'a2', want: ['l1:>l1', 'a1:l1>a1,l1', 'a2:a1,l1>a2'] },
  'dependent heads after': { graph: dependent, from: ['a2'], target: 'heads', want: ['l2:a2>a2,l2'] },
  // A dependsOn says what must come first, not which branch a revision is on: a2 depends on l1 but is not on lib.
  'dependent label@head ignores a dependsOn': { graph: dependent, from: [], target: 'lib@head', want: ['l1:>l1', 'l2:l1>l2'] },
  'redundant version rows are normalised': { graph: linear, from: ['a1', 'b2'], target: '+1', want: ['c3:a1,b2>c3'] },
};

for (const [name, c] of Object.entries(upgrades)) {
  test(`upgrade: ${name}`, () => check(() => planUpgrade(c.graph(), c.from, c.target), c.want));
}

const downgrades: Record<string, Case> = {
  'linear -1': { graph: linear, from: ['d4'], target: '-1', want: ['d4:d4>c3'] },
  'linear -2': { graph: linear, from: ['d4'], target: '-2', want: ['d4:d4>c3', 'c3:c3>b2'] },
  'linear -3 with 3 applied reaches base': { graph: linear, from: ['c3'], target: '-3', want: ['c3:c3>b2', 'b2:b2>a1', 'a1:a1>'] },
  'linear -5 with 3 applied': { graph: linear, from: ['c3'], target: '-5', want: /^Relative revision -5 didn't produce 5 migrations \(only 3 from c3 down to base\)$/ },
  'linear -1 with nothing applied': { graph: linear, from: [], target: '-1', want: /^relative revision -1 goes below base: no revision is applied$/ },
  'linear base': { graph: linear, from: ['d4'], target: 'base', want: ['d4:d4>c3', 'c3:c3>b2', 'b2:b2>a1', 'a1:a1>'] },
  'dependent label@-1 with a dependent head applied too': { graph: dependent, from: ['a2', 'l2'], target: 'lib@-1', want: ['l2:a2,l2>a2'] },
  'linear to a revision': { graph: linear, from: ['d4'], target: 'b2', want: ['d4:d4>c3', 'c3:c3>b2'] },
  'linear rev-1': { graph: linear, from: ['d4'], target: 'd4-1', want: ['d4:d4>c3'] },
  'linear prefix': { graph: linear, from: ['d4'], target: 'c', want: ['d4:d4>c3'] },
  'linear to where it is': { graph: linear, from: ['d4'], target: 'd4', want: [] },
  'linear rev-N ahead of the database is refused': { graph: linear, from: ['b2'], target: 'd4-1', want: /^Destination c3 is not a valid downgrade target from current head\(s\) b2$/ },
  'linear forward is refused': { graph: linear, from: ['b2'], target: 'd4', want: /^Destination d4 is not a valid downgrade target from current head\(s\) b2$/ },
  'branched to the branch point': { graph: branched, from: ['f2', 'g2'], target: 'r1', want: ['g2:f2,g2>f2,g1', 'f2:f2,g1>f1,g1', 'g1:f1,g1>f1', 'f1:f1>r1'] },
  'branched one branch only': { graph: branched, from: ['f2', 'g2'], target: 'g1', want: ['g2:f2,g2>f2,g1'] },
  'branched label@base': { graph: branched, from: ['f2', 'g2'], target: 'feature@base', want: ['f2:f2,g2>f1,g2', 'f1:f1,g2>g2'] },
  'branched label@-1': { graph: branched, from: ['f2', 'g2'], target: 'feature@-1', want: ['f2:f2,g2>f1,g2'] },
  'branched -1 with two heads': { graph: branched, from: ['f2', 'g2'], target: '-1', want: /ambiguous: several heads are applied \(f2, g2\)/ },
  'merged -1 un-applies the revision after the merge': { graph: merged, from: ['n1'], target: '-1', want: ['n1:n1>m1'] },
  'merged -2 un-applies the merge': { graph: merged, from: ['n1'], target: '-2', want: ['n1:n1>m1', 'm1:m1>f2,g2'] },
  'merged -3 is ambiguous below the merge': { graph: merged, from: ['n1'], target: '-3', want: /ambiguous: m1 merges several revisions \(f2, g2\)/ },
  'merged to one parent of the merge': { graph: merged, from: ['n1'], target: 'g1', want: ['n1:n1>m1', 'm1:m1>f2,g2', 'g2:f2,g2>f2,g1'] },
  'dependent label@base takes the dependents too': { graph: dependent, from: ['a2', 'l2'], target: 'lib@base', want: ['l2:a2,l2>a2', 'a2:a2>a1,l1', 'l1:a1,l1>a1'] },
  'dependent keeps a dependency another revision needs': { graph: dependent, from: ['a2', 'l2'], target: 'a1', want: ['a2:a2,l2>a1,l2'] },
  'dependent: down to a dependency keeps what depends on it (as Alembic)': { graph: dependent, from: ['a2', 'l2'], target: 'l1', want: ['l2:a2,l2>a2'] },
};

for (const [name, c] of Object.entries(downgrades)) {
  test(`downgrade: ${name}`, () => check(() => planDowngrade(c.graph(), c.from, c.target), c.want));
}

function check(plan: () => Step[], want: string[] | RegExp): void {
  if (want instanceof RegExp) {
    assert.throws(plan, (e: unknown) => {
      assert.ok(isRetortError(e), String(e));
      assert.equal(e.code, 'TARGET');
      assert.match(e.message, want);
      assert.ok(e.hint, 'has a hint');
      return true;
    });
  } else {
    assert.deepEqual(show(plan()), want);
  }
}

test('every step of an upgrade then the matching downgrade returns to the start', () => {
  for (const graph of [linear, branched, merged, dependent]) {
    const g = graph();
    const up = planUpgrade(g, [], 'heads');
    assert.ok(up.every((s) => s.direction === 'up'));
    const down = planDowngrade(g, up.at(-1)!.headsAfter, 'base');
    assert.ok(down.every((s) => s.direction === 'down'));
    assert.equal(down.length, up.length);
    assert.deepEqual(down.at(-1)!.headsAfter, []);
    // Consecutive steps chain: each starts where the previous ended.
    for (const steps of [up, down]) for (let i = 1; i < steps.length; i++) assert.deepEqual(steps[i]!.headsBefore, steps[i - 1]!.headsAfter);
  }
});

test('the multiple-heads error says how to proceed', () => {
  assert.throws(() => planUpgrade(branched(), [], 'head'), (e: unknown) => {
    assert.ok(isRetortError(e));
    assert.equal(e.hint, 'use `heads` to upgrade all, a specific head, or `retort merge` to join them');
    return true;
  });
});

test('resolveHeads and resolveRevision (stamp, show)', () => {
  assert.deepEqual(resolveHeads(branched(), [], 'heads'), ['f2', 'g2']);
  assert.deepEqual(resolveHeads(linear(), [], 'base'), []);
  assert.deepEqual(resolveHeads(merged(), ['n1'], '-2'), ['f2', 'g2']);
  assert.deepEqual(resolveHeads(linear(), ['a1', 'b2'], 'current'), ['b2']);
  assert.equal(resolveRevision(linear(), 'head'), 'd4');
  assert.equal(resolveRevision(branched(), 'feature'), 'f1');
  assert.throws(() => resolveRevision(linear(), 'base'), /names no revision/);
});

test('parseRange', () => {
  assert.deepEqual(parseRange('a1:d4'), { from: 'a1', to: 'd4' });
  assert.deepEqual(parseRange(':d4'), { from: null, to: 'd4' });
  assert.deepEqual(parseRange('base:'), { from: 'base', to: null });
  for (const bad of ['a1', 'a:b:c']) {
    assert.throws(() => parseRange(bad), (e: unknown) => isRetortError(e) && e.code === 'TARGET' && e.message === `'${bad}' is not a revision range`);
  }
});
