/** Drives a dialect directly, the way the runner does: beforeRun, BEGIN, compile and run, beforeCommit, COMMIT, afterRun. */
import { liveCatalog, type Connection, type Dialect, type Statement } from '../../src/dialects/dialect.js';
import type { Operation } from '../../src/operations/operations.js';

/** Runs one batch of operations in one transaction; returns the statements it ran (rolled back on error). */
export async function migrateWith(dialect: Dialect, conn: Connection, ops: readonly Operation[]): Promise<Statement[]> {
  await dialect.beforeRun?.(conn);
  try {
    await conn.query(dialect.beginSql);
    try {
      const statements = await dialect.compile(ops, liveCatalog(dialect, conn));
      for (const s of statements) await conn.query(s.sql, s.params);
      await dialect.beforeCommit?.(conn);
      await conn.query('COMMIT');
      return statements;
    } catch (e) {
      await conn.query('ROLLBACK');
      throw e;
    }
  } finally {
    await dialect.afterRun?.(conn);
  }
}
