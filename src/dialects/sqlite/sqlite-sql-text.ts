/**
 * Just enough of SQLite's SQL grammar to read back what sqlite_master keeps:
 * SQLite stores the CREATE TABLE / CREATE INDEX text verbatim and offers no
 * catalog for constraint names or CHECK expressions, so the introspector
 * reads them from that text. This is a tokenizer and a splitter, not a parser.
 * It follows the shared scanner's rules (../sql-text.ts) under `sqliteSyntax`, with
 * its own loops over character codes: reading a 1000-table database scans about
 * 600 KB of CREATE text, and the shared scanner's per-character rule lookup made
 * that a third of the live read (test/sqlite-sql-text.test.ts checks the two
 * agree). A table's text is tokenized once, into a TokenList of ranges.
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
 * The index just past the string, quoted name or comment that starts at `i` (`to` when it is not closed before
 * `to`, the end of the stretch being read), or -1 when none starts there; `c` is the character code at `i`.
 */
function runEnd(sql: string, i: number, c: number, to: number): number {
  switch (c) {
    case 0x2d: { // -- to the end of the line
      if (i + 1 >= to || sql.charCodeAt(i + 1) !== 0x2d) return -1;
      const at = sql.indexOf('\n', i + 2);
      return at < 0 || at >= to ? to : at + 1;
    }
    case 0x2f: { // /* ... */
      if (i + 1 >= to || sql.charCodeAt(i + 1) !== 0x2a) return -1;
      const at = sql.indexOf('*/', i + 2);
      return at < 0 || at + 2 > to ? to : at + 2;
    }
    case 0x27: case 0x22: case 0x60: { // 'string', "name", `name`: a doubled quote stands for one
      const quote = sql[i]!;
      for (let j = i + 1; ;) {
        const at = sql.indexOf(quote, j);
        if (at < 0 || at >= to) return to;
        if (at + 1 >= to || sql.charCodeAt(at + 1) !== c) return at + 1;
        j = at + 2;
      }
    }
    case 0x5b: { // [name], no escape inside
      const at = sql.indexOf(']', i + 1);
      return at < 0 || at >= to ? to : at + 1;
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

/** The rest of a word, from its second character: as isWordStart, and dots. A sticky regex: a native scan, even in cold code. */
const WORD_REST = /[A-Za-z0-9_$.\u0080-\uffff]*/y;

/** The index of the parenthesis that closes the one at `open`, or -1 when the text (or its stretch up to `to`) ends first. */
export function closingParenAt(sql: string, open: number, to = sql.length): number {
  let depth = 0;
  for (let i = open; i < to;) {
    const c = sql.charCodeAt(i);
    const run = runEnd(sql, i, c, to);
    if (run >= 0) { i = run; continue; }
    if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return i;
    i++;
  }
  return -1;
}

/** Index just past the parenthesis that closes the one at `open` (`to`, by default the text's length, when none does). */
export function matchParen(sql: string, open: number, to = sql.length): number {
  const close = closingParenAt(sql, open, to);
  return close < 0 ? to : close + 1;
}

/** The index of the first `(` outside strings, quoted names and comments, or -1. */
function firstParen(sql: string): number {
  for (let i = 0; i < sql.length;) {
    const c = sql.charCodeAt(i);
    const run = runEnd(sql, i, c, sql.length);
    if (run >= 0) { i = run; continue; }
    if (c === 0x28) return i;
    i++;
  }
  return -1;
}

const KINDS: readonly Token['kind'][] = ['word', 'quoted', 'string', 'group', 'punct'];
const WORD = 0, QUOTED = 1, STRING = 2, GROUP = 3, PUNCT = 4;

/**
 * The keywords the CREATE TABLE and CREATE INDEX readers look for. A TokenList matches each word against them once,
 * as it reads it, and the readers compare numbers (`tokens.is(i, KW.PRIMARY)`): a 14-column table's reading asked
 * some 1500 times whether a token was a given keyword.
 */
const READ_KEYWORDS = ['AS', 'ASC', 'AUTOINCREMENT', 'CHECK', 'COLLATE', 'CONFLICT', 'CONSTRAINT', 'DEFAULT', 'DEFERRABLE', 'DESC', 'FOREIGN',
  'GENERATED', 'INITIALLY', 'KEY', 'NOT', 'NULL', 'ON', 'PRIMARY', 'REFERENCES', 'ROWID', 'STORED', 'STRICT', 'UNIQUE', 'WITHOUT'] as const;
/** Each of READ_KEYWORDS's number. */
export const KW = Object.fromEntries(READ_KEYWORDS.map((w, i) => [w, i])) as Record<(typeof READ_KEYWORDS)[number], number>;

/** READ_KEYWORDS's numbers by length and first letter (`length * 26 + letter`): a word is compared with these only. */
const BY_SHAPE: number[][] = [];
READ_KEYWORDS.forEach((w, k) => (BY_SHAPE[w.length * 26 + w.charCodeAt(0) - 0x41] ??= []).push(k));

/** The number of the keyword in READ_KEYWORDS that the word sql[start, end) spells, or -1. */
function readKeywordAt(sql: string, start: number, end: number): number {
  let c = sql.charCodeAt(start);
  if (c >= 0x61 && c <= 0x7a) c -= 0x20;
  const candidates = c >= 0x41 && c <= 0x5a ? BY_SHAPE[(end - start) * 26 + c - 0x41] : undefined;
  if (candidates === undefined) return -1;
  for (let n = 0; n < candidates.length; n++) {
    const kw = READ_KEYWORDS[candidates[n]!]!;
    // Keywords are mostly written in upper case: one native comparison.
    if (sql.startsWith(kw, start) || keywordAt(sql, start, end, kw)) return candidates[n]!;
  }
  return -1;
}

/**
 * The top-level tokens of a stretch of SQL text (parenthesised groups stay whole), as ranges into the text: reading
 * a table's CREATE text cuts a string only for what it keeps (names, types, expressions), and a group's tokens are
 * read from the same text when asked for. Token `i` is `sql.slice(start(i), end(i))`; tokens never reach past `to`,
 * so the tokens of sql[from, to) are those of sql.slice(from, to), shifted by `from`.
 */
export class TokenList {
  /** Four numbers a token: its kind, start, end and number in READ_KEYWORDS (-1 for none, and for every non-word). */
  private readonly cells: number[] = [];
  /** The top-level commas' token numbers, in order: they split a list into its entries. */
  readonly commas: number[] = [];

  /** Where the stretch ends: `to`, or with `untilClose` the top-level `)` that ended it (`to` when none did). */
  readonly to: number;

  /** Reads the tokens of sql[from, to); with `untilClose`, only up to a top-level `)`, which closes the group they are in. */
  constructor(readonly sql: string, readonly from = 0, to = sql.length, untilClose = false) {
    const cells = this.cells;
    let i = from;
    while (i < to) {
      const c = sql.charCodeAt(i);
      // Whitespace first: it is the commonest character between tokens, and starts nothing; then words, which start
      // no string, name or comment either (a quoted name's first character is its quote).
      if (c === 0x20 || isSpace(c)) { i++; continue; }
      if (c === 0x29 && untilClose) break;
      let end: number;
      let kind: number;
      if (isWordStart(c)) {
        // A word runs on through dots (schema.table).
        WORD_REST.lastIndex = i + 1;
        WORD_REST.test(sql);
        end = Math.min(WORD_REST.lastIndex, to);
        kind = WORD;
      } else if (c === 0x28) { end = matchParen(sql, i, to); kind = GROUP; }
      else {
        const run = runEnd(sql, i, c, to);
        if (run >= 0 && isComment(c)) { i = run; continue; }
        if (run >= 0) {
          end = run;
          kind = c === 0x27 ? STRING : QUOTED;
        } else {
          end = i + 1;
          kind = PUNCT;
          if (c === 0x2c) this.commas.push(cells.length >> 2);
        }
      }
      cells.push(kind, i, end, kind === WORD ? readKeywordAt(sql, i, end) : -1);
      i = end;
    }
    this.to = Math.min(i, to);
  }

  get length(): number { return this.cells.length >> 2; }
  kind(i: number): Token['kind'] | undefined { return KINDS[this.cells[4 * i]!]; }
  start(i: number): number { return this.cells[4 * i + 1]!; }
  end(i: number): number { return this.cells[4 * i + 2]!; }
  /** The name token `i` stands for, as unquote reads its text ('' past the last). */
  name(i: number): string {
    const start = this.start(i);
    const end = this.end(i);
    const quote = this.sql.charCodeAt(start);
    // A closed "name" or `name`, read without cutting its text twice; a doubled quote stands for one.
    if (this.cells[4 * i] === QUOTED && quote !== 0x5b && end - start >= 2 && this.sql.charCodeAt(end - 1) === quote) {
      const name = this.sql.slice(start + 1, end - 1);
      const q = this.sql[start]!;
      return name.includes(q) ? name.split(q + q).join(q) : name;
    }
    return unquote(this.text(i));
  }
  /** The token as written ('' past the last). */
  text(i: number): string { return i < this.length ? this.sql.slice(this.start(i), this.end(i)) : ''; }
  isWord(i: number): boolean { return this.cells[4 * i] === WORD; }
  isGroup(i: number): boolean { return this.cells[4 * i] === GROUP; }
  /** True when token `i` is the keyword numbered `kw` (one of KW's). */
  is(i: number, kw: number): boolean { return this.cells[4 * i + 3] === kw; }
  /** Token `i`'s number in KW, or -1 when it is not one of those keywords (or past the last token). */
  keyword(i: number): number { return this.cells[4 * i + 3] ?? -1; }
  /** For a group: where the text between its parentheses starts and ends. */
  innerStart(i: number): number { return this.start(i) + 1; }
  innerEnd(i: number): number { return Math.max(this.start(i) + 1, this.end(i) - 1); }
  /** For a group: the text between its parentheses. */
  inner(i: number): string { return this.sql.slice(this.innerStart(i), this.innerEnd(i)); }
  /** For a group: the tokens between its parentheses. */
  inside(i: number): TokenList { return new TokenList(this.sql, this.innerStart(i), this.innerEnd(i)); }
  /** Token `i` as a Token object. */
  token(i: number): Token {
    const kind = this.kind(i)!;
    return { kind, text: this.text(i), inner: kind === 'group' ? this.inner(i) : '' };
  }
}

/**
 * True when sql[start, end) is the keyword `kw` (written in upper case): SQLite's keywords are ASCII, compared
 * without case, so only a-z fold (toUpperCase would also fold the dotless ı and the long ſ into I and S).
 */
function keywordAt(sql: string, start: number, end: number, kw: string): boolean {
  if (end - start !== kw.length) return false;
  for (let k = 0; k < kw.length; k++) {
    const c = sql.charCodeAt(start + k);
    if ((c >= 0x61 && c <= 0x7a ? c - 0x20 : c) !== kw.charCodeAt(k)) return false;
  }
  return true;
}

/** Splits SQL text into top-level tokens (parenthesised groups stay whole). */
export function tokenize(sql: string): Token[] {
  const list = new TokenList(sql);
  const out: Token[] = [];
  for (let i = 0; i < list.length; i++) out.push(list.token(i));
  return out;
}

/** Splits on commas that are not inside parentheses, quotes or comments; the parts come trimmed, no empty last part. */
export function splitTopLevel(sql: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < sql.length;) {
    const c = sql.charCodeAt(i);
    const run = runEnd(sql, i, c, sql.length);
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
  const first = t.charCodeAt(0);
  if (first === 0x22 || first === 0x60) {
    const inner = t.slice(1, -1);
    const quote = t[0]!;
    return inner.includes(quote) ? inner.split(quote + quote).join(quote) : inner;
  }
  if (first === 0x5b) return t.slice(1, -1);
  return t;
}

/** True when a token is the keyword `kw` (upper case; see keywordAt). */
export function isKeyword(t: Token | undefined, kw: string): boolean {
  return t !== undefined && t.kind === 'word' && keywordAt(t.text, 0, t.text.length, kw);
}

/** Strips parentheses that wrap the whole expression, however many. */
export function stripOuterParens(expr: string): string {
  let e = expr.trim();
  while (e.charCodeAt(0) === 0x28 && e.charCodeAt(e.length - 1) === 0x29 && closingParenAt(e, 0) === e.length - 1) e = e.slice(1, -1).trim();
  return e;
}

/**
 * The body of a CREATE TABLE / CREATE INDEX statement: the tokens of its first top-level parenthesised group, read in
 * one pass that finds the group's end, and where what follows the group starts; null when there is no group.
 */
export function firstGroupTokens(sql: string): { tokens: TokenList; after: number } | null {
  const open = firstParen(sql);
  if (open < 0) return null;
  const tokens = new TokenList(sql, open + 1, sql.length, true);
  if (tokens.to < sql.length) return { tokens, after: tokens.to + 1 };
  // Never closed: the body runs to the text's last character, left out as a closing parenthesis would be.
  return { tokens: new TokenList(sql, open + 1, Math.max(open + 1, sql.length - 1)), after: sql.length };
}
