/**
 * Reading a CREATE TABLE / CREATE INDEX text (src/dialects/sqlite/sqlite-table-text.ts): each table's body is
 * tokenized once and read as ranges (issue 24). Hand-picked texts check what it reads; random ones check that it
 * reads what the text read part by part (test/helpers/sqlite-reference-text.ts) reads.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readIndexText, readTableText, type TableText } from '../src/dialects/sqlite/sqlite-table-text.js';
import { readColumnType } from '../src/dialects/sqlite/sqlite-column-type.js';
import { closingParenAt } from '../src/dialects/sqlite/sqlite-sql-text.js';
import { referenceColumnType, referenceIndexText, referenceTableText } from './helpers/sqlite-reference-text.js';

const plain = (t: TableText) => ({ ...t, autoIncrementColumns: [...t.autoIncrementColumns].sort(), columns: [...t.columns] });
const constraint = (c: Partial<TableText['constraints'][number]> & Pick<TableText['constraints'][number], 'kind' | 'columns'>) =>
  ({ name: null, expression: '', refTable: '', onColumn: null, deferrable: null, ordered: false, ...c });

describe('readTableText', () => {
  test('a comment between tokens, holding a comma and parentheses, is no part of the reading', () => {
    const t = readTableText('CREATE TABLE t (a INTEGER /* , b ( */ NOT NULL -- c, (\n CONSTRAINT /* x */ "k" CHECK (a > 0), b TEXT)');
    assert.deepEqual([...t.columns.keys()], ['a', 'b']);
    assert.deepEqual(t.constraints, [constraint({ kind: 'check', name: 'k', columns: ['a'], onColumn: 'a', expression: 'a > 0' })]);
    assert.equal(t.columns.get('a')!.base, 'INTEGER');
  });

  test('names in every quote style, doubled quotes undone', () => {
    const t = readTableText('CREATE TABLE t ("a""b" INT, `c``d` INT, [e f] INT, CONSTRAINT "u""1" UNIQUE ("a""b", `c``d`), FOREIGN KEY ([e f]) REFERENCES "p""q" ("x"))');
    assert.deepEqual([...t.columns.keys()], ['a"b', 'c`d', 'e f']);
    assert.deepEqual(t.constraints, [
      constraint({ kind: 'unique', name: 'u"1', columns: ['a"b', 'c`d'] }),
      constraint({ kind: 'foreignKey', columns: ['e f'], refTable: 'p"q' }),
    ]);
  });

  test('nested groups stay whole: CHECK, DEFAULT and GENERATED expressions as written', () => {
    const t = readTableText("CREATE TABLE t (a INT DEFAULT ((1) + (2)) CHECK ((a IN (1, (2)))), b TEXT GENERATED ALWAYS AS ((a || ',') || (a)) STORED COLLATE nocase, CHECK (length(b) > (0)))");
    assert.deepEqual(t.constraints.map((c) => c.expression), ['a IN (1, (2))', 'length(b) > (0)']);
    assert.deepEqual(t.columns.get('b'), { base: 'TEXT', collate: 'nocase', generated: { expression: "(a || ',') || (a)", stored: true } });
    assert.deepEqual(t.columns.get('a'), { base: 'INT', collate: null, generated: null });
  });

  test('type names: spaces before a parenthesis go, other spaces become one', () => {
    const t = readTableText('CREATE TABLE t (a NUMERIC (12, 2), b VARCHAR(10), c UNSIGNED   BIG /* c */ INT, d "my type")');
    assert.deepEqual([...t.columns.values()].map((c) => c.base), ['NUMERIC(12, 2)', 'VARCHAR(10)', 'UNSIGNED BIG INT', '"my type"']);
  });

  test('keys: ordered entries, INTEGER PRIMARY KEY DESC, an entry that is only a comment', () => {
    const t = readTableText('CREATE TABLE t (a INTEGER PRIMARY KEY DESC, b INT, PRIMARY KEY (a, b ASC), UNIQUE (b COLLATE NOCASE), UNIQUE (a, /* none */))');
    assert.deepEqual(t.constraints, [
      constraint({ kind: 'primaryKey', columns: ['a'], onColumn: 'a', ordered: true }),
      constraint({ kind: 'primaryKey', columns: ['a', 'b'] }),
      constraint({ kind: 'unique', columns: ['b'], ordered: true }),
      constraint({ kind: 'unique', columns: ['a', '/* none */'] }),
    ]);
  });

  test('DEFERRABLE clauses, ON CONFLICT, AUTOINCREMENT and the table options', () => {
    const t = readTableText('CREATE TABLE t (id INTEGER PRIMARY KEY ON CONFLICT REPLACE AUTOINCREMENT, p INT REFERENCES a NOT DEFERRABLE, q INT, FOREIGN KEY (q) REFERENCES b (id) deferrable initially deferred) WITHOUT /* c */ ROWID, STRICT');
    assert.deepEqual(t.constraints.filter((c) => c.kind === 'foreignKey').map((c) => [c.refTable, c.deferrable]), [['a', 'NOT DEFERRABLE'], ['b', 'DEFERRABLE INITIALLY DEFERRED']]);
    assert.equal(t.onConflict, 'column "id"');
    assert.deepEqual([...t.autoIncrementColumns], ['id']);
    assert.deepEqual([t.withoutRowid, t.strict], [true, true]);
  });

  test('keywords fold ASCII letters only, as SQLite reads them: CONſTRAINT is part of a type name', () => {
    // toUpperCase() folds the long s into S (and the dotless i into I); SQLite reads `CONſTRAINT c` as more of the type.
    const t = readTableText('CREATE TABLE t (a TEXT CONſTRAINT c CHECK (a <> \'\'), b ıNT)');
    assert.deepEqual(t.constraints, [constraint({ kind: 'check', columns: ['a'], onColumn: 'a', expression: "a <> ''" })]);
    assert.equal(t.columns.get('a')!.base, 'TEXT CONſTRAINT c');
  });

  test('a word ending in a space beyond ASCII keeps it, as SQLite reads it, at the end of an entry too', () => {
    // SQLite's identifiers take every character beyond ASCII, so `KEY\u00a0` is a name, not the keyword, wherever it
    // is; a part trimmed on its own lost the no-break space before a comma, and only there.
    const t = readTableText('CREATE TABLE t (a INT, b\u00a0 INT, UNIQUE\u00a0, PRIMARY KEY\u00a0, c INT UNIQUE\u00a0)');
    // A name is unquote()d, which trims it.
    assert.deepEqual([...t.columns.keys()], ['a', 'b', 'unique', 'c']);
    assert.deepEqual(t.constraints, []);
  });
});

