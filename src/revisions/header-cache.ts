/**
 * A cache of revision headers keyed by each file's size, modification time and
 * status-change time (ctime: every write sets it, and unlike the modification
 * time no tool can set it back),
 * so that `history`, `heads` and planning read one JSON file and stat each
 * revision instead of reading thousands of files. It is only an optimisation:
 * a missing, unreadable or unwritable cache means the files are read as usual.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { RevisionHeader } from './revision-header.js';

/**
 * One file's entry: [name, mtimeMs, ctimeMs, size, revision, downRevisions, dependsOn, branchLabels, message, createDate].
 * Rows of arrays, not an object keyed by file name: JSON.parse builds an object of 10,000 distinct keys slowly (about
 * 35 to 240 ms for a 2.7 MB cache on this machine) and reads the same entries as arrays in 5 to 16 ms.
 */
type Entry = readonly [string, number, number, number, string, readonly string[], readonly string[], readonly string[], string, string | null];

// Version 5: rows of arrays (see Entry); 4 was an object of entries keyed by file name, read under the plain-token rule
// for ids; 3 added ctime; 2 keyed entries by file name (the cache belongs to one migrations folder); 1 by full path.
interface CacheFile {
  readonly version: 5;
  readonly rows: readonly Entry[];
}

export class HeaderCache {
  private readonly old: Map<string, Entry>;
  private readonly next: Entry[] = [];
  private changed = false;

  constructor(private readonly file: string | null) {
    this.old = file ? load(file) : new Map();
  }

  /**
   * The header of the file `name` in the folder `prefix` (which ends with a separator), from the cache when
   * its size and time match, else read with `read`; null when the name is not a file (a folder, a broken link).
   */
  get(prefix: string, name: string, read: (file: string) => RevisionHeader): RevisionHeader | null {
    const file = prefix + name;
    const st = statOf(file);
    if (!st?.isFile()) return null;
    const hit = this.old.get(name);
    if (hit && hit[1] === st.mtimeMs && hit[2] === st.ctimeMs && hit[3] === st.size) {
      this.next.push(hit);
      return { revision: hit[4], downRevisions: hit[5], dependsOn: hit[6], branchLabels: hit[7], message: hit[8], createDate: hit[9], file };
    }
    const h = read(file);
    this.next.push([name, st.mtimeMs, st.ctimeMs, st.size, h.revision, h.downRevisions, h.dependsOn, h.branchLabels, h.message, h.createDate]);
    this.changed = true;
    return h;
  }

  /** Writes the cache if anything changed (files added, edited or removed). */
  save(): void {
    if (!this.file) return;
    if (!this.changed && this.old.size === this.next.length) return;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ version: 5, rows: this.next } satisfies CacheFile));
      renameSync(tmp, this.file);
    } catch {
      // A read-only or full disk: the next run reads the files again.
    }
  }
}

/** A file's stat, or undefined when it is missing or cannot be followed (a broken link, a link loop). */
function statOf(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function load(file: string): Map<string, Entry> {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    if (parsed.version !== 5 || !Array.isArray(parsed.rows)) return new Map();
    const out = new Map<string, Entry>();
    for (const row of parsed.rows as readonly unknown[]) if (Array.isArray(row) && row.length === 10 && typeof row[0] === 'string') out.set(row[0], row as unknown as Entry);
    return out;
  } catch {
    return new Map();
  }
}
