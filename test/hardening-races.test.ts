/**
 * Races between Retort runs, and locks held by others (issue 15): autogenerate and check wait for a migration in
 * progress and read one snapshot; two paths to one SQLite file share one lock; a version-table write that finds
 * the table changed fails its step; a SQLite file locked by another connection honours --lock-timeout; a role
 * that may not create Retort's tables is told what to grant. Every test drives the real `retort` command.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { createProject, DIALECTS, revisionSource, type TestProject } from './helpers/project.js';
import { retortBin, runCli } from './helpers/cli.js';
import { pgAdminUrl, pgQuery } from './helpers/db.js';

/** A retort process whose stderr can be watched while it runs. */
function spawnRetort(dir: string, url: string, args: readonly string[]) {
  const child = spawn(process.execPath, [retortBin, '--url', url, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  const run = { stdout: '', stderr: '', exited: false };
  child.stdout.on('data', (d) => (run.stdout += d));
  child.stderr.on('data', (d) => (run.stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      run.exited = true;
      resolve({ code, stdout: run.stdout, stderr: run.stderr });
    }),
  );
  return { run, done };
}

/** Polls until `ready` holds; fails (instead of hanging) when `gaveUp` says the awaited thing can no longer happen. */
async function until(what: string, ready: () => boolean, gaveUp: () => boolean = () => false): Promise<void> {
  while (!ready()) {
    assert.ok(!gaveUp(), `gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A revision whose upgrade stops, holding the migration lock, until the test creates `<gate>.go`: it first
 * creates `<gate>.held.<pid>`. The test decides when the migration ends, so no timing is guessed; two such files
 * mean two processes got past the lock.
 */
function gatedUpgrade(gate: string, then: string): string {
  return `  writeFileSync(${JSON.stringify(`${gate}.held.`)} + process.pid, '');
  // A test that failed removes its folder: the gate then opens too, so no process is left waiting.
  while (!existsSync(${JSON.stringify(`${gate}.go`)}) && existsSync(${JSON.stringify(path.dirname(gate))})) await new Promise((r) => setTimeout(r, 20));
${then}`;
}
const GATE_IMPORTS = `import { existsSync, writeFileSync } from 'node:fs';`;

/** How many processes are inside a gated upgrade. */
function holders(gate: string): number {
  return readdirSync(path.dirname(gate)).filter((f) => f.startsWith(`${path.basename(gate)}.held.`)).length;
}

/** Runs `body` with `gate` closed, and opens it afterwards whatever happens, so no gated process is left behind. */
async function withGate(gate: string, body: () => Promise<void>): Promise<void> {
  for (const f of readdirSync(path.dirname(gate))) if (f.startsWith(`${path.basename(gate)}.`)) rmSync(path.join(path.dirname(gate), f));
  try {
    await body();
  } finally {
    writeFileSync(`${gate}.go`, '');
  }
}

const R1 = 'ace000000001';
const R2 = 'ace000000002';

for (const dialect of DIALECTS) {
  describe(`check and autogenerate during a migration on ${dialect}`, () => {
    let p: TestProject;
    let gate: string;
    before(async () => {
      p = await createProject(dialect, { empty: true });
      gate = path.join(p.dir, 'gate');
      mkdirSync(path.join(p.dir, 'models'));
      writeFileSync(path.join(p.dir, 'models', 'app.ts'), `import { integer, table } from 'retort-migrate';
export const alpha = table('alpha', { id: integer().primaryKey() });
export const beta = table('beta', { id: integer().primaryKey() });
`);
      p.writeRevision(`${R1}_alpha.ts`, revisionSource(R1, null, 'alpha', `  op.createTable('alpha', { id: integer().primaryKey() });`, `  op.dropTable('alpha');`));
      p.writeRevision(`${R2}_beta.ts`, revisionSource(R2, R1, 'beta', gatedUpgrade(gate, `  op.createTable('beta', { id: integer().primaryKey() });`), `  op.dropTable('beta');`, GATE_IMPORTS));
    });
    after(async () => {
      await p.cleanup();
    });

    /** Starts `upgrade head` and resolves once it holds the lock half-way (alpha applied, beta not yet). */
    async function upgradeHeldHalfWay() {
      const upgrade = spawnRetort(p.dir, p.url, ['upgrade', 'head']);
      await until('the upgrade to hold the lock', () => holders(gate) === 1, () => upgrade.run.exited);
      return upgrade;
    }

    test('check waits for the migration, then reads the state it left; with a short --lock-timeout it fails with the lock message', () => withGate(gate, async () => {
      const upgrade = await upgradeHeldHalfWay();
      const check = spawnRetort(p.dir, p.url, ['check']);
      await until('check to say it waits', () => /Waiting for the migration lock/.test(check.run.stderr), () => check.run.exited);
      const impatient = await p.retort('check', '--lock-timeout', '0.3');
      assert.equal(impatient.code, 1, impatient.stderr);
      assert.match(impatient.stderr, /^error: .*migration lock/m);
      assert.doesNotMatch(impatient.stderr, /\n\s+at /, 'no stack trace');
      writeFileSync(`${gate}.go`, '');
      assert.equal((await upgrade.done).code, 0);
      const r = await check.done;
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /No changes detected: the database matches the models/);
    }));

    test('revision --autogenerate waits for the migration and diffs against the state it left', async () => {
      const down = await p.retort('downgrade', R1);
      assert.equal(down.code, 0, down.stderr);
      writeFileSync(path.join(p.dir, 'models', 'app.ts'), `${readFileSync(path.join(p.dir, 'models', 'app.ts'), 'utf8')}export const gamma = table('gamma', { id: integer().primaryKey() });\n`);
      await withGate(gate, async () => {
        const upgrade = await upgradeHeldHalfWay();
        const revision = spawnRetort(p.dir, p.url, ['revision', '--autogenerate', '-m', 'add gamma']);
        await until('autogenerate to say it waits', () => /Waiting for the migration lock/.test(revision.run.stderr), () => revision.run.exited);
        const impatient = await p.retort('revision', '--autogenerate', '-m', 'too soon', '--lock-timeout', '0.3');
        assert.equal(impatient.code, 1, impatient.stderr);
        assert.match(impatient.stderr, /^error: .*migration lock/m);
        writeFileSync(`${gate}.go`, '');
        assert.equal((await upgrade.done).code, 0);
        const r = await revision.done;
        assert.equal(r.code, 0, r.stderr);
        const files = readdirSync(path.join(p.dir, 'migrations')).filter((f) => f.endsWith('_add_gamma.ts'));
        assert.equal(files.length, 1, 'one revision written, and only the one that waited');
        const source = readFileSync(path.join(p.dir, 'migrations', files[0]!), 'utf8');
        assert.match(source, /createTable\(\s*'gamma'/);
        assert.doesNotMatch(source, /'beta'/, 'beta, created by the migration it waited for, is not created again');
      });
    });
  });
}

describe('two paths to one SQLite file', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('sqlite', { empty: true });
  });
  after(async () => {
    await p.cleanup();
  });

  test('upgrades through the file, a symbolic link and a hard link share one lock: each revision runs once', async () => {
    const gate = path.join(p.dir, 'gate');
    const ids = Array.from({ length: 30 }, (_, i) => `fade${String(i).padStart(8, '0')}`);
    ids.forEach((id, i) => {
      const create = `  op.createTable('t${i}', { id: integer().primaryKey() });`;
      p.writeRevision(`${id}_t${i}.ts`, revisionSource(id, i === 0 ? null : ids[i - 1]!, `t${i}`, i === 0 ? gatedUpgrade(gate, create) : create, `  op.dropTable('t${i}');`, i === 0 ? GATE_IMPORTS : ''));
    });
    const file = path.join(p.dir, 'test.db');
    new Database(file).close();
    mkdirSync(path.join(p.dir, 'elsewhere'));
    symlinkSync(file, path.join(p.dir, 'elsewhere', 'symlinked.db'));
    linkSync(file, path.join(p.dir, 'hardlinked.db'));
    await withGate(gate, async () => {
      const first = spawnRetort(p.dir, `sqlite:///${file}`, ['upgrade', 'head']);
      await until('the first upgrade to hold the lock', () => holders(gate) === 1, () => first.run.exited);
      const others = [path.join(p.dir, 'elsewhere', 'symlinked.db'), path.join(p.dir, 'hardlinked.db')].map((f) => spawnRetort(p.dir, `sqlite:///${f}`, ['upgrade', 'head']));
      for (const o of others) {
        await until('the other paths to wait for the lock', () => /Waiting for the migration lock/.test(o.run.stderr), () => o.run.exited || holders(gate) > 1);
      }
      writeFileSync(`${gate}.go`, '');
      for (const r of await Promise.all([first.done, ...others.map((o) => o.done)])) assert.equal(r.code, 0, r.stderr);
    });
    const history = await p.query<{ revision: string; n: number }>(`SELECT revision, count(*) AS n FROM retort_history WHERE direction = 'up' GROUP BY revision`);
    assert.equal(history.length, ids.length);
    for (const h of history) assert.equal(h.n, 1, `${h.revision} ran once`);
    assert.deepEqual(await p.query('SELECT version_num FROM retort_version'), [{ version_num: ids[ids.length - 1] }]);
  });
});

