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
  return expandGlobs([pattern]).files;
}

/** The folder a pattern (without braces) is fixed to, the part before its first wildcard; null when it has none. */
function fixedBase(norm: string): string | null {
  if (!MAGIC.test(norm)) return null;
  const parts = norm.split('/');
  return parts.slice(0, parts.findIndex((p) => MAGIC.test(p))).join('/') || '/';
}

export interface GlobWalk {
  /** The files the patterns match, each once, sorted. */
  readonly files: string[];
  /** Every folder walked (the fixed part of each pattern with wildcards) and every file found under it, matched or not. */
  readonly walked: ReadonlyMap<string, readonly string[]>;
}

/**
 * The files several absolute patterns match, and the walks that found them: each folder is walked once however
 * many patterns start there (`models/*.{ts,mts}` is two), and what is under it comes back at no further cost.
 */
export function expandGlobs(patterns: readonly string[]): GlobWalk {
  const walked = new Map<string, string[]>();
  const files = new Set<string>();
  for (const pattern of patterns.flatMap(expandBraces)) {
    const norm = pattern.split(path.sep).join('/');
    const base = fixedBase(norm);
    if (base === null) {
      if (statSync(pattern, { throwIfNoEntry: false })?.isFile()) files.add(pattern);
      continue;
    }
    const re = toRegExp(norm.slice(base === '/' ? 1 : base.length + 1));
    let under = walked.get(base);
    if (under === undefined) {
      under = [];
      walk(base, under);
      walked.set(base, under);
    }
    for (const f of under) if (re.test(path.relative(base, f).split(path.sep).join('/')) && !f.endsWith('.d.ts')) files.add(f);
  }
  return { files: [...files].sort(), walked };
}
