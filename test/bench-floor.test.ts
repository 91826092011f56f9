/**
 * The bench's server floor for upgrade and downgrade (bench/upgrade-floor.ts) runs the statements of Retort's `--sql`
 * script less its bookkeeping, in one request: what it keeps must be the revisions' whole work (the schema it leaves
 * is the one `retort upgrade head` leaves, less Retort's own rows) and nothing of Retort's BEGIN/COMMIT, timeouts,
 * version writes or history rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ownStatements } from '../bench/floor-sql.js';
import { createPgDatabase, pgQuery } from './helpers/db.js';
import { createProject } from './helpers/project.js';

const tablesOf = async (url: string) =>
  (await pgQuery<{ t: string }>(url, `SELECT table_name || ':' || string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) AS t FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'retort_%' GROUP BY table_name ORDER BY table_name`)).map((r) => r.t);

test('the upgrade floor keeps the revisions\' statements of a --sql script and none of Retort\'s bookkeeping', async () => {
  const p = await createProject('postgresql');
  const floorDb = await createPgDatabase();
  try {
    const script = (await p.retort('upgrade', 'head', '--sql')).stdout;
    const own = ownStatements(script);
    assert.ok(script.includes('INSERT INTO "retort_history"') && /^BEGIN;$/m.test(script), 'the script has bookkeeping to take out');
    for (const s of own) assert.doesNotMatch(s, /^(BEGIN|COMMIT|SET LOCAL|DO \$|INSERT INTO "retort_history"|UPDATE "retort_version"|INSERT INTO "retort_version")/, s);
    assert.ok(own.some((s) => s.startsWith('CREATE TABLE "users"')), own.join('\n'));

    await pgQuery(floorDb.url, `BEGIN;\n${own.join(';\n')};\nCOMMIT`);
    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    const migrated = await tablesOf(p.url);
    assert.ok(migrated.length >= 3, migrated.join('\n'));
    assert.deepEqual(await tablesOf(floorDb.url), migrated, 'the floor does the revisions\' whole work');
  } finally {
    await floorDb.drop();
    await p.cleanup();
  }
});
