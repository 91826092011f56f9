/** Printed SQL carries its parameters as literals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlineParams } from '../src/runtime/runner.js';

const q = (v: string) => `'${v.replace(/'/g, "''")}'`;

test('parameters are written in as literals, placeholders inside quotes are left alone', () => {
  const cases: [string, unknown[], string][] = [
    ['INSERT INTO t (a, b) VALUES ($1, $2)', ["it's", null], "INSERT INTO t (a, b) VALUES ('it''s', NULL)"],
    ['INSERT INTO t VALUES (?, ?, ?)', [1, true, { a: 1 }], `INSERT INTO t VALUES (1, TRUE, '{"a":1}')`],
    [`SELECT '$1 and ?' , "col?" FROM t WHERE a = $1`, [5], `SELECT '$1 and ?' , "col?" FROM t WHERE a = 5`],
    [`SELECT doc ? 'key' FROM t WHERE id = $1`, [7], `SELECT doc ? 'key' FROM t WHERE id = 7`],
    ['SELECT $2, $1', ['a', 'b'], "SELECT 'b', 'a'"],
  ];
  for (const [sql, params, expected] of cases) assert.equal(inlineParams(sql, params, q), expected);
  assert.throws(() => inlineParams('SELECT $3', [1], q), /placeholder \$3/);
});
