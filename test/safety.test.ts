/**
 * Concurrency and crashes: eight processes upgrading one database at once,
 * SIGKILL inside each step of a long migration in turn, Ctrl-C. After each, the
 * database is at a clean revision and the next run finishes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS, revisionSource, type TestProject } from './helpers/project.js';
import { retortBin } from './helpers/cli.js';

const STEPS = 8;
const ids = Array.from({ length: STEPS }, (_, i) => `5afe${String(i).padStart(8, '0')}`);

/**
 * Where a step pauses, mid-transaction. When the project holds a `stop-at` file naming this step, the step
 * writes `reached` and waits there until it is killed, so a test can kill it at a known point.
 */
const PAUSE = `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
async function pauseHere(step: number): Promise<void> {
  if (existsSync('stop-at') && Number(readFileSync('stop-at', 'utf8')) === step) {
    writeFileSync('reached', String(step));
    await new Promise(() => setInterval(() => undefined, 1000));
  }
  await new Promise((resolve) => setTimeout(resolve, 40));
}`;

/** A chain of revisions, each creating a table, filling it through ctx.query, pausing, then altering it. */
function writeSlowChain(p: TestProject): void {
  ids.forEach((id, i) => {
    p.writeRevision(
      `${id}_step_${i}.ts`,
      revisionSource(
        id,
        i === 0 ? null : ids[i - 1]!,
        `step ${i}`,
        `  op.createTable('t${i}', { id: integer().primaryKey(), label: text() });
  await ctx.query("INSERT INTO t${i} (id, label) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  await pauseHere(${i});
  op.addColumn('t${i}', 'extra', integer());
  await ctx.query('UPDATE t${i} SET extra = id');`,
        `  op.dropTable('t${i}');`,
        PAUSE,
      ),
    );
  });
}

