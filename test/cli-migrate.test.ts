/**
 * upgrade / downgrade / current / stamp driven through the real CLI on both
 * dialects, with the example project's hand-written revisions.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS, revisionSource, type TestProject } from './helpers/project.js';

const USERS = '3f1c2a9d0b01';
const PROFILES = '8a4e0c7b52d2';
const POSTS = 'c2d9e1f4a703';
const SLUG = 'e7b3a0d5c904';

for (const dialect of DIALECTS) {
  describe(`migrate on ${dialect}`, () => {
    let p: TestProject;
    before(async () => {
      p = await createProject(dialect);
    });
    after(async () => {
      await p.cleanup();
    });

    async function current(): Promise<string> {
      const r = await p.retort('current');
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.trim();
    }

    test('upgrade head applies every revision in order, one progress line each', async () => {
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('Running'));
      assert.deepEqual(
        lines.map((l) => l.replace(/ \(\d.*\)$/, '')),
        [
          `Running upgrade <base> -> ${USERS}, create users`,
          `Running upgrade ${USERS} -> ${PROFILES}, create profiles`,
          `Running upgrade ${PROFILES} -> ${POSTS}, create posts and comments`,
          `Running upgrade ${POSTS} -> ${SLUG}, add post slug`,
        ],
      );
      assert.match(await current(), new RegExp(`^${SLUG} \\(head\\)`));
      assert.deepEqual(await p.tables(), ['comments', 'posts', 'profiles', 'users']);
      const again = await p.retort('upgrade', 'head');
      assert.equal(again.code, 0);
      assert.match(again.stderr, /Nothing to do: head is already applied\./);
    });

    test('the data migration in a revision runs between its operations', async () => {
      await p.query(`INSERT INTO users (username, email) VALUES ('ann', 'ann@example.com')`);
      await p.query(`INSERT INTO posts (author_id, title, body, slug) VALUES (1, 'Hello World', 'x', 'hello-world')`);
      const down = await p.retort('downgrade', '-1');
      assert.equal(down.code, 0, down.stderr);
      assert.match(await current(), new RegExp(`^${POSTS}`));
      const up = await p.retort('upgrade', '+1');
      assert.equal(up.code, 0, up.stderr);
      const rows = await p.query<{ slug: string }>('SELECT slug FROM posts');
      assert.deepEqual(rows.map((r) => r.slug), ['hello-world']);
    });

    test('downgrade base removes everything, enum types included; upgrade head works again', async () => {
      const down = await p.retort('downgrade', 'base');
      assert.equal(down.code, 0, down.stderr);
      assert.deepEqual(await p.tables(), []);
      assert.equal(await current(), 'base (no revision applied)');
      if (dialect === 'postgresql') {
        assert.deepEqual(await p.query(`SELECT typname FROM pg_type WHERE typname = 'genderenum'`), []);
      }
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
      assert.match(await current(), new RegExp(`^${SLUG}`));
    });

    test('relative and prefix targets', async () => {
      const cases: [string[], string][] = [
        [['downgrade', '-2'], POSTS.slice(0, 0) + PROFILES],
        [['upgrade', '+1'], POSTS],
        [['downgrade', `${POSTS}-1`], PROFILES],
        [['upgrade', `${USERS}+2`], POSTS],
        [['upgrade', 'e7b3'], SLUG],
        [['downgrade', USERS], USERS],
        [['upgrade', 'heads'], SLUG],
      ];
      for (const [args, expected] of cases) {
        const r = await p.retort(...args);
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
        assert.match(await current(), new RegExp(`^${expected}`), args.join(' '));
      }
    });

    test('bad targets fail with one line and change nothing', async () => {
      const cases: [string[], RegExp][] = [
        [['downgrade', '-9'], /-9/],
        [['upgrade', '+3'], /\+3/],
        [['upgrade', 'ffffffff'], /Can't locate revision identified by 'ffffffff'/],
        [['downgrade', 'nope@head'], /nope/],
        [['upgrade', 'haed'], /Can't locate revision identified by 'haed'\nhint: did you mean `head`\?/],
        [['downgrade', '+1'], /^error: downgrade moves back: '\+1' would go forward\nhint: use -N, a revision or base/],
        [['upgrade', '-1'], /^error: upgrade moves forward: '-1' would go back\nhint: use \+N, a revision or head/],
        // Ranges that run backwards: an empty script or listing would look like success.
        [['upgrade', `${POSTS}:${USERS}`, '--sql'], new RegExp(`^error: '${POSTS}:${USERS}' runs backwards: ${USERS} comes before ${POSTS}`)],
        [['history', '-r', `${POSTS}:${USERS}`], new RegExp(`^error: '${POSTS}:${USERS}' lists nothing: ${POSTS} is not an ancestor of ${USERS}`)],
        // show reads no database: steps from it are refused, not counted from base.
        [['show', '+1'], /^error: show reads the revision files, not the database: '\+1' counts from where the database stands/],
        [['show', '-1'], /^error: show reads the revision files, not the database/],
        [['show', 'base'], /^error: 'base' names no revision/],
      ];
      for (const [args, message] of cases) {
        const r = await p.retort(...args);
        assert.equal(r.code, 1, `${args.join(' ')} should fail`);
        assert.match(r.stderr, message);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
        assert.match(await current(), new RegExp(`^${SLUG}`));
      }
    });

    test('a failing migration rolls back and leaves the database at the last good revision', async () => {
      p.writeRevision(
        'f00dfeed0001_broken.ts',
        revisionSource('f00dfeed0001', SLUG, 'broken', `  op.createTable('half_done', { id: serial().primaryKey() });\n  op.execute('INSERT INTO no_such_table VALUES (1)');`),
      );
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /upgrade e7b3a0d5c904 -> f00dfeed0001, broken failed/);
      assert.match(r.stderr, /statement: INSERT INTO no_such_table VALUES \(1\)/);
      assert.match(r.stderr, /no_such_table/);
      assert.match(r.stderr, /stays at e7b3a0d5c904/);
      assert.match(await current(), new RegExp(`^${SLUG}`));
      assert.ok(!(await p.tables()).includes('half_done'), 'the half-done table was rolled back');
    });

    test('an upgrade function that throws rolls back too', async () => {
      p.writeRevision(
        'f00dfeed0001_broken.ts',
        revisionSource('f00dfeed0001', SLUG, 'broken', `  op.createTable('half_done', { id: serial().primaryKey() });\n  await ctx.query('SELECT 1');\n  throw new Error('boom from the revision');`),
      );
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /boom from the revision/);
      assert.match(await current(), new RegExp(`^${SLUG}`));
      assert.ok(!(await p.tables()).includes('half_done'));
    });

    test('stamp sets the version table without running anything', async () => {
      const r = await p.retort('stamp', USERS);
      assert.equal(r.code, 0, r.stderr);
      assert.match(await current(), new RegExp(`^${USERS}`));
      assert.deepEqual(await p.tables(), ['comments', 'posts', 'profiles', 'users']);
      const back = await p.retort('stamp', SLUG);
      assert.equal(back.code, 0, back.stderr);
      assert.match(await current(), new RegExp(`^${SLUG}`));
    });

    test('stamp base empties the version table (and says so), without touching a table', async () => {
      const r = await p.retort('stamp', 'base');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout + r.stderr, new RegExp(`${SLUG} -> base`));
      assert.equal(await current(), 'base (no revision applied)');
      assert.deepEqual(await p.query('SELECT * FROM retort_version'), []);
      assert.deepEqual(await p.tables(), ['comments', 'posts', 'profiles', 'users']);
      assert.equal((await p.retort('stamp', SLUG)).code, 0);
      assert.match(await current(), new RegExp(`^${SLUG}`));
    });

    test('history -r current: and -r -1: read where the database stands (without -i)', async () => {
      assert.equal((await p.retort('stamp', USERS)).code, 0);
      const fromCurrent = await p.retort('history', '-r', 'current:');
      assert.equal(fromCurrent.code, 0, fromCurrent.stderr);
      const lines = fromCurrent.stdout.trim().split('\n');
      assert.equal(lines.length, 5, fromCurrent.stdout);
      assert.match(lines[4]!, new RegExp(`-> ${USERS}`));
      const below = await p.retort('history', '-r', ':current');
      assert.deepEqual(below.stdout.trim().split('\n').length, 1, below.stdout);
      assert.equal((await p.retort('stamp', SLUG)).code, 0);
      const last = await p.retort('history', '-r', '-1:');
      assert.equal(last.code, 0, last.stderr);
      assert.equal(last.stdout.trim().split('\n').length, 3, last.stdout);
    });

    test('stamp from:to --sql prints the version change from a given revision; online, a range is refused with a hint', async () => {
      const r = await p.retort('stamp', `${USERS}:${SLUG}`, '--sql');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`UPDATE "retort_version" SET "version_num" = '${SLUG}' WHERE "version_num" = '${USERS}'`));
      const fromBase = await p.retort('stamp', `base:${USERS}`, '--sql');
      assert.match(fromBase.stdout, new RegExp(`INSERT INTO "retort_version" \\("version_num"\\) SELECT '${USERS}' WHERE NOT EXISTS \\(SELECT 1 FROM "retort_version"\\)`));
      for (const args of [['stamp', `${USERS}:${SLUG}`], ['upgrade', `${USERS}:head`]]) {
        const online = await p.retort(...args);
        assert.equal(online.code, 2, `${args.join(' ')}: ${online.stderr}`);
        assert.match(online.stderr, /is a range, which only --sql takes/);
      }
      assert.match(await current(), new RegExp(`^${SLUG}`));
    });

    test('a version table naming an unknown revision gives "Can\'t locate revision" with a hint to stamp', async () => {
      await p.query(`UPDATE retort_version SET version_num = 'deadbeef0000'`);
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /Can't locate revision identified by 'deadbeef0000'/);
      assert.match(r.stderr, /stamp/);
      const fix = await p.retort('stamp', SLUG, '--purge');
      assert.equal(fix.code, 0, fix.stderr);
      assert.match(await current(), new RegExp(`^${SLUG}`));
    });

    test('op.createIndex takes sql`...` keys as well as column names, and reverses', async () => {
      // Takes the place of the broken revision the tests above left as the head.
      p.writeRevision(
        'f00dfeed0001_broken.ts',
        revisionSource('f00dfeed0001', SLUG, 'lower index', `  op.createIndex('ix_users_lower', 'users', [sql\`lower(username)\`, 'id']);`, `  op.dropIndex('ix_users_lower', 'users');`, "import { sql } from 'retort-migrate';"),
      );
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
      const indexes = dialect === 'postgresql'
        ? await p.query<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'ix_users_lower'`)
        : await p.query<{ def: string }>(`SELECT sql AS def FROM sqlite_master WHERE name = 'ix_users_lower'`);
      assert.match(indexes[0]!.def, /lower\(.*username.*\).*id/);
      const down = await p.retort('downgrade', '-1');
      assert.equal(down.code, 0, down.stderr);
      p.writeRevision('f00dfeed0001_broken.ts', revisionSource('f00dfeed0001', SLUG, 'bad key', `  op.createIndex('ix_bad', 'users', [42 as unknown as string]);`));
      const bad = await p.retort('upgrade', 'head');
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /op\.createIndex\('ix_bad'\): a key must be a column name or sql`\.\.\.`, not number/);
    });

    test('--sql prints the SQL, version-table statements included, without connecting', async () => {
      const fresh = await createProject(dialect);
      try {
        const r = await fresh.retort('upgrade', 'head', '--sql');
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /CREATE TABLE IF NOT EXISTS "retort_version"/);
        assert.match(r.stdout, /CREATE TABLE "users"/);
        assert.match(r.stdout, /INSERT INTO "retort_version" \("version_num"\) SELECT '3f1c2a9d0b01' WHERE NOT EXISTS \(SELECT 1 FROM "retort_version"\)/);
        assert.match(r.stdout, /^-- Running upgrade <base> -> 3f1c2a9d0b01, create users$/m, 'each revision is announced in a comment');
        assert.doesNotMatch(r.stdout, /^PRAGMA foreign_keys;|pragma_foreign_key_check/m, 'no reads whose output would land in the script');
        assert.match(r.stdout, /UPDATE "retort_version" SET "version_num" = 'e7b3a0d5c904' WHERE "version_num" = 'c2d9e1f4a703'/);
        assert.deepEqual(await fresh.tables(), [], 'nothing was created');
        if (dialect === 'sqlite') assert.ok(!existsSync(path.join(fresh.dir, 'test.db')) || (await fresh.tables()).length === 0);
        const range = await fresh.retort('downgrade', `${SLUG}:${PROFILES}`, '--sql');
        assert.equal(range.code, 0, range.stderr);
        assert.match(range.stdout, /DROP TABLE "comments"/);
        assert.doesNotMatch(range.stdout, /DROP TABLE "profiles"/);
        const noRange = await fresh.retort('downgrade', 'base', '--sql');
        assert.equal(noRange.code, 2);
        assert.match(noRange.stderr, /needs a range/);
      } finally {
        await fresh.cleanup();
      }
    });

    test('--sql that fails part-way prints nothing and says no database was touched, upgrade and downgrade alike', async () => {
      const fresh = await createProject(dialect);
      try {
        const file = 'f00dfeed0001_throws.ts';
        // Statements are written before the throw: none of them may reach stdout, or `> script.sql` leaves half a script.
        fresh.writeRevision(file, revisionSource('f00dfeed0001', SLUG, 'throws', `  op.createTable('half_done', { id: serial().primaryKey() });\n  throw new Error('boom while writing');`));
        const up = await fresh.retort('upgrade', 'head', '--sql');
        assert.equal(up.code, 1);
        assert.equal(up.stdout, '', 'nothing of the script is printed');
        assert.match(up.stderr, /^error: upgrade e7b3a0d5c904 -> f00dfeed0001, throws failed \(.*f00dfeed0001_throws\.ts\); while writing its SQL; nothing was run on any database$/m);
        assert.match(up.stderr, /^ {2}error: boom while writing \(.*f00dfeed0001_throws\.ts, line \d+\)$/m);
        assert.doesNotMatch(up.stderr, /rolled back|stays at/);

        fresh.writeRevision(file, revisionSource('f00dfeed0001', SLUG, 'throws', `  op.createTable('half_done', { id: serial().primaryKey() });`, `  op.dropTable('half_done');\n  throw new Error('boom while writing');`));
        const down = await fresh.retort('downgrade', `f00dfeed0001:${PROFILES}`, '--sql');
        assert.equal(down.code, 1);
        assert.equal(down.stdout, '');
        assert.match(down.stderr, /^error: downgrade f00dfeed0001 -> e7b3a0d5c904, throws failed \(.*f00dfeed0001_throws\.ts\); while writing its SQL; nothing was run on any database$/m);
        assert.doesNotMatch(down.stderr, /rolled back|stays at/);
        assert.deepEqual(await fresh.tables(), [], 'nothing was created');

        // A data migration not guarded by ctx.isOffline: the same, with its own words.
        fresh.writeRevision(file, revisionSource('f00dfeed0001', SLUG, 'throws', `  op.createTable('half_done', { id: serial().primaryKey() });\n  await ctx.query('UPDATE half_done SET id = id');`));
        const data = await fresh.retort('upgrade', 'head', '--sql');
        assert.equal(data.code, 1);
        assert.equal(data.stdout, '');
        assert.match(data.stderr, /^error: revision f00dfeed0001 \(.*f00dfeed0001_throws\.ts\) calls ctx\.query\(\), which needs a live database; nothing was run on any database$/m);
      } finally {
        await fresh.cleanup();
      }
    });
  });
}
