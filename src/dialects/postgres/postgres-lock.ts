/**
 * The migration lock on PostgreSQL: a session-level advisory lock, so it is
 * released by the server when the process dies, and held across the
 * per-migration transactions a run commits one after another.
 */
import { createHash } from 'node:crypto';
import { RetortError } from '../../errors.js';
import type { Connection, LockOptions, ReleaseLock } from '../dialect.js';
import { unlessLost } from './postgres-driver.js';

const POLL_MS = 150;

/** advisoryKey hashes a lock key to the signed 64-bit integer pg_advisory_lock takes; stable across versions and processes. */
export function advisoryKey(key: string): bigint {
  const digest = createHash('sha256').update(`retort:${key}`).digest();
  return digest.readBigInt64BE(0);
}

/** lockPostgres takes the advisory lock for options.key, polling until options.timeoutMs. */
export async function lockPostgres(conn: Connection, options: LockOptions): Promise<ReleaseLock> {
  const key = advisoryKey(options.key);
  const started = Date.now();
  let holder: string | null = null;
  let told = false;
  for (;;) {
    if (await tryLock(conn, key)) {
      return async () => {
        // The lock is the session's: a lost connection has released it.
        await conn.query('SELECT pg_advisory_unlock($1::bigint)', [key.toString()]).catch(unlessLost);
      };
    }
    if (!told) {
      holder = await describeHolder(conn, key);
      told = true;
      options.onWait?.(holder);
    }
    const left = options.timeoutMs - (Date.now() - started);
    if (left <= 0) {
      // The holder may have changed while we waited: name the one holding it now.
      holder = (await describeHolder(conn, key)) ?? holder;
      const seconds = Math.round(options.timeoutMs / 100) / 10;
      throw new RetortError('LOCK', `timed out after ${seconds}s waiting for the migration lock held by ${holder ?? 'another session'}`, {
        hint: 'raise --lock-timeout or check for a stuck process',
      });
    }
    await sleep(Math.min(POLL_MS, left));
  }
}

async function tryLock(conn: Connection, key: bigint): Promise<boolean> {
  const [row] = await conn.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key.toString()]);
  return row?.locked === true;
}

interface HolderRow { pid: number; application_name: string | null; client_addr: string | null; usename: string | null }

/**
 * describeHolder names the session holding the lock, as far as pg_stat_activity
 * tells (another user's client_addr is hidden without pg_read_all_stats). A
 * bigint advisory key is stored as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
 */
export async function describeHolder(conn: Connection, key: bigint): Promise<string | null> {
  const unsigned = BigInt.asUintN(64, key);
  const high = (unsigned >> 32n).toString();
  const low = (unsigned & 0xffffffffn).toString();
  const rows = await conn.query<HolderRow>(
    `SELECT l.pid, a.application_name, a.client_addr::text AS client_addr, a.usename::text AS usename
     FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::oid AND l.objid = $2::oid AND l.objsubid = 1
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
     LIMIT 1`,
    [high, low],
  );
  const r = rows[0];
  if (!r) return null;
  const parts = [`pid ${r.pid}`];
  if (r.application_name) parts.push(`(${r.application_name})`);
  if (r.usename) parts.push(`user ${r.usename}`);
  if (r.client_addr) parts.push(`from ${r.client_addr}`);
  return parts.join(' ');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
