/**
 * SQLite's canonicaliser: views and triggers whose stored text compares equal to the declared one by an evened-out
 * spelling take the stored text (sqlite-views-read.ts, sqlite-triggers.ts); everything else SQLite keeps as written.
 */
import type { SchemaIR } from '../../ir/ir.js';
import { canonicalSqliteTriggers } from './sqlite-triggers.js';
import { canonicalSqliteViews } from './sqlite-views-read.js';

/** `declared` with its views and triggers in the live text where they compare equal. */
export async function canonicalizeSqlite(_conn: unknown, declared: SchemaIR, live: SchemaIR): Promise<SchemaIR> {
  return canonicalSqliteTriggers(canonicalSqliteViews(declared, live), live);
}
