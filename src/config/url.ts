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

/**
 * Masks every credential a database URL can carry, in any spelling: the password of `scheme://user:password@host`
 * (the user information runs up to the last `@`, since a password may hold an unencoded `@`, `/`, `?` or `#`), the
 * value of a query parameter that names a password (`password=`, `sslpassword=`, the client key's passphrase), and
 * `password=` in a libpq `key=value` string. Masks too much rather than too little.
 */
export function maskUrl(url: string): string {
  const text = url.trim();
  if (KEY_VALUE.test(text)) return text.replace(KEY_VALUE_PASSWORD, '$1***');
  const span = passwordSpan(text);
  const withoutPassword = span ? `${text.slice(0, span.start)}***${text.slice(span.end)}` : text;
  return replaceSecretParameters(withoutPassword, () => '***');
}

/** A libpq connection string of `keyword=value` pairs (`host=db password=...`), which Retort does not read. */
const KEY_VALUE = /^[a-z_]+\s*=/i;
/** A password-like keyword of such a string and its value, plain or quoted. */
const KEY_VALUE_PASSWORD = /(\b[a-z_]*pass[a-z_]*\s*=\s*)('(?:[^'\\]|\\.)*'?|\S*)/gi;

/**
 * Where the password of a `scheme://user:password@host` URL is: from the first `:` after `//` to the last `@`
 * (a password may hold an unencoded `@`, `/`, `?` or `#`). Null when there is none.
 */
function passwordSpan(text: string): { start: number; end: number } | null {
  const head = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0].length;
  if (head === undefined) return null;
  const at = text.lastIndexOf('@');
  const colon = text.indexOf(':', head);
  return colon >= 0 && colon < at ? { start: colon + 1, end: at } : null;
}

/** Whether a query parameter's value is a secret: libpq's password and sslpassword, or any name that says pass. */
function isSecretParameter(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    // A malformed escape: judge the name as written.
  }
  return /pass/i.test(decoded);
}

/**
 * `text` with the value of each secret query parameter (from its first `?` on, so also one a password's unencoded
 * `?` seems to start, and one before an `@` in a parameter) replaced by what `replace` returns for it.
 */
function replaceSecretParameters(text: string, replace: (value: string) => string): string {
  const q = text.indexOf('?');
  if (q < 0) return text;
  const pairs = text.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq >= 0 && isSecretParameter(pair.slice(0, eq)) ? `${pair.slice(0, eq + 1)}${replace(pair.slice(eq + 1))}` : pair;
  });
  return `${text.slice(0, q + 1)}${pairs.join('&')}`;
}

/**
 * The secrets a database URL holds (its password and password parameters), as written and decoded, for
 * scrubbing them out of a driver's messages. Secrets shorter than three characters are left out: replacing
 * them wherever they occur would garble the message without protecting anything.
 */
export function urlSecrets(raw: string): string[] {
  const text = raw.trim();
  const found: string[] = [];
  if (KEY_VALUE.test(text)) {
    for (const m of text.matchAll(KEY_VALUE_PASSWORD)) found.push(m[2]!.replace(/^'|'$/g, ''));
  } else {
    const span = passwordSpan(text);
    if (span) found.push(text.slice(span.start, span.end));
    replaceSecretParameters(text, (value) => {
      found.push(value);
      return value;
    });
  }
  const decoded = found.map((s) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  });
  return [...new Set([...found, ...decoded])].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
}

/** Replaces every secret of `url` that occurs in `text` (a driver's message, a stack) with ***. */
export function hideSecrets(text: string, url: Pick<DatabaseUrl, 'raw' | 'masked'>): string {
  let out = url.raw !== '' ? text.split(url.raw).join(url.masked) : text;
  for (const secret of urlSecrets(url.raw)) out = out.split(secret).join('***');
  return out;
}

/**
 * How a URL that cannot be read is named in messages: its scheme and host, never the rest (a password with an
 * unencoded character is what usually makes a URL unreadable, and the message must not print it).
 */
