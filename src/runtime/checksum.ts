/** Checksums of revision files, kept apart so that commands which never compare them do not load node:crypto. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** sha256 of a file's content, line endings normalised so a checkout on another OS does not count as a change. */
export function fileChecksum(file: string): string {
  return createHash('sha256').update(readFileSync(file, 'utf8').replace(/\r\n/g, '\n')).digest('hex');
}
