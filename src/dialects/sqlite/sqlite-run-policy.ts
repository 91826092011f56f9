/**
 * How a run goes on SQLite: transactional DDL taken with BEGIN IMMEDIATE, statements one at a time (in-process),
 * and the foreign-key handling SQLite's documentation prescribes for table rebuilds (enforcement off before the
 * transaction, foreign_key_check before COMMIT, enforcement restored after the run).
 */
import { RetortError } from '../../errors.js';
import type { Connection, RunPolicyPart } from '../dialect.js';
import { SqliteConnection } from './sqlite-driver.js';
import { writeEffects } from './sqlite-fk-scope.js';
import { asciiLower } from './sqlite-sql-text.js';
import { quoteLit } from './sqlite-normalize.js';
import { relaxDurability, restoreDurability, restoreLeftJournal } from './sqlite-journal.js';

/** PRAGMA foreign_keys as it was before each run, per connection, to restore afterwards. */
const foreignKeysBefore = new WeakMap<Connection, number>();
/** Violating rows per table (keyed by the ASCII-lowercased name, as SQLite compares names), with the name as written. */
type ViolationCounts = Map<string, { readonly name: string; readonly n: number }>;
/** Retort's own tables for each run, and the guard table of its version writes (see sqlite-failures.ts), lowercased. */
const bookkeepingOf = new WeakMap<Connection, ReadonlySet<string>>();
/** How many foreign-key violations each table held before the run, per connection. */
const violationsBefore = new WeakMap<Connection, ViolationCounts>();

// Counted by SQLite, grouped by the referencing table: a database that never enabled foreign_keys (SQLite's
// default) may hold millions of orphan rows, and fetching each of them before every commit took seconds and
// hundreds of megabytes per revision. The counts are as cheap as the check itself and a few bytes per table.
const VIOLATION_COUNTS_SQL = 'SELECT "table" AS name, count(*) AS n FROM pragma_foreign_key_check GROUP BY "table"';

function countsOf(rows: readonly { name: string; n: number }[]): ViolationCounts {
  return new Map(rows.map((r) => [asciiLower(r.name), { name: r.name, n: Number(r.n) }]));
}

async function violationCounts(conn: Connection): Promise<ViolationCounts> {
  return countsOf(await conn.query<{ name: string; n: number }>(VIOLATION_COUNTS_SQL));
}

/**
 * The counts for the tables the transaction's statements may have affected (those they wrote, altered
 * or renamed, and the children of those whose rows or keys went), or for every table when the
 * statements cannot be read that way (a script, a CTE, rows written to a table with triggers).
 */
async function violationCountsAfter(conn: Connection): Promise<{ counts: ViolationCounts; renamedFrom: ReadonlyMap<string, string> }> {
  const log = conn instanceof SqliteConnection ? conn.takeWrites() : null;
  const effects = log ? writeEffects(log, bookkeepingOf.get(conn)) : null;
  const renamedFrom = effects?.renamedFrom ?? new Map<string, string>();
  if (effects === null || effects.all) return { counts: await violationCounts(conn), renamedFrom };
  const json = (names: Iterable<string>) => JSON.stringify([...names]);
  const written = [...effects.written].filter((t) => !effects.created.has(t));
  if (written.length > 0) {
    const triggered = await conn.query(`SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND lower(tbl_name) IN (SELECT value FROM json_each(?)) LIMIT 1`, [json(written)]);
    if (triggered.length > 0) return { counts: await violationCounts(conn), renamedFrom };
  }
  const children = effects.parents.size === 0
    ? []
    : await conn.query<{ name: string }>(
      `SELECT DISTINCT m.name FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND lower(f."table") IN (SELECT value FROM json_each(?))`,
      [json(effects.parents)],
    );
  const scope = [...new Set([...effects.touched, ...children.map((c) => asciiLower(c.name))])];
  if (scope.length === 0) return { counts: new Map(), renamedFrom };
  const rows = await conn.query<{ name: string; n: number }>(
    `SELECT m.name AS name, (SELECT count(*) FROM pragma_foreign_key_check(m.name)) AS n FROM sqlite_master m WHERE m.type = 'table' AND lower(m.name) IN (SELECT value FROM json_each(?))`,
    [json(scope)],
  );
  return { counts: countsOf(rows), renamedFrom };
}

interface Violation { rowid: number | null; parent: string }

/**
 * Checks foreign keys inside the migration's transaction; a violation fails the migration so the
 * runner rolls back. Violations already there before the run are left alone: a database that never
 * enabled foreign_keys may hold orphan rows, and they are not this migration's doing. A table fails
 * when it holds more violating rows than before the run (a migration that both removes and adds as
 * many orphans in one table is not caught: the README says so).
 */
