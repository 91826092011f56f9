// One definition per operation kind (src/operations/kinds/<kind>.ts) in a typed registry (operations.ts).
// What a new operation needs is shown by a test-only kind below: its definition compiles only when complete,
// the registry only with every kind's definition (the @ts-expect-error lines fail the build if that stops
// holding). The table-driven part runs every registered kind through the registry's entry points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { column, tableIR } from '../src/ir/ir.js';
import { defaultNaming } from '../src/models/naming.js';
import { isTableOperation } from '../src/operations/apply-table.js';
import type { ApplyPolicy } from '../src/operations/apply-policy.js';
import { describeDifferences } from '../src/operations/describe.js';
import type { OperationDef } from '../src/operations/operation-def.js';
import { definitionOf, inverse, operationDefs, tableOf, type Operation, type OperationDefs, type OperationKind } from '../src/operations/operations.js';
import { opCall, quoteString } from '../src/render/literal.js';
import { renderOperation } from '../src/render/render-operations.js';
import { RetortError } from '../src/errors.js';

// A test-only table-level kind: a new operation's definition file holds exactly this (plus its shape in the union
// and its line in the registry, an `op` method and each dialect's compiler).
interface TagTableOp { readonly kind: 'tagTable'; readonly table: string; readonly tag: string; readonly from: string | null }
const tagTable: OperationDef<TagTableOp> = {
  inverse: (o) => ({ kind: 'setTableComment', table: o.table, comment: o.from, from: o.tag }),
  table: (o) => o.table,
  describe: (o) => [`~ table ${o.table}: tagged ${o.tag}`],
  render: (o) => opCall('tagTable', quoteString(o.table), quoteString(o.tag)),
  applyTable: (t, o) => ({ ...t, comment: o.tag }),
};

// @ts-expect-error: a table-level kind without applyTable (what it does to the IR) does not compile.
const withoutApply: OperationDef<TagTableOp> = { inverse: tagTable.inverse, table: tagTable.table, describe: tagTable.describe, render: tagTable.render };
// @ts-expect-error: a kind without its rendering does not compile.
const withoutRender: OperationDef<TagTableOp> = { inverse: tagTable.inverse, table: tagTable.table, describe: tagTable.describe, applyTable: tagTable.applyTable };
const { renameEnumValue: _left, ...allButOne } = operationDefs;
// @ts-expect-error: the registry without one kind's definition does not compile.
const partialRegistry: OperationDefs = allButOne;
void withoutApply; void withoutRender; void partialRegistry;

const POLICY: ApplyPolicy = {
  dropColumnRemovesDependents: false, uniqueConstraintNames: true, namedPrimaryKey: true, autoIncrementNeedsPrimaryKey: false,
  tableComments: true, sqlNames: null, refuse: (o) => new RetortError('MIGRATION_FAILED', o.kind),
};

test('a test-only kind: its definition alone describes, renders, inverts and applies it', () => {
  const o: TagTableOp = { kind: 'tagTable', table: 'users', tag: 'audited', from: null };
  const users = tableIR('users', [column('id', { kind: 'integer' })]);
  assert.deepEqual(tagTable.describe(o), ['~ table users: tagged audited']);
  assert.equal(tagTable.render(o, { naming: defaultNaming, imports: new Set() }), "op.tagTable('users', 'audited');");
  assert.deepEqual(tagTable.inverse(o), { kind: 'setTableComment', table: 'users', comment: null, from: 'audited' });
  assert.equal(tagTable.applyTable(users, o, POLICY).comment, 'audited');
});

const users = tableIR('users', [column('id', { kind: 'integer' }, { nullable: false }), column('email', { kind: 'text' })], { primaryKey: { name: 'users_pkey', columns: ['id'] } });
const mood = { name: 'mood', values: ['sad', 'happy'] };
const counter = { name: 'counter', start: '5', increment: null, min: null, max: null, cache: null, cycle: true, ownedBy: null };
const zip = { name: 'zip', type: { kind: 'text' } as const, notNull: true, default: null, checks: [{ name: 'zip_check', expression: "VALUE ~ '^[0-9]{5}$'" }] };
const shortList = { name: 'short_list', definition: 'select id, email from users', materialized: false };
const touch = { name: 'touch', kind: 'function' as const, args: '', returns: 'trigger', language: 'plpgsql', body: 'BEGIN RETURN NEW; END' };
const touched = { name: 'touched', table: 'users', timing: 'before' as const, events: ['update' as const], forEachRow: true, execute: 'touch', args: [] };
const ownRows = { name: 'own_rows', table: 'users', command: 'select' as const, permissive: true, roles: ['public'], using: 'id > 0', withCheck: null };

