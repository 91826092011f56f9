/**
 * Statements that cannot run in a transaction (autocommitBlock), and the
 * history table's checksums: a changed applied revision stops `upgrade`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS, revisionSource, writeModels, type TestProject } from './helpers/project.js';

for (const dialect of DIALECTS) {
  describe(`autocommit blocks and checksums on ${dialect}`, () => {
    let p: TestProject;
    // SQLite keeps a block in the revision's transaction unless it needs to leave it (a PRAGMA, VACUUM): these tests
    // are about blocks that leave it, so on SQLite each block starts with a PRAGMA.
    const leave = dialect === 'sqlite' ? "op.execute('PRAGMA user_version = 1'); " : '';
    before(async () => {
      p = await createProject(dialect);
    });
    after(async () => {
      await p.cleanup();
    });

    test('an autocommit block runs outside the transaction and the revision still records once', async () => {
      const concurrently = dialect === 'postgresql' ? 'CONCURRENTLY ' : '';
      p.writeRevision(
        'ac0000000001_index_concurrently.ts',
        revisionSource(
          'ac0000000001',
          'e7b3a0d5c904',
          'index concurrently',
          `  op.addColumn('users', 'nickname', varchar(40));
  op.autocommitBlock((op) => {
    ${leave}op.execute('CREATE INDEX ${concurrently}IF NOT EXISTS ix_users_nickname ON users (nickname)');
  });
  op.addColumn('users', 'bio', text());`,
          `  op.dropColumn('users', 'bio');
  op.execute('DROP INDEX IF EXISTS ix_users_nickname');
  op.dropColumn('users', 'nickname');`,
        ),
      );
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
      const sql = await p.retort('upgrade', 'e7b3a0d5c904:head', '--sql');
      assert.equal(sql.code, 0, sql.stderr);
      assert.match(sql.stdout, new RegExp(`ADD COLUMN "nickname"[\\s\\S]*COMMIT;\\s+(PRAGMA user_version = 1;\\s+)?CREATE INDEX ${concurrently}IF NOT EXISTS ix_users_nickname[\\s\\S]*BEGIN[\\s\\S]*"bio"`, 'i'));
      // One row for the step, after the part row its block's COMMIT wrote (what a failure after it would leave committed).
      const rows = await p.query<{ direction: string }>(`SELECT direction FROM retort_history WHERE revision = 'ac0000000001' ORDER BY applied_at`);
      assert.deepEqual(rows.map((r) => r.direction), ['up:1', 'up']);
      const down = await p.retort('downgrade', '-1');
      assert.equal(down.code, 0, down.stderr);
    });

    if (dialect === 'postgresql') {
      test('a value added to an enum in an autocommit block can be used in the same revision', async () => {
        p.writeRevision(
          'ac0000000001_index_concurrently.ts',
          revisionSource(
            'ac0000000001',
            'e7b3a0d5c904',
            'enum value used at once',
            `  op.autocommitBlock((op) => op.addEnumValue('genderenum', 'OTHER'));
  await ctx.query("INSERT INTO users (username, email) VALUES ('x', 'x@example.com')");
  await ctx.query("INSERT INTO profiles (user_id, gender) SELECT id, 'OTHER' FROM users WHERE username = 'x'");`,
            `  await ctx.query("DELETE FROM users WHERE username = 'x'");`,
          ),
        );
        const up = await p.retort('upgrade', 'head');
        assert.equal(up.code, 0, up.stderr);
        const rows = await p.query<{ gender: string }>('SELECT gender FROM profiles');
        assert.deepEqual(rows.map((r) => r.gender), ['OTHER']);
        assert.equal((await p.retort('downgrade', '-1')).code, 0);
      });
    }

    test('a failure after an autocommit block says what stays committed, and the revision is not marked applied', async () => {
      p.writeRevision(
        'ac0000000001_index_concurrently.ts',
        revisionSource(
          'ac0000000001',
          'e7b3a0d5c904',
          'fails after its block',
          `  op.createTable('early', { id: integer().primaryKey() });
  op.autocommitBlock((op) => { ${leave}op.execute('CREATE TABLE IF NOT EXISTS inblock (id integer)'); });
  op.execute('SELECT * FROM no_such_table');`,
        ),
      );
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /failed \(.*\); the work up to and in its autocommit block stays committed, the rest is rolled back, and the database stays marked at e7b3a0d5c904 \(run it again once fixed/);
      assert.match((await p.retort('current')).stdout, /^e7b3a0d5c904/);
      const tables = await p.tables();
      assert.ok(tables.includes('early') && tables.includes('inblock'), tables.join(', '));
      // Undone by hand: its part row goes too (the error's hint), or the next run of the revision would skip the work.
      await p.query('DROP TABLE early');
      await p.query('DROP TABLE inblock');
      const newest = await p.query<{ revision: string; direction: string }>('SELECT revision, direction FROM retort_history ORDER BY applied_at DESC LIMIT 1');
      assert.deepEqual(newest.map((r) => [r.revision, r.direction]), [['ac0000000001', 'up:1']]);
      await p.query(`DELETE FROM retort_history WHERE revision = 'ac0000000001' AND direction = 'up:1'`);
    });

    test('an index built in an autocommit block is built again harmlessly when the revision runs again after a later failure', async () => {
      p.writeRevision(
        'ac0000000001_index_concurrently.ts',
        revisionSource(
          'ac0000000001',
          'e7b3a0d5c904',
          'block then gate',
          `  op.autocommitBlock((op) => { ${leave}op.createIndex('ix_users_email_again', 'users', ['email'], { concurrently: true }); });
  op.execute('INSERT INTO gate_t VALUES (1)');`,
          `  op.execute('DELETE FROM gate_t');
  op.autocommitBlock((op) => op.dropIndex('ix_users_email_again', 'users', { concurrently: true }));`,
        ),
      );
      const failed = await p.retort('upgrade', 'head');
      assert.equal(failed.code, 1);
      assert.match(failed.stderr, /gate_t/);
      await p.query('CREATE TABLE gate_t (id integer)');
      const again = await p.retort('upgrade', 'head');
      assert.equal(again.code, 0, again.stderr);
      // (SQLite's --sql replays the revisions in memory, where gate_t, made by hand, is not.)
      if (dialect === 'postgresql') {
        const sql = await p.retort('upgrade', 'e7b3a0d5c904:ac0000000001', '--sql');
        assert.match(sql.stdout, /CREATE INDEX CONCURRENTLY IF NOT EXISTS "ix_users_email_again"/);
      }
      assert.equal((await p.retort('downgrade', '-1')).code, 0);
      await p.query('DROP TABLE gate_t');
    });

    test('resuming refuses a revision whose ctx.query() came with the committed work, before the block', async () => {
      await p.query('CREATE TABLE counter (v integer)');
      await p.query('INSERT INTO counter VALUES (1)');
      p.writeRevision(
        'ac0000000001_index_concurrently.ts',
        revisionSource(
          'ac0000000001',
          'e7b3a0d5c904',
          'query before block',
          `  op.addColumn('counter', 'note', text());
  await ctx.query('UPDATE counter SET v = v + 100');
  op.autocommitBlock((op) => { ${leave}op.execute('SELECT * FROM gate_q'); });`,
          `  op.dropColumn('counter', 'note');`,
        ),
      );
      assert.equal((await p.retort('upgrade', 'head')).code, 1);
      await p.query('CREATE TABLE gate_q (id integer)');
      const again = await p.retort('upgrade', 'head');
      assert.equal(again.code, 1);
      assert.match(again.stderr, /it calls ctx\.query\(\) before the autocommit block after them, as part of the work that committed/);
      const rows = await p.query<{ v: number | string }>('SELECT v FROM counter');
      assert.equal(Number(rows[0]!.v), 101, 'the update ran once');
      // Undone by hand as the hint says: the part row goes, and the revision runs whole.
      await p.query('ALTER TABLE counter DROP COLUMN note');
      await p.query(`UPDATE counter SET v = 1`);
      await p.query(`DELETE FROM retort_history WHERE direction = 'up:1'`);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      assert.equal(Number((await p.query<{ v: number | string }>('SELECT v FROM counter'))[0]!.v), 101);
      assert.equal((await p.retort('downgrade', '-1')).code, 0);
      await p.query('DROP TABLE counter');
      await p.query('DROP TABLE gate_q');
    });

    test('a revision that failed in its autocommit block resumes: what committed before the block is not run again', async () => {
      await p.query('CREATE TABLE dup (v integer)');
      await p.query('INSERT INTO dup VALUES (1), (1)');
      const source = (first: string) =>
        revisionSource(
          'ac0000000001',
          'e7b3a0d5c904',
          'resumes',
          `  ${first}
  op.addColumn('dup', 'note', text());
  op.autocommitBlock((op) => { ${leave}op.execute('CREATE UNIQUE INDEX IF NOT EXISTS ux_dup ON dup (v)'); });
  op.createTable('after_block', { id: integer().primaryKey() });`,
          `  op.dropTable('after_block');
  op.execute('DROP INDEX IF EXISTS ux_dup');
  op.dropColumn('dup', 'note');
  op.dropTable('before_block');`,
        );
      p.writeRevision('ac0000000001_index_concurrently.ts', source(`op.createTable('before_block', { id: integer().primaryKey() });`));
      const failed = await p.retort('upgrade', 'head');
      assert.equal(failed.code, 1);
      assert.match(failed.stderr, /the work before its autocommit block stays committed( \(the block's first statement failed\)|, and so does the statement of the block before the one that failed)/);
      assert.match(failed.stderr, /what committed is not run again/);
      assert.match(failed.stderr, /hint: rows (of dup )?share a value/);
      assert.ok((await p.tables()).includes('before_block'));
      // check says so, and how to go on (models that declare nothing: only its warning is looked at).
      writeModels(p, 'export {};\n', 'none.ts');
      const checked = await p.retort('check');
      assert.equal(checked.code, 1);
      const said = /the upgrade of ac0000000001 stopped part-way in an earlier run: the work before one of its autocommit blocks committed \(its first 2 operations\), and that block's statements, each committed on its own, may have run in part or whole; `retort upgrade` resumes it at that block/;
      assert.match(checked.stdout, said);
      // current says it too, on the quick path and the full one (-v), in text and JSON: after a lost connection it is
      // the first command to run.
      const current = await p.retort('current');
      assert.equal(current.code, 0, current.stderr);
      assert.match(current.stdout, /^e7b3a0d5c904\b.*\n.*the upgrade of ac0000000001 stopped part-way/);
      assert.match(current.stdout, said);
      assert.match((await p.retort('current', '-v')).stdout, said);
      const currentJson = JSON.parse((await p.retort('current', '--json')).stdout) as { heads: string[]; stopped: unknown };
      assert.deepEqual(currentJson.heads, ['e7b3a0d5c904']);
      assert.deepEqual(currentJson.stopped, { revision: 'ac0000000001', direction: 'up', operations: 2 });
      const json = JSON.parse((await p.retort('check', '--json')).stdout) as { stopped: unknown; warnings: string[] };
      assert.deepEqual(json.stopped, { revision: 'ac0000000001', direction: 'up', operations: 2 });
      assert.ok(json.warnings.some((w) => /stopped part-way/.test(w)), json.warnings.join('\n'));
      // The file's start changed: refused, nothing run.
      p.writeRevision('ac0000000001_index_concurrently.ts', source(`op.createTable('before_block', { id: integer().primaryKey(), x: text() });`));
      const changed = await p.retort('upgrade', 'head');
      assert.equal(changed.code, 1);
      assert.match(changed.stderr, /stopped in an earlier run after committing its first 2 operations \(the work before an autocommit block\), and its operations up to there are no longer the ones that committed: Retort cannot tell what of it is done, so nothing was run/);
      assert.match(changed.stderr, /hint: restore the revision as it was when it failed/);
      assert.doesNotMatch(changed.stderr, /^\s+at /m);
      assert.ok(!(await p.tables()).includes('after_block'));
      // Restored, and the data fixed: the two committed operations are skipped (creating before_block again would fail).
      p.writeRevision('ac0000000001_index_concurrently.ts', source(`op.createTable('before_block', { id: integer().primaryKey() });`));
      await p.query('DELETE FROM dup');
      const resumed = await p.retort('upgrade', 'head', '--json');
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stderr, /resumes where an earlier run stopped: its first 2 operations, committed then, are not run again/);
      // In the report too, as every warning the callback hears.
      assert.match((JSON.parse(resumed.stdout) as { warnings: string[] }).warnings.join('\n'), /resumes where an earlier run stopped: its first 2 operations/);
      assert.match((await p.retort('current')).stdout, /^ac0000000001/);
      assert.ok((await p.tables()).includes('after_block'));
      // A later run of the same revision starts from its beginning: the part row is no longer the newest.
      assert.equal((await p.retort('downgrade', '-1')).code, 0);
      const again = await p.retort('upgrade', 'head');
      assert.equal(again.code, 0, again.stderr);
      assert.doesNotMatch(again.stderr, /resumes where/);
      assert.equal((await p.retort('downgrade', '-1')).code, 0);
      await p.query('DROP TABLE dup');
    });

    if (dialect === 'sqlite') {
      test('SQLite keeps a block that needs no autocommit in the transaction: the revision is all or nothing', async () => {
        p.writeRevision(
          'ac0000000001_index_concurrently.ts',
          revisionSource(
            'ac0000000001',
            'e7b3a0d5c904',
            'block in transaction',
            `  op.createTable('early_s', { id: integer().primaryKey() });
  op.autocommitBlock((op) => op.createIndex('ix_users_email_s', 'users', ['email'], { concurrently: true }));
  op.execute('INSERT INTO gate_s VALUES (1)');`,
            `  op.dropIndex('ix_users_email_s', 'users');
  op.dropTable('early_s');`,
          ),
        );
        const failed = await p.retort('upgrade', 'head');
        assert.equal(failed.code, 1);
        assert.match(failed.stderr, /; rolled back, the database stays at e7b3a0d5c904/);
        assert.doesNotMatch(failed.stderr, /stays committed/);
        assert.ok(!(await p.tables()).includes('early_s'), 'nothing of the revision stayed');
        await p.query('CREATE TABLE gate_s (id integer)');
        assert.equal((await p.retort('upgrade', 'head')).code, 0);
        assert.equal((await p.retort('downgrade', '-1')).code, 0);
        await p.query('DROP TABLE gate_s');
        // The script has no COMMIT between the table and what follows the block (--sql replays on an in-memory
        // database, where gate_s is not: the script is of the same revision without it).
        p.writeRevision('ac0000000001_index_concurrently.ts', revisionSource('ac0000000001', 'e7b3a0d5c904', 'block in transaction', `  op.createTable('early_s', { id: integer().primaryKey() });
  op.autocommitBlock((op) => op.createIndex('ix_users_email_s', 'users', ['email'], { concurrently: true }));
  op.createTable('late_s', { id: integer().primaryKey() });`));
        const sql = await p.retort('upgrade', 'e7b3a0d5c904:ac0000000001', '--sql');
        assert.equal(sql.code, 0, sql.stderr);
        const body = /CREATE TABLE "early_s"[\s\S]*CREATE TABLE "late_s"/.exec(sql.stdout)?.[0] ?? '';
        assert.match(body, /CREATE INDEX IF NOT EXISTS "ix_users_email_s"/);
        assert.doesNotMatch(body, /COMMIT/);
      });
    }

    if (dialect === 'sqlite') {
      test('SQLite takes a block out of the transaction for a VACUUM after a comment or another statement', async () => {
        p.writeRevision('ac0000000001_index_concurrently.ts', revisionSource('ac0000000001', 'e7b3a0d5c904', 'vacuum', `  op.autocommitBlock((op) => op.execute('-- compact the file\\nVACUUM'));
  op.autocommitBlock((op) => op.execute('ANALYZE; /* then */ VACUUM'));`, `  op.execute('SELECT 1');`));
        const r = await p.retort('upgrade', 'head');
        assert.equal(r.code, 0, r.stderr);
        assert.equal((await p.retort('downgrade', '-1')).code, 0);
      });
    }

    test('a run that does not start with the revision an earlier run left part-way says it forgets it', async () => {
      p.writeRevision('ac0000000001_index_concurrently.ts', revisionSource('ac0000000001', 'e7b3a0d5c904', 'left part-way', `  op.createTable('part_t', { id: integer().primaryKey() });
  op.autocommitBlock((op) => { ${leave}op.execute('SELECT * FROM gate_p'); });`, `  op.dropTable('part_t');`));
      assert.equal((await p.retort('upgrade', 'head')).code, 1);
      const down = await p.retort('downgrade', '-1');
      assert.equal(down.code, 0, down.stderr);
      assert.match(down.stderr, /warning: the upgrade of ac0000000001 stopped part-way in an earlier run \(its first 1 operation committed\) and this run does not start with it: that work stays as it is, and is no longer resumed/);
      await p.query('DROP TABLE part_t');
      assert.equal((await p.retort('upgrade', 'e7b3a0d5c904')).code, 0);
    });

    test('an applied revision whose file changed stops upgrade; --allow-changed overrides', async () => {
      const users = path.join(p.dir, 'migrations', '3f1c2a9d0b01_create_users.ts');
      appendFileSync(users, '\n// edited after it was applied\n');
      p.writeRevision('ac0000000001_index_concurrently.ts', revisionSource('ac0000000001', 'e7b3a0d5c904', 'later', ''));
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /3f1c2a9d0b01_create_users\.ts changed since revision 3f1c2a9d0b01 was applied \(recorded sha256 [0-9a-f]{12}, now [0-9a-f]{12}\)/);
      assert.match(r.stderr, /--allow-changed/);
      assert.match((await p.retort('current')).stdout, /^e7b3a0d5c904/);
      const ok = await p.retort('upgrade', 'head', '--allow-changed');
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stderr, /accepted the changed file .*3f1c2a9d0b01_create_users\.ts/);
      assert.match((await p.retort('current')).stdout, /^ac0000000001/);
      // Accepted once is accepted: the new checksum is on record.
      assert.equal((await p.retort('downgrade', '-1')).code, 0);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      // A downgrade runs the file's downgrade, so a changed file stops it too.
      appendFileSync(users, '// edited again\n');
      const down = await p.retort('downgrade', 'base');
      assert.equal(down.code, 1);
      assert.match(down.stderr, /changed since revision 3f1c2a9d0b01 was applied/);
      const check = await p.retort('check');
      assert.match(check.stdout, /changed since applied: .*3f1c2a9d0b01_create_users\.ts/);
      assert.equal((await p.retort('upgrade', 'head', '--allow-changed')).code, 0);
    });

    test('a run with --allow-changed that fails accepts nothing: the next run needs it again', async () => {
      const users = path.join(p.dir, 'migrations', '3f1c2a9d0b01_create_users.ts');
      appendFileSync(users, '// edited once more\n');
      p.writeRevision('fa0000000001_fails.ts', revisionSource('fa0000000001', 'ac0000000001', 'fails', `  throw new Error('this upgrade fails');`));
      const failing = path.join(p.dir, 'migrations', 'fa0000000001_fails.ts');
      const failed = await p.retort('upgrade', 'head', '--allow-changed');
      assert.equal(failed.code, 1, failed.stderr);
      assert.match(failed.stderr, /this upgrade fails/);
      assert.doesNotMatch(failed.stderr, /accepted the changed file/);
      assert.match((await p.retort('check')).stdout, /changed since applied: .*3f1c2a9d0b01_create_users\.ts/);
      rmSync(failing);
      const refused = await p.retort('upgrade', 'head');
      assert.equal(refused.code, 1, 'still refused: the failed run accepted nothing');
      assert.match(refused.stderr, /changed since revision 3f1c2a9d0b01 was applied/);
      const accepted = await p.retort('upgrade', 'head', '--allow-changed');
      assert.equal(accepted.code, 0, accepted.stderr);
      assert.match(accepted.stderr, /accepted the changed file .*3f1c2a9d0b01_create_users\.ts/);
    });

    test('upgrade refuses a revision without a downgrade, before applying it; lint names it too', async () => {
      const file = path.join(p.dir, 'migrations', 'nd0000000001_no_down.ts');
      p.writeRevision('nd0000000001_no_down.ts', `import type { Op } from 'retort-migrate';
export const revision = 'nd0000000001';
export const downRevision = 'ac0000000001';
export const message = 'no down';
export const createDate = '2026-11-22T00:00:00.000Z';
export function upgrade(op: Op): void {
  op.execute('CREATE TABLE no_down (x integer)');
}
`);
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 1, up.stderr);
      assert.match(up.stderr, /^error: revision file .*nd0000000001_no_down\.ts has no exported function `downgrade`$/m);
      assert.match(up.stderr, /^hint: add `export function downgrade\(op: Op\) \{ \.\.\. \}` \(one that throws, if the revision cannot be undone\) before applying it$/m);
      assert.match((await p.retort('current')).stdout, /^ac0000000001/, 'nothing applied');
      assert.equal((await p.tables()).includes('no_down'), false);
      const lint = await p.retort('lint', file);
      assert.notEqual(lint.code, 0, lint.stdout);
      assert.match(lint.stdout + lint.stderr, /has no exported function `downgrade`/);
      rmSync(file);
    });

    test('current -v and history -v say when each applied revision ran', async () => {
      const cur = await p.retort('current', '-v');
      assert.equal(cur.code, 0, cur.stderr);
      assert.match(cur.stdout, /Applied: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
      const hist = await p.retort('history', '-v');
      assert.equal(hist.code, 0, hist.stderr);
      assert.equal((hist.stdout.match(/Applied: /g) ?? []).length, 5);
      // Stamped (or applied by another tool): current -v says there is no record rather than leaving a gap.
      const at = /Rev: (\S+)/.exec(cur.stdout)![1]!;
      await p.query(`DELETE FROM retort_history WHERE revision = '${at}'`);
      const stamped = await p.retort('current', '-v');
      assert.match(stamped.stdout, /Applied: no record \(by another tool, before Retort kept history, or stamped\)/);
    });
  });
}
