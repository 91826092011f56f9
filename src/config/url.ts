/**
 * Database URLs. Accepts what Alembic users already have in their settings:
 * `postgresql+psycopg2://` and `sqlite+aiosqlite:///` included (the driver part
 * is ignored), and masks the password wherever a URL is shown.
 */
import path from 'node:path';
import { RetortError } from '../errors.js';

export type DialectId = 'postgresql' | 'sqlite';

export interface DatabaseUrl {
  readonly dialect: DialectId;
  /** The URL as given. */
  readonly raw: string;
  /** The URL with any password replaced by ***, for messages. */
  readonly masked: string;
  /** PostgreSQL: a connection string the `pg` driver accepts. */
  readonly connectionString?: string;
  /** SQLite: an absolute file path, or ":memory:". */
  readonly filename?: string;
}

/** Replaces the password of a URL-shaped string with ***. */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z0-9+.-]+:\/\/[^:/@?#]*:)([^@/?#]*)@/i, (_m, head: string) => `${head}***@`);
}

/** Parses a database URL; relative SQLite paths resolve against `baseDir` (the config file's folder). */
export function parseDatabaseUrl(raw: string, baseDir: string): DatabaseUrl {
  const url = raw.trim();
  const masked = maskUrl(url);
  const m = /^([a-z][a-z0-9]*)(\+[a-z0-9_]+)?:(.*)$/i.exec(url);
  if (!m) {
    throw new RetortError('URL', `database URL "${masked}" is not a URL`, {
      hint: 'write it as postgresql://user:pass@host:5432/db or sqlite:///relative/path.db',
    });
  }
  const scheme = m[1]!.toLowerCase();
  const rest = m[3]!;
  if (scheme === 'postgres' || scheme === 'postgresql') {
    if (!rest.startsWith('//')) {
      throw new RetortError('URL', `database URL "${masked}" is malformed: expected postgresql://user:pass@host:port/db`);
    }
    const connectionString = `postgresql:${rest}`;
    let parsed: URL;
    try {
      parsed = new URL(connectionString);
    } catch {
      throw new RetortError('URL', `database URL "${masked}" is malformed: expected postgresql://user:pass@host:port/db`);
    }
    if (parsed.port !== '' && !/^\d+$/.test(parsed.port)) {
      throw new RetortError('URL', `database URL "${masked}" has an invalid port`);
    }
    return { dialect: 'postgresql', raw: url, masked, connectionString };
  }
  if (scheme === 'sqlite') {
    return { dialect: 'sqlite', raw: url, masked, filename: sqliteFilename(rest, baseDir, masked) };
  }
  throw new RetortError('URL', `database URL "${masked}" has an unknown scheme "${scheme}:"`, {
    hint: 'Retort speaks postgresql:// and sqlite:',
  });
}

function sqliteFilename(rest: string, baseDir: string, masked: string): string {
  // sqlite::memory:, sqlite://:memory: and sqlite:// (SQLAlchemy's in-memory spelling)
  if (rest === ':memory:' || rest === '//:memory:' || rest === '///:memory:' || rest === '//' || rest === '') return ':memory:';
  let file: string;
  if (rest.startsWith('////')) file = rest.slice(3); // sqlite:////abs/path.db
  else if (rest.startsWith('///')) file = rest.slice(3); // sqlite:///relative.db
  else if (rest.startsWith('//')) {
    throw new RetortError('URL', `database URL "${masked}" is malformed: use sqlite:///relative.db or sqlite:////absolute/path.db`);
  } else file = rest; // sqlite:./app.db, sqlite:app.db, sqlite:/abs.db
  const q = file.indexOf('?');
  if (q >= 0) file = file.slice(0, q);
  if (file === '') throw new RetortError('URL', `database URL "${masked}" names no file`);
  return path.isAbsolute(file) ? file : path.resolve(baseDir, file);
}
