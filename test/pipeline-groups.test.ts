/**
 * How the pipeline sizes its groups (runtime/run/pipeline.ts): a group doubles while the server answers within
 * 50 ms, counted from the request to its answer (not to when the runner had the next group ready); a slow request
 * shrinks the next group in proportion; and near the end of the run the groups halve, so the last request is one
 * revision. Pure: a connection that only records the requests and answers them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from '../src/dialects/dialect.js';
import { Pipeline, type PipelineItem } from '../src/runtime/run/pipeline.js';
import type { PlannedStep } from '../src/runtime/run/steps.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Revision i's only statement is `REV i`; a request is BEGIN, those, COMMIT. */
function item(i: number): PipelineItem {
  const rev = `r${i}`;
  const step: PlannedStep = { revision: { revision: rev, downRevisions: [], file: `${rev}.ts`, message: rev }, direction: 'up', headsBefore: [], headsAfter: [rev] };
  return { step, statements: [{ sql: `REV ${i}` }], history: null, last: false };
}

/** A pipeline on a connection that answers after `delay(revisions in the request)` ms; returns the revisions per request. */
function recorded(delay: (revisions: number) => number): { pipeline: Pipeline; sizes: number[] } {
  const sizes: number[] = [];
  const conn: Connection = {
    query: async <R>(sql: string) => {
      const n = (sql.match(/REV /g) ?? []).length;
      sizes.push(n);
      const ms = delay(n);
      if (ms > 0) await sleep(ms);
      return [] as R[];
    },
    close: async () => undefined,
  };
  const pipeline = new Pipeline(conn, {
    interrupted: () => false,
    readHeads: async () => [],
    failure: async (_i, e) => (e instanceof Error ? e : new Error(String(e))),
    interruptedBefore: () => new Error('interrupted'),
    wrap: (items) => [{ sql: 'BEGIN' }, ...items.flatMap((i) => i.statements), { sql: 'COMMIT' }],
  });
  pipeline.stretching = true;
  return { pipeline, sizes };
}

/** Hands `count` revisions to the pipeline as the runner does (telling it how many come after each), then drains. */
async function feed(pipeline: Pipeline, count: number, between: () => Promise<void> = async () => undefined): Promise<void> {
  for (let i = 0; i < count; i++) {
    pipeline.toCome = count - i - 1;
    await pipeline.add(item(i));
    await between();
  }
  await pipeline.drain();
}

describe('pipeline group sizes', () => {
  test('near the end the groups halve, so the last request carries one revision', async () => {
    const { pipeline, sizes } = recorded(() => 0);
    await feed(pipeline, 40);
    assert.equal(sizes.reduce((a, b) => a + b, 0), 40);
    // 1, 1, 2, 4, 8 while the groups grow; then each group is sent once it holds as many revisions as are left to
    // come: 12 (12 after it), 6, 3, 2, 1, instead of a group of 16 and a last one of 8.
    assert.deepEqual(sizes, [1, 1, 2, 4, 8, 12, 6, 3, 2, 1]);
  });

  test('a group grows when the server answered quickly, however long the runner took to prepare the next one', async () => {
    const { pipeline, sizes } = recorded(() => 0);
    // Each revision takes the runner longer to prepare than the 50 ms that count as a quick request.
    await feed(pipeline, 16, () => sleep(60));
    assert.deepEqual(sizes.slice(0, 4), [1, 1, 2, 4], `groups grow: ${sizes.join(', ')}`);
  });

  test('after a slow request the next group shrinks in proportion, not back to one revision', async () => {
    // Quick until a group of 32, which takes 100 ms: the group prepared after its answer (the one after the group
    // that was being prepared while it ran) is what would have taken about 50 ms, about 16.
    const { pipeline, sizes } = recorded((n) => (n === 32 ? 100 : 0));
    await feed(pipeline, 200);
    const slow = sizes.indexOf(32);
    assert.ok(slow > 0, `a group of 32 was sent: ${sizes.join(', ')}`);
    const next = sizes[slow + 2]!;
    assert.ok(next > 1 && next <= 16, `the group prepared after the slow one: ${next} (${sizes.join(', ')})`);
  });
});
