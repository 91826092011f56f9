/** What a dialect registers: the facts core may know without loading it, its URL reader, and its loader. */
import type { DatabaseUrl } from './contract/driver.js';
import type { Dialect } from './dialect.js';

/** A database URL cut at its scheme, with what a dialect's URL reader needs to finish it. */
export interface UrlParts {
  /** The whole URL, trimmed. */
  readonly url: string;
  /** What follows `scheme:` (and a driver suffix such as `+psycopg2`). */
  readonly rest: string;
  /** The URL with its credentials masked, for messages. */
  readonly masked: string;
  /** The scheme and host only, for a URL too broken to mask reliably. */
  readonly unreadable: string;
  /** The folder relative file paths resolve against (the config file's). */
  readonly baseDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * What reading the version table needs of a dialect: connecting, the schema set-up, the table check and quoting,
 * without its compiler, planner or schema reader (`current` loads only this).
 */
export type DialectConnector = Pick<Dialect, 'displayName' | 'defaultSchema' | 'quoteIdentifier' | 'connect' | 'schemaSetup' | 'tableExists' | 'existingTables'>;

/** One line of the registry. */
export interface DialectEntry {
  /** The dialect's id, as DatabaseUrl.dialect names it. */
  readonly id: string;
  /** Its name for people. */
  readonly displayName: string;
  /** The URL schemes it takes, lower case (`postgresql`, `postgres`). */
  readonly schemes: readonly string[];
  /** The longest identifier it keeps whole, in bytes; null: no limit. */
  readonly maxIdentifierBytes: number | null;
  /** Reads a URL of one of its schemes (cheap: no driver is loaded). */
  parseUrl(parts: UrlParts): DatabaseUrl;
  /** Imports the dialect, and so its driver. */
  load(): Promise<Dialect>;
  /** Imports only its connector (the whole dialect, through `load`, when it has none). */
  loadConnector?(): Promise<DialectConnector>;
}