describe('readIndexText', () => {
  test('bare names unquoted, anything else as written, WHERE unwrapped', () => {
    assert.deepEqual(readIndexText('CREATE INDEX i ON t ("a""b", [c], lower(d), e COLLATE NOCASE DESC, /* f */ f) WHERE (a > 0);'),
      { columns: ['a"b', 'c', 'lower(d)', 'e COLLATE NOCASE DESC', 'f'], where: 'a > 0' });
  });
});

// CREATE TABLE texts from the pieces a reader must get right; a few raw quote and comment openers. No space beyond
// ASCII: a part read on its own was trimmed of one after its last word (see above).
const PIECES = ['a', '"a""b"', '`x``y`', '[w z]', "'s''t'", ' INTEGER', ' VARCHAR(10)', ' NUMERIC ( 12 , 2 )', ' PRIMARY KEY', ' AUTOINCREMENT', ' DESC', ' ASC',
  ' NOT NULL', ' DEFAULT', ' (1 + (2))', " 'x'", ' COLLATE NOCASE', ' GENERATED ALWAYS AS (a || b)', ' STORED', ' AS', ' CHECK (a > 0)', ' CONSTRAINT', ' "c1"',
  ' UNIQUE', ' (a, b DESC)', ' (a COLLATE NOCASE)', ' ("x" ASC, /* c */ y)', ' (a,,b)', ' (a, /* only */)', ' (a,)', ', UNIQUE (a,,b)', ', PRIMARY KEY (a, /* only */)',
  ', FOREIGN KEY (a,) REFERENCES p DEFERRABLE', ', CONSTRAINT k UNIQUE (/* c */, b ASC)', ', CHECK ((a))', ' FOREIGN KEY (a) REFERENCES p (id)', ' REFERENCES "p"',
  ' DEFERRABLE', ' NOT DEFERRABLE', ' INITIALLY DEFERRED', ' ON CONFLICT REPLACE', ' ON', ' CONFLICT', ', ', ',', ' -- c, (\n', ' /* ) , */ ', '\n', ')',
  ' WITHOUT ROWid', ', STRICT', ' without', ' rowid', 'ſ', '\u00e9', ' x.y', '*/', ' - -1', ' /**/'];
const RAW = ['(', '"', "'", '[', '`', '--', '/*'];

function randomTable(seed: number): string {
  let s = seed;
  const next = () => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s >>> 8; };
  let out = 'CREATE TABLE t (';
  const n = next() % 30;
  for (let i = 0; i < n; i++) out += next() % 40 === 0 ? RAW[next() % RAW.length] : PIECES[next() % PIECES.length];
  if (next() % 10) out += ')';
  if (next() % 3 === 0) out += PIECES[next() % PIECES.length];
  return out;
}

describe('reading a table\'s tokens once reads what reading it part by part does', () => {
  const texts = Array.from({ length: 4000 }, (_, i) => randomTable(i + 1));
  // A body never closed (which sqlite_master cannot hold) ends its last group where the text ends, not where its last
  // part did: those are left out of the table and index readings.
  const closed = texts.filter((t) => closingParenAt(t, t.indexOf('(')) >= 0);
  test('the random texts are mostly closed', () => assert.ok(closed.length > texts.length / 2, `${closed.length}`));
  test('readTableText', () => { for (const t of closed) assert.deepEqual(plain(readTableText(t)), plain(referenceTableText(t)), JSON.stringify(t)); });
  test('readIndexText', () => { for (const t of closed) assert.deepEqual(readIndexText(t), referenceIndexText(t), JSON.stringify(t)); });
  test('readColumnType', () => { for (const t of texts) assert.deepEqual(readColumnType(t.slice(16)), referenceColumnType(t.slice(16)), JSON.stringify(t)); });
});
