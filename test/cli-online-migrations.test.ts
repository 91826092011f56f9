/**
 * Online migrations on PostgreSQL: each revision's lock_timeout and the retries after it expires, the lock-safe
 * forms autogenerate writes for tables that exist (safety 'online', the default) and the plain ones otherwise,
 * and an INVALID index a failed concurrent build left. SQLite has one writer and none of this applies to it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createProject, revisionSource, type TestProject } from './helpers/project.js';

function writeConfig(p: TestProject, extra: string): void {
  writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], ${extra} });\n`);
}

/** Polls `cond` every 20 ms until it holds (no wall-clock assertion: the test's own timeout bounds it). */
async function until(cond: () => Promise<boolean>): Promise<void> {
  while (!(await cond())) await new Promise((r) => setTimeout(r, 20));
}

describe('revision lock timeout and retries on postgresql', () => {
  let p: TestProject;
  let holder: pg.Client;
  before(async () => {
    p = await createProject('postgresql');
    assert.equal((await p.retort('upgrade', 'head')).code, 0);
    writeConfig(p, `revisionLockTimeout: '150ms', lockRetries: 2`);
    p.writeRevision('f00000000001_add_note.ts', revisionSource('f00000000001', 'e7b3a0d5c904', 'add note', `  op.addColumn('users', 'note', text());`, `  op.dropColumn('users', 'note');`));
  });
  after(async () => {
    await holder?.end().catch(() => undefined);
    await p.cleanup();
  });

  const waiting = async () => Number((await p.query<{ n: string }>(`SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND locktype = 'relation'`))[0]!.n) > 0;

  async function holdLock(): Promise<void> {
    holder = new pg.Client({ connectionString: p.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
  }

  test('--sql sets lock_timeout in each revision transaction', async () => {
    const sql = await p.retort('upgrade', 'e7b3a0d5c904:head', '--sql');
    assert.equal(sql.code, 0, sql.stderr);
    assert.match(sql.stdout, /BEGIN;\s+SET LOCAL lock_timeout = '150ms';\s+(DO [^\n]*\s+)?ALTER TABLE "users" ADD COLUMN "note"/);
  });

  test('a held lock makes the revision time out, run again, then fail naming the setting', async () => {
    await holdLock();
    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 1, up.stderr);
    assert.match(up.stderr, /attempt 2 of 3/);
    assert.match(up.stderr, /attempt 3 of 3/);
    assert.match(up.stderr, /f00000000001.*could not take its locks within revisionLockTimeout \(150ms\) in 3 attempts/);
    assert.match(up.stderr, /raise revisionLockTimeout or lockRetries/);
    assert.doesNotMatch(up.stderr, /\n\s+at /, 'no stack trace');
    const cols = await p.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'note'`);
    assert.equal(cols.length, 0);
    await holder.query('ROLLBACK');
    await holder.end();
  });

  test('the revision succeeds when the lock is released during the retries', async () => {
    writeConfig(p, `revisionLockTimeout: '150ms', lockRetries: 20`);
    await holdLock();
    const running = p.retort('upgrade', 'head');
    // Once Retort has queued for the lock and given up at least once, the holder lets go.
    await until(waiting);
    await until(async () => !(await waiting()));
    await holder.query('ROLLBACK');
    await holder.end();
    const up = await running;
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, /gave up waiting for a lock .* attempt 2 of 21/);
    const heads = await p.query<{ version_num: string }>('SELECT version_num FROM retort_version');
    assert.deepEqual(heads.map((r) => r.version_num), ['f00000000001']);
  });
});
