/**
 * `--json` on every command, on both dialects: each prints one JSON document on stdout (schemaVersion, command,
 * the report), progress stays on stderr, and failures (a bad target, a changed file, a failed statement, a lock
 * held too long, bad usage) print `{ schemaVersion, error: { code, message, hint, details } }` with the exit code
 * the text output has.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import Database from 'better-sqlite3';
import { createProject, DIALECTS, revisionSource, type TestProject } from './helpers/project.js';
import { runCli, type CliResult } from './helpers/cli.js';
import { tempDir } from './helpers/db.js';
import { advisoryKey } from '../src/dialects/postgres/postgres-lock.js';

const USERS = '3f1c2a9d0b01';
const PROFILES = '8a4e0c7b52d2';
const POSTS = 'c2d9e1f4a703';
const SLUG = 'e7b3a0d5c904';

type Doc = Record<string, any>;

/** The one JSON document on stdout; fails when stdout holds anything else. */
function doc(r: CliResult): Doc {
  let parsed: Doc;
  try {
    parsed = JSON.parse(r.stdout) as Doc;
  } catch {
    assert.fail(`stdout is not one JSON document:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
  assert.equal(parsed.schemaVersion, 1);
  return parsed;
}

/** A successful command's report. */
function report(r: CliResult, command: string): Doc {
  assert.equal(r.code, 0, r.stderr);
  const d = doc(r);
  assert.equal(d.command, command);
  assert.equal(d.error, undefined);
  return d;
}

/** A failed command's error document, checked for its shape and code. */
function failure(r: CliResult, code: string, exitCode = 1, command: string | null = null): Doc['error'] {
  assert.equal(r.code, exitCode, r.stderr);
  const d = doc(r);
  assert.deepEqual(Object.keys(d).sort(), ['command', 'error', 'schemaVersion']);
  // The command named on the line, as every document names it; null where none was (`retort --json`).
  assert.equal(d.command, command);
  assert.deepEqual(Object.keys(d.error).sort(), ['code', 'details', 'hint', 'message']);
  assert.equal(d.error.code, code, d.error.message);
  assert.equal(typeof d.error.message, 'string');
  assert.ok(Array.isArray(d.error.details));
  assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, 'no stack trace');
  return d.error;
}

for (const dialect of DIALECTS) {
  describe(`--json on ${dialect}`, () => {
    let p: TestProject;
    before(async () => {
      p = await createProject(dialect);
    });
    after(async () => {
      await p.cleanup();
    });

    test('upgrade: the steps with their heads and durations; progress stays on stderr', async () => {
      const r = await p.retort('upgrade', SLUG, '--json');
      const d = report(r, 'upgrade');
      assert.equal(d.direction, 'up');
      assert.equal(d.target, SLUG);
      assert.deepEqual(d.from, []);
      assert.deepEqual(d.to, [SLUG]);
      assert.deepEqual(d.steps.map((s: Doc) => [s.revision, s.direction, s.from, s.to]), [
        [USERS, 'up', [], [USERS]],
        [PROFILES, 'up', [USERS], [PROFILES]],
        [POSTS, 'up', [PROFILES], [POSTS]],
        [SLUG, 'up', [POSTS], [SLUG]],
      ]);
      for (const s of d.steps) assert.ok(typeof s.durationMs === 'number' && s.durationMs >= 0);
      assert.equal(d.sql, null);
      assert.match(r.stderr, /^Running upgrade <base> -> 3f1c2a9d0b01, create users \(\d+ ms\)$/m);
      const again = report(await p.retort('upgrade', 'head', '--json'), 'upgrade');
      assert.deepEqual(again.steps, []);
      assert.deepEqual(again.from, [SLUG]);
      assert.deepEqual(again.to, [SLUG]);
    });

    test('current, history, heads, branches and show', async () => {
      const cur = report(await p.retort('current', '--json'), 'current');
      assert.deepEqual(cur.heads, [SLUG]);
      assert.equal(cur.revisions[0].revision, SLUG);
      assert.equal(cur.revisions[0].current, true);
      const verbose = report(await p.retort('current', '-v', '--json'), 'current');
      assert.equal(verbose.revisions[0].applied.revision, SLUG);
      assert.equal(verbose.revisions[0].applied.direction, 'up');
      assert.match(verbose.revisions[0].applied.checksum, /^[0-9a-f]{64}$/);

      const hist = report(await p.retort('history', '--json'), 'history');
      assert.deepEqual(hist.revisions.map((h: Doc) => h.revision), [SLUG, POSTS, PROFILES, USERS]);
      assert.equal(hist.current, null, 'a plain listing does not read the database');
      assert.deepEqual(hist.revisions[1].downRevisions, [PROFILES]);
      assert.equal(hist.revisions[0].isHead, true);
      const marked = report(await p.retort('history', '-i', '-r', `${PROFILES}:`, '--json'), 'history');
      assert.deepEqual(marked.current, [SLUG]);
      assert.deepEqual(marked.revisions.map((h: Doc) => [h.revision, h.current]), [[SLUG, true], [POSTS, false], [PROFILES, false]]);

      const heads = report(await p.retort('heads', '--json'), 'heads');
      assert.deepEqual(heads.heads.map((h: Doc) => h.revision), [SLUG]);
      assert.deepEqual(report(await p.retort('branches', '--json'), 'branches').branchPoints, []);
      const shown = report(await p.retort('show', PROFILES, '--json'), 'show');
      assert.equal(shown.revisions.length, 1);
      assert.equal(shown.revisions[0].message, 'create profiles');
      assert.equal(path.basename(shown.revisions[0].file), '8a4e0c7b52d2_create_profiles.ts');
    });

    test('downgrade and stamp, online and as SQL', async () => {
      const down = report(await p.retort('downgrade', '-1', '--json'), 'downgrade');
      assert.equal(down.direction, 'down');
      assert.deepEqual(down.steps.map((s: Doc) => [s.revision, s.direction]), [[SLUG, 'down']]);
      assert.deepEqual(down.to, [POSTS]);
      const printed = report(await p.retort('upgrade', `${POSTS}:${SLUG}`, '--sql', '--json'), 'upgrade');
      assert.match(printed.sql, /slug/i);
      assert.deepEqual(printed.steps.map((s: Doc) => [s.revision, s.durationMs]), [[SLUG, null]]);
      assert.deepEqual(await p.query('SELECT version_num FROM retort_version'), [{ version_num: POSTS }], '--sql ran nothing');
      const stamped = report(await p.retort('stamp', SLUG, '--json'), 'stamp');
      assert.deepEqual([stamped.from, stamped.to, stamped.purge, stamped.sql], [[POSTS], [SLUG], false, null]);
      const back = report(await p.retort('stamp', POSTS, '--json'), 'stamp');
      assert.deepEqual([back.from, back.to], [[SLUG], [POSTS]]);
      report(await p.retort('upgrade', 'head', '--json'), 'upgrade');
    });

    test('check: a difference is a report (ok false, exit 1), not an error', async () => {
      mkdirSync(path.join(p.dir, 'models'), { recursive: true });
      writeFileSync(path.join(p.dir, 'models', 'widgets.ts'), `import { serial, table, text } from 'retort-migrate';\nexport const widgets = table('widgets', { id: serial().primaryKey(), name: text() });\nconst hidden = table('hidden', { id: serial().primaryKey() });\nvoid hidden;\n`);
      const r = await p.retort('check', '--diff', '--json');
      assert.match(r.stderr, /^warning: table "hidden" is declared in a model file but not exported/m, 'warnings stay on stderr');
      assert.deepEqual(doc(r).models.warnings, [{ kind: 'unexported', table: 'hidden' }]);
      assert.equal(r.code, 1, r.stderr);
      const d = doc(r);
      assert.equal(d.command, 'check');
      assert.equal(d.ok, false);
      assert.equal(d.matches, false);
      assert.deepEqual([d.at, d.heads, d.behind, d.changed], [[SLUG], [SLUG], [], []]);
      assert.ok(d.differences.some((l: string) => /widgets/.test(l)), d.differences.join('\n'));
      assert.ok(d.operations.some((o: Doc) => o.kind === 'createTable' && o.table.name === 'widgets'));
      assert.ok(d.operations.some((o: Doc) => o.kind === 'dropTable'), 'the blog tables are not in the models');
      assert.match(d.diff, /^\+.*widgets/m);
      assert.deepEqual(d.models.files.map((f: string) => path.basename(f)), ['widgets.ts']);
    });

    test('revision (empty and autogenerated), merge and init', async () => {
      const empty = report(await p.retort('revision', '-m', 'empty one', '--rev-id', 'aaaa00000001', '--json'), 'revision');
      assert.equal(empty.revision, 'aaaa00000001');
      assert.deepEqual(empty.parents, [SLUG]);
      assert.equal(empty.autogenerate, false);
      assert.match(path.basename(empty.file), /^aaaa00000001_empty_one\.ts$/);
      report(await p.retort('upgrade', 'head', '--json'), 'upgrade');
      const auto = report(await p.retort('revision', '--autogenerate', '-m', 'widgets', '--rev-id', 'aaaa00000002', '--json'), 'revision');
      assert.equal(auto.autogenerate, true);
      assert.deepEqual(auto.parents, ['aaaa00000001']);
      assert.ok(auto.changes.some((l: string) => /widgets/.test(l)));
      assert.ok(auto.destructive.length > 0, 'dropping the blog tables is destructive');
      assert.ok(auto.operations.some((o: Doc) => o.kind === 'createTable'));
      const side = report(await p.retort('revision', '-m', 'side', '--head', 'aaaa00000001', '--splice', '--rev-id', 'aaaa00000003', '--json'), 'revision');
      assert.deepEqual(side.parents, ['aaaa00000001']);
      const merged = report(await p.retort('merge', '-m', 'join', '--rev-id', 'aaaa00000004', '--json'), 'merge');
      assert.deepEqual([...merged.parents].sort(), ['aaaa00000002', 'aaaa00000003']);
      assert.equal(merged.revision, 'aaaa00000004');
      const branches = report(await p.retort('branches', '--json'), 'branches');
      assert.deepEqual(branches.branchPoints.map((b: Doc) => [b.revision.revision, b.children.map((c: Doc) => c.revision)]), [['aaaa00000001', ['aaaa00000002', 'aaaa00000003']]]);
      for (const f of ['aaaa00000002_widgets.ts', 'aaaa00000003_side.ts', 'aaaa00000004_join.ts']) {
        const file = readdirSync(path.join(p.dir, 'migrations')).find((n) => n === f);
        assert.ok(file, `${f} written`);
      }
      const { dir, cleanup } = tempDir();
      try {
        const r = await runCli(['init', 'app', '--json'], { cwd: dir });
        const d = report(r, 'init');
        assert.equal(d.dir, path.join(dir, 'app'));
        assert.deepEqual(d.created.map((f: string) => path.relative(d.dir, f)).sort(), ['.gitignore', 'migrations/.gitignore', 'models/index.ts', 'retort.config.ts']);
      } finally {
        cleanup();
      }
    });
  });

  describe(`--json failures on ${dialect}`, () => {
    let p: TestProject;
    before(async () => {
      p = await createProject(dialect);
    });
    after(async () => {
      await p.cleanup();
    });

    test('a bad target: TARGET, exit 1, the hint included', async () => {
      const e = failure(await p.retort('upgrade', 'nosuchrev', '--json'), 'TARGET', 1, 'upgrade');
      assert.match(e.message, /nosuchrev/);
      assert.equal(typeof e.hint, 'string');
    });

    test('bad usage: USAGE, exit 2, also from commander', async () => {
      failure(await p.retort('upgrade', '--json'), 'USAGE', 2, 'upgrade');
      failure(await p.retort('--json', 'upgrade', 'head', '--no-such-flag'), 'USAGE', 2, 'upgrade');
      failure(await p.retort('revision', '-m', 'x', '--allow-empty', '--json'), 'USAGE', 2, 'revision');
    });

    test('a changed revision file: CHECKSUM; accepted with --allow-changed, which the report lists', async () => {
      report(await p.retort('upgrade', USERS, '--json'), 'upgrade');
      const file = path.join(p.dir, 'migrations', `${USERS}_create_users.ts`);
      appendFileSync(file, '\n// edited after it ran\n');
      const e = failure(await p.retort('upgrade', 'head', '--json'), 'CHECKSUM', 1, 'upgrade');
      assert.match(e.message, /changed since revision 3f1c2a9d0b01 was applied/);
      assert.match(e.hint, /--allow-changed/);
      mkdirSync(path.join(p.dir, 'models'), { recursive: true });
      writeFileSync(path.join(p.dir, 'models', 'none.ts'), 'export {};\n');
      const check = doc(await p.retort('check', '--json'));
      assert.equal(check.ok, false);
      assert.deepEqual(check.changed.map((c: Doc) => c.revision), [USERS]);
      const r = await p.retort('upgrade', PROFILES, '--allow-changed', '--json');
      const d = report(r, 'upgrade');
      assert.deepEqual(d.accepted.map((c: Doc) => c.revision), [USERS]);
      assert.equal(d.warnings.length, 1);
      assert.match(r.stderr, /warning: accepted the changed file/);
    });

    test('a failed statement: MIGRATION_FAILED with the statement and the reply in details; NOT_FOUND for a table not there', async () => {
      p.writeRevision('bbbb00000001_broken.ts', revisionSource('bbbb00000001', SLUG, 'broken', `  op.execute("CREATE TABLE twice (id integer)"); op.execute("CREATE TABLE twice (id integer)");`));
      const e = failure(await p.retort('upgrade', 'head', '--json'), 'MIGRATION_FAILED', 1, 'upgrade');
      assert.match(e.message, /bbbb00000001/);
      assert.ok(e.details.some((d: string) => /twice/.test(d)), e.details.join('\n'));
      // A table, column or index the revision names that is not there: NOT_FOUND, as exit-codes.md says.
      for (const body of [`  await ctx.query('SELECT * FROM no_such_table_here');`, `  op.dropColumn('users', 'no_such_column');`, `  op.dropTable('no_such_table');`]) {
        p.writeRevision('bbbb00000001_broken.ts', revisionSource('bbbb00000001', SLUG, 'broken', body));
        const missing = failure(await p.retort('upgrade', 'head', '--json', '--allow-changed'), 'NOT_FOUND', 1, 'upgrade');
        assert.match(missing.message, /bbbb00000001, broken failed/);
      }
      const cur = report(await p.retort('current', '--json'), 'current');
      assert.deepEqual(cur.heads, [SLUG], 'the revisions before the broken one stayed applied');
    });

    test('a lock held past --lock-timeout: LOCK', async () => {
      const release = await holdLock(p);
      try {
        const e = failure(await p.retort('upgrade', 'head', '--lock-timeout', '0.5', '--json'), 'LOCK', 1, 'upgrade');
        assert.match(e.message, /lock/i);
      } finally {
        await release();
      }
    });

    test('a missing config file: CONFIG', async () => {
      failure(await p.retort('-c', 'nope.config.ts', 'heads', '--json'), 'CONFIG', 1, 'heads');
    });

    test("a PostgreSQL URL naming a schema (?schema=, a search_path in ?options=) is a URL error naming the config line", async () => {
      for (const url of ['postgresql://u:secret@127.0.0.1/db?schema=tenant1', 'postgresql://u:secret@127.0.0.1/db?options=-csearch_path%3Dtenant1']) {
        const e = failure(await p.retort('--url', url, 'current', '--json'), 'URL', 1, 'current');
        assert.doesNotMatch(e.message, /secret/);
        assert.match(e.hint, /retort\.config\.ts/);
      }
    });

    test('only global options, no command: USAGE, exit 2 (not the help and 0)', async () => {
      const e = failure(await p.retort('--json'), 'USAGE', 2, null);
      assert.match(e.message, /no command given/);
      const text = await p.retort('--debug');
      assert.equal(text.code, 2);
      assert.equal(text.stdout, '');
      assert.match(text.stderr, /Usage: retort/);
    });
  });

  describe(`a revision that prints, with --json and --sql on ${dialect}`, () => {
    let p: TestProject;
    before(async () => {
      p = await createProject(dialect, { empty: true });
    });
    after(async () => {
      await p.cleanup();
    });

    test("console.log and process.stdout.write in a revision go to stderr: the JSON parses and the script holds only SQL", async () => {
      p.writeRevision('c0c0c0000001_prints.ts', revisionSource('c0c0c0000001', null, 'prints', `  console.log('backfilling...');
  process.stdout.write('raw write\\n');
  op.execute('CREATE TABLE printed (id integer)');`, `  console.log('undoing...');
  op.execute('DROP TABLE printed');`));
      const sql = await p.retort('upgrade', 'head', '--sql');
      assert.equal(sql.code, 0, sql.stderr);
      assert.doesNotMatch(sql.stdout, /backfilling|raw write/);
      assert.match(sql.stdout, /CREATE TABLE printed/);
      assert.match(sql.stderr, /backfilling\.\.\.\nraw write/);
      const up = await p.retort('upgrade', 'head', '--json');
      report(up, 'upgrade');
      assert.match(up.stderr, /backfilling/);
      const down = await p.retort('downgrade', 'base', '--json');
      report(down, 'downgrade');
      assert.match(down.stderr, /undoing/);
      // Without a document on stdout, what the revision prints stays there.
      const plain = await p.retort('upgrade', 'head');
      assert.equal(plain.code, 0, plain.stderr);
      assert.match(plain.stdout, /backfilling/);
    });

    test('a revision that reads ctx.isOffline while its SQL is written: a warning says what it leaves out is not in the script', async () => {
      p.writeRevision('c0c0c0000002_guarded.ts', revisionSource('c0c0c0000002', 'c0c0c0000001', 'guarded', `  op.execute('CREATE TABLE guarded (id integer)');
  if (!ctx.isOffline) await ctx.query('INSERT INTO guarded VALUES (1)');`, `  op.execute('DROP TABLE guarded');`));
      const sql = await p.retort('upgrade', 'c0c0c0000001:c0c0c0000002', '--sql');
      assert.equal(sql.code, 0, sql.stderr);
      assert.match(sql.stderr, /warning: upgrade c0c0c0000001 -> c0c0c0000002, guarded \(.*c0c0c0000002_guarded\.ts\) reads ctx\.isOffline: what it does only with a database \(a ctx\.query\(\) behind it\) is not in this script; write a data change that must be in it with op\.execute\(\)/);
      const json = JSON.parse((await p.retort('upgrade', 'c0c0c0000001:c0c0c0000002', '--sql', '--json')).stdout) as { warnings: string[] };
      assert.equal(json.warnings.length, 1);
      // Online nothing is said: the query runs.
      const online = await p.retort('upgrade', 'head');
      assert.equal(online.code, 0, online.stderr);
      assert.doesNotMatch(online.stderr, /isOffline/);
    });
  });
}

/** Holds the migration lock (PostgreSQL: the advisory lock; SQLite: an exclusive transaction on the file) until released. */
async function holdLock(p: TestProject): Promise<() => Promise<void>> {
  if (p.dialect === 'postgresql') {
    const client = new pg.Client({ connectionString: p.url });
    await client.connect();
    await client.query('SELECT pg_advisory_lock($1::bigint)', [advisoryKey('retort_version').toString()]);
    return async () => {
      await client.end();
    };
  }
  const other = new Database(path.join(p.dir, 'test.db'));
  other.exec('BEGIN EXCLUSIVE');
  return async () => {
    other.exec('ROLLBACK');
    other.close();
  };
}
