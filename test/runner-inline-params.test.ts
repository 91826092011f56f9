/** Printed SQL carries its parameters as literals, spelled by the dialect. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlinePlaceholders as inlineParams } from '../src/dialects/placeholders.js';
import { literalSql as pgLiteral } from '../src/dialects/postgres/postgres-literal.js';
import { literalSql as sqliteLiteral } from '../src/dialects/sqlite/sqlite-literal.js';

test('parameters are written in as literals, placeholders inside quotes are left alone', () => {
  const cases: [string, unknown[], string][] = [
    ['INSERT INTO t (a, b) VALUES ($1, $2)', ["it's", null], "INSERT INTO t (a, b) VALUES ('it''s', NULL)"],
    ['INSERT INTO t VALUES (?, ?, ?)', [1, true, 'x'], `INSERT INTO t VALUES (1.0, 1, 'x')`],
    [`SELECT '$1 and ?' , "col?" FROM t WHERE a = $1`, [5], `SELECT '$1 and ?' , "col?" FROM t WHERE a = 5.0`],
    [`SELECT doc ? 'key' FROM t WHERE id = $1`, [7], `SELECT doc ? 'key' FROM t WHERE id = 7.0`],
    ['SELECT $2, $1', ['a', 'b'], "SELECT 'b', 'a'"],
  ];
  for (const [sql, params, expected] of cases) assert.equal(inlineParams(sql, params, sqliteLiteral), expected);
  assert.throws(() => inlineParams('SELECT $3', [1], sqliteLiteral), /placeholder \$3/);
  assert.throws(() => inlineParams('SELECT ?, ?', [1, new Date(0)], sqliteLiteral), /^RetortError: parameter 2 \(\?\) cannot be written into the SQL: SQLite cannot take a Date as a parameter$/);
});

test('PostgreSQL literals are the driver text, quoted so that any standard_conforming_strings reads them alike', () => {
  assert.equal(pgLiteral(5), "'5'");
  assert.equal(pgLiteral(-5), "'-5'");
  assert.equal(pgLiteral(Number.NaN), "'NaN'");
  assert.equal(pgLiteral(true), "'true'");
  assert.equal(pgLiteral(12345678901234567890n), "'12345678901234567890'");
  assert.equal(pgLiteral(null), 'NULL');
  assert.equal(pgLiteral(Buffer.from('hi')), "E'\\\\x6869'::bytea");
  assert.equal(pgLiteral(['a', 'b"c']), `E'{"a","b\\\\"c"}'`);
  assert.equal(pgLiteral({ a: "it's" }), `'{"a":"it''s"}'`);
});

test('SQLite literals are what the driver binds: numbers as REAL, booleans as 1 and 0, buffers as blobs', () => {
  assert.equal(sqliteLiteral(5), '5.0');
  assert.equal(sqliteLiteral(-5.5), '(-5.5)');
  assert.equal(sqliteLiteral(1e21), '1e+21');
  assert.equal(sqliteLiteral(Number.NaN), 'NULL');
  assert.equal(sqliteLiteral(-Infinity), '(-9e999)');
  assert.equal(sqliteLiteral(-3n), '(-3)');
  assert.equal(sqliteLiteral(false), '0');
  assert.equal(sqliteLiteral(Buffer.from('hi')), "X'6869'");
  assert.throws(() => sqliteLiteral([1]), /SQLite cannot take an array as a parameter/);
  assert.throws(() => sqliteLiteral(2n ** 64n), /beyond 64 bits/);
});

test('a printed comment keeps every line break a reader knows out of the script', async () => {
  const { PrintingConnection } = await import('../src/runtime/run/offline.js');
  let text = '';
  const conn = new PrintingConnection((t) => (text += t), null, { inlineParams, literalSql: sqliteLiteral });
  conn.comment("Running upgrade a -> b, x\rSELECT 'INJECTED'\u2028y\u2029z\u0085w\vv\fu\nt");
  assert.equal(text, "-- Running upgrade a -> b, x SELECT 'INJECTED' y z w v u t\n\n");
  assert.equal(text.split(/[\n\r\u2028\u2029\u0085\v\f]/).filter(Boolean).length, 1, 'one line');
});
