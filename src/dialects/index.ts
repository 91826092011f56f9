/**
 * The dialect registry: one line per dialect, with what core may know of it without loading it (name, URL
 * schemes and reader, identifier limit), and a loader that imports the dialect (and so its driver) only when a
 * command needs a database, so that `--help`, `history` and `heads` never load `pg` or `better-sqlite3`.
 * A new dialect is a folder under dialects/ and a line here. (The quick path's CommonJS bundle, dist/quick.cjs,
 * takes this registry and the connectors in but leaves every whole dialect out: scripts/build.mjs.)
 */
import type { Dialect } from './dialect.js';
import type { DialectConnector, DialectEntry } from './registry-entry.js';
import { parsePostgresUrl } from './postgres/postgres-url.js';
import { parseSqliteUrl } from './sqlite/sqlite-url.js';

export type { DialectConnector, DialectEntry, UrlParts } from './registry-entry.js';

const registry: DialectEntry[] = [
  // NAMEDATALEN - 1: PostgreSQL cuts longer identifiers without an error.
  { id: 'postgresql', displayName: 'PostgreSQL', schemes: ['postgresql', 'postgres'], maxIdentifierBytes: 63, parseUrl: parsePostgresUrl, load: async () => (await import('./postgres/postgres-dialect.js')).postgresDialect, loadConnector: async () => (await import('./postgres/postgres-connector.js')).postgresConnector },
  { id: 'sqlite', displayName: 'SQLite', schemes: ['sqlite'], maxIdentifierBytes: null, parseUrl: parseSqliteUrl, load: async () => (await import('./sqlite/sqlite-dialect.js')).sqliteDialect, loadConnector: async () => (await import('./sqlite/sqlite-connector.js')).sqliteConnector },
];

/**
 * Adds a dialect at run time (a plugin, or a test's throw-away dialect); its schemes must be new. Returns a
 * function that removes it again.
 */
export function registerDialect(entry: DialectEntry): () => void {
  const taken = entry.schemes.find((s) => dialectForScheme(s) !== null);
  if (taken !== undefined || registry.some((e) => e.id === entry.id)) throw new Error(`dialect ${entry.id}: ${taken !== undefined ? `scheme ${taken}: is taken` : 'the id is taken'}`);
  registry.push(entry);
  return () => {
    const i = registry.indexOf(entry);
    if (i >= 0) registry.splice(i, 1);
  };
}

/** The dialect whose URLs start with `scheme:`, or null. */
export function dialectForScheme(scheme: string): DialectEntry | null {
  return registry.find((e) => e.schemes.includes(scheme)) ?? null;
}

/** Every registered scheme, for messages. */
export function registeredSchemes(): string[] {
  return registry.flatMap((e) => e.schemes);
}

/** The registry line of the dialect a parsed URL names. */
export function dialectEntry(id: string): DialectEntry {
  const entry = registry.find((e) => e.id === id);
  if (!entry) throw new Error(`internal: no dialect "${id}" is registered`);
  return entry;
}

/** Loads the dialect a parsed URL names. */
export function loadDialect(id: string): Promise<Dialect> {
  return dialectEntry(id).load();
}

/** Loads what reading the version table needs of the dialect a parsed URL names (DialectConnector). */
export function loadConnector(id: string): Promise<DialectConnector> {
  const entry = dialectEntry(id);
  return entry.loadConnector ? entry.loadConnector() : entry.load();
}

/**
 * The longest identifier every registered dialect keeps whole, and the dialect that sets it: one model serves
 * every dialect, so a name one of them would cut is refused whichever the project uses today.
 */
export function portableIdentifierLimit(): { bytes: number; dialect: string } | null {
  let limit: { bytes: number; dialect: string } | null = null;
  for (const e of registry) {
    if (e.maxIdentifierBytes !== null && (limit === null || e.maxIdentifierBytes < limit.bytes)) limit = { bytes: e.maxIdentifierBytes, dialect: e.displayName };
  }
  return limit;
}