// One operation of every kind, with the table it acts on and its summary line.
const samples: { readonly [K in OperationKind]: { op: Extract<Operation, { kind: K }>; table: string | null; line: string } } = {
  createTable: { op: { kind: 'createTable', table: users }, table: 'users', line: '+ table users' },
  dropTable: { op: { kind: 'dropTable', name: 'users', table: users }, table: 'users', line: '- table users' },
  renameTable: { op: { kind: 'renameTable', from: 'users', to: 'people' }, table: 'users', line: '~ table users renamed to people' },
  setTableComment: { op: { kind: 'setTableComment', table: 'users', comment: 'who', from: null }, table: 'users', line: '~ table users: comment "who"' },
  addColumn: { op: { kind: 'addColumn', table: 'users', column: column('age', { kind: 'integer' }) }, table: 'users', line: '+ column users.age integer' },
  dropColumn: { op: { kind: 'dropColumn', table: 'users', name: 'email', column: users.columns[1]! }, table: 'users', line: '- column users.email' },
  alterColumn: { op: { kind: 'alterColumn', table: 'users', column: 'email', to: { nullable: false }, from: { nullable: true } }, table: 'users', line: '~ column users.email: nullable -> not null' },
  createIndex: { op: { kind: 'createIndex', table: 'users', index: { name: 'ix_email', columns: ['email'], unique: true, where: null } }, table: 'users', line: '+ unique index ix_email on users (email)' },
  dropIndex: { op: { kind: 'dropIndex', table: 'users', name: 'ix_email', index: { name: 'ix_email', columns: ['email'], unique: false, where: null } }, table: 'users', line: '- index ix_email on users (email)' },
  addConstraint: { op: { kind: 'addConstraint', table: 'users', constraint: { kind: 'check', def: { name: 'ck_id', expression: 'id > 0' } } }, table: 'users', line: '+ check ck_id on users: id > 0' },
  dropConstraint: { op: { kind: 'dropConstraint', table: 'users', name: 'ck_id', constraintKind: 'check', constraint: { kind: 'check', def: { name: 'ck_id', expression: 'id > 0' } } }, table: 'users', line: '- check ck_id on users: id > 0' },
  createEnum: { op: { kind: 'createEnum', enum: mood }, table: null, line: "+ enum mood ('sad', 'happy')" },
  dropEnum: { op: { kind: 'dropEnum', name: 'mood', enum: mood }, table: null, line: '- enum mood' },
  renameEnum: { op: { kind: 'renameEnum', from: 'mood', to: 'feeling' }, table: null, line: '~ enum mood renamed to feeling' },
  renameEnumValue: { op: { kind: 'renameEnumValue', name: 'mood', from: 'sad', to: 'blue' }, table: null, line: "~ enum value mood.'sad' renamed to 'blue'" },
  addEnumValue: { op: { kind: 'addEnumValue', name: 'mood', value: 'ok', after: 'sad' }, table: null, line: "+ enum value mood.'ok' after 'sad'" },
  createSequence: { op: { kind: 'createSequence', sequence: counter }, table: null, line: '+ sequence counter (start 5, cycle)' },
  alterSequence: { op: { kind: 'alterSequence', name: 'counter', to: { cache: '10', ownedBy: { table: 'users', column: 'id' } }, from: { cache: null, ownedBy: null } }, table: null, line: '~ sequence counter: cache default, no owner -> cache 10, owned by users.id' },
  dropSequence: { op: { kind: 'dropSequence', name: 'counter', sequence: counter }, table: null, line: '- sequence counter' },
  execute: { op: { kind: 'execute', sql: 'select 1' }, table: null, line: '! sql select 1' },
  createView: { op: { kind: 'createView', view: shortList }, table: null, line: '+ view short_list' },
  dropView: { op: { kind: 'dropView', name: 'short_list', materialized: false, view: shortList }, table: null, line: '- view short_list' },
  replaceView: { op: { kind: 'replaceView', view: { ...shortList, definition: 'select id from users' }, from: shortList }, table: null, line: '~ view short_list: definition changed' },
  refreshMaterializedView: { op: { kind: 'refreshMaterializedView', name: 'stats' }, table: null, line: '~ materialized view stats: refreshed' },
  validateConstraint: { op: { kind: 'validateConstraint', table: 'users', name: 'ck_id' }, table: 'users', line: '~ validate constraint ck_id on users' },
  createFunction: { op: { kind: 'createFunction', function: touch }, table: null, line: '+ function touch()' },
  dropFunction: { op: { kind: 'dropFunction', name: 'touch', args: '', function: touch }, table: null, line: '- function touch()' },
  replaceFunction: { op: { kind: 'replaceFunction', function: { ...touch, body: 'BEGIN RETURN OLD; END' }, from: touch }, table: null, line: '~ function touch(): definition changed' },
  createTrigger: { op: { kind: 'createTrigger', trigger: touched }, table: null, line: '+ trigger touched on users' },
  dropTrigger: { op: { kind: 'dropTrigger', name: 'touched', on: 'users', trigger: touched }, table: null, line: '- trigger touched on users' },
  createDomain: { op: { kind: 'createDomain', domain: zip }, table: null, line: '+ domain zip text not null (1 check)' },
  alterDomain: { op: { kind: 'alterDomain', name: 'zip', to: { notNull: false, comment: 'US' }, from: { notNull: true, comment: null } }, table: null, line: '~ domain zip: not null, comment null -> null, comment "US"' },
  dropDomain: { op: { kind: 'dropDomain', name: 'zip', domain: zip }, table: null, line: '- domain zip' },
  validateDomainCheck: { op: { kind: 'validateDomainCheck', domain: 'zip', name: 'zip_digits' }, table: null, line: '~ validate check zip_digits of domain zip' },
  createExtension: { op: { kind: 'createExtension', extension: { name: 'pgcrypto', schema: 'public' } }, table: null, line: '+ extension pgcrypto in public' },
  alterExtension: { op: { kind: 'alterExtension', name: 'pgcrypto', to: { version: '1.3' }, from: { version: '1.2' } }, table: null, line: '~ extension pgcrypto: version 1.2 -> version 1.3' },
  setComment: { op: { kind: 'setComment', target: { kind: 'index', name: 'ix_email', table: 'users' }, comment: 'by email', from: null }, table: null, line: '~ index ix_email on users: comment "by email"' },
  dropExtension: { op: { kind: 'dropExtension', name: 'pgcrypto', extension: { name: 'pgcrypto', schema: 'public' } }, table: null, line: '- extension pgcrypto' },
  createSchema: { op: { kind: 'createSchema', name: 'billing' }, table: null, line: '+ schema billing' },
  dropSchema: { op: { kind: 'dropSchema', name: 'billing' }, table: null, line: '- schema billing' },
  attachPartition: { op: { kind: 'attachPartition', parent: 'events', partition: 'events_2024', bound: { kind: 'range', from: ["'2024-01-01'"], to: ["'2025-01-01'"] } }, table: 'events', line: "+ partition events_2024 of events attached: FROM ('2024-01-01') TO ('2025-01-01')" },
  detachPartition: { op: { kind: 'detachPartition', parent: 'events', partition: 'events_2024', bound: { kind: 'list', values: ['1', '2'] } }, table: 'events', line: '- partition events_2024 detached from events (the table stays)' },
  renameIndex: { op: { kind: 'renameIndex', table: 'users', from: 'ix_email', to: 'users_email_idx' }, table: 'users', line: '~ index ix_email on users renamed to users_email_idx' },
  renameConstraint: { op: { kind: 'renameConstraint', table: 'users', from: 'ck_id', to: 'ck_positive_id' }, table: 'users', line: '~ constraint ck_id on users renamed to ck_positive_id' },
  renameSequence: { op: { kind: 'renameSequence', from: 'counter', to: 'tally' }, table: null, line: '~ sequence counter renamed to tally' },
  renameView: { op: { kind: 'renameView', from: 'short_list', to: 'brief_list', materialized: false }, table: null, line: '~ view short_list renamed to brief_list' },
  alterRls: { op: { kind: 'alterRls', table: 'users', setting: 'enable' }, table: 'users', line: '~ table users: row-level security enabled' },
  createPolicy: { op: { kind: 'createPolicy', policy: ownRows }, table: null, line: '+ policy own_rows on users' },
  dropPolicy: { op: { kind: 'dropPolicy', name: 'own_rows', on: 'users', policy: ownRows }, table: null, line: '- policy own_rows on users' },
  alterPolicy: { op: { kind: 'alterPolicy', policy: { ...ownRows, roles: ['app'] }, from: ownRows }, table: null, line: '~ policy own_rows on users: changed' },
};

