/** SQLite's failures: its messages in the user's terms, and a write that fails unless it changed one row. */
import type { Statement } from '../dialect.js';
import { quoteId } from './sqlite-normalize.js';

/**
 * SQLite's messages for a failed rebuild name the copy the rows go into (`_retort_new_plays.device`):
 * the user's table is meant. The common causes get a hint.
 */
export function explainSqliteFailure(message: string): { message: string; hint?: string } | null {
  const text = message.replace(/\b_retort_new_(?=[^\s.]+\.)/g, '');
  const m = /^(NOT NULL|UNIQUE|CHECK) constraint failed: (.+)$/.exec(text);
  if (m) {
    const what = m[2]!;
    const hint = m[1] === 'NOT NULL'
      ? `rows of ${what.split('.')[0]} hold NULL in ${what} (or a new NOT NULL column has no default): fill them in the revision first (op.execute('UPDATE ...')) or give the column a server default`
      : m[1] === 'UNIQUE'
        ? `rows of ${what.split(',')[0]!.split('.')[0]} share a value of ${what}: remove or change the duplicates in the revision first`
        : `rows fail the CHECK ${what}: fix them in the revision first`;
    return { message: text, hint };
  }
  if (/database is locked|SQLITE_BUSY/i.test(text)) {
    return { message: text, hint: 'another connection held a lock on the database file for the whole lock timeout: run again when it is done (stop the application, or migrate while it is idle), or raise --lock-timeout' };
  }
  return text === message ? null : { message: text };
}

/**
 * The write, then its change count kept in a temporary table whose CHECK fails unless it is 1: plain SQL has no
 * other way to raise an error on SQLite. The constraint is named with the message, which SQLite's error repeats.
 */
export function guardedWrite(write: string, message: string): Statement[] {
  return [
    { sql: `CREATE TEMP TABLE IF NOT EXISTS retort_write_guard (changed INTEGER CONSTRAINT ${quoteId(message)} CHECK (changed = 1))` },
    { sql: write },
    { sql: 'INSERT INTO temp.retort_write_guard (changed) VALUES (changes())' },
  ];
}
