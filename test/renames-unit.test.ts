// Rename hints without a database: the differ turns a hint into a rename whose inverse renames back, leaves it inert
// once applied, the models refuse a hint that collides, and a drop plus an add alike in everything is suggested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { column, tableIR, type SchemaIR, type TableIR } from '../src/ir/ir.js';
import { inverseAll, type Operation } from '../src/operations/operations.js';
import { compareSchemas } from '../src/diff/compare.js';
import { likelyRenames } from '../src/diff/likely-renames.js';
import { postgresEnumPlanner } from '../src/dialects/postgres/postgres-enum-planner.js';
import { applyOperations } from '../src/operations/apply.js';
import { canonicalSchema } from '../src/ir/ir-util.js';
import { describeDifferences } from '../src/operations/describe.js';
import { integer, serial, table, text, varchar } from '../src/models/builders.js';
import { collectModels } from '../src/models/collect.js';
import type { ColumnRef, TableExtra } from '../src/models/dsl.js';
import { isRetortError } from '../src/errors.js';
import { MODEL_TARGET } from './helpers/models.js';

const id = column('id', { kind: 'integer' }, { nullable: false, autoIncrement: true });
const email = column('email', { kind: 'text' }, { nullable: false });
// tableIR() keeps only the fields every table has; the hint is put back on.
const t = (name: string, cols: TableIR['columns'], extra: Partial<TableIR> = {}): TableIR => ({
  ...tableIR(name, [id, ...cols], { primaryKey: { name: null, columns: ['id'] }, ...extra }),
  ...(extra.renamedFrom !== undefined ? { renamedFrom: extra.renamedFrom } : {}),
});
const schema = (...tables: TableIR[]): SchemaIR => ({ tables, enums: [] });
const strip = (s: SchemaIR): SchemaIR => ({ ...s, tables: s.tables.map(({ renamedFrom: _t, ...x }) => ({ ...x, columns: x.columns.map(({ renamedFrom: _c, ...c }) => c) })) });

/** The operations from `a` to `b`, checked to reach `b` and, inverted, to come back to `a`. */
function diff(a: SchemaIR, b: SchemaIR): Operation[] {
  const ops = compareSchemas(a, b, postgresEnumPlanner);
  const atB = applyOperations(a, ops, { strict: true });
  assert.deepEqual(canonicalSchema(atB), canonicalSchema(strip(b)));
  assert.deepEqual(canonicalSchema(applyOperations(atB, inverseAll(ops), { strict: true })), canonicalSchema(a));
  return ops;
}

test('a column hint renames the column; its inverse renames it back', () => {
  const ops = diff(schema(t('users', [email])), schema(t('users', [{ ...email, name: 'mail', renamedFrom: 'email' }])));
  assert.deepEqual(ops, [{ kind: 'alterColumn', table: 'users', column: 'email', to: { name: 'mail' }, from: { name: 'email' } }]);
  assert.deepEqual(describeDifferences(ops), ['~ column users.email: renamed to mail']);
});

test('a column hint with a type change: renamed, then altered under the new name', () => {
  const ops = diff(schema(t('users', [email])), schema(t('users', [{ ...email, name: 'mail', type: { kind: 'varchar', length: 200 }, renamedFrom: 'email' }])));
  assert.deepEqual(ops.map((o) => `${o.kind} ${o.kind === 'alterColumn' ? `${o.column} ${Object.keys(o.to).join(',')}` : ''}`), ['alterColumn email name', 'alterColumn mail type']);
});

test('a table hint renames the table, and a column hint inside it renames the column after', () => {
  const fk = { name: 'orders_client_fkey', columns: ['client_id'], refTable: 'clients', refColumns: ['id'], onDelete: 'NO ACTION' as const, onUpdate: 'NO ACTION' as const };
  const orders = t('orders', [column('client_id', { kind: 'integer' })], { foreignKeys: [fk] });
  const ops = diff(
    schema(t('clients', [email]), orders),
    schema(t('customers', [{ ...email, name: 'mail', renamedFrom: 'email' }], { renamedFrom: 'clients' }), { ...orders, foreignKeys: [{ ...fk, refTable: 'customers' }] }),
  );
  assert.deepEqual(describeDifferences(ops), ['~ table clients renamed to customers', '~ column customers.email: renamed to mail']);
});