export async function checkForeignKeys(conn: Connection): Promise<void> {
  const before: ViolationCounts = violationsBefore.get(conn) ?? new Map();
  const { counts, renamedFrom } = await violationCountsAfter(conn);
  // A table renamed in the migration keeps the orphans it had under its old name.
  const had = (key: string) => before.get(renamedFrom.get(key) ?? key)?.n ?? 0;
  const grown = [...counts].filter(([key, c]) => c.n > had(key));
  if (grown.length === 0) {
    // The next migration of the run compares with what this one leaves (renamed tables under their new names).
    const next: ViolationCounts = new Map(before);
    for (const [to, from] of renamedFrom) {
      const v = next.get(from);
      next.delete(from);
      if (v) next.set(to, v);
    }
    for (const [k, c] of counts) next.set(k, c);
    violationsBefore.set(conn, next);
    return;
  }
  const [key, { name: table, n }] = grown[0]!;
  const hadBefore = had(key);
  const added = n - hadBefore;
  const examples = await conn.query<Violation>(`SELECT rowid, parent FROM pragma_foreign_key_check(${quoteLit(table)}) LIMIT 10`);
  const first = examples[0];
  const where = first && first.rowid !== null && hadBefore === 0 && added === 1 ? ` (rowid ${first.rowid})` : '';
  const others = grown.length > 1 ? `; ${grown.length - 1} more table(s) too: ${grown.slice(1).map(([, c]) => `"${c.name}"`).join(', ')}` : '';
  const message = `foreign key violation: ${added === 1 ? 'a row' : `${added} rows`} of "${table}"${where} ${added === 1 ? 'references' : 'reference'} a missing row of "${first?.parent ?? '?'}"${hadBefore > 0 ? ` (it held ${hadBefore} such row(s) before the run)` : ''}${others}`;
  throw new RetortError('MIGRATION_FAILED', message, {
    hint: hadBefore === 0
      ? 'fix or delete those rows in the migration before the change, or create the referenced rows; when the migration adds the foreign key (or renames the table, or a downgrade re-adds a dropped key), the rows may be older than it: fix them first'
      : 'fix or delete those rows in the migration before the change, or create the referenced rows',
    details: examples.map((r) => `${table} rowid ${r.rowid ?? '?'} -> ${r.parent}`),
  });
}

export const sqliteRunPolicy: RunPolicyPart = {
  transactionalDdl: true,
  // Takes the write lock at once, so a migration never fails half-way with SQLITE_BUSY on its first write.
  beginSql: 'BEGIN IMMEDIATE',
  // A savepoint per revision, committed in groups of 20 ms: each COMMIT syncs the journal and the file (two fsyncs or
  // more, about 1 ms on a quiet disk), which was most of a long upgrade's time. A killed run loses at most the
  // revisions of the last 20 ms; a failed or interrupted revision is rolled back alone.
  stepSavepoint: { open: 'SAVEPOINT retort_step', release: 'RELEASE retort_step', rollback: 'ROLLBACK TO retort_step', commitAfterMs: 20 },
  // An autocommit block is PostgreSQL's need (CONCURRENTLY, a new enum value used at once): here only VACUUM, which a
  // transaction refuses, and PRAGMAs, which it ignores or refuses, leave the transaction; anything else (an added enum
  // value, an index) runs in it, so a revision is all or nothing.
  // Read with the comments left out, as any statement of the text (`ANALYZE; VACUUM`); a word in a string may only
  // take a block out of the transaction, as every block was before.
  needsAutocommit: (ops) => ops.some((o) => o.kind === 'execute' && /(?:^|;)\s*(?:VACUUM|PRAGMA)\b/i.test(o.sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' '))),

  async beforeRun(conn, options) {
    // PRAGMA foreign_keys is silently ignored inside a transaction, so it is switched off here, before BEGIN:
    // with it on, the rebuild's DROP TABLE would run ON DELETE CASCADE on the child tables. A printed script
    // (--sql) gets only the settings, not the reads, whose output would land in the middle of it.
    const offline = options?.offline === true;
    const [row] = offline ? [{ foreign_keys: 1 }] : await conn.query<{ foreign_keys: number }>('PRAGMA foreign_keys');
    foreignKeysBefore.set(conn, row?.foreign_keys ?? 0);
    await conn.query('PRAGMA foreign_keys = OFF');
    // Renames must rewrite references in other tables, triggers and views (SQLite 3.26+ behaviour).
    await conn.query('PRAGMA legacy_alter_table = OFF');
    if (offline) return;
    await relaxDurability(conn);
    bookkeepingOf.set(conn, new Set([...(options?.ownTables ?? []).map(asciiLower), 'temp.retort_write_guard']));
    violationsBefore.set(conn, await violationCounts(conn));
    // From here on the connection notes what each migration writes, so its check reads only what it may have affected.
    if (conn instanceof SqliteConnection) conn.writes = [];
  },

  async afterRun(conn) {
    const before = foreignKeysBefore.get(conn);
    foreignKeysBefore.delete(conn);
    violationsBefore.delete(conn);
    bookkeepingOf.delete(conn);
    if (conn instanceof SqliteConnection) conn.writes = null;
    if (before === 1) await conn.query('PRAGMA foreign_keys = ON');
    await restoreDurability(conn);
  },

  afterIdleRun: restoreLeftJournal,

  beforeCommit: checkForeignKeys,
};
