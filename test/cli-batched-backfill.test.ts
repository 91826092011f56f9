/**
 * The batched backfill docs/guide/manual-changes.md shows: an autocommit block of ranged UPDATEs commits each batch
 * on its own (PostgreSQL), so no lock is held for the whole table, and batches written to run again are harmless.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProject, revisionSource } from './helpers/project.js';

test('a backfill in an autocommit block commits batch by batch, and runs again harmlessly', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    await p.query(`CREATE TABLE posts (id integer PRIMARY KEY, title text, slug text)`);
    await p.query(`INSERT INTO posts SELECT g, 'Title ' || g, NULL FROM generate_series(1, 2500) g`);
    const body = `  const [{ max }] = await ctx.query<{ max: number | null }>('SELECT max(id) AS max FROM posts');
  op.autocommitBlock((op) => {
    for (let from = 0; from < (max ?? 0); from += 1000) {
      op.execute(\`UPDATE posts SET slug = lower(replace(title, ' ', '-')) WHERE slug IS NULL AND id > \${from} AND id <= \${from + 1000}\`);
    }
  });`;
    p.writeRevision('b00000000001_backfill.ts', revisionSource('b00000000001', null, 'backfill', body));
    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    const rows = await p.query<{ left: string; batches: string }>(`SELECT count(*) FILTER (WHERE slug IS NULL)::text AS left, count(DISTINCT xmin::text)::text AS batches FROM posts`);
    assert.deepEqual(rows, [{ left: '0', batches: '3' }], 'three batches, three transactions');
    // Run again (as a resumed block would): nothing left to change.
    await p.retort('stamp', 'base');
    const again = await p.retort('upgrade', 'head');
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await p.query(`SELECT count(*)::text AS n FROM posts WHERE slug <> lower(replace(title, ' ', '-'))`), [{ n: '0' }]);
  } finally {
    await p.cleanup();
  }
});