test('every registered kind has its definition under its own name, and a sample here', () => {
  assert.deepEqual(Object.keys(operationDefs).sort(), Object.keys(samples).sort());
  for (const [kind, def] of Object.entries(operationDefs)) assert.equal(definitionOf(samples[kind as OperationKind].op), def, kind);
});

for (const { op, table, line } of Object.values(samples)) {
  test(`${op.kind}: table, summary line, rendering, inverse and table-level flag come from its definition`, () => {
    assert.equal(tableOf(op), table);
    assert.deepEqual(describeDifferences([op]), [line]);
    assert.match(renderOperation(op, defaultNaming, new Set()), /^op\.\w+\(/);
    // Acting on one existing table is the shape `table: string`, and exactly those kinds apply through the table
    // applier: isTableOperation reads the field (so SQLite's compiler need not load this registry), which holds only
    // while the definitions with applyTable are exactly the kinds with a string table.
    assert.equal(isTableOperation(op), typeof (op as { table?: unknown }).table === 'string');
    assert.equal(isTableOperation(op), 'applyTable' in definitionOf(op));
    // A validation has no inverse of its own: inverseAll leaves it out (undo: nothing), the constraint's drop undoes it.
    const reversible = op.kind !== 'addEnumValue' && op.kind !== 'execute' && op.kind !== 'validateConstraint' && op.kind !== 'validateDomainCheck';
    if (reversible) assert.deepEqual(inverse(inverse(op)), op);
    else assert.throws(() => inverse(op), (e: unknown) => e instanceof RetortError && e.code === 'IRREVERSIBLE');
  });
}
