/**
 * Concurrency on PostgreSQL. The migration lock is a session-level advisory
 * lock, so it is released by the server when the process dies, and held across
 * the per-migration transactions a run commits one after another; readers
 * (autogenerate, check) take it shared. The version table's writes check the
 * row they change.
 */
import { createHash } from 'node:crypto';
import { RetortError } from '../../errors.js';
import type { Connection, LockOptions, ReleaseLock, Statement } from '../dialect.js';
import { lockWaitInterrupted } from '../contract/driver.js';
import { unlessLost } from './postgres-driver.js';
import { quoteLiteral } from './postgres-sql.js';
import { inReadTransaction } from '../read-transaction.js';

const POLL_MS = 150;

/** advisoryKey hashes a lock key to the signed 64-bit integer pg_advisory_lock takes; stable across versions and processes. */
export function advisoryKey(key: string): bigint {
  const digest = createHash('sha256').update(`retort:${key}`).digest();
  return digest.readBigInt64BE(0);
}

/** Migrations hold the lock exclusively; readers share it, so they wait for a migration but not for each other. */
type LockMode = 'exclusive' | 'shared';
const suffix = (mode: LockMode) => (mode === 'shared' ? '_shared' : '');

/** lockPostgres takes the advisory lock for options.key, polling until options.timeoutMs. */
export async function lockPostgres(conn: Connection, options: LockOptions, mode: LockMode = 'exclusive'): Promise<ReleaseLock> {
  const key = advisoryKey(options.key);
  const started = Date.now();
  let holder: string | null = null;
  let told = false;
  for (;;) {
    if (await tryLock(conn, key, mode)) {
      return async () => {
        // The lock is the session's: a lost connection has released it.
        await conn.query(`SELECT pg_advisory_unlock${suffix(mode)}($1::bigint)`, [key.toString()]).catch(unlessLost);
      };
    }
    if (!told) {
      holder = await describeHolder(conn, key);
      told = true;
      options.onWait?.(holder);
    }
    if (options.interrupted?.() === true) throw lockWaitInterrupted();
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

async function tryLock(conn: Connection, key: bigint, mode: LockMode): Promise<boolean> {
  const [row] = await conn.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock${suffix(mode)}($1::bigint) AS locked`, [key.toString()]);
  return row?.locked === true;
}

/**
 * Runs `read` in one REPEATABLE READ, READ ONLY transaction under the shared lock. The lock is held until the
 * transaction ends, not only until its snapshot is taken: functions such as pg_get_indexdef() read the catalog
 * as it is now, not as the snapshot saw it, so a migration committing meanwhile could still show through.
 */
export async function readSnapshotPostgres<T>(conn: Connection, options: LockOptions, read: () => Promise<T>): Promise<T> {
  const release = await lockPostgres(conn, options, 'shared');
  try {
    return await inReadTransaction(conn, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', read);
  } finally {
    await release();
  }
}

/**
 * One DO block: the write, then its row count checked. A duplicate key (two runs inserting the first revision at
 * once) raises the same message. The dollar-quote tag is one the write does not contain.
 */
export function guardedWritePostgres(write: string, message: string, printed: boolean): Statement[] {
  // Live: one statement, no PL/pgSQL (a DO block with an exception handler cost about 0.45 ms a revision, a third
  // of a light 1000-revision upgrade). A row count other than one casts the message to an integer, which fails
  // with the message in its text; the count makes the cast a run-time one, so the planner does not fold it.
  if (!printed) {
    return [{ sql: `WITH w AS (${write} RETURNING 1) SELECT CASE WHEN count(*) = 1 THEN 0 ELSE (${quoteLiteral(message)} || ' (' || count(*) || ' rows)')::int END FROM w` }];
  }
  // Printed: a DO block, which psql runs without printing a result table.
  let tag = '$retort$';
  while (write.includes(tag)) tag = `${tag.slice(0, -1)}_$`;
  // A version-table write changes one row at most (a key equality, or one row inserted): FOUND says it changed one.
  return [{
    sql: `DO ${tag} DECLARE conflict text := ${quoteLiteral(message)}; BEGIN ${write}; IF NOT FOUND THEN RAISE EXCEPTION USING MESSAGE = conflict; END IF; EXCEPTION WHEN unique_violation THEN RAISE EXCEPTION USING MESSAGE = conflict; END ${tag}`,
  }];
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
