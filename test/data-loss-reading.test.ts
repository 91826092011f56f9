// Destructive-change detection asks the dialect what its spelling and types mean (DataLossReading on
// SqlSpellingPart): PostgreSQL reads its stored `= ANY (ARRAY[...])` CHECKs and knows json -> jsonb keeps
// values; SQLite reads its quoted IN lists. Without a database (NO_DATABASE) neither rule applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresDialect } from '../src/dialects/postgres/postgres-dialect.js';
import { sqliteDialect } from '../src/dialects/sqlite/sqlite-dialect.js';
import { destructiveChanges, NO_DATABASE, type DataLossReading } from '../src/operations/destructive.js';
import type { Operation } from '../src/operations/operations.js';
import type { ColumnType } from '../src/ir/ir.js';
import { renderOperations } from '../src/render/render-operations.js';

const checkSwap = (before: string, after: string): Operation[] => [
  { kind: 'dropConstraint', table: 'tickets', name: 'ck_kind', constraintKind: 'check', constraint: { kind: 'check', def: { name: 'ck_kind', expression: before } } },
  { kind: 'addConstraint', table: 'tickets', constraint: { kind: 'check', def: { name: 'ck_kind', expression: after } } },
];
const narrowed = (column: string) => [`narrows check ck_kind on tickets: rows holding 'epic' in ${column} make the upgrade fail`];

const readings: { name: string; db: DataLossReading; before: string; after: string; want: string[] }[] = [
  { name: 'PostgreSQL, stored ANY (ARRAY) to a declared IN list', db: postgresDialect, before: "(kind = ANY (ARRAY['bug', 'task', 'epic']))", after: "kind IN ('bug', 'task')", want: narrowed('kind') },
  { name: 'PostgreSQL, quoted column and a doubled quote in a value', db: postgresDialect, before: `("Kind" = ANY (ARRAY['it''s', 'epic']))`, after: `"Kind" IN ('it''s')`, want: narrowed('Kind') },
  { name: 'PostgreSQL, a wider list', db: postgresDialect, before: "kind IN ('bug')", after: "(kind = ANY (ARRAY['bug', 'epic']))", want: [] },
  { name: 'SQLite, backtick and double-quoted column', db: sqliteDialect, before: "`kind` IN ('bug', 'epic')", after: `"kind" IN ('bug')`, want: narrowed('kind') },
  { name: 'SQLite does not read PostgreSQL spelling', db: sqliteDialect, before: "(kind = ANY (ARRAY['bug', 'epic']))", after: "kind IN ('bug')", want: [] },
  { name: 'no database reads no CHECK', db: NO_DATABASE, before: "kind IN ('bug', 'epic')", after: "kind IN ('bug')", want: [] },
  { name: 'PostgreSQL, not a list of values', db: postgresDialect, before: "kind IN ('bug', 'epic') OR id > 0", after: "kind IN ('bug')", want: [] },
];

for (const r of readings) {
  test(`a narrower CHECK of allowed values: ${r.name}`, () => {
    assert.deepEqual(destructiveChanges(checkSwap(r.before, r.after), r.db), r.want);
  });
}

test('json -> jsonb keeps values in both dialects; without a database it counts as narrowing', () => {
  const ops: Operation[] = [{ kind: 'alterColumn', table: 't', column: 'doc', to: { type: { kind: 'jsonb' } }, from: { type: { kind: 'json' } } }];
  assert.deepEqual(destructiveChanges(ops, postgresDialect), []);
  assert.deepEqual(destructiveChanges(ops, sqliteDialect), []);
  assert.equal(destructiveChanges(ops).length, 1);
  const back: Operation[] = [{ kind: 'alterColumn', table: 't', column: 'doc', to: { type: { kind: 'json' } }, from: { type: { kind: 'jsonb' } } }];
  assert.equal(destructiveChanges(back, postgresDialect).length, 1);
});

test("the revision's DESTRUCTIVE notes read with the dialect given to renderOperations", () => {
  const ops = checkSwap("(kind = ANY (ARRAY['bug', 'epic']))", "kind IN ('bug')");
  assert.match(renderOperations(ops, { dataLoss: postgresDialect }).code, /\/\/ DESTRUCTIVE: narrows check ck_kind on tickets: rows holding 'epic' in kind make the migration fail/);
  assert.doesNotMatch(renderOperations(ops).code, /DESTRUCTIVE/);
});

test('what a type change loses depends on the database: SQLite enforces no length or precision (a narrowing is still marked, for PostgreSQL); timestamp to timestamptz is reinterpreted, not narrowed', () => {
  const alter = (from: ColumnType, to: ColumnType): Operation[] => [{ kind: 'alterColumn', table: 't', column: 'c', to: { type: to }, from: { type: from } }];
  const varchar = (length: number): ColumnType => ({ kind: 'varchar', length });
  const numeric = (precision: number, scale: number): ColumnType => ({ kind: 'numeric', precision, scale });
  // A narrower length on SQLite loses nothing there, but the same revision runs on PostgreSQL: marked, and the note says so.
  assert.match(destructiveChanges(alter(varchar(100), varchar(40)), sqliteDialect)[0]!, /^narrows t\.c from varchar\(100\) to varchar\(40\): values that do not fit fail or are cut where lengths and precision are enforced \(PostgreSQL\); the database it was generated against keeps them as they are/);
  assert.equal(destructiveChanges(alter(numeric(10, 2), numeric(6, 2)), sqliteDialect).length, 1);
  assert.deepEqual(destructiveChanges(alter({ kind: 'real' }, numeric(10, 2)), sqliteDialect), []);
  assert.deepEqual(destructiveChanges(alter({ kind: 'text' }, { kind: 'custom', sql: 'NVARCHAR(40)' }), sqliteDialect), []);
  // A value that cannot convert still fails the SQLite rebuild: text to integer is reported.
  assert.equal(destructiveChanges(alter({ kind: 'text' }, { kind: 'integer' }), sqliteDialect).length, 1);
  assert.match(destructiveChanges(alter(varchar(100), varchar(40)), postgresDialect)[0]!, /^narrows t\.c from varchar\(100\) to varchar\(40\)/);
  const tz = destructiveChanges(alter({ kind: 'timestamp', withTimezone: false }, { kind: 'timestamp', withTimezone: true }), postgresDialect);
  assert.equal(tz.length, 1);
  assert.match(tz[0]!, /^reinterprets t\.c from timestamp to timestamp with time zone: each stored value is converted in the session's time zone/);
});
