/**
 * Just enough of SQLite's SQL grammar to read back what sqlite_master keeps:
 * SQLite stores the CREATE TABLE / CREATE INDEX text verbatim and offers no
 * catalog for constraint names or CHECK expressions, so the introspector
 * reads them from that text. This is a tokenizer and a splitter, not a parser.
 * It follows the shared scanner's rules (../sql-text.ts) under `sqliteSyntax`, with
 * its own loops over character codes: reading a 1000-table database scans about
 * 600 KB of CREATE text several times, and the shared scanner's per-character
 * rule lookup made that a third of the live read (test/sqlite-sql-text.test.ts
 * checks the two agree).
 */
import type { SqlSyntax } from '../sql-text.js';

/** One token of SQL text: a word, a quoted name, a string, a parenthesised group or a punctuation mark. */
export interface Token {
  readonly kind: 'word' | 'quoted' | 'string' | 'group' | 'punct';
  /** The token as written. */
  readonly text: string;
  /** For `group`: the text between the parentheses. */
  readonly inner: string;
}

/** SQLite's quoting: 'strings', "names", `names` and [names] (no escape inside brackets), and comments. */
export const sqliteSyntax: SqlSyntax = {
  quotes: [
    { open: "'", close: "'", kind: 'string', doubled: true },
    { open: '"', close: '"', kind: 'name', doubled: true },
    { open: '`', close: '`', kind: 'name', doubled: true },
    { open: '[', close: ']', kind: 'name', doubled: false },
  ],
  escapeStrings: false,
  dollarQuotes: false,
  // sqlite_master keeps the user's CREATE text, comments and all.
  comments: true,
};

/**
 * The index just past the string, quoted name or comment that starts at `i` (the text's length when it is never
 * closed), or -1 when none starts there; `c` is the character code at `i`.
 */
function runEnd(sql: string, i: number, c: number): number {
  switch (c) {
    case 0x2d: { // -- to the end of the line
      if (sql.charCodeAt(i + 1) !== 0x2d) return -1;
      const at = sql.indexOf('\n', i + 2);
      return at < 0 ? sql.length : at + 1;
    }
    case 0x2f: { // /* ... */
      if (sql.charCodeAt(i + 1) !== 0x2a) return -1;
      const at = sql.indexOf('*/', i + 2);
      return at < 0 ? sql.length : at + 2;
    }
    case 0x27: case 0x22: case 0x60: { // 'string', "name", `name`: a doubled quote stands for one
      const quote = sql[i]!;
      for (let j = i + 1; ;) {
        const at = sql.indexOf(quote, j);
        if (at < 0) return sql.length;
        if (sql.charCodeAt(at + 1) !== c) return at + 1;
        j = at + 2;
      }
    }
    case 0x5b: { // [name], no escape inside
      const at = sql.indexOf(']', i + 1);
      return at < 0 ? sql.length : at + 1;
    }
    default:
      return -1;
  }
}

const isComment = (c: number) => c === 0x2d || c === 0x2f;

/** As /\s/ tests one character. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x80 && /\s/.test(String.fromCharCode(c)));
}

/** A character that starts a word: [A-Za-z0-9_$] or anything beyond ASCII. */
function isWordStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x24 || c >= 0x80;
}

/** The index of the parenthesis that closes the one at `open`, or -1 when the text ends first. */
export function closingParenAt(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length;) {
    const c = sql.charCodeAt(i);
    const run = runEnd(sql, i, c);
    if (run >= 0) { i = run; continue; }
    if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return i;
    i++;
  }
  return -1;
}

/** Index just past the parenthesis that closes the one at `open` (the text's length when none does). */
export function matchParen(sql: string, open: number): number {
  const close = closingParenAt(sql, open);
  return close < 0 ? sql.length : close + 1;
}

/** The index of the first `(` outside strings, quoted names and comments, or -1. */
function firstParen(sql: string): number {
  for (let i = 0; i < sql.length;) {
    const c = sql.charCodeAt(i);
    const run = runEnd(sql, i, c);
    if (run >= 0) { i = run; continue; }
    if (c === 0x28) return i;
    i++;
  }
  return -1;
}

/** Splits SQL text into top-level tokens (parenthesised groups stay whole). */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    const run = runEnd(sql, i, c);
    let end: number;
    let kind: Token['kind'];
    if (run >= 0) {
      if (isComment(c)) { i = run; continue; }
      end = run;
      kind = c === 0x27 ? 'string' : 'quoted';
    } else if (isSpace(c)) { i++; continue; }
    else if (c === 0x28) { end = matchParen(sql, i); kind = 'group'; }
    else if (isWordStart(c)) {
      // A word runs on through dots (schema.table).
      end = i + 1;
      while (end < n && (isWordStart(sql.charCodeAt(end)) || sql.charCodeAt(end) === 0x2e)) end++;
      kind = 'word';
    } else { end = i + 1; kind = 'punct'; }
    const text = sql.slice(i, end);
    out.push({ kind, text, inner: kind === 'group' ? text.slice(1, -1) : '' });
    i = end;
  }
  return out;
}

/** Splits on commas that are not inside parentheses, quotes or comments; the parts come trimmed, no empty last part. */
export function splitTopLevel(sql: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < sql.length;) {
    const c = sql.charCodeAt(i);
    const run = runEnd(sql, i, c);
    if (run >= 0) { i = run; continue; }
    if (c === 0x28) depth++;
    else if (c === 0x29) depth--;
    else if (c === 0x2c && depth === 0) {
      parts.push(sql.slice(start, i).trim());
      start = i + 1;
    }
    i++;
  }
  const last = sql.slice(start).trim();
  if (last !== '') parts.push(last);
  return parts;
}

/** A name folded the way SQLite compares names: ASCII letters only (its lower() leaves the others as they are). */
export function asciiLower(name: string): string {
  return name.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** The name an identifier token stands for: quotes removed, doubled quotes undone. */
export function unquote(text: string): string {
  const t = text.trim();
  const first = t[0];
  if (first === '"' || first === '`') return t.slice(1, -1).split(first + first).join(first);
  if (first === '[') return t.slice(1, -1);
  return t;
}

/** True when a token is the keyword `kw` (case-insensitive). */
export function isKeyword(t: Token | undefined, kw: string): boolean {
  return t !== undefined && t.kind === 'word' && t.text.length === kw.length && t.text.toUpperCase() === kw;
}

/** Strips parentheses that wrap the whole expression, however many. */
export function stripOuterParens(expr: string): string {
  let e = expr.trim();
  while (e.charCodeAt(0) === 0x28 && e.charCodeAt(e.length - 1) === 0x29 && closingParenAt(e, 0) === e.length - 1) e = e.slice(1, -1).trim();
  return e;
}

/** The body of a CREATE TABLE / CREATE INDEX statement: the text of its first top-level parenthesised group, and what follows it. */
export function firstGroup(sql: string): { inner: string; after: string } | null {
  const open = firstParen(sql);
  if (open < 0) return null;
  const end = matchParen(sql, open);
  return { inner: sql.slice(open + 1, end - 1), after: sql.slice(end) };
}
