/**
 * The one place that reads this Retort's version. The package.json is found by walking up from this module, so the
 * same code works compiled file by file (dist/src/) and bundled (dist/bundle/ and its chunks), installed or in a clone.
 */
import { readFileSync } from 'node:fs';

let memo: string | null = null;

/**
 * The version of the retort-migrate package this code belongs to, found from `moduleUrl`: this module's own URL,
 * except in a CommonJS bundle (dist/quick.cjs), where `import.meta` is empty and the caller names the bundle's file.
 */
export function packageVersion(moduleUrl: string = import.meta.url): string {
  if (memo !== null) return memo;
  for (let dir = new URL('./', moduleUrl); ; ) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'retort-migrate' && typeof pkg.version === 'string') return (memo = pkg.version);
    } catch {
      // no package.json here, or another one: keep walking up
    }
    const parent = new URL('../', dir);
    if (parent.href === dir.href) throw new Error(`internal: no package.json of retort-migrate above ${moduleUrl}`);
    dir = parent;
  }
}
