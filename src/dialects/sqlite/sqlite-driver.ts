/**
 * The SQLite driver: better-sqlite3 (synchronous) behind the async Connection
 * interface, opening errors turned into RetortErrors, and the migration lock.
 */
import { accessSync, constants as fsConstants, existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DatabaseUrl } from '../../config/url.js';
import { RetortError, messageOf } from '../../errors.js';
import type { ConnectOptions, Connection, LockOptions, ReleaseLock } from '../dialect.js';

/** How long a statement waits for another process's write lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

// better-sqlite3 refuses JS booleans and undefined as parameters.
function bindable(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === undefined) return null;
  return v;
}

/** A better-sqlite3 database behind the Connection interface; `filename` is what the lock is keyed on. */
export class SqliteConnection implements Connection {
  /**
   * While a migration runs, the text of every statement that may write (see sqlite-fk-scope.ts), for
   * the foreign-key check before COMMIT; null otherwise.
   */
  writes: string[] | null = null;

  constructor(readonly db: Database.Database, readonly filename: string) {}

  /** The statements noted since the last call, and a fresh log for the next ones; null when none is kept. */
  takeWrites(): string[] | null {
    const taken = this.writes;
    if (taken) this.writes = [];
    return taken;
  }

  async query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    let stmt: Database.Statement;
    try {
      stmt = this.db.prepare(sql);
    } catch (e) {
      // prepare() takes one statement; op.execute may pass a script, which exec() runs whole.
      if (params.length === 0 && /more than one statement/.test(messageOf(e))) {
        this.writes?.push(sql);
        this.db.exec(sql);
        return [];
      }
      throw e;
    }
    const args = params.map(bindable);
    if (stmt.reader) {
      // INSERT ... RETURNING reads and writes.
      if (this.writes && !/^\s*(SELECT|PRAGMA)\b/i.test(sql)) this.writes.push(sql);
      return stmt.all(...args) as R[];
    }
    this.writes?.push(sql);
    stmt.run(...args);
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
        hint: `create it (mkdir -p ${dir}) or fix the path in the database URL`,
      });
    }
    // A listing must not leave an empty database file behind (a mistyped name, a project not set up yet): a file
    // that does not exist has nothing applied, which an empty in-memory database says as well.
    if (opts.readOnly && !existsSync(filename)) return new SqliteConnection(new Database(':memory:'), filename);
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(filename, { timeout: BUSY_TIMEOUT_MS });
    // better-sqlite3 opens lazily: reading the schema is what finds a file that is not a database.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return new SqliteConnection(db, filename);
  } catch (e) {
    db?.close();
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB') {
      throw new RetortError('CONNECTION', `cannot open SQLite database "${url.masked}": the file is not a database`, {
        hint: 'check that the URL names your database file and not another file',
        cause: e,
      });
    }
    throw new RetortError('CONNECTION', `cannot open SQLite database "${url.masked}": ${messageOf(e)}`, {
      hint: 'check that the file and its folder are readable and writable by this user',
      cause: e,
    });
  }
}

/** A private in-memory database, for offline runs that replay earlier revisions. */
export function openMemory(): SqliteConnection {
  return new SqliteConnection(new Database(':memory:'), ':memory:');
}

function realFile(filename: string): string {
  try {
    return realpathSync(filename);
  } catch {
    return path.resolve(filename);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The migration lock. SQLite has no advisory locks, and holding a write
 * transaction on the database itself for a whole run would block the runner's
 * own per-migration transactions, so a second connection holds `BEGIN
 * IMMEDIATE` (SQLite's single write lock) on a separate lock file next to the
 * database, `<db>.<key>.retort-lock`. Other processes poll it until timeoutMs.
 * The lock dies with the process, so a crash never leaves it stuck.
 */
export async function lockSqlite(conn: Connection, options: LockOptions): Promise<ReleaseLock> {
  const filename = conn instanceof SqliteConnection ? conn.filename : ':memory:';
  // An in-memory database belongs to one connection: nobody else can migrate it.
  if (filename === ':memory:' || filename === '') return async () => {};
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
  // Named after the file itself, not the path given: two URLs that reach one file (a symbolic link, `..`) share one lock.
  const lockFile = `${realFile(filename)}.${options.key}.retort-lock`;
  let lockDb: Database.Database;
  try {
    lockDb = new Database(lockFile, { timeout: 0 });
  } catch (e) {
    throw new RetortError('LOCK', `cannot open the lock file ${lockFile}: ${messageOf(e)}`, { hint: 'Retort needs write access to the database folder', cause: e });
  }
  const deadline = Date.now() + options.timeoutMs;
  let warned = false;
  for (;;) {
    try {
      lockDb.exec('BEGIN IMMEDIATE');
      break;
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'SQLITE_BUSY') {
        lockDb.close();
        throw new RetortError('LOCK', `cannot take the lock ${lockFile}: ${messageOf(e)}`, { cause: e });
      }
      if (!warned) { warned = true; options.onWait?.(null); }
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
