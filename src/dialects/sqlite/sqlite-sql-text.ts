/**
 * Just enough of SQLite's SQL grammar to read back what sqlite_master keeps:
 * SQLite stores the CREATE TABLE / CREATE INDEX text verbatim and offers no
 * catalog for constraint names or CHECK expressions, so the introspector
 * reads them from that text. This is a tokenizer and a splitter, not a parser.
 */

/** One token of SQL text: a word, a quoted name, a string, a parenthesised group or a punctuation mark. */
export interface Token {
  readonly kind: 'word' | 'quoted' | 'string' | 'group' | 'punct';
  /** The token as written. */
  readonly text: string;
  /** For `group`: the text between the parentheses. */
  readonly inner: string;
}

function skipQuoted(sql: string, i: number, close: string): number {
  // Doubled closers ("" '' ``) are escapes inside SQL quotes.
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] === close) {
      if (close !== ']' && sql[j + 1] === close) { j += 2; continue; }
      return j + 1;
    }
    j++;
  }
  return sql.length;
}

function skipComment(sql: string, i: number): number {
  if (sql.startsWith('--', i)) {
    const nl = sql.indexOf('\n', i);
    return nl < 0 ? sql.length : nl + 1;
  }
  if (sql.startsWith('/*', i)) {
    const end = sql.indexOf('*/', i + 2);
    return end < 0 ? sql.length : end + 2;
  }
  return i;
}

/** If a comment, a quoted string or name, or a [bracketed] name starts at `i`, the index just past it; else `i`. */
function skipOpaque(sql: string, i: number): number {
  const c = skipComment(sql, i);
  if (c !== i) return c;
  const ch = sql[i];
  if (ch === '"' || ch === "'" || ch === '`') return skipQuoted(sql, i, ch);
  if (ch === '[') return skipQuoted(sql, i, ']');
  return i;
}

/** Index just past the parenthesis that closes the one at `open`. */
export function matchParen(sql: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < sql.length) {
    const ch = sql[i]!;
    const skipped = skipOpaque(sql, i);
    if (skipped !== i) { i = skipped; continue; }
    if (ch === '(') depth++;
    if (ch === ')') { depth--; if (depth === 0) return i + 1; }
    i++;
  }
  return sql.length;
}

/** Splits SQL text into top-level tokens (parenthesised groups stay whole). */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const c = skipComment(sql, i);
    if (c !== i) { i = c; continue; }
    if (/\s/.test(ch)) { i++; continue; }
    let end: number;
    let kind: Token['kind'];
    if (ch === '"' || ch === '`') { end = skipQuoted(sql, i, ch); kind = 'quoted'; }
    else if (ch === '[') { end = skipQuoted(sql, i, ']'); kind = 'quoted'; }
    else if (ch === "'") { end = skipQuoted(sql, i, "'"); kind = 'string'; }
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

/** Splits on commas that are not inside parentheses or quotes. */
export function splitTopLevel(sql: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const skipped = skipOpaque(sql, i);
    if (skipped !== i) { i = skipped; continue; }
    if (ch === '(') { i = matchParen(sql, i); continue; }
    if (ch === ',') { parts.push(sql.slice(start, i).trim()); start = i + 1; }
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
  return t !== undefined && t.kind === 'word' && t.text.toUpperCase() === kw;
}

/** Strips parentheses that wrap the whole expression, however many. */
export function stripOuterParens(expr: string): string {
  let e = expr.trim();
  while (e.startsWith('(') && matchParen(e, 0) === e.length) e = e.slice(1, -1).trim();
  return e;
}

/** The body of a CREATE TABLE / CREATE INDEX statement: the text of its first top-level parenthesised group, and what follows it. */
export function firstGroup(sql: string): { inner: string; after: string } | null {
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const skipped = skipOpaque(sql, i);
    if (skipped !== i) { i = skipped; continue; }
    if (ch === '(') {
      const end = matchParen(sql, i);
      return { inner: sql.slice(i + 1, end - 1), after: sql.slice(end) };
    }
    i++;
  }
  return null;
}
