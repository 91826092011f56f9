// What upgrade sends before its first revision, counted on the real driver's connection (never timed): Retort's own
// tables are looked for once, in one query, under the lock, and the reads of the version and history tables and the
// run's creating them use that answer; on PostgreSQL the missing tables are created in one request. Each round trip
// is a network round trip to a remote database, so their number is what this pins (issue 24).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { migrate } from '../src/runtime/migrate.js';
import { createPgDatabase, tempDir } from './helpers/db.js';
import { repoRoot } from './helpers/cli.js';
import { DIALECTS } from './helpers/project.js';
import { projectAt, projectFolder } from './helpers/pull-roundtrip.js';
import { countQueries } from './helpers/query-count.js';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

const REVISIONS = ['3f1c2a9d0b01_create_users.ts', '8a4e0c7b52d2_create_profiles.ts'];
/** The look-up of Retort's tables, as each dialect spells it (postgres-schema.ts, sqlite-connector.ts). */
const LOOK_UP = /relname = ANY\(|name IN \(SELECT value FROM json_each/;

/** The round trips a run sent before the one holding `marker` (its first revision's SQL). */
function before(sent: readonly (readonly string[])[], marker: string): (readonly string[])[] {
  const at = sent.findIndex((r) => r.some((s) => s.includes(marker)));
  assert.ok(at > 0, `the run sent ${marker}`);
  return sent.slice(0, at);
}

describe('upgrade looks for its own tables once', () => {
  for (const dialect of DIALECTS) {
    test(`${dialect}: one look-up per run, on a fresh database and on one at a revision`, async (t) => {
      const { dir, cleanup } = tempDir();
      cleanups.push(cleanup);
      const db = dialect === 'postgresql' ? await createPgDatabase('retort_migq') : null;
      if (db) cleanups.push(() => db.drop());
      const p = path.join(dir, 'p');
      projectFolder(p, db ? db.url : `sqlite:///${path.join(dir, 'test.db')}`);
      for (const f of REVISIONS) cpSync(path.join(repoRoot, 'migrations-example', 'migrations', f), path.join(p, 'migrations', f));

      const fresh = await projectAt(p);
      const first = countQueries(fresh);
      await migrate(fresh, 'up', '3f1c2a9d0b01');
      const setUp = before(first.sent, 'CREATE TABLE "users"');
      const creates = setUp.filter((r) => r.some((s) => s.startsWith('CREATE TABLE IF NOT EXISTS')));
      t.diagnostic(`fresh database, before the first revision: ${setUp.length} round trips: ${setUp.map((r) => r.map((s) => s.slice(0, 40)).join(' + ')).join(' | ')}`);
      assert.equal(setUp.filter((r) => r.some((s) => LOOK_UP.test(s))).length, 1, 'Retort\'s tables are looked for once');
      assert.equal(creates.flat().length, 2, 'both tables are created');
      // PostgreSQL's driver sends several statements in one request; SQLite, in this process, has no round trip to save.
      assert.equal(creates.length, dialect === 'postgresql' ? 1 : 2);
      // PostgreSQL: the lock, the look-up, the check for INVALID indexes, the session's SET, the creates (9 before).
      if (dialect === 'postgresql') assert.equal(setUp.length, 5);

      const later = await projectAt(p);
      const second = countQueries(later);
      await migrate(later, 'up', 'head');
      const setUp2 = before(second.sent, '"profiles"');
      t.diagnostic(`database at a revision, before the next: ${setUp2.length} round trips: ${setUp2.map((r) => r.map((s) => s.slice(0, 40)).join(' + ')).join(' | ')}`);
      assert.equal(setUp2.filter((r) => r.some((s) => LOOK_UP.test(s))).length, 1, 'Retort\'s tables are looked for once');
      assert.equal(setUp2.filter((r) => r.some((s) => s.startsWith('CREATE TABLE IF NOT EXISTS'))).length, 0, 'tables found are not created again');
      // Each of the two tables read once: the version table's heads, the history table's checksums.
      assert.equal(setUp2.filter((r) => r.some((s) => /^SELECT .* FROM "retort_(version|history)"/.test(s))).length, 2);
      if (dialect === 'postgresql') assert.equal(setUp2.length, 6);
    });
  }
});
