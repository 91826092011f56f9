/**
 * The dialect registry: one line per dialect, with what core may know of it without loading it, and a loader
 * that imports the dialect (and so its driver) only when a command needs a database, so that `--help`,
 * `history` and `heads` never load `pg` or `better-sqlite3`.
 */
import type { DialectId } from '../config/url.js';
import type { Dialect } from './dialect.js';

/** A registered dialect: its name for people, the longest identifier it keeps whole (null: no limit), its loader. */
export interface DialectEntry {
  readonly displayName: string;
  readonly maxIdentifierBytes: number | null;
  load(): Promise<Dialect>;
}

const registry: Record<DialectId, DialectEntry> = {
  // NAMEDATALEN - 1: PostgreSQL cuts longer identifiers without an error.
  postgresql: { displayName: 'PostgreSQL', maxIdentifierBytes: 63, load: async () => (await import('./postgres/postgres-dialect.js')).postgresDialect },
  sqlite: { displayName: 'SQLite', maxIdentifierBytes: null, load: async () => (await import('./sqlite/sqlite-dialect.js')).sqliteDialect },
};

export function loadDialect(id: DialectId): Promise<Dialect> {
  return registry[id].load();
}

/**
 * The longest identifier every registered dialect keeps whole, and the dialect that sets it: one model serves
 * every dialect, so a name one of them would cut is refused whichever the project uses today.
 */
export function portableIdentifierLimit(): { bytes: number; dialect: string } | null {
  let limit: { bytes: number; dialect: string } | null = null;
  for (const e of Object.values(registry)) {
    if (e.maxIdentifierBytes !== null && (limit === null || e.maxIdentifierBytes < limit.bytes)) limit = { bytes: e.maxIdentifierBytes, dialect: e.displayName };
  }
  return limit;
}
