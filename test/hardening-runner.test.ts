/**
 * The runner under hostile revisions (issue 15): errors a revision throws outside its await chain (a callback
 * that throws, a rejected promise nobody awaits) fail the step cleanly or are reported after its commit, and a
 * failure around an autocommit block says what really stayed committed. Through the CLI, on SQLite and PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS, revisionSource, type TestProject } from './helpers/project.js';
import { retortBin } from './helpers/cli.js';

/** The 1-based line of the first line of `file` that contains `text`. */
function lineOf(file: string, text: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(index >= 0, `${text} is in ${file}`);
  return index + 1;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The version table's rows. */
async function versions(p: TestProject): Promise<string[]> {
  return (await p.query<{ version_num: string }>('SELECT version_num FROM retort_version')).map((r) => r.version_num);
}

/** An error line and no stack trace. */
function assertOneCleanError(stderr: string): void {
  assert.equal((stderr.match(/^error:/gm) ?? []).length, 1, stderr);
  assert.doesNotMatch(stderr, /^\s+at /m, `no stack trace:\n${stderr}`);
}

for (const dialect of DIALECTS) {
  describe(`stray errors from revisions on ${dialect}`, () => {
    let p: TestProject;
    before(async () => {
      p = await createProject(dialect, { empty: true });
    });
    after(async () => {
      await p.cleanup();
    });

    test('a callback that throws while its step runs fails that step with its file and line, rolled back', async () => {
      const file = path.join(p.dir, 'migrations', 'a11ce0000001_stray_timer.ts');
      p.writeRevision(
        path.basename(file),
        revisionSource(
          'a11ce0000001',
          null,
          'stray timer',
          `  op.createTable('stray_t', { id: integer().primaryKey() });
  await ctx.query('INSERT INTO stray_t (id) VALUES (1)');
  setTimeout(() => { throw new Error('thrown by a timer'); }, 0);
  // Timers of one delay fire in the order they were set: this one resolves after the throw above.
  await new Promise((resolve) => setTimeout(resolve, 0));
  await ctx.query('INSERT INTO stray_t (id) VALUES (2)');`,
        ),
      );
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 1, r.stderr);
      assertOneCleanError(r.stderr);
      assert.match(r.stderr, new RegExp(`^error: upgrade <base> -> a11ce0000001, stray timer failed \\(${escape(file)}\\); rolled back, the database stays at base`, 'm'));
      assert.match(r.stderr, new RegExp(`thrown by a timer \\(thrown in a callback, ${escape(file)}, line ${lineOf(file, 'thrown by a timer')}\\)`));
      assert.deepEqual(await p.tables(), []);
      assert.deepEqual(await versions(p), []);
      // Fixed, it runs.
      p.writeRevision(path.basename(file), revisionSource('a11ce0000001', null, 'stray timer', `  op.createTable('stray_t', { id: integer().primaryKey() });`, `  op.dropTable('stray_t');`));
      const ok = await p.retort('upgrade', 'head');
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal((await p.retort('downgrade', 'base')).code, 0);
    });

    test('a promise the revision rejects and never awaits fails its step, rolled back, even when the step is otherwise quick', async () => {
      const file = path.join(p.dir, 'migrations', 'a11ce0000001_stray_timer.ts');
      p.writeRevision(
        path.basename(file),
        revisionSource(
          'a11ce0000001',
          null,
          'unawaited',
          `  op.createTable('stray_t', { id: integer().primaryKey() });
  void Promise.reject(new Error('nobody awaited this'));`,
        ),
      );
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 1, r.stderr);
      assertOneCleanError(r.stderr);
      assert.match(r.stderr, /^error: upgrade <base> -> a11ce0000001, unawaited failed \(.*\); rolled back, the database stays at base/m);
      assert.match(r.stderr, new RegExp(`nobody awaited this \\(a promise rejected that nothing awaited, ${escape(file)}, line ${lineOf(file, 'nobody awaited this')}\\)`));
      assert.deepEqual(await p.tables(), []);
      assert.deepEqual(await versions(p), []);
    });

    test("an earlier revision's callback throwing during a later step: the earlier one stays committed, the later one rolls back", async () => {
      const first = path.join(p.dir, 'migrations', 'a11ce0000001_stray_timer.ts');
      p.writeRevision(
        path.basename(first),
        revisionSource(
          'a11ce0000001',
          null,
          'leaves a timer',
          `  op.createTable('first_t', { id: integer().primaryKey() });
  // Stands for a timer the revision set that fires late: the next revision pulls the trigger, so the order is fixed.
  (globalThis as Record<string, unknown>).fireStray = () => setTimeout(() => { throw new Error('late from the first revision'); }, 0);`,
        ),
      );
      p.writeRevision(
        'a11ce0000002_second.ts',
        revisionSource(
          'a11ce0000002',
          'a11ce0000001',
          'second',
          `  op.createTable('second_t', { id: integer().primaryKey() });
  await ctx.query('INSERT INTO second_t (id) VALUES (1)');
  ((globalThis as Record<string, unknown>).fireStray as () => void)();
  await new Promise((resolve) => setTimeout(resolve, 0));
  await ctx.query('INSERT INTO second_t (id) VALUES (2)');`,
        ),
      );
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 1, r.stderr);
      assertOneCleanError(r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `^error: revision code threw outside its await chain: revision a11ce0000001 \\(${escape(first)}, line ${lineOf(first, 'late from the first revision')}\\) threw after its step committed; upgrade a11ce0000001 -> a11ce0000002, second was stopped and rolled back, the database stays at a11ce0000001$`,
          'm',
        ),
      );
      assert.match(r.stderr, /error: late from the first revision/);
      assert.deepEqual(await versions(p), ['a11ce0000001']);
      assert.deepEqual(await p.tables(), ['first_t']);
      await p.query('DROP TABLE first_t');
      await p.query('DELETE FROM retort_version');
      p.writeRevision('a11ce0000002_second.ts', revisionSource('a11ce0000002', 'a11ce0000001', 'second', ''));
    });

    test('a callback that throws after the run finished: the output says the step committed and where it came from, and the exit code is 1', async () => {
      const file = path.join(p.dir, 'migrations', 'a11ce0000001_stray_timer.ts');
      p.writeRevision(
        path.basename(file),
        revisionSource(
          'a11ce0000001',
          null,
          'throws later',
          `  op.createTable('later_t', { id: integer().primaryKey() });
  // Throws once the test says the run is over (it waits for the "Upgraded" line, then writes the marker).
  const poll = (): void => {
    if (existsSync(join(process.cwd(), 'fire'))) throw new Error('thrown after the run');
    setTimeout(poll, 5);
  };
  setTimeout(poll, 5);`,
          '',
          `import { existsSync } from 'node:fs';\nimport { join } from 'node:path';`,
        ),
      );
      p.writeRevision('a11ce0000002_second.ts', revisionSource('a11ce0000002', 'a11ce0000001', 'second', ''));
      const child = spawn(process.execPath, [retortBin, '--url', p.url, 'upgrade', 'head'], { cwd: p.dir, env: { ...process.env, NO_COLOR: '1' } });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await new Promise<void>((resolve) =>
        child.stdout.on('data', (d) => {
          stdout += d;
          if (stdout.includes('Upgraded:')) resolve();
        }),
      );
      writeFileSync(path.join(p.dir, 'fire'), '');
      const code = await done;
      assert.equal(code, 1, stderr);
      assert.match(stdout, /Upgraded: 2 revisions; now at a11ce0000002\./);
      assertOneCleanError(stderr);
      assert.match(
        stderr,
        new RegExp(
          `^error: revision a11ce0000001 \\(${escape(file)}, line ${lineOf(file, 'thrown after the run')}\\) threw outside its await chain after the run finished: thrown after the run; its step had committed; the database is at a11ce0000002$`,
          'm',
        ),
      );
      assert.deepEqual(await versions(p), ['a11ce0000002']);
      assert.deepEqual(await p.tables(), ['later_t']);
    });
  });

  describe(`a failure around an autocommit block on ${dialect}`, () => {
    let p: TestProject;
    before(async () => {
      p = await createProject(dialect, { empty: true });
    });
    after(async () => {
      await p.cleanup();
    });

    const revision = (upgrade: string) => p.writeRevision('b10c00000001_block.ts', revisionSource('b10c00000001', null, 'with a block', upgrade));
    // SQLite keeps a block in the transaction unless it needs to leave it: these blocks start with a PRAGMA there.
    const leave = dialect === 'sqlite' ? "op.execute('PRAGMA user_version = 1'); " : '';

    test('a failure before the block: nothing was committed, and the message says so', async () => {
      revision(`  op.createTable('before_t', { id: integer().primaryKey() });
  op.execute('SELECT * FROM no_such_table');
  op.autocommitBlock((op) => { ${leave}op.execute('CREATE TABLE IF NOT EXISTS inblock_t (id integer)'); });
  op.createTable('after_t', { id: integer().primaryKey() });`);
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 1, r.stderr);
      assertOneCleanError(r.stderr);
      assert.match(r.stderr, /^error: upgrade <base> -> b10c00000001, with a block failed \(.*\); rolled back, the database stays at base \(nothing applied\)$/m);
      assert.doesNotMatch(r.stderr, /stays committed/);
      assert.deepEqual(await p.tables(), []);
      assert.deepEqual(await versions(p), []);
    });

    test('a failure inside the block: the work before it and the block statements before the failing one stay committed', async () => {
      revision(`  op.createTable('before_t', { id: integer().primaryKey() });
  op.autocommitBlock((op) => {
    ${leave}op.execute('CREATE TABLE IF NOT EXISTS inblock_t (id integer)');
    op.execute('SELECT * FROM no_such_table');
  });
  op.createTable('after_t', { id: integer().primaryKey() });`);
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 1, r.stderr);
      assertOneCleanError(r.stderr);
      assert.match(
        r.stderr,
        /; the work before its autocommit block stays committed, and so (does the statement|do the 2 statements) of the block before the one that failed, the rest is rolled back, and the database stays marked at base \(nothing applied\) \(run it again once fixed/,
      );
      assert.deepEqual(await p.tables(), ['before_t', 'inblock_t']);
      assert.deepEqual(await versions(p), []);
      // Undone by hand, with the part row that would make the next run skip before_t (the error's hint says so).
      await p.query('DROP TABLE before_t');
      await p.query('DROP TABLE inblock_t');
      await p.query(`DELETE FROM retort_history WHERE direction = 'up:1'`);
    });

    test('a failure after the block: the work up to and in the block stays committed', async () => {
      revision(`  op.createTable('before_t', { id: integer().primaryKey() });
  op.autocommitBlock((op) => { ${leave}op.execute('CREATE TABLE IF NOT EXISTS inblock_t (id integer)'); });
  op.createTable('after_t', { id: integer().primaryKey() });
  op.execute('SELECT * FROM no_such_table');`);
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 1, r.stderr);
      assertOneCleanError(r.stderr);
      assert.match(r.stderr, /; the work up to and in its autocommit block stays committed, the rest is rolled back, and the database stays marked at base \(nothing applied\)/);
      assert.deepEqual(await p.tables(), ['before_t', 'inblock_t']);
      assert.deepEqual(await versions(p), []);
    });
  });
}
