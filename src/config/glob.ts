/**
 * Expands the `models` globs of the config (`*`, `?`, `**`) to files. Node 20
 * has no fs.glob, and this small walk is all Retort needs.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const MAGIC = /[*?[]/;

function toRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      // `**/` matches any number of folders, including none.
      const slash = pattern[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function walk(dir: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) walk(p, out);
    else if (st?.isFile()) out.push(p);
  }
}

/** Files matching an absolute pattern, sorted; a pattern without wildcards is returned as is when it exists. */
export function expandGlob(pattern: string): string[] {
  const norm = pattern.split(path.sep).join('/');
  if (!MAGIC.test(norm)) return statSync(pattern, { throwIfNoEntry: false })?.isFile() ? [pattern] : [];
  const parts = norm.split('/');
  const firstMagic = parts.findIndex((p) => MAGIC.test(p));
  const base = parts.slice(0, firstMagic).join('/') || '/';
  const re = toRegExp(parts.slice(firstMagic).join('/'));
  const files: string[] = [];
  walk(base, files);
  return files.filter((f) => re.test(path.relative(base, f).split(path.sep).join('/')) && !f.endsWith('.d.ts')).sort();
}
