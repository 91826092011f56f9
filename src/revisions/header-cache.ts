/**
 * A cache of revision headers, so that `history`, `heads` and planning read one
 * file instead of thousands. It is only an optimisation: a missing, unreadable
 * or unwritable cache means the files are read as usual.
 *
 * Two checks decide whether an entry may be used (docs/guide/revisions.md, "The header cache"):
 * - **files** (every command that runs or writes revisions): each file's size, modification time and status-change
 *   time (ctime: every write sets it, and no tool can set it back), one stat per file.
 * - **folder** (the read-only listings `history`, `heads`, `branches`, `current`, `show`): the folder's own
 *   modification and status-change times, its listing of names, and a stat of the few files most likely to be
 *   edited (the heads, and the most recently changed files). Creating, removing or renaming a file changes the
 *   folder; so does a save through a temporary file and a rename (most editors, `sed -i`, git). An edit written
 *   into an older file in place (`echo >>`) is not seen until the folder changes or a files check runs.
 *
 * Text derived from the headers (a rendered listing) can be kept beside the cache under a caller's key, tied to the
 * cache's generation: it is served only while the folder check vouches for that very generation, so it is exactly as
 * fresh as the headers it was made from. The cache knows nothing of what the text is.
 */
import { readFileSync, statSync } from 'node:fs';
import { writeCacheFile } from '../cache-file.js';

/**
 * What the cache reads of a file's or the folder's stat: its own type, not node:fs's `Stats`, so that the package's
 * declaration files (which revision files type-check against) need no @types/node.
 */
export interface Stats {
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly size: number;
  isFile(): boolean;
}
import type { RevisionHeader } from './revision-header.js';

/** Whether every file is stat'ed ('files') or the folder's stamp and listing vouch for them ('folder'). */
export type HeaderCheck = 'files' | 'folder';

/**
 * A stamp recorded within this many milliseconds of the moment it was taken is not trusted later: a file system
 * keeps times to a clock tick (a jiffy on ext4, 2 s on FAT), so a change in the same tick could leave it equal.
 */
const SETTLE_MS = 2000;
/** How many of the most recently changed files the folder check also stats, besides the heads. */
const WATCHED_RECENT = 16;

/**
 * One file's header: [revision, downRevisions, dependsOn, branchLabels, message, createDate], lists joined by
 * spaces (ids and labels are plain tokens); revision null for a listed name that is not a file (a folder, a broken
 * link). Flat rows of strings: JSON.parse of nested arrays or of an object keyed by file name builds many more
 * objects (35-400 ms for 10,000 entries keyed by name on this machine; 5-16 ms as rows).
 */
type HeaderRow = readonly [string | null, string, string, string, string, string | null];
/** [mtimeMs, ctimeMs, size] of a file when its header was read; -1 sizes never match (see SETTLE_MS). */
type Stamp = readonly [number, number, number];

// Version 7: four JSON lines (meta, the folder's whole listing as the file system gave it, joined by '/', the
// revision files' names, header rows), and the stamps in a file of their own beside it (`<name>.stamps`, whose
// first element is the meta's `generation`): the folder check compares the listing as one string, so on an
// unchanged folder it neither filters nor sorts thousands of names, and parses neither the stamps nor, when the
// folder changed, anything past the listing. 6 had no listing line (the check filtered and sorted the names and
// compared them one by one), 5 was one object with rows of arrays, 4 an object keyed by file name, 3 added ctime,
// 2 keyed by file name, 1 by full path.
interface Meta {
  readonly version: 7;
  /** Ties the stamps file to this one: two runs saving at once may leave a pair that does not match (then unused). */
  readonly generation: string;
  /** The folder's [mtimeMs, ctimeMs] when it was listed, or null when the stamp was too recent to trust. */
  readonly folder: readonly [number, number] | null;
  /** The files the folder check stats: [index into the listed names, ...their Stamp]. */
  readonly watch: readonly (readonly [number, number, number, number])[];
}

interface Loaded {
  readonly meta: Meta;
  /** The folder's listing, as JSON text (a string of the names joined by '/', which no name holds). */
  readonly listing: string;
  readonly names: readonly string[];
  readonly text: string;
  /** Where the header rows' line starts. */
  readonly rowsAt: number;
}

const NO_IDS: readonly string[] = Object.freeze([]);

export class HeaderCache {
  private readonly loaded: Loaded | null;
  private old: Map<string, { readonly row: HeaderRow; readonly stamp: Stamp }> | null = null;
  private readonly names: string[] = [];
  private readonly rows: HeaderRow[] = [];
  private readonly stamps: Stamp[] = [];
  private changed = false;
  /** The result of the folder check, once run (undefined before). */
  private vouched: string | null | undefined;
  /**
   * The generation of the cache file that holds exactly the headers this run has: the one the folder check vouched
   * for (unless its rows did not read), or the one `save` wrote or found unchanged, when the folder's stamp was
   * settled (so that a later folder check can vouch for it). Null otherwise: then nothing derived from the headers
   * may be kept, since no later folder check could tell whether it still holds.
   */
  private current: string | null = null;

