/**
 * SQLite URLs: `sqlite:///relative.db` (relative to the config file's folder), `sqlite:////absolute.db`,
 * `sqlite:./app.db`, and `sqlite::memory:` only when asked for by name.
 */
import path from 'node:path';
import { RetortError } from '../../errors.js';
import type { DatabaseUrl } from '../contract/driver.js';
import type { UrlParts } from '../registry-entry.js';

/** The database file a `sqlite:` URL names. */
export function parseSqliteUrl(parts: UrlParts): DatabaseUrl {
  return { dialect: 'sqlite', raw: parts.url, masked: parts.masked, filename: sqliteFilename(parts.rest, parts.baseDir, parts.masked) };
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
