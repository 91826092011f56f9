/**
 * The dialect registry: maps a parsed URL to its dialect, importing the
 * dialect (and so its driver) only when a command needs a database, so that
 * `--help`, `history` and `heads` never load `pg` or `better-sqlite3`.
 */
import type { DialectId } from '../config/url.js';
import type { Dialect } from './dialect.js';

const loaders: Record<DialectId, () => Promise<Dialect>> = {
  postgresql: async () => (await import('./postgres/postgres-dialect.js')).postgresDialect,
  sqlite: async () => (await import('./sqlite/sqlite-dialect.js')).sqliteDialect,
};

export function loadDialect(id: DialectId): Promise<Dialect> {
  return loaders[id]();
}
