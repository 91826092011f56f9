/**
 * DriverPart answers how to reach a database and hold it: connecting (and a private scratch database for
 * offline runs), the session settings Retort relies on, the migration lock, and one consistent read.
 */
import { RetortError } from '../../errors.js';
import type { Connection, Statement } from './connection.js';

/** A database URL as a dialect parsed it: which dialect, the text as given and masked, and the dialect's settings. */
export interface DatabaseUrl {
  readonly dialect: string;
  /** The URL as given. */
  readonly raw: string;
  /** The URL with any password replaced by ***, for messages. */
  readonly masked: string;
  /** PostgreSQL: a connection string the `pg` driver accepts (without the SSL parameters when `ssl` is set). */
  readonly connectionString?: string;
  /** PostgreSQL: the sslmode and certificate files, when the URL or PGSSLMODE names an sslmode. */
  readonly ssl?: SslSettings;
  /** SQLite: an absolute file path, or ":memory:". */
  readonly filename?: string;
}

/** libpq's sslmode values, weakest first; `no-verify` (pg's spelling) is read as `require`. */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** SslSettings are libpq's SSL parameters; the driver turns them into connection attempts. */
export interface SslSettings {
  readonly mode: SslMode;
  /** sslrootcert: a file of trusted root certificates, or "system" for the system's trusted roots. */
  readonly rootCert?: string;
  /** sslcert and sslkey: a client certificate and its key, for servers that ask for one. */
  readonly cert?: string;
  readonly key?: string;
  /** sslnegotiation: "direct" starts TLS at once instead of asking the server first (PostgreSQL 17). */
  readonly negotiation?: 'postgres' | 'direct';
}

/** A released lock. */
export type ReleaseLock = () => Promise<void>;

export interface LockOptions {
  /** Identifies the lock (the version table's name): two runs with the same key exclude each other. */
  readonly key: string;
  readonly timeoutMs: number;
  /** Called once when the lock is held by someone else, with who holds it where the database can tell. */
  readonly onWait?: (holder: string | null) => void;
  /** True once the run is interrupted (Ctrl-C, SIGTERM, an aborted signal): the wait stops with INTERRUPTED. */
  readonly interrupted?: () => boolean;
}

/** The error of a run interrupted while it waited for the migration lock: nothing was run. */
export function lockWaitInterrupted(): RetortError {
  return new RetortError('INTERRUPTED', 'interrupted while waiting for the migration lock; nothing was run', { exitCode: 130 });
}

/** How a command connects: `readOnly` for commands that only read (`current`, `history -i`/`-v`). */
export interface ConnectOptions {
  readonly readOnly?: boolean;
  /** With `readOnly`: a database that does not exist is an error, not an empty database (pull adopts what is there). */
  readonly mustExist?: boolean;
  /**
   * How long a statement waits for a lock another connection holds on the database itself (SQLite's file lock,
   * taken by any program that writes to it), in ms: the command's --lock-timeout. Absent: the dialect's default.
   */
  readonly lockTimeoutMs?: number;
}

/** A database Retort created for one run of `retort verify`, and how to get rid of it. */
export interface ScratchDatabase {
  /** Its URL, connected to as to any other (the configured URL's credentials and settings). */
  readonly url: string;
  /** The URL with any password masked, for messages. */
  readonly masked: string;
  /** Drops the database (removes the file); called once, after every connection to it is closed. */
  drop(): Promise<void>;
}

export interface DriverPart {
  /**
   * Opens a connection; throws RetortError('CONNECTION') naming the masked URL on failure. With `readOnly`
   * (`current`, `history -i`/`-v`) a database that does not exist yet is not created: it reads as empty.
   */
  connect(url: DatabaseUrl, opts?: ConnectOptions): Promise<Connection>;
  /**
   * A private scratch database of this dialect, for offline (`--sql`) runs of dialects whose
   * compiler needs a catalog: the runner replays earlier revisions on it. Null where not needed.
   */
  openScratch(): Promise<Connection | null>;
  /**
   * Creates an empty database of this dialect beside the one `url` names (PostgreSQL: a uniquely named database on
   * the same server, with the same credentials; SQLite: a file in a fresh temporary folder), with `schema` in it
   * when given, for `verify` to migrate up and down. The caller drops it.
   */
  createScratchDatabase(url: DatabaseUrl, opts: { readonly schema?: string | undefined }): Promise<ScratchDatabase>;
  /**
   * Session settings the SQL Retort writes relies on, whatever the server's defaults (PostgreSQL:
   * standard_conforming_strings on). The driver makes them when it connects; a --sql script begins with them.
   */
  readonly sessionSetup?: readonly Statement[];
  /** Takes the database-wide migration lock, waiting up to `timeoutMs`. */
  lock(conn: Connection, options: LockOptions): Promise<ReleaseLock>;
  /**
   * Runs `read` on one read-only snapshot of the database: the version table and the whole catalog as one
   * moment left them. Waits first, as lock() does, for a migration in progress (taking the migration lock in a
   * shared form where the database has one), so autogenerate and check never read a run half-way through.
   */
  readSnapshot<T>(conn: Connection, options: LockOptions, read: () => Promise<T>): Promise<T>;
}