test('a hint is inert once the database has the new name', () => {
  const done = schema(t('customers', [column('mail', { kind: 'text' }, { nullable: false })]));
  assert.deepEqual(compareSchemas(done, schema(t('customers', [{ ...email, name: 'mail', renamedFrom: 'email' }], { renamedFrom: 'clients' })), postgresEnumPlanner), []);
});

test('a hint whose old name the database does not have adds as before', () => {
  const ops = diff(schema(t('users', [])), schema(t('users', [{ ...email, name: 'mail', serverDefault: "''", renamedFrom: 'nothing' }])));
  assert.deepEqual(ops.map((o) => o.kind), ['addColumn']);
});

test('a hint whose old name is also declared, or that another hint claims, is one MODEL line naming file, table and both names', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ a: table('users', { id: serial().primaryKey(), mail: text().renamedFrom('email'), email: text() }) }, /^models\/m\.ts: table "users": column "mail" is renamedFrom "email", but column "email" is declared too$/],
    [{ a: table('users', { id: serial().primaryKey(), mail: text().renamedFrom('email'), address: text().renamedFrom('email') }) }, /^models\/m\.ts: table "users": columns "mail" and "address" are both renamedFrom "email"$/],
    [{ a: table('customers', { id: serial().primaryKey() }).renamedFrom('clients'), b: table('clients', { id: serial().primaryKey() }) }, /^models\/m\.ts: table "customers" is renamedFrom "clients", but table "clients" is declared too \(models\/m\.ts\)$/],
    [{ a: table('customers', { id: serial().primaryKey() }).renamedFrom('clients'), b: table('buyers', { id: integer().primaryKey() }).renamedFrom('clients') }, /tables "buyers" and "customers" are both renamedFrom "clients"|tables "customers" and "buyers" are both renamedFrom "clients"/],
  ];
  for (const [exports, message] of cases) {
    assert.throws(() => collectModels([{ file: 'models/m.ts', exports }], MODEL_TARGET), (e: unknown) => isRetortError(e) && e.code === 'MODEL' && message.test(e.message) && !e.message.includes('\n'));
  }
});

test('the models carry both hints into the IR; withComment and renamedFrom chain either way', () => {
  const decl = table('customers', { id: serial().primaryKey(), mail: varchar(80).renamedFrom('email') }).withComment('who buys').renamedFrom('clients');
  const [ir] = collectModels([{ file: 'models/m.ts', exports: { decl } }], MODEL_TARGET).tables;
  assert.equal(ir!.renamedFrom, 'clients');
  assert.equal(ir!.comment, 'who buys');
  assert.equal(ir!.columns.find((c) => c.name === 'mail')!.renamedFrom, 'email');
});

test('one drop and one add alike in type, nullability and default are a likely rename; an unrelated pair is not', () => {
  const before = schema(t('users', [email]));
  assert.deepEqual(likelyRenames(diff(before, schema(t('users', [{ ...email, name: 'mail' }])))), [{ table: 'users', from: 'email', to: 'mail' }]);
  assert.deepEqual(likelyRenames(diff(before, schema(t('users', [column('age', { kind: 'integer' }, { nullable: false, serverDefault: '0' })])))), []);
  assert.deepEqual(likelyRenames(diff(before, schema(t('users', [{ ...email, name: 'mail', nullable: true }])))), []);
  // Two of each: which goes with which is a guess.
  const two = schema(t('users', [email, column('phone', { kind: 'text' }, { nullable: false })]));
  assert.deepEqual(likelyRenames(diff(two, schema(t('users', [{ ...email, name: 'a' }, { ...email, name: 'b' }])))), []);
});

