// Unnamed declarations matched to the database's names (diff/match-unnamed.ts), and custom types widened by their
// parameters (operations/destructive.ts), table-driven and without a database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { column, tableIR, type SchemaIR, type TableIR } from '../src/ir/ir.js';
import { adoptLiveNames } from '../src/diff/match-unnamed.js';
import { compareSchemas } from '../src/diff/compare.js';
import { postgresEnumPlanner } from '../src/dialects/postgres/postgres-enum-planner.js';
import { isWidening } from '../src/operations/destructive.js';

const cols = ['a', 'b'].map((n) => column(n, { kind: 'integer' }));
const schema = (t: Partial<TableIR>): SchemaIR => ({ tables: [{ ...tableIR('t', cols), ...t }], enums: [] });
const names = (s: SchemaIR) => {
  const t = s.tables[0]!;
  return { pk: t.primaryKey?.name ?? null, uniques: t.uniques.map((u) => u.name), indexes: t.indexes.map((i) => i.name), fks: t.foreignKeys.map((f) => f.name), checks: t.checks.map((c) => c.name) };
};

const cases: { name: string; live: Partial<TableIR>; declared: Partial<TableIR>; want: Partial<ReturnType<typeof names>> }[] = [
  {
    name: 'an unnamed unique takes the name of the live one on the same columns',
    live: { uniques: [{ name: 'db_generated_name', columns: ['a'] }] },
    declared: { uniques: [{ name: 't_a_key', columns: ['a'], autoNamed: true }] },
    want: { uniques: ['db_generated_name'] },
  },
  {
    name: 'a declared name is kept, even where a live item has the same definition',
    live: { uniques: [{ name: 'db_generated_name', columns: ['a'] }] },
    declared: { uniques: [{ name: 'uq_mine', columns: ['a'] }] },
    want: { uniques: ['uq_mine'] },
  },
  {
    name: 'a live item named after a declared one is not taken by an unnamed one',
    live: { uniques: [{ name: 'uq_mine', columns: ['a'] }, { name: 'other', columns: ['b'] }] },
    declared: { uniques: [{ name: 'uq_mine', columns: ['a'] }, { name: 't_a_key', columns: ['a'], autoNamed: true }] },
    want: { uniques: ['uq_mine', 't_a_key'] },
  },
  {
    name: 'a different definition is not matched (NULLS NOT DISTINCT is part of it)',
    live: { uniques: [{ name: 'db_name', columns: ['a'] }] },
    declared: { uniques: [{ name: 't_a_key', columns: ['a'], nullsNotDistinct: true, autoNamed: true }] },
    want: { uniques: ['t_a_key'] },
  },
  {
    name: 'indexes, foreign keys and checks alike; two unnamed items claim two live ones',
    live: {
      indexes: [{ name: 'i1', columns: ['a'], unique: false, where: null }, { name: 'i2', columns: ['a'], unique: false, where: null }],
      foreignKeys: [{ name: 'fk_by_hand', columns: ['b'], refTable: 't', refColumns: ['a'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' }],
      checks: [{ name: 'ck_by_hand', expression: 'a > 0' }],
    },
    declared: {
      indexes: [{ name: 'ix_t_a', columns: ['a'], unique: false, where: null, autoNamed: true }, { name: 'ix_t_a_2', columns: ['a'], unique: false, where: null, autoNamed: true }],
      foreignKeys: [{ name: 't_b_fkey', columns: ['b'], refTable: 't', refColumns: ['a'], onDelete: 'CASCADE', onUpdate: 'NO ACTION', autoNamed: true }],
      checks: [{ name: 't_a_check', expression: 'a > 0', autoNamed: true }],
    },
    want: { indexes: ['i1', 'i2'], fks: ['fk_by_hand'], checks: ['ck_by_hand'] },
  },
  {
    name: 'an unnamed primary key takes the live name, a named one keeps its own',
    live: { primaryKey: { name: 'PK_T', columns: ['a'] } },
    declared: { primaryKey: { name: 't_pkey', columns: ['a'], autoNamed: true } },
    want: { pk: 'PK_T' },
  },
];

for (const c of cases) {
  test(`adoptLiveNames: ${c.name}`, () => {
    const live = schema(c.live);
    const declared = schema(c.declared);
    const got = adoptLiveNames(live, declared);
    const n = names(got);
    for (const [k, v] of Object.entries(c.want)) assert.deepEqual(n[k as keyof typeof n], v, k);
    assert.doesNotMatch(JSON.stringify(got), /autoNamed/, 'the marks are stripped');
  });
}

test('compareSchemas: an unnamed unique against the same one named otherwise is no change; a named one is a drop and an add', () => {
  const live = schema({ uniques: [{ name: 'db_generated_name', columns: ['a'] }] });
  assert.deepEqual(compareSchemas(live, schema({ uniques: [{ name: 't_a_key', columns: ['a'], autoNamed: true }] }), postgresEnumPlanner), []);
  const ops = compareSchemas(live, schema({ uniques: [{ name: 'uq_mine', columns: ['a'] }] }), postgresEnumPlanner);
  assert.deepEqual(ops.map((o) => o.kind), ['dropConstraint', 'addConstraint']);
});

test('isWidening: a custom type widens by its parameters, and narrows the other way', () => {
  const custom = (sql: string) => ({ kind: 'custom', sql }) as const;
  assert.equal(isWidening(custom('NVARCHAR(40)'), custom('NVARCHAR(100)')), true);
  assert.equal(isWidening(custom('NVARCHAR(100)'), custom('NVARCHAR(40)')), false);
  assert.equal(isWidening(custom('DECIMAL(10,2)'), custom('DECIMAL(12, 2)')), true);
  assert.equal(isWidening(custom('DECIMAL(10,2)'), custom('DECIMAL(10,3)')), false);
  assert.equal(isWidening(custom('NVARCHAR(40)'), custom('NCHAR(100)')), false);
  assert.equal(isWidening(custom('tsvector'), custom('tsvector')), true);
});
