/** Checksums of revision files. node:crypto is required on first use, so commands that never compare files do not load it. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

type Crypto = typeof import('node:crypto');
type OneShot = (algorithm: string, data: string, encoding: 'hex') => string;
let sha256Memo: ((text: string) => string) | null = null;

/**
 * sha256 of a text, in hex. Node's one-shot `crypto.hash` (20.12 and later) where there is one: a `createHash`
 * object per call cost about 45 ms of CPU over the 2,000 hashes (content and path) of loading 1000 revision files,
 * the one-shot call 4 ms. The same digest either way.
 */
export function sha256Hex(text: string): string {
  if (!sha256Memo) {
    const crypto = requireHere('node:crypto') as Crypto & { hash?: OneShot };
    const oneShot = crypto.hash;
    sha256Memo = typeof oneShot === 'function' ? (t) => oneShot('sha256', t, 'hex') : (t) => crypto.createHash('sha256').update(t).digest('hex');
  }
  return sha256Memo(text);
}

/** A sha256 fed texts one after another, its digest in hex: for a text too large to build as one string. */
export function sha256Hasher(): { update(text: string): void; digest(): string } {
  const hash = (requireHere('node:crypto') as Crypto).createHash('sha256');
  return { update: (text) => void hash.update(text), digest: () => hash.digest('hex') };
}

/** sha256, in hex, of the texts `parts` yields one after another (sha256Hasher). */
export function sha256OfParts(parts: Iterable<string>): string {
  const hash = sha256Hasher();
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** sha256 of a file's text, line endings normalised so a checkout on another OS does not count as a change. */
export function sourceChecksum(source: string): string {
  return sha256Hex(source.includes('\r') ? source.replace(/\r\n/g, '\n') : source);
}

/** sourceChecksum of a file on disk. */
export function fileChecksum(file: string): string {
  return sourceChecksum(readFileSync(file, 'utf8'));
}
