/**
 * Expands the `models` globs of the config (`*`, `?`, `**`, `{a,b}`) to files.
 * Node 20 has no fs.glob, and this small walk is all Retort needs.
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

/**
 * `a/*.{ts,mts}` as `a/*.ts` and `a/*.mts`, as a shell expands braces: the first group whose braces balance,
 * split at its top-level commas, each alternative expanded again (groups may nest). A lone brace is literal.
 */
export function expandBraces(pattern: string): string[] {
  for (let open = pattern.indexOf('{'); open !== -1; open = pattern.indexOf('{', open + 1)) {
    let depth = 0;
    const commas: number[] = [];
    for (let i = open; i < pattern.length; i++) {
      const ch = pattern[i];
      if (ch === '{') depth++;
      else if (ch === ',' && depth === 1) commas.push(i);
      else if (ch === '}' && --depth === 0) {
        if (commas.length === 0) break;
        const cuts = [open, ...commas, i];
        const head = pattern.slice(0, open);
        const tail = pattern.slice(i + 1);
        return cuts.slice(1).flatMap((cut, k) => expandBraces(head + pattern.slice(cuts[k]! + 1, cut) + tail));
      }
    }
  }
  return [pattern];
}

/** Files matching an absolute pattern (braces included), sorted, each once; a pattern without wildcards is returned as is when it exists. */
export function expandGlob(pattern: string): string[] {
  const alternatives = expandBraces(pattern);
  if (alternatives.length > 1) return [...new Set(alternatives.flatMap(expandGlob))].sort();
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