function unreadable(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:)(\/\/)?([\s\S]*)$/i.exec(url);
  if (!m || KEY_VALUE.test(url)) return '<unparseable URL>';
  const afterAt = m[3]!.slice(m[3]!.lastIndexOf('@') + 1);
  const host = /^(?:[\w.-]+|\[[0-9a-f:.]+\])(?::\d+)?/i.exec(afterAt)?.[0] ?? '';
  return `${m[1]}${m[2] ?? ''}${host !== '' && m[2] ? `${host}/...` : '...'} (the rest is not shown)`;
}

/**
 * Parses a database URL; relative SQLite paths resolve against `baseDir` (the config file's folder).
 * PostgreSQL's SSL parameters fall back to libpq's variables (PGSSLMODE, PGSSLROOTCERT, PGSSLCERT,
 * PGSSLKEY) in `env`, as psql's do. `origin` says where the URL came from (--url, a variable, the config
 * file), for the message about an empty one.
 */
export function parseDatabaseUrl(raw: string, baseDir: string, env: Readonly<Record<string, string | undefined>> = process.env, origin?: string): DatabaseUrl {
  const url = raw.trim();
  if (url === '') throw emptyUrl(origin);
  const masked = maskUrl(url);
  const m = /^([a-z][a-z0-9]*)(\+[a-z0-9_]+)?:(.*)$/is.exec(url);
  if (!m || KEY_VALUE.test(url)) {
    throw new RetortError('URL', `the database URL${origin === undefined ? '' : ` (from ${origin})`} is not a URL (not shown: it may hold a password)`, {
      hint: 'write it as postgresql://user:pass@host:5432/db or sqlite:///relative/path.db (libpq key=value strings are not read)',
    });
  }
  const scheme = m[1]!.toLowerCase();
  const rest = m[3]!;
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const malformed = () =>
      new RetortError('URL', `database URL ${unreadable(url)} is malformed: expected postgresql://user:pass@host:port/db`, {
        hint: 'percent-encode @ / ? # : in the user and password (%40 %2F %3F %23 %3A) and @ in parameters',
      });
    if (!rest.startsWith('//')) throw malformed();
    // The user and password run up to the last @ (as the URL parser reads them); a / ? or # among them would
    // make the parser take part of the password for the host or the path, and the driver print it.
    if (/[/?#]/.test(rest.slice(2, Math.max(rest.lastIndexOf('@'), 2)))) throw malformed();
    const connectionString = `postgresql:${rest}`;
    let parsed: URL;
    try {
      parsed = new URL(connectionString);
    } catch {
      throw malformed();
    }
    if (parsed.port !== '' && !/^\d+$/.test(parsed.port)) throw malformed();
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

/** The error for an empty URL: what an unset variable leaves in `--url "$DATABASE_URL"` or DATABASE_URL=. */
function emptyUrl(source: string | undefined): RetortError {
  const from = source === undefined ? '' : ` (from ${source})`;
  return new RetortError(source === '--url' ? 'USAGE' : 'URL', `the database URL${from} is empty`, {
    hint: source === '--url' ? 'give --url a URL (is the variable it was given unset?), or leave --url out to use the configured one' : 'set it to a URL, or unset it to use the next source (--url, RETORT_DATABASE_URL, DATABASE_URL, the config)',
  });
}

function sqliteFilename(rest: string, baseDir: string, masked: string): string {
  // An in-memory database only when named: `sqlite:` and `sqlite://` (SQLAlchemy's spelling) are also what an unset
  // variable leaves in `sqlite:$FILE`, and a migration run on a database that vanishes would report success.
  if (rest === ':memory:' || rest === '//:memory:' || rest === '///:memory:') return ':memory:';
  if (rest === '' || rest === '//' || rest === '///') {
    throw new RetortError('URL', `database URL "${masked}" names no database file`, {
      hint: 'write sqlite:///relative/path.db, or sqlite::memory: for a throwaway in-memory database',
    });
  }
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
