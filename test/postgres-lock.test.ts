/**
 * The PostgreSQL migration lock: a second session waits, is told once who
 * holds the lock, gets it when the holder releases or disconnects, and gives
 * up with a LOCK error after its timeout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresDialect } from '../src/dialects/postgres/postgres-dialect.js';
import { advisoryKey } from '../src/dialects/postgres/postgres-lock.js';
import type { Connection } from '../src/dialects/dialect.js';
import { parseDatabaseUrl } from '../src/config/url.js';
import { isRetortError } from '../src/errors.js';
import { createPgDatabase, type PgDatabase } from './helpers/db.js';

describe('postgres advisory lock', () => {
  let db: PgDatabase;
  const open: Connection[] = [];
  const connect = async () => {
    const c = await postgresDialect.connect(parseDatabaseUrl(db.url, process.cwd()));
    open.push(c);
    return c;
  };
  const pidOf = async (c: Connection) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid;
  before(async () => {
    db = await createPgDatabase('retort_pglock');
  });
  after(async () => {
    for (const c of open) await c.close().catch(() => {});
    await db?.drop();
  });

  test('the key hash is a stable signed 64-bit integer', () => {
    assert.equal(advisoryKey('retort_version'), advisoryKey('retort_version'));
    assert.notEqual(advisoryKey('retort_version'), advisoryKey('other_version'));
    assert.equal(BigInt.asIntN(64, advisoryKey('x')), advisoryKey('x'));
  });

  test('a second session times out with a LOCK error naming the holder; onWait is called once', async () => {
    const a = await connect();
    const b = await connect();
    const release = await postgresDialect.lock(a, { key: 'retort_version', timeoutMs: 5000 });
    const waits: (string | null)[] = [];
    await assert.rejects(postgresDialect.lock(b, { key: 'retort_version', timeoutMs: 700, onWait: (h) => waits.push(h) }), (e: unknown) => {
      assert.ok(isRetortError(e));
      assert.equal(e.code, 'LOCK');
      assert.match(e.message, /^timed out after 0\.7s waiting for the migration lock held by pid \d+ \(retort\)/);
      assert.equal(e.hint, 'raise --lock-timeout or check for a stuck process');
      return true;
    });
    assert.equal(waits.length, 1);
    assert.match(waits[0] ?? '', new RegExp(`^pid ${await pidOf(a)} \\(retort\\)`));
    await release();
  });

  test('a waiting session gets the lock when the holder releases it', async () => {
    const a = await connect();
    const b = await connect();
    const releaseA = await postgresDialect.lock(a, { key: 'k2', timeoutMs: 1000 });
    let waits = 0;
    const pending = postgresDialect.lock(b, { key: 'k2', timeoutMs: 10_000, onWait: () => waits++ });
    await new Promise((r) => setTimeout(r, 500));
    await releaseA();
    const releaseB = await pending;
    assert.equal(waits, 1);
    const held = await a.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = $1", [await pidOf(b)]);
    assert.equal(held[0]?.n, '1');
    await releaseB();
  });

  test('a holder that disconnects frees the lock; other keys never wait', async () => {
    const a = await connect();
    const b = await connect();
    await postgresDialect.lock(a, { key: 'k3', timeoutMs: 1000 });
    let waited = false;
    const other = await postgresDialect.lock(b, { key: 'k4', timeoutMs: 1000, onWait: () => (waited = true) });
    assert.equal(waited, false);
    await other();
    await a.close();
    const release = await postgresDialect.lock(b, { key: 'k3', timeoutMs: 5000 });
    await release();
  });
});
