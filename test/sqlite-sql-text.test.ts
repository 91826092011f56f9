/**
 * SQLite's own text scanner (src/dialects/sqlite/sqlite-sql-text.ts) agrees with the shared scanner
 * (src/dialects/sql-text.ts) under sqliteSyntax: it has its own loops over character codes for speed, so it is
 * checked against the shared rules on hand-picked texts and on random ones built from the characters that matter
 * (quotes, brackets, comment openers, parentheses, commas, whitespace beyond ASCII).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closingParen, stripOuterParens as sharedStrip } from '../src/dialects/sql-text.js';
import { closingParenAt, firstGroupTokens, sqliteSyntax, splitTopLevel, stripOuterParens, TokenList, tokenize } from '../src/dialects/sqlite/sqlite-sql-text.js';
import { referenceFirstGroup, referenceSplit, referenceTokenize } from './helpers/sqlite-reference-text.js';

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
  test('firstGroupTokens', () => {
    for (const t of ALL) {
      const body = firstGroupTokens(t);
      const read = body && { inner: Array.from({ length: body.tokens.length }, (_, i) => body.tokens.token(i)), after: t.slice(body.after) };
      const reference = referenceFirstGroup(t);
      assert.deepEqual(read, reference && { inner: referenceTokenize(reference.inner), after: reference.after }, JSON.stringify(t));
    }
  });
  test('stripOuterParens', () => { for (const t of ALL) assert.equal(stripOuterParens(t), sharedStrip(t, sqliteSyntax), JSON.stringify(t)); });
  test('a TokenList of sql[from, to) holds the tokens of sql.slice(from, to)', () => {
    for (const [k, t] of ALL.entries()) {
      const from = k % (t.length + 1);
      const to = from + ((k * 7) % (t.length - from + 1));
      const list = new TokenList(t, from, to);
      assert.deepEqual(Array.from({ length: list.length }, (_, i) => list.token(i)), referenceTokenize(t.slice(from, to)), JSON.stringify([t, from, to]));
    }
  });
  test('closingParenAt', () => {
    for (const t of ALL) {
      for (let i = t.indexOf('('); i >= 0; i = t.indexOf('(', i + 1)) assert.equal(closingParenAt(t, i), closingParen(t, i, sqliteSyntax), JSON.stringify([t, i]));
    }
  });
});
