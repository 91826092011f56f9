// What PostgreSQL's refusals of a revision's data get as a hint: what to do with the rows, as SQLite's messages say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainPostgresFailure } from '../src/dialects/postgres/postgres-failures.js';

test('a NOT NULL, a unique build, an enum value and a check that rows break each get a hint naming the table and what to do', () => {
  const cases: [string, RegExp][] = [
    ['column "locale" of relation "users" contains null values', /^rows of users hold NULL in locale \(or a new NOT NULL column has no default\): fill them in the revision first/],
    ['could not create unique index "users_email_key"', /^rows share a value the unique index "users_email_key" forbids: remove or change the duplicates .* drop the INVALID index/],
    ['invalid input value for enum member_role__new: "billing"', /^rows hold 'billing', which the enum type member_role__new does not have: change those rows first/],
    ['check constraint "orders_qty_not_null" of relation "orders" is violated by some row', /^rows of orders break the check orders_qty_not_null: fix them first/],
  ];
  for (const [message, hint] of cases) assert.match(explainPostgresFailure(message)?.hint ?? '', hint, message);
  assert.equal(explainPostgresFailure('syntax error at or near "FROM"'), null);
});
