/**
 * Names the statement that failed inside a batch. A batch that fails says only what went wrong, not where; when
 * the batch opened its own transaction, it is run again statement by statement in a transaction that is rolled
 * back. Only a transactional run policy allows this (RunPolicy.replaysFailedBatch): without transactions the
 * replay would apply the statements a second time, so such runs send statements one at a time instead.
 */
import type { Connection, Dialect, Statement } from '../../dialects/dialect.js';

/** The statement that failed and the database's error for it. */
export interface FailingStatement {
  readonly statement: Statement;
  readonly error: unknown;
}

/**
 * Replays `batch` up to its first failure, then rolls back; null when the batch did not open its transaction, or when
 * `error` is a lock or statement timeout: the replay would queue for the same lock again (writers behind it stall a
 * second lock_timeout) or run the slow statement again, so such a failure is reported without naming its statement.
 */
export async function findFailingStatement(conn: Connection, dialect: Dialect, batch: Statement[] | null, error?: unknown): Promise<FailingStatement | null> {
  if (!batch || batch[0]?.sql !== dialect.beginSql) return null;
  if (error !== undefined && (dialect.isLockTimeout?.(error) || dialect.isStatementTimeout?.(error))) {
    await conn.query('ROLLBACK').catch(() => undefined);
    return null;
  }
  let found: FailingStatement | null = null;
  for (const s of batch) {
    if (s.sql === 'COMMIT') break;
    try {
      await conn.query(s.sql, s.params);
    } catch (error) {
      found = { statement: s, error };
      break;
    }
  }
  await conn.query('ROLLBACK').catch(() => undefined);
  return found;
}
