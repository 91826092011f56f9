// collectModels: every exported table and enum is collected, and each model mistake is one
// RetortError('MODEL') line naming the file, the table and the column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boolean, enumType, integer, numeric, serial, table, text, unique, index, varchar, sql } from '../src/models/builders.js';
import { collectModels, declarations } from '../src/models/collect.js';
import { view } from '../src/models/views.js';
import { isRetortError } from '../src/errors.js';
import { MODEL_TARGET } from './helpers/models.js';

const gender = enumType('genderenum', ['MALE', 'FEMALE', 'UNDEFINED']);
const users = table('users', { id: serial().primaryKey(), email: varchar(255).notNull().unique() });
const profiles = table('profiles', {
  id: serial().primaryKey(),
  user_id: integer().notNull().references(() => users.columns.id, { onDelete: 'cascade' }),
  gender: gender().notNull().serverDefault('UNDEFINED'),
});

test('collects every exported table and enum, sorted, once even when re-exported or grouped', () => {
  const schema = collectModels([
    { file: 'models/users.ts', exports: { users, helper: 42 } },
    { file: 'models/profiles.ts', exports: { profiles, gender, again: users, all: [users, profiles], byName: { gender } } },
  ], MODEL_TARGET);
  assert.deepEqual(schema.tables.map((t) => t.name), ['profiles', 'users']);
  assert.deepEqual(schema.enums, [{ name: 'genderenum', values: ['MALE', 'FEMALE', 'UNDEFINED'] }]);
  assert.equal(schema.tables[0]!.foreignKeys[0]!.name, 'profiles_user_id_fkey');
});

test('a module\'s declarations come in the order they were made, not in the order of its exports', () => {
  // esbuild's CommonJS lists exports by name: the file made zeta, then alpha, then a view over alpha, then an enum.
  const zeta = table('zeta', { id: serial().primaryKey() });
  const alpha = table('alpha', { id: serial().primaryKey() }).renamedFrom('old_alpha');
  const alphaView = view('alpha_view', 'SELECT id FROM alpha');
  const mood = enumType('mood', ['ok']);
  const byName = { alpha, alphaView, grouped: [mood, zeta], helper: 1 };
  assert.deepEqual(declarations(byName), [zeta, alpha, alphaView, mood]);
  // Something Retort did not make keeps its place after the rest.
  const foreign = { __retort: 'table', tableName: 'foreign' };
  assert.deepEqual(declarations({ a: foreign, b: zeta }), [zeta, foreign]);
});

const long = 'x'.repeat(64);
const cases: { name: string; modules: { file: string; exports: Record<string, unknown> }[]; message: RegExp }[] = [
  {
    name: 'foreign key to an undeclared table',
    modules: [{ file: 'models/profiles.ts', exports: { profiles, gender } }],
    message: /^models\/profiles\.ts: profiles\.user_id references users\.id, but no table "users" is declared in models\/profiles\.ts$/,
  },
  {
    name: 'foreign key to an undeclared column',
    modules: [{ file: 'models/a.ts', exports: { users, t: table('posts', { id: serial().primaryKey(), author: integer().references('users.uid') }) } }],
    message: /^models\/a\.ts: posts\.author references users\.uid, but table "users" \(models\/a\.ts\) has no column "uid"$/,
  },
  {
    name: 'duplicate table names in two files',
    modules: [{ file: 'models/a.ts', exports: { users } }, { file: 'models/b.ts', exports: { u: table('users', { id: serial() }) } }],
    message: /^table "users" is declared twice: in models\/a\.ts and models\/b\.ts$/,
  },
  {
    name: 'enum column whose enum is not exported',
    modules: [{ file: 'models/p.ts', exports: { users, profiles } }],
    message: /^models\/p\.ts: profiles\.gender uses enum type "genderenum", which no model file exports$/,
  },
  {
    name: 'server default that is not an enum value',
    modules: [{ file: 'models/p.ts', exports: { gender, t: table('people', { g: gender().serverDefault('OTHER') }) } }],
    message: /^models\/p\.ts: people\.g has server default 'OTHER', which is not a value of enum "genderenum" \(MALE, FEMALE, UNDEFINED\)$/,
  },
  {
    name: 'text server default of an integer column that is no integer',
    modules: [{ file: 'models/p.ts', exports: { t: table('people', { age: integer().notNull().serverDefault('abc') }) } }],
    message: /^models\/p\.ts: people\.age has server default 'abc', which is not an integer$/,
  },
  {
    name: 'text server default of a boolean column that is no boolean',
    modules: [{ file: 'models/p.ts', exports: { t: table('people', { ok: boolean().serverDefault('maybe') }) } }],
    message: /^models\/p\.ts: people\.ok has server default 'maybe', which is not a boolean$/,
  },
  {
    name: 'text server default of a numeric column that is no number',
    modules: [{ file: 'models/p.ts', exports: { t: table('prices', { p: numeric(10, 2).serverDefault('1,50') }) } }],
    message: /^models\/p\.ts: prices\.p has server default '1,50', which is not a number$/,
  },
  {
    name: 'identifier longer than 63 bytes (UTF-8, so 32 two-byte letters are too long)',
    modules: [{ file: 'models/l.ts', exports: { t: table('ä'.repeat(32), { id: serial() }) } }],
    message: /table name "ä+" is 64 bytes long; PostgreSQL would silently cut it to 63$/,
  },
  {
    name: 'generated index name too long',
    modules: [{ file: 'models/l.ts', exports: { t: table('t', { [long.slice(0, 60)]: integer().index() }) } }],
    message: /^models\/l\.ts: table "t": index name "ix_t_x+" is 65 bytes long/,
  },
  {
    name: 'duplicate index and constraint names across tables',
    modules: [{ file: 'models/d.ts', exports: { a: table('a', { x: integer() }, (t) => [index('same').on(t.x)]), b: table('b', { y: integer() }, (t) => [unique('same').on(t.y)]) } }],
    message: /^duplicate name "same": unique constraint "same" on b\(y\) \(models\/d\.ts\) and index "same" on a\(x\) \(models\/d\.ts\)$/,
  },
  {
    name: 'index on a column of another table',
    modules: [{ file: 'models/o.ts', exports: { users, t: table('posts', { title: text() }, () => [index().on(users.columns.email)]) } }],
    message: /^models\/o\.ts: index on table "posts" uses column users\.email, which is not a column of "posts"$/,
  },
  {
    name: 'index on a column that does not exist (t.missing is undefined)',
    modules: [{ file: 'models/o.ts', exports: { t: table('posts', { title: text() }, (t) => [index('ix_p').on((t as unknown as Record<string, never>).missing!)]) } }],
    message: /^models\/o\.ts: index "ix_p" on table "posts" names a column that does not exist/,
  },
  {
    name: 'a resolve error gets the file name',
    modules: [{ file: 'models/r.ts', exports: { t: table('posts', { author: integer().references('users') }) } }],
    message: /^models\/r\.ts: posts\.author: references\('users'\) must name a column as "table\.column"$/,
  },
];

