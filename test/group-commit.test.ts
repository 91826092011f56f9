/**
 * Many small revisions in one run. SQLite commits them in groups (each revision a savepoint, a COMMIT once 20 ms
 * have passed: see RunPolicyPart.stepSavepoint); PostgreSQL runs each pipelined request of revisions as one
 * transaction, a stretch (RunPolicyPart.pipelineStretches), and a failed stretch again one transaction per revision.
 * Either way a revision is all or nothing, a failing one leaves the database at the revision before it, and a
 * killed run leaves it at a revision boundary from which the next run carries on.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS, revisionSource, type TestProject } from './helpers/project.js';
import { retortBin } from './helpers/cli.js';

const COUNT = 60;
const ids = Array.from({ length: COUNT }, (_, i) => `9c0a${String(i).padStart(8, '0')}`);

/**
 * Revision i creates t<i> and fills it; where the project holds `stop-at` naming i, it waits there to be killed.
 * `extra` adds statements to some revisions' upgrades (by index).
 */
function writeChain(p: TestProject, failAt: number | null, extra: Record<number, string> = {}): void {
  ids.forEach((id, i) => {
    p.writeRevision(
      `${id}_r${i}.ts`,
      revisionSource(
        id,
        i === 0 ? null : ids[i - 1]!,
        `r${i}`,
        `  op.createTable('t${i}', { id: integer().primaryKey() });
  op.execute('INSERT INTO t${i} (id) VALUES (1), (2)');
  if (existsSync('stop-at') && Number(readFileSync('stop-at', 'utf8')) === ${i}) {
    await ctx.query('SELECT 1');
    writeFileSync('reached', '${i}');
    await new Promise(() => setInterval(() => undefined, 1000));
  }${i === failAt ? `\n  op.execute('INSERT INTO t${i} (no_such_column) VALUES (1)');` : ''}${extra[i] ? `\n  ${extra[i]}` : ''}`,
        `  op.dropTable('t${i}');`,
        `import { existsSync, readFileSync, writeFileSync } from 'node:fs';`,
      ),
    );
  });
}

/** The revision the database is at (-1 for base), checked to be whole: t0..t<at> with their rows, nothing after. */
/**
 * Runs `upgrade head` in a child process, waits until `reached()` says the run got where the test wants it (failing
 * if the run ends first), then kills it with SIGKILL and checks that the signal ended it.
 */
