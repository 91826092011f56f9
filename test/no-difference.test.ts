// The differ's quick answer (src/ir/no-difference.ts): "no difference" only where the differ finds nothing to do.
// Each field it skips is one the differ ignores (checked here against compareSchemas itself), and any compared field
// that differs sends the comparison to the differ. The property test (autogenerate-property.test.ts) checks the
// other direction on random pairs: whenever the differ emits operations, noDifference says false.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { column, tableIR, type SchemaIR } from '../src/ir/ir.js';
import { noDifference } from '../src/ir/no-difference.js';
import { compareSchemas } from '../src/diff/compare.js';
import { postgresEnumPlanner } from '../src/dialects/postgres/postgres-enum-planner.js';

const live: SchemaIR = {
  tables: [
    tableIR('users', [column('id', { kind: 'integer' }, { nullable: false }), column('email', { kind: 'text' })], {
      primaryKey: { name: 'users_pkey', columns: ['id'] },
      indexes: [{ name: 'ix_users_email', columns: ['email'], unique: false, where: null }],
    }),
  ],
  enums: [{ name: 'mood', values: ['a', 'b'] }],
  views: [{ name: 'v_users', definition: ' SELECT users.id\n   FROM users;', materialized: false, dependsOn: ['users'], columns: [{ name: 'id', type: 'integer' }] }],
  functions: [{ name: 'f', kind: 'function', args: '', returns: 'integer', language: 'sql', body: 'select 1', dependsOn: [], usedBy: { tables: [], domains: [], views: [], policies: [] } }],
};

/** `live` as declared models come out of normalisation: marks, hints and ordering fields the differ never compares. */
const declaredAlike: SchemaIR = {
  ...live,
  tables: [{
    ...live.tables[0]!,
    renamedFrom: 'people',
    columns: live.tables[0]!.columns.map((c) => ({ ...c, spelledAs: c.type.kind === 'text' ? 'TEXT' : undefined })),
    primaryKey: { name: 'users_pkey', columns: ['id'], autoNamed: true },
    indexes: [{ ...live.tables[0]!.indexes[0]!, autoNamed: true, renamedFrom: 'ix_old' }],
  }],
  enums: [{ name: 'mood', values: ['a', 'b'], renamedFrom: 'feeling' }],
  views: [{ ...live.views![0]!, dependsOn: ['users', 'other'], columns: undefined }],
  functions: [{ ...live.functions![0]!, dependsOn: ['g'], usedBy: { tables: ['users'], domains: [], views: [], policies: [] } }],
};

test('fields the differ never compares (marks, inert hints, spelledAs, dependsOn, usedBy, view columns) make no difference, and the differ agrees', () => {
  assert.equal(noDifference(live, live), true);
  assert.equal(noDifference(live, declaredAlike), true);
  assert.deepEqual(compareSchemas(live, declaredAlike, postgresEnumPlanner), [], 'the differ ignores each skipped field too');
});

test('any compared field that differs sends the comparison to the differ', () => {
  const t = live.tables[0]!;
  const changed: [string, SchemaIR][] = [
    ['a column made NOT NULL', { ...live, tables: [{ ...t, columns: t.columns.map((c) => ({ ...c, nullable: false })) }] }],
    ['a column comment', { ...live, tables: [{ ...t, columns: t.columns.map((c) => (c.name === 'email' ? { ...c, comment: 'x' } : c)) }] }],
    ['an index comment', { ...live, tables: [{ ...t, indexes: [{ ...t.indexes[0]!, comment: 'x' }] }] }],
    ['an index made unique', { ...live, tables: [{ ...t, indexes: [{ ...t.indexes[0]!, unique: true }] }] }],
    ['an enum value added', { ...live, enums: [{ name: 'mood', values: ['a', 'b', 'c'] }] }],
    ['a view query', { ...live, views: [{ ...live.views![0]!, definition: ' SELECT 2;' }] }],
    ['a view option', { ...live, views: [{ ...live.views![0]!, securityBarrier: true }] }],
    ['a function body', { ...live, functions: [{ ...live.functions![0]!, body: 'select 2' }] }],
    ['a table more', { ...live, tables: [...live.tables, tableIR('zz', [column('id', { kind: 'integer' })])] }],
    ['a sequence list where there was none', { ...live, sequences: [{ name: 's', start: null, increment: null, min: null, max: null, cache: null, cycle: false } as never] }],
  ];
  for (const [what, to] of changed) {
    assert.equal(noDifference(live, to), false, what);
    assert.notDeepEqual(compareSchemas(live, to, postgresEnumPlanner), [], `${what}: the differ sees it too`);
  }
});
