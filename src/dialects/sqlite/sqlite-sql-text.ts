/**
 * Just enough of SQLite's SQL grammar to read back what sqlite_master keeps:
 * SQLite stores the CREATE TABLE / CREATE INDEX text verbatim and offers no
 * catalog for constraint names or CHECK expressions, so the introspector
 * reads them from that text. This is a tokenizer and a splitter, not a parser;
 * quotes and comments are found by the shared scanner (../sql-text.ts).
 */
import { closingParen, quotedRunAt, scanTopLevel, splitTopLevel as splitOn, stripOuterParens as stripParens, type SqlSyntax } from '../sql-text.js';

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

/** Index just past the parenthesis that closes the one at `open` (the text's length when none does). */
export function matchParen(sql: string, open: number): number {
  const close = closingParen(sql, open, sqliteSyntax);
  return close < 0 ? sql.length : close + 1;
}

/** Splits SQL text into top-level tokens (parenthesised groups stay whole). */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const run = quotedRunAt(sql, i, sqliteSyntax);
    if (run?.kind === 'comment') { i = run.end; continue; }
    if (/\s/.test(ch)) { i++; continue; }
    let end: number;
    let kind: Token['kind'];
    if (run) { end = run.end; kind = run.kind === 'string' ? 'string' : 'quoted'; }
    else if (ch === '(') { end = matchParen(sql, i); kind = 'group'; }
    else if (/[A-Za-z0-9_$\u0080-\uffff]/.test(ch)) {
      end = i;
      while (end < sql.length && /[A-Za-z0-9_$.\u0080-\uffff]/.test(sql[end]!)) end++;
      kind = 'word';
    } else { end = i + 1; kind = 'punct'; }
    const text = sql.slice(i, end);
    out.push({ kind, text, inner: kind === 'group' ? text.slice(1, -1) : '' });
    i = end;
  }
  return out;
}

/** Splits on commas that are not inside parentheses, quotes or comments; no empty last part. */
export function splitTopLevel(sql: string): string[] {
  const parts = splitOn(sql, sqliteSyntax);
  if (parts[parts.length - 1] === '') parts.pop();
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
  return t !== undefined && t.kind === 'word' && t.text.toUpperCase() === kw;
}

/** Strips parentheses that wrap the whole expression, however many. */
export function stripOuterParens(expr: string): string {
  return stripParens(expr, sqliteSyntax);
}

/** The body of a CREATE TABLE / CREATE INDEX statement: the text of its first top-level parenthesised group, and what follows it. */
export function firstGroup(sql: string): { inner: string; after: string } | null {
  const open = scanTopLevel(sql, sqliteSyntax, (ch) => ch === '(');
  if (open < 0) return null;
  const end = matchParen(sql, open);
  return { inner: sql.slice(open + 1, end - 1), after: sql.slice(end) };
}