for (const dialect of DIALECTS) {
  describe(`the version table changed under a run on ${dialect}`, () => {
    let p: TestProject;
    before(async () => {
      p = await createProject(dialect, { empty: true });
    });
    after(async () => {
      await p.cleanup();
    });

    const conflict = /^error: upgrade .* was rolled back: the version table changed under this run: another process migrated the database; run retort current$/m;

    test('a step from base fails when the table already holds a row, and one that moves a head fails when that head is gone', async () => {
      // Another process's row, written inside the step (as a concurrent run's commit would appear to it).
      p.writeRevision(`${R1}_alpha.ts`, revisionSource(R1, null, 'alpha', `  op.createTable('alpha', { id: integer().primaryKey() });
  await ctx.query("INSERT INTO retort_version (version_num) VALUES ('0ther0000001')");`, `  op.dropTable('alpha');`));
      const fromBase = await p.retort('upgrade', 'head');
      assert.equal(fromBase.code, 1, fromBase.stderr);
      assert.match(fromBase.stderr, conflict);
      assert.doesNotMatch(fromBase.stderr, /\n\s+at /, 'no stack trace');
      assert.deepEqual(await p.query('SELECT version_num FROM retort_version'), []);
      assert.deepEqual(await p.tables(), [], 'the step was rolled back');

      p.writeRevision(`${R1}_alpha.ts`, revisionSource(R1, null, 'alpha', `  op.createTable('alpha', { id: integer().primaryKey() });`, `  op.dropTable('alpha');`));
      p.writeRevision(`${R2}_beta.ts`, revisionSource(R2, R1, 'beta', `  op.createTable('beta', { id: integer().primaryKey() });
  await ctx.query("UPDATE retort_version SET version_num = '0ther0000002'");`, `  op.dropTable('beta');`));
      const moving = await p.retort('upgrade', 'head');
      assert.equal(moving.code, 1, moving.stderr);
      assert.match(moving.stderr, conflict);
      assert.deepEqual(await p.query('SELECT version_num FROM retort_version'), [{ version_num: R1 }], 'the run stopped at the last revision it recorded');
      assert.deepEqual(await p.tables(), ['alpha']);
    });
  });
}

