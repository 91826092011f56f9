/**
 * `retort verify` through the real CLI on both dialects: it passes on migrations-example on a scratch database
 * it creates and drops, and it catches a downgrade that forgets an index, a column it does not restore, an enum
 * left behind (PostgreSQL), a data migration that fails on the way down, a second upgrade that differs, models
 * that differ at head, a revision that cannot be printed (--sql) and two heads; Ctrl-C drops the scratch database.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { repoRoot, retortBin, runCli, type CliResult } from './helpers/cli.js';
import { pgAdminUrl, pgQuery, tempDir } from './helpers/db.js';
import { createProject, DIALECTS, revisionSource, type DialectName, type TestProject } from './helpers/project.js';

const R1 = 'a1a1a1a1a1a1';
const R2 = 'b2b2b2b2b2b2';

/** The report as `verify --json` prints it. */
interface Report {
  schemaVersion: number;
  command: string;
  ok: boolean;
  database: { url: string; scratch: boolean } | null;
  revisions: number;
  verified: number;
  heads: string[];
  checks: Record<string, string>;
  failure: { check: string; revision: string | null; phase: string | null; message: string; differences: string[]; details: string[] } | null;
  timings: { revision: string; upgradeMs: number }[];
}

function parse(r: CliResult): Report {
  assert.equal(r.stderr.includes('    at '), false, `no stack trace: ${r.stderr}`);
  const doc = JSON.parse(r.stdout) as Report;
  assert.equal(doc.schemaVersion, 1);
  assert.equal(doc.command, 'verify');
  return doc;
}

/** verify in the project's folder, on a scratch database beside the project's (given as the configured URL, never as --url). */
function verifyIn(p: TestProject, ...args: string[]): Promise<CliResult> {
  return runCli(['verify', ...args], { cwd: p.dir, env: { RETORT_DATABASE_URL: p.url } });
}