  constructor(private readonly file: string | null) {
    this.loaded = file ? load(file) : null;
  }

  /**
   * The folder check, without reading a header row: the folder's stamp is the recorded one (and was settled), its
   * `listing` (every name, as readdir gives them) is the recorded one, and the watched files are unchanged. Gives the
   * cache's generation when it vouches, null otherwise. Run once; later calls give the first answer.
   */
  vouch(prefix: string, listing: readonly string[], folder: Stats | undefined): string | null {
    if (this.vouched === undefined) {
      this.vouched = this.folderCheck(prefix, listing, folder) ? this.loaded!.meta.generation : null;
      this.current = this.vouched;
    }
    return this.vouched;
  }

  /**
   * The headers of the folder's files when the folder check vouches for the cache (see `vouch`). Null otherwise
   * (then the caller reads file by file with `get`).
   */
  unchangedFolder(prefix: string, listing: readonly string[], folder: Stats | undefined): RevisionHeader[] | null {
    if (this.vouch(prefix, listing, folder) === null) return null;
    const c = this.loaded!;
    const names = c.names;
    let rows: HeaderRow[] | null = null;
    try {
      rows = JSON.parse(lineAt(c.text, c.rowsAt)) as HeaderRow[];
    } catch {
      // unreadable rows: read file by file, and save a new generation
    }
    if (!Array.isArray(rows) || rows.length !== names.length) {
      this.current = null;
      return null;
    }
    const out: RevisionHeader[] = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (r[0] !== null) out.push(headerOf(r, prefix + names[i]!));
    }
    return out;
  }

  private folderCheck(prefix: string, listing: readonly string[], folder: Stats | undefined): boolean {
    const c = this.loaded;
    const stamp = c?.meta.folder;
    if (!c || !stamp || !folder || stamp[0] !== folder.mtimeMs || stamp[1] !== folder.ctimeMs) return false;
    if (c.listing !== listingText(listing)) return false;
    for (const [i, mtime, ctime, size] of c.meta.watch) {
      const st = statOf(prefix + c.names[i]!);
      if (!st || !sameStamp([mtime, ctime, size], st)) return false;
    }
    return true;
  }

  /**
   * The text kept under `slot` (a word, one file each) for `key` (the caller's, any string) with the current
   * generation (see `current`: call `vouch` first); null when there is none, it was kept for another key or
   * generation, or it does not read.
   */
  derived(slot: string, key: string): string | null {
    const generation = this.current;
    if (generation === null || !this.file) return null;
    try {
      const text = readFileSync(derivedFile(this.file, slot), 'utf8');
      const end = text.indexOf('\n');
      if (end < 0) return null;
      const [g, k, length] = JSON.parse(text.slice(0, end)) as [unknown, unknown, unknown];
      const kept = text.slice(end + 1);
      // Its length on the key line: a file cut short or with lines lost since (a listing missing revisions) is a miss.
      return g === generation && k === key && length === kept.length ? kept : null;
    } catch {
      return null;
    }
  }

  /**
   * Keeps `text`, derived from the headers this run has, under `slot` and `key` with the current generation,
   * replacing what the slot held (written aside, then renamed); nothing when there is no generation (see
   * `current`). A failure only means the text is derived again next time.
   */
  keepDerived(slot: string, key: string, text: string): void {
    const generation = this.current;
    if (generation === null || !this.file) return;
    writeCacheFile(derivedFile(this.file, slot), `${JSON.stringify([generation, key, text.length])}\n${text}`);
  }

  /**
   * The header of the file `name` in the folder `prefix` (which ends with a separator), from the cache when
   * its size and times match, else read with `read`; null when the name is not a file (a folder, a broken link).
   */
  get(prefix: string, name: string, read: (file: string) => RevisionHeader): RevisionHeader | null {
    const file = prefix + name;
    const st = statOf(file);
    this.names.push(name);
    if (!st?.isFile()) {
      this.rows.push([null, '', '', '', '', null]);
      this.stamps.push([-1, -1, -1]);
      this.changed = true;
      return null;
    }
    const hit = this.entries().get(name);
    if (hit && hit.row[0] !== null && sameStamp(hit.stamp, st)) {
      this.rows.push(hit.row);
      this.stamps.push(hit.stamp);
      return headerOf(hit.row, file);
    }
    const h = read(file);
    this.rows.push([h.revision, h.downRevisions.join(' '), h.dependsOn.join(' '), h.branchLabels.join(' '), h.message, h.createDate]);
    this.stamps.push([st.mtimeMs, st.ctimeMs, settled(st.ctimeMs) ? st.size : -1]);
    this.changed = true;
    return h;
  }

  /**
   * Writes the cache if anything changed (files added, edited or removed, the folder's stamp, or its `listing`: every
   * name as readdir gave them, which the next folder check compares).
   */
  save(folder: Stats | undefined, listing: readonly string[]): void {
    if (!this.file) return;
    const stamp = folder && settled(folder.mtimeMs) && settled(folder.ctimeMs) ? ([folder.mtimeMs, folder.ctimeMs] as const) : null;
    const was = this.loaded?.meta.folder ?? null;
    const sameFolder = stamp === null ? was === null : was !== null && was[0] === stamp[0] && was[1] === stamp[1];
    const listed = listingText(listing);
    if (!this.changed && sameFolder && this.loaded?.names.length === this.names.length && this.loaded.listing === listed) {
      this.current = stamp === null ? null : this.loaded.meta.generation;
      return;
    }
    // Unique across runs (text derived from the headers is keyed by it), not only across the runs of one moment.
    const generation = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;
    const meta: Meta = { version: 7, generation, folder: stamp, watch: this.watched() };
    this.current = null;
    // The stamps first, then the file that names their generation. A read-only or full disk: the next run reads the
    // files again.
    if (!writeCacheFile(`${this.file}.stamps`, JSON.stringify([meta.generation, this.stamps]))) return;
    const written = writeCacheFile(this.file, `${JSON.stringify(meta)}\n${listed}\n${JSON.stringify(this.names)}\n${JSON.stringify(this.rows)}\n`);
    if (written && stamp !== null) this.current = generation;
  }

  // The files an editor most likely has open: the heads (no other file names them as a parent) and the most
  // recently changed ones.
  private watched(): [number, number, number, number][] {
    const parents = new Set<string>();
    for (const r of this.rows) if (r[1] !== '') for (const p of r[1].split(' ')) parents.add(p);
    const out = new Set<number>();
    this.rows.forEach((r, i) => {
      if (r[0] !== null && !parents.has(r[0])) out.add(i);
    });
    const byChange = this.rows.map((_, i) => i).filter((i) => this.rows[i]![0] !== null);
    byChange.sort((a, b) => this.stamps[b]![1] - this.stamps[a]![1]);
    for (const i of byChange.slice(0, WATCHED_RECENT)) out.add(i);
    return [...out].sort((a, b) => a - b).map((i) => [i, ...this.stamps[i]!] as [number, number, number, number]);
  }

  private entries(): Map<string, { readonly row: HeaderRow; readonly stamp: Stamp }> {
    if (this.old) return this.old;
    this.old = new Map();
    const c = this.loaded;
    if (!c) return this.old;
    try {
      const rows = JSON.parse(lineAt(c.text, c.rowsAt)) as HeaderRow[];
      const [generation, stamps] = JSON.parse(readFileSync(`${this.file}.stamps`, 'utf8')) as [string, Stamp[]];
      if (generation !== c.meta.generation || !Array.isArray(rows) || !Array.isArray(stamps) || rows.length !== c.names.length || stamps.length !== rows.length) return this.old;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        const stamp = stamps[i];
        if (Array.isArray(row) && row.length === 6 && Array.isArray(stamp) && stamp.length === 3) this.old.set(c.names[i]!, { row, stamp });
      }
    } catch {
      this.old.clear();
    }
    return this.old;
  }
}

