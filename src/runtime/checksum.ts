/** Checksums of revision files. node:crypto is required on first use, so commands that never compare files do not load it. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/** sha256 of a file's text, line endings normalised so a checkout on another OS does not count as a change. */
export function sourceChecksum(source: string): string {
  const { createHash } = requireHere('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(source.replace(/\r\n/g, '\n')).digest('hex');
}

/** sourceChecksum of a file on disk. */
export function fileChecksum(file: string): string {
  return sourceChecksum(readFileSync(file, 'utf8'));
}