/** The scratch database a report names is gone. */
async function assertDropped(dialect: DialectName, report: Report): Promise<void> {
  assert.ok(report.database?.scratch, 'verify made its own database');
  const url = report.database.url;
  if (dialect === 'postgresql') {
    const name = decodeURIComponent(new URL(url).pathname.slice(1));
    assert.match(name, /^retort_verify_\d{14}_[0-9a-f]{8}$/);
    assert.deepEqual(await pgQuery(pgAdminUrl(), `SELECT datname FROM pg_database WHERE datname = '${name}'`), []);
  } else {
    const file = url.replace(/^sqlite:\/\/\//, '');
    assert.equal(existsSync(path.dirname(file)), false, `${path.dirname(file)} removed`);
  }
}

const t1 = `  op.createTable('t', { id: serial().primaryKey(), a: varchar(40).notNull() });`;
const dropT1 = `  op.dropTable('t');`;

for (const dialect of DIALECTS) {
  describe(`verify on ${dialect}`, () => {
    test('passes on migrations-example, on a scratch database it drops, with --sql; the configured database is not touched', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        for (const part of ['models', 'migrations']) cpSync(path.join(repoRoot, 'migrations-example', part), path.join(p.dir, part), { recursive: true });
        const r = await verifyIn(p, '--sql', '--json');
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const report = parse(r);
        const count = readdirSync(path.join(p.dir, 'migrations')).filter((f) => f.endsWith('.ts')).length;
        assert.equal(report.ok, true);
        assert.equal(report.revisions, count);
        assert.equal(report.verified, count);
        assert.deepEqual(report.checks, { heads: 'passed', 'round trips': 'passed', models: 'passed', sql: 'passed' });
        assert.equal(report.failure, null);
        assert.equal(report.timings.length, count);
        await assertDropped(dialect, report);
        // The configured database is only a way to reach the server: nothing was created in it.
        if (dialect === 'postgresql') assert.deepEqual(await p.tables(), []);
        else assert.equal(existsSync(path.join(p.dir, 'test.db')), false);
        // The text report.
        const text = await verifyIn(p);
        assert.equal(text.code, 0, text.stderr);
        assert.match(text.stdout, new RegExp(`^OK: ${count} revisions verified .*the models match at head`));
        assert.match(text.stderr, new RegExp(`Verifying 3f1c2a9d0b01 \\(1/${count}\\) \\.\\.\\. ok`));
      } finally {
        await p.cleanup();
      }
    });

    describe('catches', () => {
      let p: TestProject;
      before(async () => {
        p = await createProject(dialect, { empty: true });
        mkdirSync(path.join(p.dir, 'models'));
      });
      after(async () => {
        await p.cleanup();
      });
      /** Replaces the project's revisions. */
      const revisions = (...sources: [string, string][]) => {
        for (const f of readdirSync(path.join(p.dir, 'migrations'))) rmSync(path.join(p.dir, 'migrations', f), { recursive: true });
        for (const [name, source] of sources) p.writeRevision(name, source);
      };

      test('a downgrade that forgets an index (JSON): the first failing revision, the index named, the scratch database dropped', async () => {
        revisions(
          [`${R1}_t.ts`, revisionSource(R1, null, 'create t', t1, dropT1)],
          [`${R2}_ix.ts`, revisionSource(R2, R1, 'index a', `  op.createIndex('ix_a', 't', ['a']);`, '')],
        );
        const r = await verifyIn(p, '--json');
        assert.equal(r.code, 1, r.stderr);
        const report = parse(r);
        assert.equal(report.ok, false);
        assert.equal(report.verified, 1);
        assert.deepEqual(report.checks, { heads: 'passed', 'round trips': 'failed', models: 'skipped', sql: 'skipped' });
        assert.equal(report.failure?.check, 'round trips');
        assert.equal(report.failure?.revision, R2);
        assert.equal(report.failure?.phase, 'downgrade');
        assert.deepEqual(report.failure?.differences, [`index ix_a on table t left behind by the downgrade of ${R2}`]);
        await assertDropped(dialect, report);
      });

      test('a downgrade that does not restore a column (text)', async () => {
        revisions(
          [`${R1}_t.ts`, revisionSource(R1, null, 'create t', t1, dropT1)],
          [`${R2}_null.ts`, revisionSource(R2, R1, 'a nullable', `  op.alterColumn('t', 'a', { nullable: true });`, '')],
        );
        const r = await verifyIn(p);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stdout, new RegExp(`^FAILED round trips: revision ${R2} \\(.*${R2}_null\\.ts\\), downgrade: the downgrade of ${R2} does not restore the schema`, 'm'));
        assert.match(r.stdout, new RegExp(`^  column t\\.a not restored by the downgrade of ${R2}: nullable: false before the upgrade, true after the downgrade$`, 'm'));
        assert.match(r.stdout, /^1 of 2 revisions verified before the failure/m);
      });

      test('a data migration that fails on the way down', async () => {
        revisions(
          [`${R1}_t.ts`, revisionSource(R1, null, 'create t', t1, dropT1)],
          [`${R2}_data.ts`, revisionSource(R2, R1, 'seed', `  op.execute("INSERT INTO t (a) VALUES ('seed')");`, `  op.execute('UPDATE t SET a = NULL');`)],
        );
        const report = parse(await verifyIn(p, '--json'));
        assert.equal(report.failure?.check, 'round trips');
        assert.equal(report.failure?.revision, R2);
        assert.equal(report.failure?.phase, 'downgrade');
        assert.match(report.failure!.message + report.failure!.details.join('\n'), /null|NULL/);
        assert.equal(report.verified, 1);
      });

      test('a second upgrade that makes another schema than the first', async () => {
        // The upgrade looks at the history table, which the first run filled: the second run adds an index.
        const upgrade = `  op.createTable('u', { id: serial().primaryKey(), b: integer() });\n  const rows = await ctx.query<{ n: number }>("SELECT count(*) AS n FROM retort_history WHERE revision = '${R2}'");\n  if (Number(rows[0]!.n) > 1) op.createIndex('ix_b', 'u', ['b']);`;
        revisions(
          [`${R1}_t.ts`, revisionSource(R1, null, 'create t', t1, dropT1)],
          [`${R2}_u.ts`, revisionSource(R2, R1, 'create u', upgrade, `  op.dropTable('u');`)],
        );
        const report = parse(await verifyIn(p, '--json'));
        assert.equal(report.failure?.phase, 'upgrade again', JSON.stringify(report.failure));
        assert.deepEqual(report.failure?.differences, [`index ix_b on table u made by upgrading ${R2} again but not by its first upgrade`]);
      });

      test('models that differ from the database at head', async () => {
        revisions([`${R1}_t.ts`, revisionSource(R1, null, 'create t', t1, dropT1)]);
        writeFileSync(path.join(p.dir, 'models', 't.ts'), `import { serial, table, text, varchar } from 'retort-migrate';\nexport const t = table('t', { id: serial().primaryKey(), a: varchar(40).notNull(), note: text() });\n`);
        try {
          const report = parse(await verifyIn(p, '--json'));
          assert.equal(report.verified, 1);
          assert.equal(report.checks.models, 'failed');
          assert.equal(report.failure?.check, 'models');
          assert.match(report.failure!.differences.join('\n'), /note/);
        } finally {
          writeFileSync(path.join(p.dir, 'models', 't.ts'), `import { serial, table, varchar } from 'retort-migrate';\nexport const t = table('t', { id: serial().primaryKey(), a: varchar(40).notNull() });\n`);
        }
        // The same project with matching models passes.
        const ok = parse(await verifyIn(p, '--json'));
        assert.equal(ok.ok, true, JSON.stringify(ok.failure));
      });

      test('--sql: a revision that cannot be printed', async () => {
        revisions(
          [`${R1}_t.ts`, revisionSource(R1, null, 'create t', t1, dropT1)],
          [`${R2}_read.ts`, revisionSource(R2, R1, 'reads', `  await ctx.query('SELECT 1');`, '')],
        );
        const without = parse(await verifyIn(p, '--json'));
        assert.equal(without.ok, true, JSON.stringify(without.failure));
        const r = await verifyIn(p, '--json', '--sql');
        assert.equal(r.code, 1);
        const report = parse(r);
        assert.equal(report.failure?.check, 'sql');
        assert.equal(report.failure?.revision, R2);
      });

      test('two heads: reported before any database is made', async () => {
        revisions(
          [`${R1}_t.ts`, revisionSource(R1, null, 'create t', t1, dropT1)],
          [`${R2}_u.ts`, revisionSource(R2, null, 'create u', `  op.createTable('u', { id: serial().primaryKey() });`, `  op.dropTable('u');`)],
        );
        const r = await verifyIn(p);
        assert.equal(r.code, 1);
        assert.match(r.stdout, /^FAILED heads: the revisions have 2 heads/m);
        assert.match(r.stdout, new RegExp(`^  head ${R1}: create t$`, 'm'));
        assert.match(r.stdout, new RegExp(`^  head ${R2}: create u$`, 'm'));
        assert.match(r.stdout, /retort merge heads/);
        const report = parse(await verifyIn(p, '--json'));
        assert.equal(report.database, null);
        assert.deepEqual(report.heads, [R1, R2]);
      });

      test('Ctrl-C stops the run, rolls back and drops the scratch database (exit 130)', async () => {
        revisions(
          [`${R1}_t.ts`, revisionSource(R1, null, 'create t', t1, dropT1)],
          [`${R2}_slow.ts`, revisionSource(R2, R1, 'slow', `  await new Promise((r) => setTimeout(r, 5000));\n  op.execute("INSERT INTO t (a) VALUES ('x')");`, `  op.execute('DELETE FROM t');`)],
        );
        const child = spawn(process.execPath, [retortBin, 'verify'], { cwd: p.dir, env: { ...process.env, NO_COLOR: '1', RETORT_DATABASE_URL: p.url } });
        let stderr = '';
        const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
        child.stderr.on('data', (d) => {
          stderr += d;
          if (stderr.includes(`Verifying ${R2} (2/2) ...`) && !child.killed) child.kill('SIGINT');
        });
        assert.equal(await closed, 130, stderr);
        assert.match(stderr, new RegExp(`^error: verify was interrupted during the upgrade of ${R2}; the scratch database was dropped$`, 'm'));
        const created = /Created scratch database (\S+)/.exec(stderr)![1]!;
        await assertDropped(dialect, { database: { url: created, scratch: true } } as Report);
      });

      if (dialect === 'postgresql') {
        test('an enum type left behind by a downgrade', async () => {
          revisions([
            `${R1}_mood.ts`,
            revisionSource(R1, null, 'moods', `  op.createEnum('mood', ['happy', 'sad']);\n  op.createTable('m', { id: serial().primaryKey(), mood: enumColumn('mood') });`, `  op.dropTable('m');`, `import { enumColumn } from 'retort-migrate';`),
          ]);
          const report = parse(await verifyIn(p, '--json'));
          assert.equal(report.failure?.revision, R1);
          assert.deepEqual(report.failure?.differences, [`enum mood left behind by the downgrade of ${R1}`]);
          await assertDropped(dialect, report);
        });
      }

      test('--url: an empty database is used and left empty; a database that holds anything is refused', async () => {
        revisions([`${R1}_t.ts`, revisionSource(R1, null, 't', t1, dropT1)]);
        const r = await runCli(['--url', p.url, 'verify', '--json'], { cwd: p.dir });
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const report = parse(r);
        assert.equal(report.ok, true, JSON.stringify(report.failure));
        assert.equal(report.database?.scratch, false);
        assert.deepEqual(await p.tables(), []);
        assert.deepEqual(await p.query('SELECT * FROM retort_version'), []);
        // Not empty: refused, and nothing in it changes.
        await p.query('CREATE TABLE keep (id integer)');
        const refused = await runCli(['--url', p.url, 'verify'], { cwd: p.dir });
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, /^error: .* is not empty: it holds 1 object \(table keep\), and verify migrates the database it is given from base$/m);
        assert.match(refused.stderr, /hint: give --url an empty database, or leave --url out/);
        assert.equal(refused.stderr.includes('    at '), false);
        const asJson = parse(await runCli(['--url', p.url, 'verify', '--json'], { cwd: p.dir }));
        assert.equal((asJson as unknown as { error: { code: string } }).error.code, 'USAGE');
        assert.deepEqual(await p.tables(), ['keep']);
        await p.query('DROP TABLE keep');
      });
    });
  });
}

test('verify without a configured database says how to give one, in one line', async () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(path.join(dir, 'migrations'));
    writeFileSync(path.join(dir, 'retort.config.json'), '{ "migrations": "migrations" }\n');
    const r = await runCli(['verify'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: no database URL is configured$/m);
    assert.match(r.stderr, /hint: pass --url/);
    assert.equal(r.stderr.includes('    at '), false);
  } finally {
    cleanup();
  }
});