test('an enum value hint renames the value in place (no rebuild); inverse renames back; inert once applied', () => {
  const col = column('mood', { kind: 'enum', name: 'mood' }, { nullable: false });
  const before: SchemaIR = { tables: [t('pets', [col])], enums: [{ name: 'mood', values: ['happy', 'sad'] }] };
  const after: SchemaIR = { tables: [t('pets', [col])], enums: [{ name: 'mood', values: ['glad', 'sad'], renamedValues: { glad: 'happy' } }] };
  const ops = compareSchemas(before, after, postgresEnumPlanner);
  assert.deepEqual(ops, [{ kind: 'renameEnumValue', name: 'mood', from: 'happy', to: 'glad' }]);
  assert.deepEqual(describeDifferences(ops), ["~ enum value mood.'happy' renamed to 'glad'"]);
  const atB = applyOperations(before, ops, { strict: true });
  assert.deepEqual(atB.enums, [{ name: 'mood', values: ['glad', 'sad'] }]);
  assert.deepEqual(applyOperations(atB, inverseAll(ops), { strict: true }).enums, before.enums);
  assert.deepEqual(compareSchemas(atB, after, postgresEnumPlanner), []);
});

test('an enum value hint that collides is one MODEL line', async () => {
  const { enumType } = await import('../src/models/builders.js');
  const cases: [ReturnType<typeof enumType>, RegExp][] = [
    [enumType('mood', ['glad', 'happy'], { renamedFrom: { glad: 'happy' } }), /^models\/m\.ts: enum "mood": value "glad" is renamedFrom "happy", but value "happy" is declared too$/],
    [enumType('mood', ['glad', 'joyful'], { renamedFrom: { glad: 'happy', joyful: 'happy' } }), /^models\/m\.ts: enum "mood": values "glad" and "joyful" are both renamedFrom "happy"$/],
    [enumType('mood', ['sad'], { renamedFrom: { glad: 'happy' } }), /^models\/m\.ts: enum "mood": value "glad" is renamedFrom "happy", but "glad" is not one of its values$/],
  ];
  for (const [mood, message] of cases) {
    assert.throws(() => collectModels([{ file: 'models/m.ts', exports: { mood } }], MODEL_TARGET), (e: unknown) => isRetortError(e) && e.code === 'MODEL' && message.test(e.message));
  }
});

test('hints on an enum type, an index, each named constraint, a sequence and a view rename them; the inverse renames back', () => {
  const mood = column('mood', { kind: 'enum', name: 'mood' }, { nullable: false });
  const users = (names: { ix: string; uq: string; ck: string; pk: string }, hints: boolean): TableIR => ({
    ...tableIR('users', [id, email, mood], {
      primaryKey: { name: names.pk, columns: ['id'], ...(hints ? { renamedFrom: 'users_pkey' } : {}) },
      uniques: [{ name: names.uq, columns: ['email'], ...(hints ? { renamedFrom: 'uq_email' } : {}) }],
      indexes: [{ name: names.ix, columns: ['email'], unique: false, where: null, ...(hints ? { renamedFrom: 'ix_email' } : {}) }],
      checks: [{ name: names.ck, expression: 'id > 0', ...(hints ? { renamedFrom: 'ck_id' } : {}) }],
    }),
  });
  const counter = { name: 'counter', start: null, increment: null, min: null, max: null, cache: null, cycle: false, ownedBy: null };
  const before: SchemaIR = {
    tables: [users({ ix: 'ix_email', uq: 'uq_email', ck: 'ck_id', pk: 'users_pkey' }, false)],
    enums: [{ name: 'mood', values: ['happy'] }],
    sequences: [counter],
    views: [{ name: 'people', definition: 'select id from users', materialized: false }],
  };
  const after: SchemaIR = {
    tables: [users({ ix: 'users_email_idx', uq: 'users_email_key', ck: 'users_id_check', pk: 'users_pk' }, true)],
    enums: [{ name: 'feeling', values: ['happy'], renamedFrom: 'mood' }],
    sequences: [{ ...counter, name: 'tally', renamedFrom: 'counter' }],
    views: [{ name: 'persons', definition: 'select id from users', materialized: false, renamedFrom: 'people' }],
  };
  const retyped = { ...after, tables: after.tables.map((x) => ({ ...x, columns: x.columns.map((c) => (c.name === 'mood' ? { ...c, type: { kind: 'enum' as const, name: 'feeling' } } : c)) })) };
  const ops = compareSchemas(before, retyped, postgresEnumPlanner);
  assert.deepEqual(ops, [
    { kind: 'renameEnum', from: 'mood', to: 'feeling' },
    { kind: 'renameIndex', table: 'users', from: 'ix_email', to: 'users_email_idx' },
    { kind: 'renameConstraint', table: 'users', from: 'users_pkey', to: 'users_pk' },
    { kind: 'renameConstraint', table: 'users', from: 'uq_email', to: 'users_email_key' },
    { kind: 'renameConstraint', table: 'users', from: 'ck_id', to: 'users_id_check' },
    { kind: 'renameSequence', from: 'counter', to: 'tally' },
    { kind: 'renameView', from: 'people', to: 'persons', materialized: false },
  ]);
  const atB = applyOperations(before, ops, { strict: true });
  assert.deepEqual(compareSchemas(atB, retyped, postgresEnumPlanner), [], 'inert once applied');
  const back = applyOperations(atB, inverseAll(ops), { strict: true });
  assert.deepEqual(canonicalSchema(back), canonicalSchema(before));
  assert.deepEqual(back.views, before.views);
});