function headerOf(r: HeaderRow, file: string): RevisionHeader {
  return { revision: r[0]!, downRevisions: ids(r[1]), dependsOn: ids(r[2]), branchLabels: ids(r[3]), message: r[4], createDate: r[5], file };
}

const ids = (joined: string): readonly string[] => (joined === '' ? NO_IDS : joined.includes(' ') ? joined.split(' ') : [joined]);

const sameStamp = (s: Stamp, st: Stats) => s[0] === st.mtimeMs && s[1] === st.ctimeMs && s[2] === st.size;

/** Whether a time stamp is old enough that a later change would get another one (see SETTLE_MS). */
const settled = (ms: number) => Date.now() - ms > SETTLE_MS;

function lineAt(text: string, at: number): string {
  const end = text.indexOf('\n', at);
  return text.slice(at, end < 0 ? text.length : end);
}

/** A file's stat, or undefined when it is missing or cannot be followed (a broken link, a link loop). */
export function statOf(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Where the text derived under `slot` is kept: beside the cache file. */
function derivedFile(file: string, slot: string): string {
  if (!/^[a-z]+$/.test(slot)) throw new Error(`internal: derived-text slot ${JSON.stringify(slot)} is not a word`);
  return `${file}.derived-${slot}`;
}

/** A folder's listing as the cache keeps it: one JSON string, the names joined by '/' (no name can hold one). */
const listingText = (listing: readonly string[]): string => JSON.stringify(listing.join('/'));

function load(file: string): Loaded | null {
  try {
    const text = readFileSync(file, 'utf8');
    const metaEnd = text.indexOf('\n');
    const listingEnd = text.indexOf('\n', metaEnd + 1);
    const namesEnd = text.indexOf('\n', listingEnd + 1);
    if (metaEnd < 0 || listingEnd < 0 || namesEnd < 0) return null;
    const meta = JSON.parse(text.slice(0, metaEnd)) as Meta;
    if (meta.version !== 7 || !Array.isArray(meta.watch)) return null;
    const names = JSON.parse(text.slice(listingEnd + 1, namesEnd)) as string[];
    if (!Array.isArray(names)) return null;
    return { meta, listing: text.slice(metaEnd + 1, listingEnd), names, text, rowsAt: namesEnd + 1 };
  } catch {
    return null;
  }
}