/** Resolves once `file` exists; rejects if the run ends first (it should have been waiting there). */
async function reached(file: string, run: ReturnType<typeof spawnRetort>): Promise<void> {
  let ended: { code: number | null; stderr: string } | null = null;
  void run.done.then((r) => (ended = r));
  while (!existsSync(file)) {
    if (ended) throw new Error(`the run ended before it reached the kill point: ${JSON.stringify(ended)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The database must be exactly at some revision k: tables t0..t(k) complete, none after. */
async function assertClean(p: TestProject): Promise<number> {
  const rows = await p.query<{ version_num: string }>('SELECT version_num FROM retort_version');
  assert.ok(rows.length <= 1, `one head at most, got ${JSON.stringify(rows)}`);
  const at = rows.length === 0 ? -1 : ids.indexOf(rows[0]!.version_num);
  assert.ok(rows.length === 0 || at >= 0, `known revision, got ${JSON.stringify(rows)}`);
  const tables = (await p.tables()).filter((t) => /^t\d+$/.test(t)).sort();
  assert.deepEqual(tables, Array.from({ length: at + 1 }, (_, i) => `t${i}`).sort(), `tables at revision ${at}`);
  for (let i = 0; i <= at; i++) {
    const data = await p.query<{ n: number | string }>(`SELECT count(extra) AS n FROM t${i}`);
    assert.equal(Number(data[0]!.n), 3, `t${i} complete`);
  }
  return at;
}

function spawnRetort(p: TestProject, args: string[]) {
  const child = spawn(process.execPath, [retortBin, '--url', p.url, ...args], { cwd: p.dir, env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  return { child, done };
}

for (const dialect of DIALECTS) {
  describe(`safety on ${dialect}`, () => {
    let p: TestProject;
    before(async () => {
      p = await createProject(dialect, { empty: true });
      writeSlowChain(p);
    });
    after(async () => {
      await p.cleanup();
    });

    test('8 processes upgrading at once: all succeed, each revision applied exactly once', async () => {
      const runs = Array.from({ length: 8 }, () => spawnRetort(p, ['upgrade', 'head']));
      const results = await Promise.all(runs.map((r) => r.done));
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const counts = await p.query<{ revision: string; n: number | string }>(`SELECT revision, count(*) AS n FROM retort_history WHERE direction = 'up' GROUP BY revision`);
      assert.equal(counts.length, STEPS);
      for (const c of counts) assert.equal(Number(c.n), 1, `revision ${c.revision} ran once`);
      assert.ok(results.some((r) => /Waiting for the migration lock/.test(r.stderr)), 'someone waited for the lock');
      assert.equal(await assertClean(p), STEPS - 1);
    });

    test('SIGKILL in the middle of each step in turn: always the revision before it, and the next run carries on', async () => {
      const down = await spawnRetort(p, ['downgrade', 'base']).done;
      assert.equal(down.code, 0, down.stderr);
      const marker = path.join(p.dir, 'reached');
      try {
        // Each run resumes where the last kill left the database and is killed inside the next step, mid-transaction.
        for (let k = 0; k < STEPS; k++) {
          writeFileSync(path.join(p.dir, 'stop-at'), String(k));
          rmSync(marker, { force: true });
          const run = spawnRetort(p, ['upgrade', 'head']);
          await reached(marker, run);
          run.child.kill('SIGKILL');
          const killed = await run.done;
          assert.equal(killed.signal, 'SIGKILL', killed.stderr);
          assert.equal(await assertClean(p), k - 1, `killed inside step ${k}`);
        }
      } finally {
        rmSync(path.join(p.dir, 'stop-at'), { force: true });
      }
      const finish = await spawnRetort(p, ['upgrade', 'head']).done;
      assert.equal(finish.code, 0, finish.stderr);
      assert.equal(await assertClean(p), STEPS - 1);
    });

    test('Ctrl-C or SIGTERM while waiting for the migration lock: exit 130 at once, nothing run, no success reported', async () => {
      const down = await spawnRetort(p, ['downgrade', 'base']).done;
      assert.equal(down.code, 0, down.stderr);
      const marker = path.join(p.dir, 'reached');
      writeFileSync(path.join(p.dir, 'stop-at'), '1');
      rmSync(marker, { force: true });
      const holder = spawnRetort(p, ['upgrade', 'head']);
      try {
        await reached(marker, holder);
        for (const signal of ['SIGINT', 'SIGTERM'] as const) {
          const waiter = spawnRetort(p, ['upgrade', 'head', '--json']);
          let out = '';
          waiter.child.stdout.removeAllListeners('data');
          waiter.child.stdout.on('data', (d) => (out += d));
          await new Promise<void>((resolve) => waiter.child.stderr.on('data', (d: Buffer) => String(d).includes('Waiting for the migration lock') && resolve()));
          waiter.child.kill(signal);
          // The holder is still paused inside step 1: the waiter ends without it letting go.
          const r = await waiter.done;
          assert.equal(r.code, 130, `${signal}: ${r.stderr}`);
          assert.match(r.stderr, /interrupted while waiting for the migration lock; nothing was run/);
          assert.doesNotMatch(r.stderr, /Running upgrade/);
          const doc = JSON.parse(out) as { error: { code: string } | null };
          assert.equal(doc.error?.code, 'INTERRUPTED');
        }
        // stamp waits for the same lock, and stops the same way.
        const stamper = spawnRetort(p, ['stamp', 'head']);
        await new Promise<void>((resolve) => stamper.child.stderr.on('data', (d: Buffer) => String(d).includes('Waiting for the migration lock') && resolve()));
        stamper.child.kill('SIGTERM');
        const stamped = await stamper.done;
        assert.equal(stamped.code, 130, stamped.stderr);
        assert.match(stamped.stderr, /interrupted while waiting for the migration lock; nothing was run/);
      } finally {
        holder.child.kill('SIGKILL');
        await holder.done;
        rmSync(path.join(p.dir, 'stop-at'), { force: true });
      }
      assert.equal(await assertClean(p), 0);
    });

    test('Ctrl-C during a migration rolls back and exits 130', async () => {
      const down = await spawnRetort(p, ['downgrade', 'base']).done;
      assert.equal(down.code, 0, down.stderr);
      const run = spawnRetort(p, ['upgrade', 'head']);
      await new Promise<void>((resolve) => {
        const poll = () => (/Running upgrade/.test(run.child.stderr.readableLength ? '' : '') ? resolve() : undefined);
        run.child.stderr.on('data', (d: Buffer) => {
          if (String(d).includes('Running upgrade')) resolve();
        });
        poll();
      });
      await new Promise((r) => setTimeout(r, 60));
      run.child.kill('SIGINT');
      const r = await run.done;
      assert.equal(r.code, 130, r.stderr);
      assert.match(r.stderr, /interrupted/i);
      assert.match(r.stderr, /rolled back/);
      await assertClean(p);
    });

    test('Ctrl-C is honoured between statements even when the driver never waits (a tight data-migration loop)', async () => {
      const q = await createProject(dialect, { empty: true });
      try {
        q.writeRevision(
          '5afe10000001_loop.ts',
          revisionSource(
            '5afe10000001',
            null,
            'tight loop',
            `  op.createTable('loop_rows', { id: integer().primaryKey() });
  for (let i = 0; i < 200000; i++) await ctx.query(\`INSERT INTO loop_rows (id) VALUES (\${i})\`);`,
            `  op.dropTable('loop_rows');`,
          ),
        );
        const run = spawnRetort(q, ['upgrade', 'head']);
        await new Promise<void>((resolve) => run.child.stderr.on('data', (d: Buffer) => String(d).includes('Running upgrade') && resolve()));
        await new Promise((r) => setTimeout(r, 300));
        run.child.kill('SIGINT');
        const r = await run.done;
        assert.equal(r.code, 130, r.stderr);
        assert.match(r.stderr, /rolled back/);
        assert.deepEqual(await q.tables(), []);
      } finally {
        await q.cleanup();
      }
    });

    if (dialect === 'postgresql') {
      test('PostgreSQL: Ctrl-C cancels the statement the server is running and rolls back (the revision is not committed)', { timeout: 120_000 }, async (t) => {
        const q = await createProject(dialect, { empty: true });
        // The revision's statement waits for a lock the test holds until the end: only a cancelled statement lets the run end.
        const holder = new pg.Client({ connectionString: q.url });
        await holder.connect();
        try {
          await holder.query('SELECT pg_advisory_lock(15, 15)');
          q.writeRevision('5afe10000003_blocked.ts', revisionSource('5afe10000003', null, 'blocked', `  op.createTable('blocked', { id: integer().primaryKey() });\n  op.execute('SELECT pg_advisory_lock(15, 15)');`, `  op.dropTable('blocked');`));
          const run = spawnRetort(q, ['upgrade', 'head']);
          t.after(() => run.child.kill('SIGKILL'));
          const waiting = `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%pg_advisory_lock(15, 15)%' AND pid <> pg_backend_pid()`;
          while ((await holder.query(waiting)).rowCount === 0) await new Promise((r) => setTimeout(r, 20));
          run.child.kill('SIGINT');
          const r = await run.done;
          assert.equal(r.code, 130, r.stderr);
          assert.match(r.stderr, /interrupted during upgrade <base> -> 5afe10000003, blocked; rolled back, the database stays at base/);
          assert.deepEqual(await q.tables(), []);
          assert.deepEqual(await q.query('SELECT * FROM retort_version'), []);
        } finally {
          await holder.end();
          await q.cleanup();
        }
      });
    }

    if (dialect === 'postgresql') {
      test('PostgreSQL: Ctrl-C in an autocommit block says what stays committed, and the next run resumes', { timeout: 120_000 }, async (t) => {
        const q = await createProject(dialect, { empty: true });
        const holder = new pg.Client({ connectionString: q.url });
        await holder.connect();
        try {
          await holder.query('SELECT pg_advisory_lock(16, 16)');
          q.writeRevision('5afe10000005_block.ts', revisionSource('5afe10000005', null, 'block', `  op.createTable('early_t', { id: integer().primaryKey() });\n  op.autocommitBlock((op) => op.execute('SELECT pg_advisory_lock(16, 16)'));\n  op.createTable('late_t', { id: integer().primaryKey() });`, `  op.dropTable('late_t');\n  op.dropTable('early_t');`));
          const run = spawnRetort(q, ['upgrade', 'head']);
          t.after(() => run.child.kill('SIGKILL'));
          const waiting = `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%pg_advisory_lock(16, 16)%' AND pid <> pg_backend_pid()`;
          while ((await holder.query(waiting)).rowCount === 0) await new Promise((r) => setTimeout(r, 20));
          run.child.kill('SIGINT');
          const r = await run.done;
          assert.equal(r.code, 130, r.stderr);
          assert.match(r.stderr, /interrupted during upgrade <base> -> 5afe10000005, block; the work before its autocommit block stays committed/);
          assert.doesNotMatch(r.stderr, /rolled back, the database stays at base/);
          assert.deepEqual(await q.tables(), ['early_t']);
          await holder.query('SELECT pg_advisory_unlock(16, 16)');
          const again = await q.retort('upgrade', 'head');
          assert.equal(again.code, 0, again.stderr);
          assert.match(again.stderr, /resumes where an earlier run stopped/);
          assert.deepEqual(await q.tables(), ['early_t', 'late_t']);
        } finally {
          await holder.end();
          await q.cleanup();
        }
      });
    }

    if (dialect === 'sqlite') {
      test('SQLite: two URLs that reach one file (a symbolic link) share one lock, so a revision runs once', async () => {
        const q = await createProject(dialect, { empty: true });
        try {
          const slow = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT count(*) FROM c';
          q.writeRevision('5afe10000004_once.ts', revisionSource('5afe10000004', null, 'once', `  op.createTable('runs', { id: integer().primaryKey() });\n  op.execute('${slow}');\n  op.execute('INSERT INTO runs (id) VALUES (1)');`, `  op.dropTable('runs');`));
          await q.query('SELECT 1');
          symlinkSync(path.join(q.dir, 'test.db'), path.join(q.dir, 'alias.db'));
          const results = await Promise.all([
            spawnRetort(q, ['upgrade', 'head']).done,
            spawnRetort(q, ['--url', `sqlite:///${path.join(q.dir, 'alias.db')}`, 'upgrade', 'head']).done,
          ]);
          for (const r of results) assert.equal(r.code, 0, r.stderr);
          assert.deepEqual(await q.query('SELECT count(*) AS n FROM runs'), [{ n: 1 }]);
          assert.deepEqual(await q.query(`SELECT count(*) AS n FROM retort_history WHERE direction = 'up'`), [{ n: 1 }]);
        } finally {
          await q.cleanup();
        }
      });

      test('SQLite: Ctrl-C stops before the next statement of a revision, not after all of them', { timeout: 120_000 }, async (t) => {
        const q = await createProject(dialect, { empty: true });
        try {
          // The first statement takes a while (a few hundred ms); the second would run for hours, so the run ends only if
          // the Ctrl-C sent while the first one runs is honoured before the second starts.
          const rows = (n: string) => `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${n}) SELECT count(*) FROM c`;
          q.writeRevision(
            '5afe10000002_slow.ts',
            revisionSource('5afe10000002', null, 'slow statements', `  op.createTable('slow_rows', { id: integer().primaryKey() });\n  op.execute('${rows('3000000')}');\n  op.execute('${rows('1000000000000')}');`, `  op.dropTable('slow_rows');`),
          );
          const run = spawnRetort(q, ['upgrade', 'head']);
          t.after(() => run.child.kill('SIGKILL'));
          await new Promise<void>((resolve) => run.child.stderr.on('data', (d: Buffer) => String(d).includes('Running upgrade') && resolve()));
          run.child.kill('SIGINT');
          const r = await run.done;
          assert.equal(r.code, 130, r.stderr);
          assert.match(r.stderr, /rolled back/);
          assert.match(r.stderr, /\nInterrupted: stopping the running statement and rolling back/, 'the notice starts a line of its own');
          assert.deepEqual(await q.tables(), []);
        } finally {
          await q.cleanup();
        }
      });
    }
  });
}