test('a symbolic link planted at the SQLite lock file\'s name is refused, never followed', async () => {
  // In a shared folder another user can guess the name (.<inode>.retort_version.retort-lock): SQLite would have
  // created the file the link points at, as the user running retort.
  const p = await createProject('sqlite');
  try {
    const first = await p.retort('upgrade', '+1');
    assert.equal(first.code, 0, first.stderr);
    const db = path.join(p.dir, 'test.db');
    const lock = path.join(p.dir, `.${statSync(db).ino}.retort_version.retort-lock`);
    rmSync(lock, { force: true });
    const target = path.join(p.dir, 'created-through-the-link');
    symlinkSync(target, lock);
    const r = await p.retort('upgrade', 'head');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: the lock file .*\.retort-lock is a symbolic link, not a lock file Retort made\nhint: remove it/);
    assert.equal(existsSync(target), false, 'the link was followed');
    assert.equal((await p.query<{ version_num: string }>('SELECT version_num FROM retort_version'))[0]!.version_num, '3f1c2a9d0b01');
  } finally {
    await p.cleanup();
  }
});

describe('a SQLite file locked by another connection', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('sqlite');
  });
  after(async () => {
    await p.cleanup();
  });

  test('upgrade waits --lock-timeout, then says the database is locked; once released it runs', async () => {
    const other = new Database(path.join(p.dir, 'test.db'));
    other.exec('BEGIN EXCLUSIVE');
    try {
      const r = await p.retort('upgrade', 'head', '--lock-timeout', '1');
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^error: cannot open SQLite database ".*test\.db": the database is locked by another connection \(still locked after 1 s\); retry, or raise --lock-timeout$/m);
      assert.doesNotMatch(r.stderr, /readable and writable/, 'not blamed on permissions');
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const r = await p.retort('upgrade', 'head', '--lock-timeout', '1');
    assert.equal(r.code, 0, r.stderr);
  });
});

describe('a PostgreSQL role without CREATE on the schema', () => {
  let p: TestProject;
  const role = `retort_h3_${randomBytes(4).toString('hex')}`;
  before(async () => {
    p = await createProject('postgresql');
    await pgQuery(pgAdminUrl(), `CREATE ROLE ${role} LOGIN`);
    await p.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
  });
  after(async () => {
    await p.cleanup();
    await pgQuery(pgAdminUrl(), `DROP ROLE IF EXISTS ${role}`);
  });

  test('upgrade says Retort was creating its version table, and what to grant or configure', async () => {
    const url = new URL(p.url);
    url.username = role;
    url.password = '';
    const r = await runCli(['--url', url.toString(), 'upgrade', 'head'], { cwd: p.dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: cannot create Retort's version table retort_version: permission denied for schema public$/m);
    assert.match(r.stderr, /GRANT CREATE ON SCHEMA "public" TO <role>.*`schema` in retort\.config\.ts/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(await p.tables(), []);
  });
});
