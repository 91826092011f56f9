/**
 * PostgreSQL compiler: golden SQL for every operation kind (with identifiers
 * that need quoting), then every operation run for real on a throwaway database
 * and the result read back.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresDialect } from '../src/dialects/postgres/postgres-dialect.js';
import { compileOne } from '../src/dialects/postgres/postgres-compiler.js';
import { noCatalog, type Connection } from '../src/dialects/dialect.js';
import type { Operation } from '../src/operations/operations.js';
import { column, tableIR, type TableIR } from '../src/ir/ir.js';
import { parseDatabaseUrl } from '../src/config/url.js';
import { createPgDatabase, type PgDatabase } from './helpers/db.js';

const users: TableIR = tableIR('users', [
  column('id', { kind: 'integer' }, { nullable: false, autoIncrement: true }),
  column('email', { kind: 'varchar', length: 255 }, { nullable: false, comment: "user's email" }),
  column('gender', { kind: 'enum', name: 'Gender Enum' }, { nullable: false, serverDefault: "'UNDEFINED'" }),
  column('tags', { kind: 'array', element: { kind: 'text' } }),
  column('created_at', { kind: 'timestamp', withTimezone: true }, { nullable: false, serverDefault: 'now()' }),
], {
  primaryKey: { name: null, columns: ['id'] },
  uniques: [{ name: 'users_email_key', columns: ['email'] }],
  checks: [{ name: 'ck_email', expression: "email <> ''" }],
  indexes: [{ name: 'ix_users_lower_email', columns: ['lower(email)'], unique: true, where: 'created_at IS NOT NULL' }],
  comment: 'people',
});

const golden: { name: string; op: Operation; sql: string[] }[] = [
  {
    name: 'createTable with serial, enum, array, default, constraints, index and comments',
    op: { kind: 'createTable', table: users },
    sql: [
      'CREATE TABLE "users" (\n' +
        '  "id" serial NOT NULL,\n' +
        '  "email" varchar(255) NOT NULL,\n' +
        '  "gender" "Gender Enum" NOT NULL DEFAULT \'UNDEFINED\',\n' +
        '  "tags" text[],\n' +
        '  "created_at" timestamp with time zone NOT NULL DEFAULT now(),\n' +
        '  PRIMARY KEY ("id"),\n' +
        '  CONSTRAINT "users_email_key" UNIQUE ("email"),\n' +
        '  CONSTRAINT "ck_email" CHECK (email <> \'\')\n' +
        ')',
      'CREATE UNIQUE INDEX "ix_users_lower_email" ON "users" (lower(email)) WHERE created_at IS NOT NULL',
      'COMMENT ON TABLE "users" IS \'people\'',
      'COMMENT ON COLUMN "users"."email" IS \'user\'\'s email\'',
    ],
  },
  {
    name: 'createTable with bigserial, smallserial, named pk and foreign keys with actions',
    op: {
      kind: 'createTable',
      table: tableIR('Order "Lines"', [
        column('id', { kind: 'bigint' }, { nullable: false, autoIncrement: true }),
        column('n', { kind: 'smallint' }, { nullable: false, autoIncrement: true }),
        column('user', { kind: 'integer' }),
      ], {
        primaryKey: { name: 'pk_lines', columns: ['id', 'n'] },
        foreignKeys: [
          { name: 'fk_user', columns: ['user'], refTable: 'users', refColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'SET NULL' },
          { name: 'fk_plain', columns: ['user'], refTable: 'users', refColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' },
        ],
      }),
    },
    sql: [
      'CREATE TABLE "Order ""Lines""" (\n' +
        '  "id" bigserial NOT NULL,\n' +
        '  "n" smallserial NOT NULL,\n' +
        '  "user" integer,\n' +
        '  CONSTRAINT "pk_lines" PRIMARY KEY ("id", "n"),\n' +
        '  CONSTRAINT "fk_user" FOREIGN KEY ("user") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE SET NULL,\n' +
        '  CONSTRAINT "fk_plain" FOREIGN KEY ("user") REFERENCES "users" ("id")\n' +
        ')',
    ],
  },
  { name: 'dropTable', op: { kind: 'dropTable', name: 'select', table: null }, sql: ['DROP TABLE "select"'] },
  { name: 'renameTable', op: { kind: 'renameTable', from: 'Users', to: 'Ünïcödé' }, sql: ['ALTER TABLE "Users" RENAME TO "Ünïcödé"'] },
  { name: 'setTableComment', op: { kind: 'setTableComment', table: 'users', comment: "it's" }, sql: ['COMMENT ON TABLE "users" IS \'it\'\'s\''] },
  { name: 'setTableComment to null', op: { kind: 'setTableComment', table: 'users', comment: null }, sql: ['COMMENT ON TABLE "users" IS NULL'] },
  {
    name: 'addColumn with NOT NULL, DEFAULT and COMMENT',
    op: { kind: 'addColumn', table: 'users', column: column('my col', { kind: 'numeric', precision: 10, scale: 2 }, { nullable: false, serverDefault: '0', comment: 'money' }) },
    sql: ['ALTER TABLE "users" ADD COLUMN "my col" numeric(10, 2) NOT NULL DEFAULT 0', 'COMMENT ON COLUMN "users"."my col" IS \'money\''],
  },
  { name: 'dropColumn', op: { kind: 'dropColumn', table: 'users', name: 'order', column: null }, sql: ['ALTER TABLE "users" DROP COLUMN "order"'] },
  {
    name: 'alterColumn: every facet, rename last',
    op: {
      kind: 'alterColumn', table: 'users', column: 'email',
      to: { type: { kind: 'text' }, nullable: true, serverDefault: "'x'", comment: 'c', name: 'e-mail' },
      from: { type: { kind: 'varchar', length: 255 }, nullable: false, serverDefault: null, comment: null },
    },
    sql: [
      'ALTER TABLE "users" ALTER COLUMN "email" DROP DEFAULT',
      'ALTER TABLE "users" ALTER COLUMN "email" TYPE text',
      'ALTER TABLE "users" ALTER COLUMN "email" SET DEFAULT \'x\'',
      'ALTER TABLE "users" ALTER COLUMN "email" DROP NOT NULL',
      'COMMENT ON COLUMN "users"."email" IS \'c\'',
      'ALTER TABLE "users" RENAME COLUMN "email" TO "e-mail"',
    ],
  },
  {
    name: 'alterColumn: SET NOT NULL and DROP DEFAULT',
    op: { kind: 'alterColumn', table: 'users', column: 'email', to: { nullable: false, serverDefault: null } },
    sql: ['ALTER TABLE "users" ALTER COLUMN "email" DROP DEFAULT', 'ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL'],
  },
  {
    name: 'alterColumn: explicit USING with {col}',
    op: { kind: 'alterColumn', table: 'users', column: 'age', to: { type: { kind: 'integer' }, using: 'trim({col})::integer' } },
    sql: ['ALTER TABLE "users" ALTER COLUMN "age" TYPE integer USING trim("age")::integer'],
  },
  {
    name: 'alterColumn: text to enum gets an automatic USING through text',
    op: { kind: 'alterColumn', table: 'users', column: 'g', to: { type: { kind: 'enum', name: 'Gen' } }, from: { type: { kind: 'text' } } },
    sql: ['ALTER TABLE "users" ALTER COLUMN "g" TYPE "Gen" USING "g"::text::"Gen"'],
  },
  {
    name: 'alterColumn: integer to bigint needs no USING',
    op: { kind: 'alterColumn', table: 'users', column: 'n', to: { type: { kind: 'bigint' } }, from: { type: { kind: 'integer' } } },
    sql: [
      'ALTER TABLE "users" ALTER COLUMN "n" TYPE bigint',
      `DO $$ DECLARE seq text := pg_get_serial_sequence('"users"', 'n'); BEGIN IF seq IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '"users"'::regclass AND attname = 'n' AND attidentity <> '') THEN EXECUTE format('ALTER SEQUENCE %s AS bigint', seq); END IF; END $$`,
    ],
  },
  {
    name: 'alterColumn: text to integer gets a cast',
    op: { kind: 'alterColumn', table: 'users', column: 'n', to: { type: { kind: 'integer' } }, from: { type: { kind: 'text' } } },
    sql: ['ALTER TABLE "users" ALTER COLUMN "n" TYPE integer USING "n"::integer'],
  },
  {
    name: 'createIndex: plain, mixed-case and expression columns',
    // A key with an operator is an expression, parenthesised (issue 17: `ff + 3` was quoted as a column name); a
    // name with a space is a column, and a column named like an expression is given quoted.
    op: { kind: 'createIndex', table: 'users', index: { name: 'IX Mixed', columns: ['Name', 'a + b', '(c * 2)', 'first name', '"a + b"', '(a) + (b)'], unique: false, where: null } },
    sql: ['CREATE INDEX "IX Mixed" ON "users" ("Name", (a + b), (c * 2), "first name", "a + b", ((a) + (b)))'],
  },
  { name: 'dropIndex', op: { kind: 'dropIndex', table: 'users', name: 'ix"q', index: null }, sql: ['DROP INDEX "ix""q"'] },
  {
    name: 'addConstraint primaryKey (unnamed)',
    op: { kind: 'addConstraint', table: 'users', constraint: { kind: 'primaryKey', def: { name: null, columns: ['id'] } } },
    sql: ['ALTER TABLE "users" ADD PRIMARY KEY ("id")'],
  },
  {
    name: 'addConstraint unique',
    op: { kind: 'addConstraint', table: 'users', constraint: { kind: 'unique', def: { name: 'uq', columns: ['a', 'b'] } } },
    sql: ['ALTER TABLE "users" ADD CONSTRAINT "uq" UNIQUE ("a", "b")'],
  },
  {
    name: 'addConstraint foreignKey',
    op: { kind: 'addConstraint', table: 'p', constraint: { kind: 'foreignKey', def: { name: 'fk', columns: ['u'], refTable: 'users', refColumns: ['id'], onDelete: 'RESTRICT', onUpdate: 'SET DEFAULT' } } },
    sql: ['ALTER TABLE "p" ADD CONSTRAINT "fk" FOREIGN KEY ("u") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE SET DEFAULT'],
  },
  {
    name: 'addConstraint check',
    op: { kind: 'addConstraint', table: 'p', constraint: { kind: 'check', def: { name: 'ck', expression: 'price > 0' } } },
    sql: ['ALTER TABLE "p" ADD CONSTRAINT "ck" CHECK (price > 0)'],
  },
  { name: 'dropConstraint', op: { kind: 'dropConstraint', table: 'p', name: 'ck', constraintKind: null, constraint: null }, sql: ['ALTER TABLE "p" DROP CONSTRAINT "ck"'] },
  { name: 'createEnum', op: { kind: 'createEnum', enum: { name: 'mood', values: ['sad', "it's ok"] } }, sql: ["CREATE TYPE \"mood\" AS ENUM ('sad', 'it''s ok')"] },
  { name: 'dropEnum', op: { kind: 'dropEnum', name: 'mood', enum: null }, sql: ['DROP TYPE "mood"'] },
  { name: 'renameEnum', op: { kind: 'renameEnum', from: 'mood', to: 'Mood' }, sql: ['ALTER TYPE "mood" RENAME TO "Mood"'] },
  { name: 'addEnumValue last', op: { kind: 'addEnumValue', name: 'mood', value: 'happy' }, sql: ["ALTER TYPE \"mood\" ADD VALUE IF NOT EXISTS 'happy'"] },
  { name: 'addEnumValue before', op: { kind: 'addEnumValue', name: 'mood', value: 'meh', before: 'sad' }, sql: ["ALTER TYPE \"mood\" ADD VALUE IF NOT EXISTS 'meh' BEFORE 'sad'"] },
  { name: 'addEnumValue after', op: { kind: 'addEnumValue', name: 'mood', value: 'ok', after: 'sad' }, sql: ["ALTER TYPE \"mood\" ADD VALUE IF NOT EXISTS 'ok' AFTER 'sad'"] },
];

describe('postgres compiler: golden SQL', () => {
  for (const g of golden) {
    test(g.name, async () => {
      const statements = await postgresDialect.compile([g.op], noCatalog);
      assert.deepEqual(statements.map((s) => s.sql), g.sql);
      assert.ok(statements.every((s) => s.params === undefined));
    });
  }
  test('execute keeps SQL and params as given', async () => {
    const statements = await postgresDialect.compile([{ kind: 'execute', sql: 'UPDATE t SET a = $1', params: [1] }], noCatalog);
    assert.deepEqual(statements, [{ sql: 'UPDATE t SET a = $1', params: [1] }]);
  });
  test('quoting', () => {
    assert.equal(postgresDialect.quoteIdentifier('a"b'), '"a""b"');
    assert.equal(postgresDialect.quoteIdentifier('Ünï'), '"Ünï"');
    assert.equal(postgresDialect.quoteLiteral("o'clock"), "'o''clock'");
    // A backslash: E'' with it doubled, which reads the same whatever standard_conforming_strings says.
    assert.equal(postgresDialect.quoteLiteral("o'clock \\n"), "E'o''clock \\\\n'");
  });
  test('typeSql for every kind', () => {
    const cases: [Parameters<typeof postgresDialect.typeSql>[0], string][] = [
      [{ kind: 'smallint' }, 'smallint'], [{ kind: 'integer' }, 'integer'], [{ kind: 'bigint' }, 'bigint'],
      [{ kind: 'boolean' }, 'boolean'], [{ kind: 'text' }, 'text'], [{ kind: 'varchar', length: null }, 'varchar'],
      [{ kind: 'varchar', length: 3 }, 'varchar(3)'], [{ kind: 'char', length: 2 }, 'char(2)'],
      [{ kind: 'numeric', precision: 10, scale: 2 }, 'numeric(10, 2)'], [{ kind: 'numeric', precision: null, scale: null }, 'numeric'],
      [{ kind: 'real' }, 'real'], [{ kind: 'double' }, 'double precision'], [{ kind: 'date' }, 'date'],
      [{ kind: 'time', withTimezone: true }, 'time with time zone'], [{ kind: 'timestamp', withTimezone: false }, 'timestamp'],
      [{ kind: 'uuid' }, 'uuid'], [{ kind: 'json' }, 'json'], [{ kind: 'jsonb' }, 'jsonb'], [{ kind: 'bytea' }, 'bytea'],
      [{ kind: 'array', element: { kind: 'enum', name: 'My Enum' } }, '"My Enum"[]'], [{ kind: 'custom', sql: 'tsvector' }, 'tsvector'],
    ];
    for (const [type, sql] of cases) assert.equal(postgresDialect.typeSql(type), sql, type.kind);
  });
  test('compileOne covers every operation kind', () => {
    const kinds = new Set(golden.map((g) => g.op.kind).concat('execute'));
    assert.equal(kinds.size, 16);
    assert.ok(compileOne({ kind: 'execute', sql: 'SELECT 1' }).length === 1);
  });
});

describe('postgres compiler: every operation on a real database', () => {
  let db: PgDatabase;
  let conn: Connection;
  before(async () => {
    db = await createPgDatabase('retort_pgcompile');
    conn = await postgresDialect.connect(parseDatabaseUrl(db.url, process.cwd()));
  });
  after(async () => {
    await conn?.close();
    await db?.drop();
  });

  async function run(...ops: Operation[]): Promise<void> {
    for (const s of await postgresDialect.compile(ops, noCatalog)) await conn.query(s.sql, s.params);
  }
  const read = (name: string) => postgresDialect.introspectTable(conn, name);

  test('createEnum, createTable with awkward names, then read back', async () => {
    await run({ kind: 'createEnum', enum: { name: 'Gender Enum', values: ['MALE', 'FEMALE', 'UNDEFINED'] } }, { kind: 'createTable', table: users });
    const got = await read('users');
    assert.deepEqual(got, postgresDialect.normalize({ tables: [users], enums: [] }).tables[0]);
  });

  const weird = 'Sélect "Odd" Table';
  test('tables and columns with quotes, spaces, reserved words, mixed case and non-ASCII', async () => {
    const t = tableIR(weird, [
      column('order', { kind: 'integer' }, { nullable: false }),
      column('Mixed Case', { kind: 'text' }),
      column('naïve"col', { kind: 'integer' }),
    ], {
      primaryKey: { name: 'Weird PK', columns: ['order'] },
      foreignKeys: [{ name: 'fk "users"', columns: ['naïve"col'], refTable: 'users', refColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'NO ACTION' }],
      indexes: [{ name: 'ix Mixed', columns: ['Mixed Case'], unique: false, where: null }],
    });
    await run({ kind: 'createTable', table: t });
    assert.deepEqual(await read(weird), postgresDialect.normalize({ tables: [t], enums: [] }).tables[0]);
  });

  test('addColumn, alterColumn (every facet), dropColumn', async () => {
    await run(
      { kind: 'addColumn', table: weird, column: column('group', { kind: 'text' }, { nullable: false, serverDefault: "'MALE'", comment: 'g' }) },
      { kind: 'alterColumn', table: weird, column: 'group', to: { type: { kind: 'enum', name: 'Gender Enum' }, nullable: true, serverDefault: "'FEMALE'", comment: 'now enum', name: 'Grüppe' }, from: { type: { kind: 'text' }, nullable: false, serverDefault: "'MALE'", comment: 'g' } },
      { kind: 'addColumn', table: weird, column: column('n', { kind: 'text' }) },
      { kind: 'execute', sql: `INSERT INTO ${postgresDialect.quoteIdentifier(weird)} ("order", n) VALUES ($1, $2)`, params: [1, '42'] },
      { kind: 'alterColumn', table: weird, column: 'n', to: { type: { kind: 'integer' } }, from: { type: { kind: 'text' } } },
      { kind: 'dropColumn', table: weird, name: 'Mixed Case', column: null },
    );
    const t = await read(weird);
    const g = t?.columns.find((c) => c.name === 'Grüppe');
    assert.deepEqual(g, { name: 'Grüppe', type: { kind: 'enum', name: 'Gender Enum' }, nullable: true, serverDefault: "'FEMALE'", autoIncrement: false, comment: 'now enum' });
    assert.deepEqual(t?.columns.find((c) => c.name === 'n')?.type, { kind: 'integer' });
    assert.equal(t?.columns.some((c) => c.name === 'Mixed Case'), false);
    assert.deepEqual(await conn.query(`SELECT n FROM ${postgresDialect.quoteIdentifier(weird)}`), [{ n: 42 }]);
  });

  test('indexes and constraints: create and drop', async () => {
    await run(
      { kind: 'createIndex', table: weird, index: { name: 'ix partial', columns: ['n', 'abs(n)', '(n * 2)'], unique: true, where: 'n > 0' } },
      { kind: 'addConstraint', table: weird, constraint: { kind: 'unique', def: { name: 'uq n', columns: ['n'] } } },
      { kind: 'addConstraint', table: weird, constraint: { kind: 'check', def: { name: 'ck n', expression: 'n >= 0' } } },
    );
    let t = await read(weird);
    assert.deepEqual(t?.indexes.find((i) => i.name === 'ix partial'), { name: 'ix partial', columns: ['n', 'abs(n)', '(n * 2)'], unique: true, where: 'n > 0' });
    assert.deepEqual(t?.uniques, [{ name: 'uq n', columns: ['n'] }]);
    assert.deepEqual(t?.checks, [{ name: 'ck n', expression: 'n >= 0' }]);
    await run(
      { kind: 'dropIndex', table: weird, name: 'ix partial', index: null },
      { kind: 'dropConstraint', table: weird, name: 'uq n', constraintKind: 'unique', constraint: null },
      { kind: 'dropConstraint', table: weird, name: 'ck n', constraintKind: 'check', constraint: null },
      { kind: 'dropConstraint', table: weird, name: 'Weird PK', constraintKind: 'primaryKey', constraint: null },
      { kind: 'addConstraint', table: weird, constraint: { kind: 'primaryKey', def: { name: null, columns: ['order'] } } },
    );
    t = await read(weird);
    // "ix Mixed" went with its column in the test before.
    assert.deepEqual(t?.indexes, []);
    assert.deepEqual(t?.uniques, []);
    assert.deepEqual(t?.checks, []);
    assert.deepEqual(t?.primaryKey, { name: `${weird}_pkey`, columns: ['order'] });
  });

  test('enum operations, table rename and comments, drops', async () => {
    await run(
      { kind: 'addEnumValue', name: 'Gender Enum', value: 'OTHER', before: 'UNDEFINED' },
      { kind: 'addEnumValue', name: 'Gender Enum', value: "it's", after: 'MALE' },
      { kind: 'addEnumValue', name: 'Gender Enum', value: 'LAST' },
      { kind: 'renameEnum', from: 'Gender Enum', to: 'gender' },
      { kind: 'renameTable', from: weird, to: 'Ünïcödé' },
      { kind: 'setTableComment', table: 'Ünïcödé', comment: 'renamed' },
    );
    const schema = await postgresDialect.introspect(conn, { exclude: () => false });
    assert.deepEqual(schema.enums, [{ name: 'gender', values: ['MALE', "it's", 'FEMALE', 'OTHER', 'UNDEFINED', 'LAST'] }]);
    assert.deepEqual(schema.tables.map((t) => t.name), ['users', 'Ünïcödé']);
    assert.equal(schema.tables[1]?.comment, 'renamed');
    await run(
      { kind: 'setTableComment', table: 'Ünïcödé', comment: null },
      { kind: 'dropTable', name: 'Ünïcödé', table: null },
      { kind: 'dropTable', name: 'users', table: null },
      { kind: 'dropEnum', name: 'gender', enum: null },
    );
    assert.deepEqual(await postgresDialect.introspect(conn, { exclude: () => false }), { tables: [], enums: [] });
  });
});
