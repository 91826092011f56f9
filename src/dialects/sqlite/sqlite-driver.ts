/**
 * The SQLite driver: better-sqlite3 (synchronous) behind the async Connection
 * interface, opening errors turned into RetortErrors, waits for other
 * connections' locks on the file, and the migration lock.
 */
import { accessSync, closeSync, constants as fsConstants, existsSync, openSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { lockWaitInterrupted, type DatabaseUrl } from '../contract/driver.js';
import { inReadTransaction } from '../read-transaction.js';
import { RetortError, isRetortError, messageOf } from '../../errors.js';
import type { ConnectOptions, Connection, LockOptions, ReleaseLock } from '../dialect.js';

// Drivers are CommonJS packages, never bundled: Node's own `require` in the quick path's CommonJS bundle
// (dist/quick.cjs, where `import.meta` is empty), one made for this module in the ES module builds (dist/src/ and
// dist/bundle/, where esbuild's stand-in for `require` would throw). (Each driver spells this line itself: a module
// of its own would be one more on every command that reaches a database.)
const requireDriver: NodeJS.Require = import.meta.url ? createRequire(import.meta.url) : require;

/** How long a statement waits for another connection's lock on the file when the command gives no --lock-timeout. */
export const BUSY_TIMEOUT_MS = 5000;
/**
 * How long SQLite itself waits for such a lock before returning SQLITE_BUSY; Retort then sleeps and tries
 * again until the timeout. SQLite's wait blocks the process, so a short one keeps Ctrl-C heard.
 */
const BUSY_SLICE_MS = 100;

// better-sqlite3 refuses JS booleans and undefined as parameters.
function bindable(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === undefined) return null;
  return v;
}

// Required on the first open, not when the module loads (the dialect's compiler and the quick path load it too).
let betterSqliteMemo: typeof Database | null = null;
const betterSqlite = (): typeof Database => (betterSqliteMemo ??= requireDriver('better-sqlite3') as typeof Database);

const isBusy = (e: unknown) => /^SQLITE_BUSY/.test(String((e as { code?: unknown }).code ?? ''));

/** The error for a database another connection kept locked for the whole timeout. */
function lockedError(timeoutMs: number, cause: unknown): RetortError {
  return new RetortError('LOCK', `the database is locked by another connection (still locked after ${timeoutMs / 1000} s); retry, or raise --lock-timeout`, {
    hint: 'another program holds a lock on the database file (an open write transaction): let it finish, or stop it while migrating',
    cause,
  });
}

/** A better-sqlite3 database behind the Connection interface; `filename` is what the lock is keyed on. */
export class SqliteConnection implements Connection {
  /**
   * While a migration runs, the text of every statement that may write (see sqlite-fk-scope.ts), for
   * the foreign-key check before COMMIT; null otherwise.
   */
  writes: string[] | null = null;

  /** Set by cancel() (Ctrl-C): a statement waiting for another connection's lock stops waiting. */
  private cancelled = false;

  constructor(readonly db: Database.Database, readonly filename: string, readonly busyTimeoutMs = BUSY_TIMEOUT_MS) {}

  /** The statements noted since the last call, and a fresh log for the next ones; null when none is kept. */
  takeWrites(): string[] | null {
    const taken = this.writes;
    if (taken) this.writes = [];
    return taken;
  }

