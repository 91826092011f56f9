/**
 * PostgreSQL sends small revisions in groups, one transaction each group: the locks a revision takes are held until
 * the group commits. A revision that runs SQL of its own (op.execute: a backfill, a whole-table UPDATE) has an
 * unknown cost, so it is never in a group: the ALTER TABLE before it commits first, and writers on that table do not
 * wait for the backfill.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createProject, revisionSource } from './helpers/project.js';

test('a revision with op.execute runs in a transaction of its own, so an earlier revision\'s ACCESS EXCLUSIVE lock is not held through it', async () => {
  const p = await createProject('postgresql', { empty: true });
  const watcher = new pg.Client({ connectionString: p.url });
  try {
    await p.query('CREATE TABLE orders (id integer PRIMARY KEY)');
    await p.query('CREATE TABLE customers (id integer PRIMARY KEY)');
    // Quick revisions first, so that the groups have grown by the time the two that matter come.
    // And quick ones after: near the end of a run the groups shrink to one revision.
    const ids = Array.from({ length: 26 }, (_, i) => `b${String(i).padStart(11, '0')}`);
    let parent: string | null = null;
    ids.forEach((id, i) => {
      const body = i === 12
        ? `  op.addColumn('orders', 'flag', integer());`
        : i === 13
          ? `  op.execute("UPDATE customers SET id = id WHERE pg_sleep(1.5) IS NOT NULL OR true");\n  op.execute('SELECT pg_sleep(1.5)');`
          : `  op.addColumn('customers', 'c${i}', integer());`;
      p.writeRevision(`${id}_r${i}.ts`, revisionSource(id, parent, `r${i}`, body, ''));
      parent = id;
    });
    await watcher.connect();
    const running = p.retort('upgrade', 'head');
    // While the slow revision sleeps, nothing holds an exclusive lock on orders.
    let sawSleep = false;
    let heldDuringSleep = false;
    for (let i = 0; i < 400 && !sawSleep; i++) {
      const sleeping = await watcher.query(`SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(1.5)%' AND state = 'active' AND pid <> pg_backend_pid()`);
      if (sleeping.rowCount! > 0) {
        sawSleep = true;
        const locks = await watcher.query(`SELECT 1 FROM pg_locks l WHERE l.relation = 'orders'::regclass AND l.mode = 'AccessExclusiveLock' AND l.granted`);
        heldDuringSleep = locks.rowCount! > 0;
      } else {
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    const up = await running;
    assert.equal(up.code, 0, up.stderr);
    assert.ok(sawSleep, 'the slow revision was seen running');
    assert.equal(heldDuringSleep, false, 'the ALTER TABLE before the slow revision still held its lock');
  } finally {
    await watcher.end().catch(() => undefined);
    await p.cleanup();
  }
});
