/** The transactions the dialects run around their reads: a snapshot read, and a rehearsal that is always rolled back. */
import type { Connection } from './contract/connection.js';

/** Runs `read` between `begin` and COMMIT; a failure rolls back (ignoring a connection already gone) and is rethrown. */
export async function inReadTransaction<T>(conn: Connection, begin: string, read: () => Promise<T>): Promise<T> {
  await conn.query(begin);
  try {
    const result = await read();
    await conn.query('COMMIT');
    return result;
  } catch (e) {
    await conn.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/**
 * Runs `work` in a transaction that is always rolled back (scratch copies of declared objects, declared renames
 * rehearsed): null when the transaction cannot begin or `work` fails, so the caller keeps what it had.
 */
export async function inRolledBack<T>(conn: Connection, work: () => Promise<T>): Promise<T | null> {
  try {
    await conn.query('BEGIN');
  } catch {
    return null;
  }
  try {
    return await work();
  } catch {
    return null;
  } finally {
    await conn.query('ROLLBACK');
  }
}

/** Runs `statements` under the savepoint `name`; false, with only they undone, when the database refuses one. */
export async function inSavepoint(conn: Connection, name: string, ...statements: string[]): Promise<boolean> {
  await conn.query(`SAVEPOINT ${name}`);
  try {
    for (const s of statements) await conn.query(s);
    await conn.query(`RELEASE SAVEPOINT ${name}`);
    return true;
  } catch {
    await conn.query(`ROLLBACK TO SAVEPOINT ${name}`);
    return false;
  }
}

/**
 * Runs each of `statements` as if under inSavepoint (a statement the database refuses leaves out only itself), then
 * the query `read`, and returns its rows. Where the connection batches, all of them and `read` go in one round trip
 * under one savepoint, and only if the database refuses one is that savepoint undone and each statement sent under
 * its own. Scratch copies of declared objects are made on every run (PostgreSQL never prints a view back as written):
 * one round trip for them all keeps a no-op autogenerate's round trips from growing with their number.
 */
export async function eachInSavepoint<R>(conn: Connection, name: string, statements: readonly string[], read: string): Promise<R[]> {
  if (conn.queryBatch) {
    try {
      const results = await conn.queryBatch([`SAVEPOINT ${name}`, ...statements, read]);
      return results[results.length - 1] as R[];
    } catch {
      await conn.query(`ROLLBACK TO SAVEPOINT ${name}`);
    }
  }
  for (const s of statements) await inSavepoint(conn, name, s);
  return conn.query<R>(read);
}
