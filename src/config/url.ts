/**
 * Database URLs. Accepts what Alembic users already have in their settings:
 * `postgresql+psycopg2://` and `sqlite+aiosqlite:///` included (the driver part
 * is ignored), and `?sslmode=` as libpq reads it; masks the password wherever a URL is shown.
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

/**
 * The query parameters Retort takes over from pg when an sslmode is given: pg reads sslmode as
 * `verify-full` (printing a SECURITY WARNING) and fails where libpq falls back to a plain connection.
 */
const SSL_PARAMETERS = new Set(['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'sslnegotiation', 'ssl', 'uselibpqcompat']);

/**
 * Reads an sslmode, from a URL or from PGSSLMODE (`source` names which), as libpq does; an unknown
 * value is an error rather than a guess, since a guess could connect with weaker security than meant.
 */
export function parseSslMode(value: string, source: string): SslMode {
  if (value === 'no-verify') return 'require';
  const mode = SSL_MODES.find((m) => m === value);
  if (mode === undefined) {
    throw new RetortError('URL', `${source} has an unknown sslmode "${value}" (accepted: ${SSL_MODES.join(', ')}, no-verify)`, {
      hint: 'prefer is what psql and libpq use when no sslmode is given',
    });
  }
  return mode;
}

/** Replaces the password of a URL-shaped string with ***. */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z0-9+.-]+:\/\/[^:/@?#]*:)([^@/?#]*)@/i, (_m, head: string) => `${head}***@`);
}

/**
 * Parses a database URL; relative SQLite paths resolve against `baseDir` (the config file's folder).
 * PostgreSQL's SSL parameters fall back to libpq's variables (PGSSLMODE, PGSSLROOTCERT, PGSSLCERT,
 * PGSSLKEY) in `env`, as psql's do.
 */
export function parseDatabaseUrl(raw: string, baseDir: string, env: Readonly<Record<string, string | undefined>> = process.env): DatabaseUrl {
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
    const param = (name: string) => parsed.searchParams.get(name) ?? env[`PG${name.toUpperCase()}`] ?? undefined;
    const sslmode = param('sslmode');
    if (sslmode === undefined) return { dialect: 'postgresql', raw: url, masked, connectionString };
    // Where a setting came from, for messages: the URL, or libpq's variable.
    const source = (name: string) => (parsed.searchParams.has(name) ? `database URL "${masked}"` : `PG${name.toUpperCase()}`);
    const mode = parseSslMode(sslmode, source('sslmode'));
    const given = param('sslnegotiation');
    if (given !== undefined && given !== 'postgres' && given !== 'direct') {
      throw new RetortError('URL', `${source('sslnegotiation')} has an unknown sslnegotiation "${given}" (accepted: postgres, direct)`);
    }
    const negotiation: SslSettings['negotiation'] = given;
    // As libpq: a direct TLS start leaves no plain connection to fall back to or begin with.
    if (negotiation === 'direct' && (mode === 'disable' || mode === 'allow' || mode === 'prefer')) {
      throw new RetortError('URL', `${source('sslnegotiation')} has sslnegotiation=direct with the weak sslmode "${mode}" (from ${source('sslmode')})`, {
        hint: 'use sslmode=require, verify-ca or verify-full with sslnegotiation=direct',
      });
    }
    const ssl: SslSettings = { mode, rootCert: param('sslrootcert'), cert: param('sslcert'), key: param('sslkey'), negotiation };
    return { dialect: 'postgresql', raw: url, masked, connectionString: withoutParameters(connectionString, SSL_PARAMETERS), ssl };
  }
  if (scheme === 'sqlite') {
    return { dialect: 'sqlite', raw: url, masked, filename: sqliteFilename(rest, baseDir, masked) };
  }
  throw new RetortError('URL', `database URL "${masked}" has an unknown scheme "${scheme}:"`, {
    hint: 'Retort speaks postgresql:// and sqlite:',
  });
}

/** Drops the named query parameters, leaving the rest of the URL exactly as written. */
function withoutParameters(connectionString: string, names: ReadonlySet<string>): string {
  const q = connectionString.indexOf('?');
  if (q < 0) return connectionString;
  const hash = connectionString.indexOf('#', q);
  const end = hash < 0 ? connectionString.length : hash;
  const kept = connectionString
    .slice(q + 1, end)
    .split('&')
    .filter((pair) => pair !== '' && !names.has([...new URLSearchParams(pair).keys()][0] ?? ''));
  return `${connectionString.slice(0, q)}${kept.length > 0 ? `?${kept.join('&')}` : ''}${connectionString.slice(end)}`;
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