async function upgradeKilledWhen(p: TestProject, reached: () => boolean | Promise<boolean>, where: string, pollMs: number): Promise<void> {
  const child = spawn(process.execPath, [retortBin, '--url', p.url, 'upgrade', 'head'], { cwd: p.dir, env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  let ended = false;
  void done.then(() => (ended = true));
  while (!(await reached())) {
    if (ended) throw new Error(`the run ended before ${where}: ${stderr}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
  child.kill('SIGKILL');
  assert.equal(await done, 'SIGKILL');
}

async function cleanAt(p: TestProject): Promise<number> {
  const rows = await p.query<{ version_num: string }>('SELECT version_num FROM retort_version');
  const at = rows.length === 0 ? -1 : ids.indexOf(rows[0]!.version_num);
  assert.ok(rows.length <= 1 && (rows.length === 0 || at >= 0), `one known head, got ${JSON.stringify(rows)}`);
  const tables = (await p.tables()).filter((t) => /^t\d+$/.test(t)).sort();
  assert.deepEqual(tables, Array.from({ length: at + 1 }, (_, i) => `t${i}`).sort(), `tables at revision ${at}`);
  for (let i = 0; i <= at; i++) assert.equal(Number((await p.query<{ n: number | string }>(`SELECT count(*) AS n FROM t${i}`))[0]!.n), 2, `t${i} whole`);
  const history = await p.query<{ n: number | string }>(`SELECT sum(CASE direction WHEN 'up' THEN 1 WHEN 'down' THEN -1 ELSE 0 END) AS n FROM retort_history`);
  assert.equal(Number(history[0]!.n ?? 0), at + 1, 'history: an up row for each applied revision (less the down rows), none for the others');
  return at;
}

for (const dialect of DIALECTS) {
  describe(`a run of ${COUNT} small revisions on ${dialect}`, () => {
    let p: TestProject;
    before(async () => {
      p = await createProject(dialect, { empty: true });
    });
    after(async () => {
      await p.cleanup();
    });

    test('a revision failing late in the run leaves the database at the revision before it, with every earlier one applied', async () => {
      writeChain(p, 45);
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /rolled back/);
      assert.equal(await cleanAt(p), 44);
      const down = await p.retort('downgrade', 'base');
      assert.equal(down.code, 0, down.stderr);
      assert.equal(await cleanAt(p), -1);
    });

    test('a run killed in the middle leaves a revision boundary, and the next run finishes', async () => {
      writeChain(p, null);
      writeFileSync(path.join(p.dir, 'stop-at'), '50');
      const marker = path.join(p.dir, 'reached');
      rmSync(marker, { force: true });
      await upgradeKilledWhen(p, () => existsSync(marker), 'revision 50', 10);
      const db = path.join(p.dir, 'test.db');
      // SQLite runs in WAL with synchronous = NORMAL (sqlite-journal.ts): the killed run left the marker that names
      // the journal mode to restore.
      if (dialect === 'sqlite') assert.equal(readFileSync(`${db}-retort-journal`, 'utf8'), 'delete');
      const at = await cleanAt(p);
      assert.ok(at <= 49, `at most the revision before the one killed, got ${at}`);
      rmSync(path.join(p.dir, 'stop-at'));
      const finish = await p.retort('upgrade', 'head');
      assert.equal(finish.code, 0, finish.stderr);
      assert.equal(await cleanAt(p), COUNT - 1);
      if (dialect === 'sqlite') {
        assert.equal((await p.query<{ journal_mode: string }>('PRAGMA journal_mode'))[0]!.journal_mode, 'delete', 'the next run restored the journal mode');
        assert.equal(existsSync(`${db}-retort-journal`), false, 'and removed the marker');
        assert.equal(existsSync(`${db}-wal`), false, 'no WAL left');
      }
    });

    if (dialect === 'postgresql') {
      test('a revision whose COMMIT fails (a deferred constraint) inside a stretch is named, and the ones before it are applied', async () => {
        // The violation shows only at COMMIT, which a stretch shares with the revisions around it: the stretch is run
        // again one transaction per revision, and the revision's own COMMIT fails.
        assert.equal((await p.retort('downgrade', 'base')).code, 0);
        writeChain(p, null, {
          45: `op.execute('CREATE TABLE d45 (id integer, CONSTRAINT d45_once UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)');\n  op.execute('INSERT INTO d45 (id) VALUES (1), (1)');`,
        });
        const r = await p.retort('upgrade', 'head');
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, new RegExp(`${ids[44]} -> ${ids[45]}, r45 failed`));
        assert.match(r.stderr, /d45_once/);
        assert.equal(await cleanAt(p), 44);
        assert.deepEqual(await p.query(`SELECT 1 FROM pg_class WHERE relname = 'd45'`), []);
        const down = await p.retort('downgrade', 'base');
        assert.equal(down.code, 0, down.stderr);
        assert.equal(await cleanAt(p), -1);
      });

      test('a run killed while the server runs a stretch leaves the database at a revision boundary, and the next run finishes', async () => {
        assert.equal((await p.retort('downgrade', 'base')).code, 0);
        writeChain(p, null, { 40: `op.execute('SELECT pg_sleep(5)');` });
        // By its wait event: pg_stat_activity shows only the first 1 kB of a request's text.
        const sleeping = async () =>
          Number((await p.query<{ n: number | string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'retort' AND wait_event = 'PgSleep'`))[0]!.n) > 0;
        await upgradeKilledWhen(p, sleeping, 'revision 40', 20);
        // The server sees the client gone within a second (client_connection_check_interval) and rolls the stretch back.
        const gone = async () =>
          (await p.query<{ n: number | string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'retort'`))[0]!.n;
        for (let waited = 0; Number(await gone()) > 0; waited += 50) {
          assert.ok(waited < 15_000, 'the killed run\'s session ended');
          await new Promise((r) => setTimeout(r, 50));
        }
        const at = await cleanAt(p);
        assert.ok(at <= 39, `at most the revision before the one killed, got ${at}`);
        writeChain(p, null);
        const finish = await p.retort('upgrade', 'head');
        assert.equal(finish.code, 0, finish.stderr);
        assert.equal(await cleanAt(p), COUNT - 1);
      });
    }

    if (dialect === 'sqlite') {
      test('a database in WAL mode stays in WAL; one in rollback mode is back in it after the run, with every revision in the file', async () => {
        const db = path.join(p.dir, 'test.db');
        const down = await p.retort('downgrade', 'base');
        assert.equal(down.code, 0, down.stderr);
        assert.equal((await p.query<{ journal_mode: string }>('PRAGMA journal_mode'))[0]!.journal_mode, 'delete');
        assert.equal(existsSync(`${db}-wal`), false, 'checkpointed into the file');
        await p.query('PRAGMA journal_mode = WAL');
        const up = await p.retort('upgrade', 'head');
        assert.equal(up.code, 0, up.stderr);
        assert.equal((await p.query<{ journal_mode: string }>('PRAGMA journal_mode'))[0]!.journal_mode, 'wal');
        assert.equal(existsSync(`${db}-retort-journal`), false, 'no marker: the mode was not switched');
        assert.equal(await cleanAt(p), COUNT - 1);
        await p.query('PRAGMA journal_mode = DELETE');
      });

      test('a run with nothing to do puts back the journal mode an earlier run left switched (killed, or crowded by runs waiting for the lock)', async () => {
        // As such a run leaves it: in WAL, with the marker naming the mode to go back to.
        const db = path.join(p.dir, 'test.db');
        await p.query('PRAGMA journal_mode = WAL');
        writeFileSync(`${db}-retort-journal`, 'delete');
        const idle = await p.retort('upgrade', 'head');
        assert.equal(idle.code, 0, idle.stderr);
        assert.match(idle.stderr, /Nothing to do/);
        assert.equal((await p.query<{ journal_mode: string }>('PRAGMA journal_mode'))[0]!.journal_mode, 'delete');
        assert.equal(existsSync(`${db}-retort-journal`), false, 'the marker goes once the mode is back');
      });
    }
  });
}