for (const c of cases) {
  test(`model error: ${c.name}`, () => {
    assert.throws(() => collectModels(c.modules, MODEL_TARGET), (e: unknown) => {
      assert.ok(isRetortError(e), 'a RetortError');
      assert.equal(e.code, 'MODEL');
      assert.match(e.message, c.message);
      assert.doesNotMatch(e.message, /\n/);
      assert.ok(e.hint, 'has a hint');
      return true;
    });
  });
}

test('a check expression and an expression index do not count as unknown columns', () => {
  const t = table('t', { a: integer() }, (c) => [index('ix_lower').on(sql`lower(a::text)`), index('ix_a').on(c.a)]);
  assert.equal(collectModels([{ file: 'm.ts', exports: { t } }], MODEL_TARGET).tables[0]!.indexes.length, 2);
});

test('generated names keep table and column names as written: $$, $& and token spellings are not expanded', async () => {
  const { applyNaming, defaultNaming } = await import('../src/models/naming.js');
  const odd = table('a$$b', { id: serial().primaryKey(), 'c$&{table}': integer().notNull().unique().references(() => users.columns.id) });
  const [t] = collectModels([{ file: 'm.ts', exports: { odd, users } }], MODEL_TARGET).tables.filter((x) => x.name === 'a$$b');
  assert.equal(t!.primaryKey!.name, 'a$$b_pkey');
  assert.deepEqual(t!.uniques.map((u) => u.name), ['a$$b_c$&{table}_key']);
  assert.deepEqual(t!.foreignKeys.map((f) => f.name), ['a$$b_c$&{table}_fkey']);
  assert.equal(applyNaming('{refTable}-{column_0}-{name}-{columns}', { table: 't', columns: ['x', 'y'], refTable: 'r$1', name: 'n' }), 'r$1-x-n-x_y');
  assert.equal(applyNaming(defaultNaming.check, { table: 't', columns: [], name: 'ck_$$' }), 'ck_$$');
});

test('text defaults that read as their column\'s type are taken, as PostgreSQL reads them', () => {
  const t = table('defaults', {
    a: integer().serverDefault('42'),
    b: integer().serverDefault(' -7 '),
    c: numeric(10, 2).serverDefault('1.5e3'),
    d: numeric().serverDefault('NaN'),
    e: boolean().serverDefault('t'),
    f: boolean().serverDefault('off'),
    g: boolean().serverDefault('Yes'),
    h: text().serverDefault('anything'),
    i: integer().serverDefault(sql`abs(-1)`),
  });
  assert.equal(collectModels([{ file: 'm.ts', exports: { t } }], MODEL_TARGET).tables[0]!.columns.length, 9);
});

test('serverDefault takes a bigint whole, and names what it got when it is not a default value', () => {
  const t = table('big', { n: integer().serverDefault(9007199254740993n) });
  const collected = collectModels([{ file: 'm.ts', exports: { t } }], MODEL_TARGET).tables[0]!.columns[0]!;
  assert.equal(collected.serverDefault, '9007199254740993');
  assert.throws(() => integer().serverDefault({ a: 1 } as unknown as string), /^TypeError: serverDefault\(\) takes a string, a number, a bigint, a boolean, sql`...` or a sequence, not an object; for a JSON default write serverDefault\(JSON\.stringify\(value\)\)/);
  assert.throws(() => integer().serverDefault([1] as unknown as string), /not an array/);
  assert.throws(() => integer().serverDefault(Number.NaN), /only finite numbers can be defaults/);
});
