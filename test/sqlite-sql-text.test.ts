/**
 * SQLite's own text scanner (src/dialects/sqlite/sqlite-sql-text.ts) agrees with the shared scanner
 * (src/dialects/sql-text.ts) under sqliteSyntax: it has its own loops over character codes for speed, so it is
 * checked against the shared rules on hand-picked texts and on random ones built from the characters that matter
 * (quotes, brackets, comment openers, parentheses, commas, whitespace beyond ASCII).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closingParen, quotedRunAt, scanTopLevel, splitTopLevel as sharedSplit, stripOuterParens as sharedStrip } from '../src/dialects/sql-text.js';
import { closingParenAt, firstGroup, sqliteSyntax, splitTopLevel, stripOuterParens, tokenize, type Token } from '../src/dialects/sqlite/sqlite-sql-text.js';

/** The tokenizer as it was written over the shared scanner: the reference. */
function referenceTokenize(sql: string): Token[] {
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
    else if (ch === '(') { const close = closingParen(sql, i, sqliteSyntax); end = close < 0 ? sql.length : close + 1; kind = 'group'; }
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

function referenceSplit(sql: string): string[] {
  const parts = sharedSplit(sql, sqliteSyntax);
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function referenceFirstGroup(sql: string): { inner: string; after: string } | null {
  const open = scanTopLevel(sql, sqliteSyntax, (ch) => ch === '(');
  if (open < 0) return null;
  const close = closingParen(sql, open, sqliteSyntax);
  const end = close < 0 ? sql.length : close + 1;
  return { inner: sql.slice(open + 1, end - 1), after: sql.slice(end) };
}

const TEXTS = [
  'CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "a" TEXT CHECK (a IN (\'x\', \'y\')), CONSTRAINT "u" UNIQUE ("a"))',
  "CREATE TABLE [odd ] (`a``b` int, \"c\"\"d\" text DEFAULT 'it''s', e) WITHOUT ROWID, STRICT",
  'CREATE TABLE t (a -- a comment, with ( a parenthesis\n, b /* and ) another, */ int)',
  "CREATE TABLE t (a TEXT DEFAULT '(', b TEXT DEFAULT ')' , c)",
  'CREATE TABLE t (a\u00a0int,\u2003b\u00e9 text)',
  'CREATE TABLE t (a int, b int,)',
  'CREATE TABLE t (a int',
  "CREATE TABLE t (a text DEFAULT 'never closed",
  '((a > 0))',
  ' ( (a) + (b) ) ',
  '(a -- )\n)',
  'schema.table.column ( x ) - -1 / * /',
  '',
];

// Texts from the characters a scanner must get right, mixed with plain letters.
function randomText(seed: number): string {
  const alphabet = ['a', 'B', '1', '_', '$', '.', ' ', '\n', '\t', '\u00a0', '\u00e9', '(', ')', ',', "'", '"', '`', '[', ']', '-', '/', '*', '+', 'x'];
  let s = seed;
  const next = () => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s; };
  const length = next() % 40;
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[next() % alphabet.length];
  return out;
}

const ALL = [...TEXTS, ...Array.from({ length: 3000 }, (_, i) => randomText(i + 1))];

describe('sqlite-sql-text agrees with the shared scanner', () => {
  test('tokenize', () => { for (const t of ALL) assert.deepEqual(tokenize(t), referenceTokenize(t), JSON.stringify(t)); });
  test('splitTopLevel', () => { for (const t of ALL) assert.deepEqual(splitTopLevel(t), referenceSplit(t), JSON.stringify(t)); });
  test('firstGroup', () => { for (const t of ALL) assert.deepEqual(firstGroup(t), referenceFirstGroup(t), JSON.stringify(t)); });
  test('stripOuterParens', () => { for (const t of ALL) assert.equal(stripOuterParens(t), sharedStrip(t, sqliteSyntax), JSON.stringify(t)); });
  test('closingParenAt', () => {
    for (const t of ALL) {
      for (let i = t.indexOf('('); i >= 0; i = t.indexOf('(', i + 1)) assert.equal(closingParenAt(t, i), closingParen(t, i, sqliteSyntax), JSON.stringify([t, i]));
    }
  });
});
