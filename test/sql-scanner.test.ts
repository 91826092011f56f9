/**
 * The shared SQL text scanner (src/dialects/sql-text.ts), table-driven, under
 * each dialect's quoting rules: strings and quoted names with doubled quotes,
 * PostgreSQL's E'' strings and dollar quotes, SQLite's brackets and comments,
 * nested parentheses.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closingParen, quotedRunAt, scanTopLevel, splitTopLevel, stripOuterParens, type QuotedRun, type SqlSyntax } from '../src/dialects/sql-text.js';
import { postgresSyntax } from '../src/dialects/postgres/postgres-sql.js';
import { sqliteSyntax } from '../src/dialects/sqlite/sqlite-sql-text.js';

const pg = postgresSyntax;
const lite = sqliteSyntax;

describe('quotedRunAt', () => {
  const cases: [string, SqlSyntax, string, number, QuotedRun | null][] = [
    ['a plain character', pg, 'abc', 0, null],
    ['a string', pg, "'ab' x", 0, { kind: 'string', end: 4, closed: true }],
    ['a string with doubled quotes', pg, "'it''s' x", 0, { kind: 'string', end: 7, closed: true }],
    ['a quoted name with doubled quotes', pg, '"a""b" x', 0, { kind: 'name', end: 6, closed: true }],
    ['a string left open', pg, "'ab", 0, { kind: 'string', end: 3, closed: false }],
    ['a backslash in a standard string escapes nothing', pg, "'a\\' x", 0, { kind: 'string', end: 4, closed: true }],
    ['an E string: a backslash escapes the quote', pg, "E'a\\'b' x", 1, { kind: 'string', end: 7, closed: true }],
    ['an e string: a doubled backslash is one backslash', pg, "e'a\\\\' x", 1, { kind: 'string', end: 6, closed: true }],
    ['an E ending a name does not make an E string', pg, "typE'a\\' x", 4, { kind: 'string', end: 8, closed: true }],
    ['no E strings on SQLite', lite, "E'a\\' x", 1, { kind: 'string', end: 5, closed: true }],
    ['a dollar quote', pg, '$$a)b$$ x', 0, { kind: 'dollar', end: 7, closed: true }],
    ['a tagged dollar quote holding $$', pg, '$fn$a $$ b$fn$ x', 0, { kind: 'dollar', end: 14, closed: true }],
    ['a dollar quote left open', pg, '$t$abc', 0, { kind: 'dollar', end: 6, closed: false }],
    ['a parameter is not a dollar quote', pg, '$1 + $2', 0, null],
    ['a $ inside a name is not a dollar quote', pg, 'a$b$ x', 1, null],
    ['no dollar quotes on SQLite', lite, '$$a$$', 0, null],
    ['a bracketed name has no escape', lite, '[a]]b', 0, { kind: 'name', end: 3, closed: true }],
    ['a backquoted name', lite, '`a``b` x', 0, { kind: 'name', end: 6, closed: true }],
    ['a line comment', lite, '-- a, b\nc', 0, { kind: 'comment', end: 8, closed: true }],
    ['a line comment at the end', lite, '-- a', 0, { kind: 'comment', end: 4, closed: true }],
    ['a block comment', lite, '/* a ) */ b', 0, { kind: 'comment', end: 9, closed: true }],
    ['a block comment left open', lite, '/* a', 0, { kind: 'comment', end: 4, closed: false }],
    ['no comments on PostgreSQL (as its scanners always read them)', pg, '-- a', 0, null],
  ];
  for (const [name, syntax, text, at, want] of cases) test(name, () => assert.deepEqual(quotedRunAt(text, at, syntax), want));
});

describe('closingParen', () => {
  const cases: [string, SqlSyntax, string, number][] = [
    ['nested parentheses', pg, '(a (b) (c (d))) e', 14],
    ['a parenthesis in a string', pg, "(')' || x) y", 9],
    ['a parenthesis in a quoted name', pg, '(")" + 1)', 8],
    ['a parenthesis in an E string after an escaped quote', pg, "(E'\\')' || x)", 12],
    ['a parenthesis in a dollar quote', pg, '($q$)$q$)', 8],
    ['a parenthesis in a comment', lite, '(a -- )\n)', 8],
    ['a parenthesis in a bracketed name', lite, '([)] + 1)', 8],
    ['never closed', pg, '(a (b)', -1],
    ['a string left open', pg, "(a ')", -1],
  ];
  for (const [name, syntax, text, want] of cases) test(name, () => assert.equal(closingParen(text, 0, syntax), want));
});

describe('splitTopLevel', () => {
  const cases: [string, SqlSyntax, string, string[]][] = [
    ['plain commas, parts trimmed', pg, 'a, b ,c', ['a', 'b', 'c']],
    ['commas inside parentheses stay', pg, 'lower(a, b), (c, (d, e))', ['lower(a, b)', '(c, (d, e))']],
    ['commas inside strings and names stay', pg, `'a,b', "c,d", 'it''s,'`, [`'a,b'`, '"c,d"', `'it''s,'`]],
    ['commas inside E strings and dollar quotes stay', pg, "E'\\',', $x$,$x$", ["E'\\','", '$x$,$x$']],
    ['commas inside comments stay', lite, 'a -- b, c\n, d /* , */', ['a -- b, c', 'd /* , */']],
    ['an empty last part is kept', pg, 'a,', ['a', '']],
  ];
  for (const [name, syntax, text, want] of cases) test(name, () => assert.deepEqual(splitTopLevel(text, syntax), want));
  test('another separator', () => assert.deepEqual(splitTopLevel("a;'b;c';(d;e)", pg, ';'), ['a', "'b;c'", '(d;e)']));
});

describe('stripOuterParens', () => {
  const cases: [string, SqlSyntax, string, string][] = [
    ['every wrapping pair', pg, ' (( a > 0 )) ', 'a > 0'],
    ['two groups side by side are not one', pg, '(a) + (b)', '(a) + (b)'],
    ['a parenthesis in a string does not close the group', pg, "(')') + (x)", "(')') + (x)"],
    ['a parenthesis in a comment does not close the group', lite, '(a -- )\n)', 'a -- )'],
    ['a parenthesis never closed', pg, '(a', '(a'],
  ];
  for (const [name, syntax, text, want] of cases) test(name, () => assert.equal(stripOuterParens(text, syntax), want));
});

describe('scanTopLevel', () => {
  test('visits characters outside quoted runs with their depth, and stops where asked', () => {
    const seen: string[] = [];
    const at = scanTopLevel("f('(', \"x\") , g", pg, (ch, i, depth) => {
      seen.push(`${ch}${depth}`);
      return ch === ',' && depth === 0 ? true : undefined;
    });
    assert.equal(at, 12);
    assert.deepEqual(seen, ['f0', '(0', ',1', ' 1', ')0', ' 0', ',0']);
  });
  test('gives -1 when the walk reaches the end', () => assert.equal(scanTopLevel('a b', pg, () => false), -1));
});
