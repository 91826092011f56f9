/**
 * Durability during a SQLite run. A COMMIT in SQLite's default rollback journal syncs the journal and the database
 * file (four fsyncs per commit were measured, 36 ms each on a busy shared disk: 21 s of a 1000-revision upgrade's
 * 28 s). For the run, the database goes into WAL mode with `synchronous = NORMAL`: a commit appends to the WAL
 * without a sync, each transaction stays atomic (a killed process, even a power loss, leaves the database at the
 * last commit or an earlier one, never half a revision), and at the end the settings come back, `synchronous`
 * first, so that the checkpoint back into the database file and the journal-mode change are synced: the run is
 * durable when it returns. A database already in WAL keeps it; only `synchronous` is relaxed and restored.
 *
 * The journal mode is persistent in the file, so before switching, the mode to go back to is written to a marker
 * file beside the database (`<db>-retort-journal`), removed once restored: a run that is killed leaves the database
 * in WAL mode (consistent), and the next run reads the marker and puts the original mode back at its end.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Connection } from '../dialect.js';
import { SqliteConnection } from './sqlite-driver.js';

interface Relaxed {
  /** The journal mode to restore, when the run switched it. */
  readonly journal: string | null;
  readonly synchronous: number;
  readonly marker: string | null;
}

const relaxedOf = new WeakMap<Connection, Relaxed>();
const ROLLBACK_MODES = new Set(['delete', 'truncate', 'persist']);

/**
 * One PRAGMA, tried once (SQLite's own short busy wait, not the connection's retries until the lock timeout): a
 * journal-mode switch or a checkpoint that another connection is in the way of is given up, never waited for, since
 * the run holds the migration lock meanwhile and the other connection may be a Retort process waiting for it.
 */
function pragma(conn: SqliteConnection, sql: string): unknown {
  return conn.db.pragma(sql, { simple: true });
}

function tryPragma(conn: SqliteConnection, sql: string): unknown {
  try {
    return pragma(conn, sql);
  } catch {
    return undefined;
  }
}

function readMarker(marker: string): string | null {
  try {
    const mode = readFileSync(marker, 'utf8').trim().toLowerCase();
    return ROLLBACK_MODES.has(mode) ? mode : null;
  } catch {
    return null;
  }
}

/** Before a run's first transaction: WAL and `synchronous = NORMAL` where the database file allows them. */
export async function relaxDurability(conn: Connection): Promise<void> {
  if (!(conn instanceof SqliteConnection) || conn.filename === ':memory:' || conn.filename === '') return;
  const marker = `${conn.filename}-retort-journal`;
  const mode = String(pragma(conn, 'journal_mode')).toLowerCase();
  const synchronous = Number(pragma(conn, 'synchronous'));
  let journal: string | null = null;
  if (mode === 'wal') {
    journal = readMarker(marker); // a killed run's switch, to undo at the end of this one
  } else if (ROLLBACK_MODES.has(mode)) {
    try {
      writeFileSync(marker, mode);
    } catch {
      return; // a folder we cannot write a marker into: keep the database's own mode
    }
    const now = String(tryPragma(conn, 'journal_mode = WAL')).toLowerCase();
    if (now !== 'wal') {
      rmSync(marker, { force: true });
      return; // another connection holds the file, or a file system without shared memory: commits stay synced
    }
    journal = mode;
  } else {
    return; // memory, off: nothing to relax
  }
  relaxedOf.set(conn, { journal, synchronous, marker: journal === null ? null : marker });
  pragma(conn, 'synchronous = NORMAL');
}

/**
 * A run with nothing to do: where an earlier run left the database in WAL with its marker (killed, or other
 * connections had the file open when it ended: concurrent `upgrade head`s waiting for the lock), the original mode
 * goes back now if this is the only connection. One file check when there is no marker.
 */
export async function restoreLeftJournal(conn: Connection): Promise<void> {
  if (!(conn instanceof SqliteConnection) || conn.filename === ':memory:' || conn.filename === '') return;
  const marker = `${conn.filename}-retort-journal`;
  const mode = readMarker(marker);
  if (mode === null) return;
  if (String(pragma(conn, 'journal_mode')).toLowerCase() !== 'wal') {
    rmSync(marker, { force: true });
    return;
  }
  switchBack(conn, mode, marker);
}

/** The journal mode put back (only this connection may have the file open), and then the marker removed; false when another connection is in the way. */
function switchBack(conn: SqliteConnection, mode: string, marker: string | null): boolean {
  if (String(tryPragma(conn, `journal_mode = ${mode.toUpperCase()}`)).toLowerCase() !== mode) return false;
  if (marker) rmSync(marker, { force: true });
  return true;
}

/** After the run, failed or not: `synchronous` back, then the journal mode, which checkpoints and syncs. */
export async function restoreDurability(conn: Connection): Promise<void> {
  const relaxed = relaxedOf.get(conn);
  if (!relaxed || !(conn instanceof SqliteConnection)) return;
  relaxedOf.delete(conn);
  pragma(conn, `synchronous = ${relaxed.synchronous}`);
  // Leaving WAL needs the only connection to the file; with another one open (an application, a Retort process
  // waiting for the lock), the database stays in WAL, checkpointed as far as readers allow (a checkpoint syncs the
  // WAL first), and the marker stays for a later run to try again.
  if (relaxed.journal !== null && switchBack(conn, relaxed.journal, relaxed.marker)) return;
  if (tryPragma(conn, 'wal_checkpoint(FULL)') === undefined) tryPragma(conn, 'wal_checkpoint(PASSIVE)');
}