  async query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.whileBusy(sql, () => this.run<R>(sql, params));
  }

  /**
   * Runs `attempt` until it is no longer refused for another connection's lock, or the timeout. Only where SQLite
   * allows a retry: outside a transaction (BEGIN IMMEDIATE is one) and COMMIT; inside one, the error stands.
   */
  async whileBusy<T>(sql: string, attempt: () => T): Promise<T> {
    const deadline = Date.now() + this.busyTimeoutMs;
    for (;;) {
      try {
        return attempt();
      } catch (e) {
        if (!isBusy(e) || (this.db.inTransaction && !/^\s*COMMIT\b/i.test(sql))) throw e;
        if (this.cancelled || Date.now() >= deadline) throw lockedError(this.busyTimeoutMs, e);
        await sleep(50);
      }
    }
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
  }

  private run<R>(sql: string, params: readonly unknown[]): R[] {
    let stmt: Database.Statement;
    try {
      stmt = this.db.prepare(sql);
    } catch (e) {
      // prepare() takes one statement; op.execute may pass a script, which exec() runs whole.
      if (params.length === 0 && /more than one statement/.test(messageOf(e))) {
        this.db.exec(sql);
        this.writes?.push(sql);
        return [];
      }
      throw e;
    }
    const args = params.map(bindable);
    if (stmt.reader) {
      // INSERT ... RETURNING reads and writes.
      const rows = stmt.all(...args) as R[];
      if (this.writes && !/^\s*(SELECT|PRAGMA)\b/i.test(sql)) this.writes.push(sql);
      return rows;
    }
    stmt.run(...args);
    this.writes?.push(sql);
    return [];
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Opens a SQLite database file (or ":memory:"); failures become RetortError('CONNECTION') naming the masked URL. */
export async function connectSqlite(url: DatabaseUrl, opts: ConnectOptions = {}): Promise<SqliteConnection> {
  const filename = url.filename ?? ':memory:';
  if (filename !== ':memory:') {
    const dir = path.dirname(filename);
    if (!existsSync(dir)) {
      throw new RetortError('CONNECTION', `cannot open SQLite database "${url.masked}": the folder ${dir} does not exist`, {
        hint: `create it (mkdir -p ${shellWord(dir)}) or fix the path in the database URL`,
      });
    }
    // A command that only reads must not leave an empty database file behind (a mistyped name, a project not set up
    // yet): a file that does not exist has nothing applied, which an empty in-memory database says as well.
    if (opts.readOnly && !existsSync(filename)) {
      if (opts.mustExist) {
        throw new RetortError('CONNECTION', `cannot open SQLite database "${url.masked}": the file ${filename} does not exist`, {
          hint: 'fix the path in the database URL (sqlite:///relative.db, sqlite:////absolute/path.db)',
        });
      }
      return new SqliteConnection(new (betterSqlite())(':memory:'), filename);
    }
  }
  let db: Database.Database | undefined;
  try {
    db = new (betterSqlite())(filename, { timeout: BUSY_SLICE_MS });
    const conn = new SqliteConnection(db, filename, opts.lockTimeoutMs ?? BUSY_TIMEOUT_MS);
    // better-sqlite3 opens lazily: reading the schema is what finds a file that is not a database (or one locked).
    await conn.whileBusy('SELECT', () => db!.prepare('SELECT count(*) FROM sqlite_master').get());
    return conn;
  } catch (e) {
    db?.close();
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB') {
      throw new RetortError('CONNECTION', `cannot open SQLite database "${url.masked}": the file is not a database`, {
        hint: 'check that the URL names your database file and not another file',
        cause: e,
      });
    }
    // Locked is not unreadable: the message and hint of lockedError say what to do.
    if (isRetortError(e)) throw new RetortError(e.code, `cannot open SQLite database "${url.masked}": ${e.message}`, { ...(e.hint ? { hint: e.hint } : {}), cause: e });
    throw new RetortError('CONNECTION', `cannot open SQLite database "${url.masked}": ${messageOf(e)}`, {
      hint: 'check that the file and its folder are readable and writable by this user',
      cause: e,
    });
  }
}

/** A private in-memory database, for offline runs that replay earlier revisions. */
export function openMemory(): SqliteConnection {
  return new SqliteConnection(new (betterSqlite())(':memory:'), ':memory:');
}

function realFile(filename: string): string {
  try {
    return realpathSync(filename);
  } catch {
    return path.resolve(filename);
  }
}

/**
 * The lock file for a database: in the file's real folder, named after its inode, so every path that reaches the
 * file (a symbolic link, `..`, a hard link in the same folder) names one lock. The device is left out: hard links
 * share the folder's device anyway, and a network volume reports a different one on each machine that mounts it.
 */
