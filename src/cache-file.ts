/**
 * Writes one file of a cache (compiled model and revision files, V8's code for them, the remembered verdicts, text
 * kept beside the header cache): whole or not at all, written aside and renamed, so that a reader never sees half a
 * file. A cache is only an optimisation: a read-only folder or a full disk means it is not written (false), never an
 * error, and the next run does the work again.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeCacheFile(file: string, content: string | Uint8Array): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(tmp, content);
    renameSync(tmp, file);
    return true;
  } catch {
    return false;
  }
}
