/**
 * Hardening of the connection and the SQL Retort writes (issue 15), through the real CLI: literals that stay
 * literals whatever standard_conforming_strings says, credentials that never reach a message, an empty or
 * in-memory URL that is refused instead of migrating nothing, and a client that dies (or loses its connection)
 * in the middle of a revision.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createPgDatabase, pgAdminUrl, pgQuery, type PgDatabase } from './helpers/db.js';
import { retortBin, runCli, type CliResult } from './helpers/cli.js';
import { createProject, DIALECTS, revisionSource, type TestProject } from './helpers/project.js';

/** A revision that sets a table comment meant to break out of its literal where backslashes escape quotes. */
const HOSTILE_COMMENT = "x\\'; DROP TABLE victim; --";

function hostileRevision(): string {
  return revisionSource('aaaa00000001', null, 'comment', `  op.createTable('t', { id: serial().primaryKey() });\n  op.setTableComment('t', ${JSON.stringify(HOSTILE_COMMENT)});`);
}

/** One error line, no stack trace, the exit code given. */
function assertCleanError(r: CliResult, message: RegExp, code = 1): void {
  assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, `no stack trace in: ${r.stderr}`);
  assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('error:')).length, 1, `one error line in: ${r.stderr}`);
}

describe('literals under standard_conforming_strings = off (PostgreSQL)', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    await p.query(`ALTER DATABASE "${new URL(p.url).pathname.slice(1)}" SET standard_conforming_strings = off`);
    await p.query('CREATE TABLE victim (id integer)');
    p.writeRevision('aaaa00000001_comment.ts', hostileRevision());
  });
  after(async () => {
    await p.cleanup();
  });

  test('upgrade writes the comment as it is and drops nothing', async () => {
    const r = await p.retort('upgrade', 'head');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await p.tables(), ['t', 'victim']);
    const [row] = await p.query<{ c: string }>(`SELECT obj_description('t'::regclass, 'pg_class') AS c`);
    assert.equal(row?.c, HOSTILE_COMMENT);
  });

  test('a --sql script run by psql writes the comment as it is and drops nothing', async () => {
    const target = await createPgDatabase();
    try {
      await pgQuery(target.url, `ALTER DATABASE "${target.name}" SET standard_conforming_strings = off`);
      await pgQuery(target.url, 'CREATE TABLE victim (id integer)');
      const r = await p.retort('upgrade', 'head', '--sql');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^SET standard_conforming_strings = on;/);
      const file = path.join(p.dir, 'upgrade.sql');
      writeFileSync(file, r.stdout);
      const psql = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', target.url, '-f', file], { encoding: 'utf8' });
      assert.equal(psql.status, 0, psql.stderr);
      const tables = await pgQuery<{ name: string }>(target.url, `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
      assert.deepEqual(tables.map((t) => t.name), ['retort_history', 'retort_version', 't', 'victim']);
      const [row] = await pgQuery<{ c: string }>(target.url, `SELECT obj_description('t'::regclass, 'pg_class') AS c`);
      assert.equal(row?.c, HOSTILE_COMMENT);
    } finally {
      await target.drop();
    }
  });
});

describe('a schema name holding $$ (PostgreSQL)', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    await p.query(`CREATE SCHEMA "a$$b"`);
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], schema: 'a$$b' });\n`);
    p.writeRevision('aaaa00000001_t.ts', revisionSource('aaaa00000001', null, 't', `  op.createTable('t', { id: serial().primaryKey() });`));
  });
  after(async () => {
    await p.cleanup();
  });

  test('upgrade checks the schema and migrates into it', async () => {
    const r = await p.retort('upgrade', 'head');
    assert.equal(r.code, 0, r.stderr);
    const rows = await p.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_tables WHERE schemaname = 'a$$b' AND tablename = 't'`);
    assert.equal(rows[0]?.n, '1');
  });
});

describe('credentials never reach a message (PostgreSQL)', () => {
  const admin = new URL(pgAdminUrl());
  const host = `${admin.hostname}:${admin.port || '5432'}`;
  const missingDb = 'retort_no_such_database';
  // Each form, and the pieces of its secret that must appear nowhere (stdout, stderr, --debug stacks, --sql scripts).
  const forms: { name: string; url: string; secrets: string[] }[] = [
    { name: 'an unencoded @ in the password', url: `postgresql://postgres:Sekr3tA@Zz9@${host}/${missingDb}`, secrets: ['Sekr3tA', 'Zz9'] },
    { name: 'unencoded / # ? in the password', url: `postgresql://postgres:Sekr3tB/Yy8#Xx7?Ww6@${host}/${missingDb}`, secrets: ['Sekr3tB', 'Yy8', 'Xx7', 'Ww6'] },
    { name: 'a password= parameter', url: `postgresql://postgres@${host}/${missingDb}?password=Sekr3tC`, secrets: ['Sekr3tC'] },
    { name: 'an sslpassword= parameter', url: `postgresql://postgres:Sekr3tD@${host}/${missingDb}?sslmode=disable&sslpassword=Sekr3tE`, secrets: ['Sekr3tD', 'Sekr3tE'] },
    { name: 'a server that refuses the connection', url: 'postgresql://postgres:Sekr3tF@Vv5@127.0.0.1:1/db', secrets: ['Sekr3tF', 'Vv5'] },
    { name: 'a libpq key=value string', url: `host=${admin.hostname} user=postgres password='Sekr3tG Uu4' dbname=${missingDb}`, secrets: ['Sekr3tG', 'Uu4'] },
    { name: 'an unparseable URL', url: 'postgresql://postgres:Sekr3tH@[Tt3/db', secrets: ['Sekr3tH', 'Tt3'] },
  ];
  let p: TestProject;
  before(async () => {
    p = await createProject('sqlite');
  });
  after(async () => {
    await p.cleanup();
  });

  function assertNoSecret(r: CliResult, secrets: readonly string[]): void {
    for (const s of secrets) {
      assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `"${s}" leaked in:\n${r.stdout}\n${r.stderr}`);
    }
  }

  for (const form of forms) {
    test(`${form.name}: the connection error, --debug and --sql`, async () => {
      const run = (...args: string[]) => runCli(['--url', form.url, ...args], { cwd: p.dir });
      const failed = await run('upgrade', 'head');
      assertCleanError(failed, /database URL|cannot connect/);
      assertNoSecret(failed, form.secrets);
      const debug = await run('--debug', 'upgrade', 'head');
      assert.equal(debug.code, 1, debug.stderr);
      assert.match(debug.stderr, /\n\s+at .+:\d+:\d+/, 'the --debug stack is printed');
      assertNoSecret(debug, form.secrets);
      const script = await run('upgrade', 'head', '--sql');
      assertNoSecret(script, form.secrets);
    });
  }
});

