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

interface Entry {
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly size: number;
  readonly header: Omit<RevisionHeader, 'file'>;
}

// Version 4: headers read under the plain-token rule for ids (entries of earlier versions are read again); 3 adds ctime; version 2 keyed entries by file name (the cache belongs to one migrations folder); version 1 by full path.
interface CacheFile {
  readonly version: 4;
  readonly files: Record<string, Entry>;
}

export class HeaderCache {
  private readonly old: Record<string, Entry>;
  private readonly next: Record<string, Entry> = {};
  private changed = false;

  constructor(private readonly file: string | null) {
    this.old = file ? load(file) : {};
  }

  /**
   * The header of the file `name` in the folder `prefix` (which ends with a separator), from the cache when
   * its size and time match, else read with `read`; null when the name is not a file (a folder, a broken link).
   */
  get(prefix: string, name: string, read: (file: string) => RevisionHeader): RevisionHeader | null {
    const file = prefix + name;
    const st = statOf(file);
    if (!st?.isFile()) return null;
    const hit = this.old[name];
    if (hit && hit.mtimeMs === st.mtimeMs && hit.ctimeMs === st.ctimeMs && hit.size === st.size) {
      this.next[name] = hit;
      const h = hit.header;
      return { revision: h.revision, downRevisions: h.downRevisions, dependsOn: h.dependsOn, branchLabels: h.branchLabels, message: h.message, createDate: h.createDate, file };
    }
    const header = read(file);
    const { file: _f, ...rest } = header;
    this.next[name] = { mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, size: st.size, header: rest };
    this.changed = true;
    return header;
  }

  /** Writes the cache if anything changed (files added, edited or removed). */
  save(): void {
    if (!this.file) return;
    if (!this.changed && Object.keys(this.old).length === Object.keys(this.next).length) return;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ version: 4, files: this.next } satisfies CacheFile));
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

function load(file: string): Record<string, Entry> {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    return parsed.version === 4 && parsed.files && typeof parsed.files === 'object' ? parsed.files : {};
  } catch {
    return {};
  }
}