export function lockFileFor(filename: string, key: string): string {
  const real = realFile(filename);
  return path.join(path.dirname(real), `.${statSync(real).ino}.${key}.retort-lock`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A path as one shell word, quoted when it holds anything a shell would split or expand. */
function shellWord(p: string): string {
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

/**
 * The migration lock. SQLite has no advisory locks, and holding a write
 * transaction on the database itself for a whole run would block the runner's
 * own per-migration transactions, so a second connection holds `BEGIN
 * IMMEDIATE` (SQLite's single write lock) on a separate lock file beside the
 * database (lockFileFor). Other processes poll it until timeoutMs.
 * The lock dies with the process, so a crash never leaves it stuck.
 */
export async function lockSqlite(conn: Connection, options: LockOptions): Promise<ReleaseLock> {
  const filename = conn instanceof SqliteConnection ? conn.filename : ':memory:';
  // An in-memory database belongs to one connection: nobody else can migrate it.
  // An in-memory stand-in for a file not created yet (a read-only command's, connectSqlite) has nothing to lock either.
  if (filename === ':memory:' || filename === '' || !existsSync(filename)) return async () => {};
  // Every command that takes the lock writes: say so now, rather than in the middle of the first migration.
  for (const target of [filename, path.dirname(filename)]) {
    try {
      accessSync(target, fsConstants.W_OK);
    } catch (e) {
      throw new RetortError('CONNECTION', `SQLite database ${filename} is read-only for this user (${(e as { code?: string }).code ?? 'no write access'} on ${target})`, {
        hint: 'give this user write access to the database file and its folder',
      });
    }
  }
  return takeLockFile(filename, lockFileFor(filename, options.key), options, true);
}

const noLock: ReleaseLock = async () => {};

/**
 * Makes sure the lock file is a plain file before SQLite opens it (which follows symbolic links): created, or opened,
 * without following a link (O_NOFOLLOW), so a link planted at the lock's name in a shared folder (another user's,
 * pointing at /etc/nologin) is an error naming it, never a file created where it points as the user running retort.
 */
function ownLockFile(lockFile: string): void {
  let fd: number;
  try {
    fd = openSync(lockFile, fsConstants.O_RDWR | fsConstants.O_CREAT | (fsConstants.O_NOFOLLOW ?? 0), 0o644);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') {
      throw new RetortError('LOCK', `the lock file ${lockFile} is a symbolic link, not a lock file Retort made`, { hint: `remove it (rm ${shellWord(lockFile)}) and run the command again`, cause: e });
    }
    throw e;
  }
  closeSync(fd);
}

/**
 * Holds `BEGIN IMMEDIATE` on the lock file, polling until the timeout. Unless `required`, a lock file that cannot
 * be opened or written (a read-only folder, where nobody can migrate through it either) means no lock, not an error.
 */
async function takeLockFile(filename: string, lockFile: string, options: LockOptions, required: boolean): Promise<ReleaseLock> {
  let lockDb: Database.Database;
  try {
    ownLockFile(lockFile);
    lockDb = new (betterSqlite())(lockFile, { timeout: 0 });
  } catch (e) {
    if (isRetortError(e)) throw e; // a link at the lock's name: never ignored
    if (!required) return noLock;
    throw new RetortError('LOCK', `cannot open the lock file ${lockFile}: ${messageOf(e)}`, { hint: 'Retort needs write access to the database folder', cause: e });
  }
  const deadline = Date.now() + options.timeoutMs;
  let warned = false;
  for (;;) {
    try {
      lockDb.exec('BEGIN IMMEDIATE');
      break;
    } catch (e) {
      if (!isBusy(e)) {
        lockDb.close();
        if (!required) return noLock;
        throw new RetortError('LOCK', `cannot take the lock ${lockFile}: ${messageOf(e)}`, { cause: e });
      }
      if (!warned) { warned = true; options.onWait?.(null); }
      if (options.interrupted?.() === true) {
        lockDb.close();
        throw lockWaitInterrupted();
      }
      if (Date.now() >= deadline) {
        lockDb.close();
        throw new RetortError('LOCK', `another Retort process has held the migration lock on ${filename} for ${options.timeoutMs} ms`, {
          hint: `wait for it to finish; if no Retort process is running, another program holds ${lockFile} open`,
        });
      }
      await sleep(100);
    }
  }
  return async () => {
    if (!lockDb.open) return;
    try { lockDb.exec('ROLLBACK'); } finally { lockDb.close(); }
  };
}

/**
 * Runs `read` in one read transaction, once no migration holds the lock. The lock is held until the read ends
 * (readers queue behind each other for that short time: SQLite's lock has no shared form that a writer waits
 * for).
 */
export async function readSnapshotSqlite<T>(conn: Connection, options: LockOptions, read: () => Promise<T>): Promise<T> {
  const filename = conn instanceof SqliteConnection ? conn.filename : ':memory:';
  // A database that exists only in memory (`:memory:`, or a listing of a file not created yet) has no lock file.
  const release = !existsSync(filename) ? noLock : await takeLockFile(filename, lockFileFor(filename, options.key), options, false);
  try {
    return await inReadTransaction(conn, 'BEGIN', read);
  } finally {
    await release();
  }
}
