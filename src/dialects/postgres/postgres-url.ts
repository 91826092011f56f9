/**
 * PostgreSQL URLs: `postgresql://` and `postgres://` (a driver suffix such as `+psycopg2` is ignored), with
 * `?sslmode=` and its companions read as libpq reads them, falling back to libpq's variables (PGSSLMODE,
 * PGSSLROOTCERT, PGSSLCERT, PGSSLKEY) as psql's do.
 */
import { RetortError } from '../../errors.js';
import { SSL_MODES, type DatabaseUrl, type SslMode, type SslSettings } from '../contract/driver.js';
import type { UrlParts } from '../registry-entry.js';

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

/** The URL's settings for the pg driver: the connection string, and the SSL settings when an sslmode is named. */
export function parsePostgresUrl(parts: UrlParts): DatabaseUrl {
  const { url, rest, masked, env } = parts;
  const malformed = () =>
    new RetortError('URL', `database URL ${parts.unreadable} is malformed: expected postgresql://user:pass@host:port/db`, {
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
  // Which schema Retort manages is the config's: a URL that says otherwise would be ignored (Prisma's ?schema=), or
  // would put the tables somewhere that check and current do not look (a search_path in ?options=).
  if (parsed.searchParams.has('schema')) {
    throw new RetortError('URL', `database URL "${masked}" has ?schema=${parsed.searchParams.get('schema')} (Prisma's parameter), which Retort does not read`, {
      hint: `remove it and set \`schema: '${parsed.searchParams.get('schema')}'\` in retort.config.ts`,
    });
  }
  if (parsed.searchParams.getAll('options').some((o) => /search_path/i.test(o))) {
    throw new RetortError('URL', `database URL "${masked}" sets search_path in ?options=, which would move Retort's tables away from the schema it reads`, {
      hint: 'remove it and set `schema` (and `schemas`) in retort.config.ts',
    });
  }
  if (/search_path/i.test(env['PGOPTIONS'] ?? '')) {
    throw new RetortError('URL', 'PGOPTIONS sets search_path, which would move Retort\'s tables away from the schema it reads', {
      hint: 'unset it for Retort and set `schema` (and `schemas`) in retort.config.ts',
    });
  }
  // No database in the path (nor PGDATABASE): the driver would take the user's name, usually the server's
  // `postgres` maintenance database, and migrate it without a word.
  if ((parsed.pathname === '' || parsed.pathname === '/') && !env['PGDATABASE']) {
    throw new RetortError('URL', `database URL "${masked}" names no database`, {
      hint: `add it after the host: ${masked.replace(/\/?(\?.*)?$/, '/mydb$1')}`,
    });
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

