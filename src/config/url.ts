/**
 * Database URLs. Accepts what Alembic users already have in their settings:
 * `postgresql+psycopg2://` and `sqlite+aiosqlite:///` included (the driver part
 * is ignored), and `?sslmode=` as libpq reads it; masks the password wherever a URL is shown.
 */
import { RetortError } from '../errors.js';
import { dialectForScheme, registeredSchemes } from '../dialects/index.js';
import type { DatabaseUrl } from '../dialects/contract/driver.js';
import { KEY_VALUE, maskUrl } from './url-secrets.js';

export type { DatabaseUrl } from '../dialects/contract/driver.js';
export { hideSecrets, maskUrl, urlSecrets } from './url-secrets.js';

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
  const entry = dialectForScheme(scheme);
  if (!entry) {
    throw new RetortError('URL', `database URL "${masked}" has an unknown scheme "${scheme}:"`, {
      hint: `Retort speaks ${registeredSchemes().map((s) => `${s}:`).join(', ')}`,
    });
  }
  return entry.parseUrl({ url, rest: m[3]!, masked, unreadable: unreadable(url), baseDir, env });
}

/** The error for an empty URL: what an unset variable leaves in `--url "$DATABASE_URL"` or DATABASE_URL=. */
function emptyUrl(source: string | undefined): RetortError {
  const from = source === undefined ? '' : ` (from ${source})`;
  return new RetortError(source === '--url' ? 'USAGE' : 'URL', `the database URL${from} is empty`, {
    hint: source === '--url' ? 'give --url a URL (is the variable it was given unset?), or leave --url out to use the configured one' : emptyUrlHint(source),
  });
}

/** The variables read after --url, in order; the config's `url` comes last. */
const URL_VARIABLES = ['RETORT_DATABASE_URL', 'DATABASE_URL'];

/** For an empty variable, the sources unsetting it falls back to (those after it); for the config, only the fix. */
function emptyUrlHint(source: string | undefined): string {
  const at = source === undefined ? -1 : URL_VARIABLES.indexOf(source);
  if (at === -1) return 'set it to a URL';
  const next = [...URL_VARIABLES.slice(at + 1), "the config's url"].join(', then ');
  return `set it to a URL, or unset it to use the next source (${next})`;
}
