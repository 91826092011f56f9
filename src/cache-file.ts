/**
 * Writes one file of a cache (compiled model and revision files, V8's code for them, the remembered verdicts, text
 * kept beside the header cache, SQLite's table cache): whole or not at all, written aside and renamed, so that a
 * reader never sees half a file. A cache is only an optimisation: a read-only folder or a full disk means it is not
 * written (false, and nothing left behind), never an error, and the next run does the work again.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/** `content` whole, or as texts written one after another (a file too large to hold as one text). */
export function writeCacheFile(file: string, content: string | Uint8Array | Iterable<string>): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  let fd: number | null = null;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    if (typeof content === 'string' || content instanceof Uint8Array) writeFileSync(tmp, content);
    else {
      fd = openSync(tmp, 'w');
      for (const part of content) writeSync(fd, part);
      closeSync(fd);
      fd = null;
    }
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      if (fd !== null) closeSync(fd);
      rmSync(tmp, { force: true });
    } catch {
      // No folder to write in (a file where it should be): nothing was left there either.
    }
    return false;
  }
}
