/**
 * One quote-aware scanner for SQL text, shared by the dialects. Reading back
 * what a database stores (a CHECK, an index definition, a CREATE TABLE) means
 * finding parentheses, commas and words that are not inside a string, a
 * quoted name or a comment; the rules for those differ by database, so this
 * module knows none of them: each dialect passes its SqlSyntax. A scanner,
 * not a parser: it finds structure, and leaves meaning to the dialect.
 */

/** QuoteRule is one kind of quoted text: the character that opens it, the one that closes it, and what it holds. */
export interface QuoteRule {
  readonly open: string;
  readonly close: string;
  /** `string` for a literal, `name` for a quoted identifier. */
  readonly kind: 'string' | 'name';
  /** Whether a doubled closer (`''`, `""`) stands for one closer inside the quotes. */
  readonly doubled: boolean;
}

/** SqlSyntax is one dialect's lexical rules, as far as the scanner needs them. */
export interface SqlSyntax {
  readonly quotes: readonly QuoteRule[];
  /** Whether a string quote right after a lone E or e opens an escape string, in which a backslash escapes the next character (PostgreSQL's E'...'). */
  readonly escapeStrings: boolean;
  /** Whether $tag$...$tag$ (and $$...$$) quotes a string (PostgreSQL's dollar quoting). */
  readonly dollarQuotes: boolean;
  /** Whether `-- ...` line comments and `/* ... *\/` block comments are skipped. */
  readonly comments: boolean;
}

/** QuotedRun is a stretch of text the scanner does not look inside: a string, a quoted name, a dollar-quoted string or a comment. */
export interface QuotedRun {
  readonly kind: 'string' | 'name' | 'dollar' | 'comment';
  /** The index just past the run (the text's length when it is never closed). */
  readonly end: number;
  /** False when the text ends before the run does. */
  readonly closed: boolean;
}

// Characters that continue an identifier: an E or a $ after one of them belongs to the identifier.
const IDENTIFIER_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

function dollarTagAt(text: string, i: number): string | null {
  if (i > 0 && IDENTIFIER_CHAR.test(text[i - 1]!)) return null;
  DOLLAR_TAG.lastIndex = i;
  return DOLLAR_TAG.exec(text)?.[0] ?? null;
}

function escapePrefixed(text: string, i: number): boolean {
  const e = text[i - 1];
  return (e === 'E' || e === 'e') && (i < 2 || !IDENTIFIER_CHAR.test(text[i - 2]!));
}

// A comment runs to its closer; a line comment may also run to the end of the text.
function commentRun(text: string, i: number, closer: string): QuotedRun {
  const at = text.indexOf(closer, i + 2);
  if (at < 0) return { kind: 'comment', end: text.length, closed: closer === '\n' };
  return { kind: 'comment', end: at + closer.length, closed: true };
}

/** The quoted run (string, quoted name, dollar-quoted string or comment) that starts at `i`, or null when none does. */
export function quotedRunAt(text: string, i: number, syntax: SqlSyntax): QuotedRun | null {
  const ch = text[i];
  if (syntax.comments) {
    if (text.startsWith('--', i)) return commentRun(text, i, '\n');
    if (text.startsWith('/*', i)) return commentRun(text, i, '*/');
  }
  if (syntax.dollarQuotes && ch === '$') {
    const tag = dollarTagAt(text, i);
    if (tag !== null) {
      const close = text.indexOf(tag, i + tag.length);
      return close < 0 ? { kind: 'dollar', end: text.length, closed: false } : { kind: 'dollar', end: close + tag.length, closed: true };
    }
  }
  const rule = syntax.quotes.find((q) => q.open === ch);
  if (!rule) return null;
  const escapes = syntax.escapeStrings && rule.kind === 'string' && escapePrefixed(text, i);
  for (let j = i + 1; j < text.length;) {
    const c = text[j];
    if (escapes && c === '\\') { j += 2; continue; }
    if (c === rule.close) {
      if (rule.doubled && text[j + 1] === rule.close) { j += 2; continue; }
      return { kind: rule.kind, end: j + 1, closed: true };
    }
    j++;
  }
  return { kind: rule.kind, end: text.length, closed: false };
}

/**
 * `text` without its comments (`-- ...`, `/* ... *\/`), each made one space, strings and quoted names kept as they
 * are: an expression's comment means nothing, and written inside `CHECK (...)` a line comment would take the closing
 * parenthesis with it. Text without `--` or `/*` comes back as it is.
 */
export function withoutSqlComments(text: string, syntax: SqlSyntax): string {
  if (!syntax.comments || (!text.includes('--') && !text.includes('/*'))) return text;
  let out = '';
  for (let i = 0; i < text.length;) {
    const run = quotedRunAt(text, i, syntax);
    if (run === null) {
      out += text[i];
      i++;
      continue;
    }
    out += run.kind === 'comment' ? ' ' : text.slice(i, run.end);
    i = run.end;
  }
  return out;
}

/**
 * Walks `text`, calling `visit` with each character outside quoted runs and the parenthesis depth it sits at
 * (a group's own parentheses sit at the depth around it). Stops at the first character `visit` returns true
 * for and gives its index; -1 when the walk reaches the end.
 */
export function scanTopLevel(text: string, syntax: SqlSyntax, visit: (ch: string, i: number, depth: number) => boolean | void): number {
  let depth = 0;
  for (let i = 0; i < text.length;) {
    const run = quotedRunAt(text, i, syntax);
    if (run) { i = run.end; continue; }
    const ch = text[i]!;
    if (ch === ')') depth--;
    if (visit(ch, i, depth) === true) return i;
    if (ch === '(') depth++;
    i++;
  }
  return -1;
}

/** The index of the parenthesis that closes the one at `open`, or -1 when the text ends first (a quoted run left open included). */
export function closingParen(text: string, open: number, syntax: SqlSyntax): number {
  let depth = 0;
  for (let i = open; i < text.length;) {
    const run = quotedRunAt(text, i, syntax);
    if (run) { i = run.end; continue; }
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
    i++;
  }
  return -1;
}

/** Splits `text` at each `separator` outside quoted runs and parentheses; the parts come trimmed, the last one too even when empty. */
export function splitTopLevel(text: string, syntax: SqlSyntax, separator = ','): string[] {
  const parts: string[] = [];
  let start = 0;
  scanTopLevel(text, syntax, (ch, i, depth) => {
    if (ch === separator && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  });
  parts.push(text.slice(start).trim());
  return parts;
}

/** Removes parentheses that enclose the whole expression, however many: `((a > 0))` -> `a > 0`. */
export function stripOuterParens(expr: string, syntax: SqlSyntax): string {
  let e = expr.trim();
  while (e.startsWith('(') && e.endsWith(')') && closingParen(e, 0, syntax) === e.length - 1) e = e.slice(1, -1).trim();
  return e;
}
