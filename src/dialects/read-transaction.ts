/** One read transaction around `read`, shared by the dialects' snapshot readers. */
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