test('a hint on an index, a constraint, an enum type or a view that collides is one MODEL line', async () => {
  const { enumType, sql } = await import('../src/models/dsl.js');
  const { check, foreignKey, index, primaryKey, unique } = await import('../src/models/table-extras.js');
  const { view } = await import('../src/models/views.js');
  const users = (extras: (t: { readonly id: ColumnRef; readonly email: ColumnRef; readonly boss: ColumnRef }) => readonly TableExtra[]) =>
    table('users', { id: integer().notNull(), email: text(), boss: integer() }, extras);
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ a: users((t) => [index('ix_a').on(t.email), index('ix_b').on(t.email).renamedFrom('ix_a')]) }, /^models\/m\.ts: table "users": index "ix_b" is renamedFrom "ix_a", but index "ix_a" is declared too$/],
    [{ a: users((t) => [index('ix_a').on(t.email).renamedFrom('old'), unique('uq_a').on(t.email).renamedFrom('old')]) }, /^models\/m\.ts: table "users": unique constraint "uq_a" and index "ix_a" are both renamedFrom "old"$/],
    [{ a: users((t) => [check('ck_a', sql`id > 0`), check('ck_b', sql`id < 9`).renamedFrom('ck_a')]) }, /check constraint "ck_b" is renamedFrom "ck_a", but check constraint "ck_a" is declared too$/],
    [{ a: users((t) => [primaryKey('pk_users').on(t.id).renamedFrom('uq_a'), unique('uq_a').on(t.email)]) }, /primary key "pk_users" is renamedFrom "uq_a", but unique constraint "uq_a" is declared too$/],
    [{ a: users((t) => [foreignKey('fk_a').on(t.boss).references('users.id').renamedFrom('fk_old'), foreignKey('fk_b').on(t.boss).references('users.id').renamedFrom('fk_old')]) }, /foreign keys? "fk_a" and foreign key "fk_b" are both renamedFrom "fk_old"$/],
    [{ a: enumType('feeling', ['x']).renamedFrom('mood'), b: enumType('mood', ['y']) }, /^enum "feeling" is renamedFrom "mood", but enum "mood" is declared too$/],
    [{ a: users(() => []), v: view('people', 'select 1', { renamedFrom: 'users' }) }, /^view "people" is renamedFrom "users", but table "users" is declared too \(models\/m\.ts\)$/],
  ];
  for (const [exports, message] of cases) {
    assert.throws(() => collectModels([{ file: 'models/m.ts', exports }], MODEL_TARGET), (e: unknown) => isRetortError(e) && e.code === 'MODEL' && message.test(e.message) && !e.message.includes('\n'), String(message));
  }
});

