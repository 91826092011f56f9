/**
 * Lists a migrations folder and reads every revision file's header, without
 * running any of them.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { RetortError, isRetortError } from '../errors.js';
import { readRevisionHeader, type RevisionHeader } from './revision-header.js';
import { HeaderCache, statOf, type HeaderCheck, type Stats } from './header-cache.js';

const REVISION_FILE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;

/** Whether a file name in a migrations folder is a revision file (not a declaration file, an index, or a hidden/private helper). */
export function isRevisionFileName(name: string): boolean {
  if (!REVISION_FILE.test(name)) return false;
  if (/\.d\.[mc]?ts$/.test(name)) return false;
  if (name.startsWith('_') || name.startsWith('.')) return false;
  return !/^index\.[^.]+$/.test(name);
}

/** The revision files of a folder, as absolute paths sorted by name. */
export function listRevisionFiles(dir: string): string[] {
  const abs = path.resolve(dir);
  const entries = readFolder(abs, true);
  // A folder named like a revision file is not one; symbolic links are followed. Names are joined to the
  // resolved folder by hand: path.join normalises each of thousands of paths that are already normal.
  const prefix = folderPrefix(abs);
  return entries
    .filter((d) => isRevisionFileName(d.name) && (d.isFile() || (d.isSymbolicLink() && isFile(prefix + d.name))))
    .map((d) => d.name)
    .sort()
    .map((n) => prefix + n);
}

const folderPrefix = (abs: string) => (abs.endsWith(path.sep) ? abs : abs + path.sep);

function readFolder(abs: string, withFileTypes: true): Dirent[];
function readFolder(abs: string, withFileTypes: false): string[];
function readFolder(abs: string, withFileTypes: boolean): Dirent[] | string[] {
  try {
    return withFileTypes ? readdirSync(abs, { withFileTypes: true }) : readdirSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new RetortError('NOT_FOUND', `migrations folder ${abs} does not exist`, { hint: 'run `retort init` or set `migrations` in retort.config.ts' });
    }
    if (code === 'ENOTDIR') {
      throw new RetortError('NOT_FOUND', `migrations folder ${abs} is not a folder`, { hint: 'set `migrations` in retort.config.ts to a folder' });
    }
    throw new RetortError('NOT_FOUND', `migrations folder ${abs} cannot be read (${code ?? 'error'})`, { cause: e, hint: 'check the folder permissions' });
  }
}

function isFile(f: string): boolean {
  try {
    return statSync(f).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads the headers of every revision file in `dir`. All unreadable headers
 * are reported together: the first as the message, the others as details.
 * With a cache file, `check` says how its entries are checked (see HeaderCheck).
 */
export function scanRevisions(dir: string, cacheFile: string | null = null, check: HeaderCheck = 'files'): RevisionHeader[] {
  return new RevisionFolder(dir, cacheFile).headers(check);
}

/**
 * A migrations folder listed once, with its header cache (when there is one): what the read-only listings need to
 * ask the folder check and the text kept beside the cache before any header is read, and then, only when that text
 * will not do, to read the headers without listing the folder again.
 */
export class RevisionFolder {
  private readonly cache: HeaderCache | null;
  private readonly prefix: string;
  private readonly folder: Stats | undefined;
  private readonly listing: readonly string[];

  /** Lists `dir` (with a cache file; without one, `headers` lists it) or throws the RetortError that says why not. */
  constructor(
    private readonly dir: string,
    cacheFile: string | null,
  ) {
    const abs = path.resolve(dir);
    this.prefix = folderPrefix(abs);
    this.cache = cacheFile === null ? null : new HeaderCache(cacheFile);
    // With a cache, the one stat per file that checks its entry also tells a file from a folder (and follows
    // links), so the folder is listed by name only. The folder's stamp is taken before it is listed: a change
    // in between leaves a stamp older than the listing, which the next run sees as a change.
    this.folder = this.cache ? statOf(abs) : undefined;
    this.listing = this.cache ? readFolder(abs, false) : [];
  }

  /** Whether the folder check vouches for the header cache (HeaderCache.vouch): the headers are the cached ones. */
  unchanged(): boolean {
    return this.cache !== null && this.cache.vouch(this.prefix, this.listing, this.folder) !== null;
  }

  /**
   * The text kept under `slot` and `key` (HeaderCache.derived) when the folder check vouches for the cache; null
   * otherwise, and always without a cache.
   */
  derived(slot: string, key: string): string | null {
    if (!this.cache || this.cache.vouch(this.prefix, this.listing, this.folder) === null) return null;
    return this.cache.derived(slot, key);
  }

  /**
   * Keeps `text`, derived from what `headers` gave, under `slot` and `key`, when the cache now holds those very
   * headers with a settled folder stamp (HeaderCache.keepDerived); else nothing.
   */
  keepDerived(slot: string, key: string, text: string): void {
    this.cache?.keepDerived(slot, key, text);
  }

  /** Every revision file's header (see scanRevisions). */
  headers(check: HeaderCheck): RevisionHeader[] {
    const cache = this.cache;
    if (cache === null) return collectHeaders(listRevisionFiles(this.dir), readRevisionHeader);
    const unchanged = check === 'folder' ? cache.unchangedFolder(this.prefix, this.listing, this.folder) : null;
    if (unchanged) return unchanged;
    const names = this.listing.filter(isRevisionFileName).sort();
    return collectHeaders(names, (name) => cache.get(this.prefix, name, readRevisionHeader), () => cache.save(this.folder, this.listing));
  }
}

/**
 * The headers `read` gives for `items` (null: not a revision file), reporting every unreadable one together; `done`
 * runs when all were read.
 */
function collectHeaders<T>(items: readonly T[], read: (item: T) => RevisionHeader | null, done?: () => void): RevisionHeader[] {
  const headers: RevisionHeader[] = [];
  const errors: RetortError[] = [];
  for (const item of items) {
    try {
      const h = read(item);
      if (h) headers.push(h);
    } catch (e) {
      if (!isRetortError(e)) throw e;
      errors.push(e);
    }
  }
  const first = errors[0];
  if (first) {
    throw new RetortError(first.code, errors.length === 1 ? first.message : `${first.message} (and ${errors.length - 1} more unreadable revision file(s))`, {
      ...(first.hint ? { hint: first.hint } : {}),
      details: errors.slice(1).map((e) => e.message),
    });
  }
  done?.();
  return headers;
}