describe('an empty or in-memory URL for a command that writes', () => {
  for (const dialect of DIALECTS) {
    describe(dialect, () => {
      let p: TestProject;
      before(async () => {
        p = await createProject(dialect);
        // The configured database: what an empty --url must not fall back to.
        writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ url: ${JSON.stringify(p.url)}, migrations: 'migrations', models: ['models/*.ts'] });\n`);
      });
      after(async () => {
        await p.cleanup();
      });

      test('--url "" is a usage error naming --url, and the configured database is untouched', async () => {
        const r = await runCli(['--url', '', 'upgrade', 'head'], { cwd: p.dir });
        assertCleanError(r, /database URL \(from --url\) is empty/, 2);
        assert.deepEqual(await p.tables(), []);
      });

      test('an empty DATABASE_URL or RETORT_DATABASE_URL is an error naming it', async () => {
        for (const name of ['DATABASE_URL', 'RETORT_DATABASE_URL']) {
          const r = await runCli(['upgrade', 'head'], { cwd: p.dir, env: { [name]: '' } });
          assertCleanError(r, new RegExp(`database URL \\(from ${name}\\) is empty`));
        }
        assert.deepEqual(await p.tables(), []);
      });

      test('sqlite: and sqlite:// (an unset variable) name no database; sqlite::memory: is taken as asked', async () => {
        for (const url of ['sqlite:', 'sqlite://', 'sqlite:///']) {
          for (const args of [['upgrade', 'head'], ['stamp', 'head'], ['revision', '--autogenerate', '-m', 'x']]) {
            const r = await runCli(['--url', url, ...args], { cwd: p.dir });
            assertCleanError(r, /names no database file/);
          }
        }
        const memory = await runCli(['--url', 'sqlite::memory:', 'upgrade', 'head'], { cwd: p.dir });
        assert.equal(memory.code, 0, memory.stderr);
        assert.deepEqual(await p.tables(), []);
      });
    });
  }
});

/** The backends of `db` whose query matches `like` and is running, other than the asking one. */
async function backends(db: PgDatabase | TestProject, like: string): Promise<number[]> {
  const url = db.url;
  const name = new URL(url).pathname.slice(1);
  const rows = await pgQuery<{ pid: number }>(pgAdminUrl(), `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE $2 AND pid <> pg_backend_pid()`, [name, like]);
  return rows.map((r) => r.pid);
}

/** Polls until `check` holds, a bounded number of times; fails naming `what` otherwise. */
async function waitUntil(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`gave up waiting until ${what}`);
}

/**
 * A revision that sleeps on the server for RETORT_TEST_SLEEP seconds (none when unset), then creates a table: the
 * runner sends it to the server whole, with its COMMIT.
 */
function sleepingRevision(rev: string, down: string | null): string {
  return revisionSource(rev, down, 'slow', `  op.execute(\`SELECT pg_sleep(\${Number(process.env.RETORT_TEST_SLEEP ?? 0)})\`);\n  op.createTable('late', { id: serial().primaryKey() });`);
}

/** Runs retort on the project with the revision's sleep set. */
function slowRun(p: TestProject, seconds: number, ...args: string[]): Promise<CliResult> {
  return runCli(['--url', p.url, ...args], { cwd: p.dir, env: { RETORT_TEST_SLEEP: String(seconds) } });
}

describe('a client killed mid-revision (PostgreSQL)', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    p.writeRevision('aaaa00000001_slow.ts', sleepingRevision('aaaa00000001', null));
  });
  after(async () => {
    await p.cleanup();
  });

  test('kill -9 during a statement: the server abandons the revision, nothing commits', async () => {
    const env = { ...process.env, RETORT_DATABASE_URL: undefined, DATABASE_URL: undefined, RETORT_TEST_SLEEP: '8' };
    const child = spawn(process.execPath, [retortBin, '--url', p.url, 'upgrade', 'head'], { cwd: p.dir, env, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await waitUntil('the revision sleeps on the server', async () => (await backends(p, '%pg_sleep%')).length > 0);
    child.kill('SIGKILL');
    await exited;
    await waitUntil('the killed client\'s backend is gone', async () => (await backends(p, '%pg_sleep%')).length === 0);
    assert.deepEqual(await p.tables(), []);
    const versions = await p.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_tables WHERE tablename = 'retort_version'`);
    if (versions[0]?.n === '1') assert.deepEqual(await p.query('SELECT * FROM retort_version'), []);
  });
});

describe('a connection lost mid-revision (PostgreSQL)', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    p.writeRevision('aaaa00000001_first.ts', revisionSource('aaaa00000001', null, 'first', `  op.createTable('first', { id: serial().primaryKey() });`));
    p.writeRevision('aaaa00000002_slow.ts', sleepingRevision('aaaa00000002', 'aaaa00000001'));
  });
  after(async () => {
    await p.cleanup();
  });

  test('pg_terminate_backend during a step: the outcome is reported unknown, and the next run is right', async () => {
    const run = slowRun(p, 60, 'upgrade', 'head');
    await waitUntil('the revision sleeps on the server', async () => (await backends(p, '%pg_sleep%')).length > 0);
    for (const pid of await backends(p, '%pg_sleep%')) await pgQuery(pgAdminUrl(), 'SELECT pg_terminate_backend($1)', [pid]);
    const r = await run;
    assertCleanError(r, /lost the connection .*whether the server committed the work in progress is unknown/);
    // A revision with op.execute runs alone (never in a group): the line starts with it, as a step's failure does.
    assert.match(r.stderr, /^error: upgrade aaaa00000001 -> aaaa00000002, slow .*lost the connection/m, 'the error line names the revision whose outcome is unknown');
    assert.match(r.stderr, /hint: run `retort current`/);
    const current = await p.retort('current');
    assert.equal(current.code, 0, current.stderr);
    assert.match(current.stdout, /^aaaa00000001/);
    assert.deepEqual(await p.tables(), ['first']);
    // The version table is the truth: the next run applies the revision the lost one did not commit.
    const again = await slowRun(p, 0, 'upgrade', 'head');
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await p.tables(), ['first', 'late']);
    assert.match((await p.retort('current')).stdout, /^aaaa00000002/);
  });

  test('a revision sent in a group (no op.execute: a materialized view whose query sleeps) names the revisions in flight', async () => {
    p.writeRevision('aaaa00000004_grouped.ts', revisionSource('aaaa00000004', 'aaaa00000002', 'grouped',
      `  op.createMaterializedView('sleepy', \`SELECT 1 AS one FROM pg_sleep(\${Number(process.env.RETORT_TEST_SLEEP ?? 0)})\`);`, `  op.dropMaterializedView('sleepy');`));
    try {
      const run = slowRun(p, 60, 'upgrade', 'head');
      await waitUntil('the revision sleeps on the server', async () => (await backends(p, '%pg_sleep%')).length > 0);
      for (const pid of await backends(p, '%pg_sleep%')) await pgQuery(pgAdminUrl(), 'SELECT pg_terminate_backend($1)', [pid]);
      const r = await run;
      assertCleanError(r, /lost the connection .*whether the server committed the work in progress is unknown \(revisions in flight.*aaaa00000004/);
      assert.match((await p.retort('current')).stdout, /^aaaa00000002/);
    } finally {
      rmSync(path.join(p.dir, 'migrations', 'aaaa00000004_grouped.ts'));
    }
  });

  test('a revision that talks to the database (ctx.query) names itself in the lost-connection error', async () => {
    p.writeRevision('aaaa00000003_query.ts', revisionSource('aaaa00000003', 'aaaa00000002', 'asks', `  op.createTable('asked', { id: serial().primaryKey() });\n  await ctx.query(\`SELECT pg_sleep(\${Number(process.env.RETORT_TEST_SLEEP ?? 0)})\`);`));
    const run = slowRun(p, 60, 'upgrade', 'head');
    await waitUntil('the revision sleeps on the server', async () => (await backends(p, '%pg_sleep%')).length > 0);
    for (const pid of await backends(p, '%pg_sleep%')) await pgQuery(pgAdminUrl(), 'SELECT pg_terminate_backend($1)', [pid]);
    const r = await run;
    assertCleanError(r, /upgrade aaaa00000002 -> aaaa00000003, asks \(.*aaaa00000003_query\.ts\): lost the connection .*unknown/);
    assert.match((await p.retort('current')).stdout, /^aaaa00000002/);
    const again = await slowRun(p, 0, 'upgrade', 'head');
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await p.tables(), ['asked', 'first', 'late']);
  });
});