test('a sequence hint that collides is one MODEL line: two sequences claiming one old name, a hint whose old name is declared', async () => {
  const { sequence } = await import('../src/models/sequences.js');
  const { postgresDialect } = await import('../src/dialects/postgres/postgres-dialect.js');
  // Sequences load only for a dialect that has them.
  const target = { ...MODEL_TARGET, spelling: postgresDialect.sqlSpelling };
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ a: sequence('ticket_seq', { renamedFrom: 'tickets' }), b: sequence('order_seq', { renamedFrom: 'tickets' }) }, /^sequence "ticket_seq" and sequence "order_seq" are both renamedFrom "tickets"$|^sequence "order_seq" and sequence "ticket_seq" are both renamedFrom "tickets"$/],
    [{ a: sequence('ticket_seq', { renamedFrom: 'tickets' }), b: sequence('tickets') }, /^sequence "ticket_seq" is renamedFrom "tickets", but sequence "tickets" is declared too$/],
  ];
  for (const [exports, message] of cases) {
    assert.throws(() => collectModels([{ file: 'models/m.ts', exports }], target), (e: unknown) => isRetortError(e) && e.code === 'MODEL' && message.test(e.message) && !e.message.includes('\n'), String(message));
  }
  // Apart, each hint is fine: the models load and carry it.
  const ok = collectModels([{ file: 'models/m.ts', exports: { a: sequence('ticket_seq', { renamedFrom: 'tickets' }) } }], target);
  assert.equal(ok.sequences?.[0]?.renamedFrom, 'tickets');
});

test('a column renamed and retyped under a view and a trigger that name it: their drops first, then the rename; the inverse renames back before it creates them again', () => {
  const score = column('score', { kind: 'integer' });
  const points = { ...score, name: 'points', type: { kind: 'bigint' as const }, renamedFrom: 'score' };
  const trigger = (col: string) => ({ name: 'note_changed', table: 'notes', timing: 'after' as const, events: ['update' as const], updateOf: [col], forEachRow: true, execute: 'log_fn' });
  const view = (col: string) => ({ name: 'note_points', definition: `select id, ${col} from notes`, materialized: false });
  const before: SchemaIR = { ...schema(t('notes', [score])), views: [view('score')], triggers: [trigger('score')] };
  const after: SchemaIR = { ...schema(t('notes', [points])), views: [view('points')], triggers: [trigger('points')] };
  const ops = compareSchemas(before, after, postgresEnumPlanner);
  const shape = (o: Operation) => (o.kind === 'alterColumn' ? `alterColumn ${o.column} ${Object.keys(o.to).join(',')}` : o.kind);
  assert.deepEqual(ops.map(shape), ['dropTrigger', 'dropView', 'alterColumn score name', 'alterColumn points type', 'createView', 'createTrigger']);
  // The downgrade: the column renamed back before the view and the trigger come back with the text naming it.
  const down = inverseAll(ops);
  assert.deepEqual(down.map(shape), ['dropTrigger', 'dropView', 'alterColumn points type', 'alterColumn points name', 'createView', 'createTrigger']);
  assert.deepEqual(down.flatMap((o) => (o.kind === 'createView' ? [o.view.definition] : o.kind === 'createTrigger' ? o.trigger.updateOf ?? [] : [])), ['select id, score from notes', 'score']);
});

test("SQLite: a view's name replaced in SQL text, strings, comments and columns after a dot left alone", async () => {
  const { renameRelationInSql } = await import('../src/dialects/sqlite/sqlite-names.js');
  const cases: [string, string][] = [
    [`INSERT INTO log SELECT count(*) FROM note_v WHERE 'note_v' <> ''`, `INSERT INTO log SELECT count(*) FROM note_w WHERE 'note_v' <> ''`],
    [`CREATE TRIGGER "t" INSTEAD OF INSERT ON "note_v" FOR EACH ROW BEGIN SELECT NEW.note_v; END`, `CREATE TRIGGER "t" INSTEAD OF INSERT ON "note_w" FOR EACH ROW BEGIN SELECT NEW.note_v; END`],
    [`SELECT Note_V.id, x.note_v FROM main.note_v, [note_v] -- note_v\n/* note_v */`, `SELECT note_w.id, x.note_v FROM main.note_w, "note_w" -- note_v\n/* note_v */`],
    [`SELECT note_vs FROM note_v_x`, `SELECT note_vs FROM note_v_x`],
  ];
  for (const [sql, expected] of cases) assert.equal(renameRelationInSql(sql, 'note_v', 'note_w'), expected);
  assert.equal(renameRelationInSql(`FROM note_v`, 'note_v', 'Note W'), `FROM "Note W"`);
  // Renamed back, the text is the one it started from.
  const start = `SELECT count(*) FROM note_v`;
  assert.equal(renameRelationInSql(renameRelationInSql(start, 'note_v', 'note_w'), 'note_w', 'note_v'), start);
});
