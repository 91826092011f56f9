/**
 * A short stable tag of a text (FNV-1a, 32 bits, 8 hex digits), to name a cache file after a path: node:crypto would
 * cost more to load than it saves. Not for keys whose collisions matter; the caches check their own keys inside.
 */
export function pathTag(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
