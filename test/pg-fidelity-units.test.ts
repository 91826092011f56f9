/**
 * Pure and single-connection tests behind test/pg-fidelity.test.ts: index entries with
 * key options, the SQL for auto-increment and for type changes under a default, the
 * differ's auto-increment facet, enum-to-enum narrowing, how a nameless primary key
 * is rendered and described, and that a matching schema is never sent to the server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileOne } from '../src/dialects/postgres/postgres-compiler.js';
import { normalizeIndexEntry, normalizeType } from '../src/dialects/postgres/postgres-normalize.js';
import { canonicalizePostgres, hasExpressionMismatch } from '../src/dialects/postgres/postgres-canonicalize.js';
import { postgresDialect } from '../src/dialects/postgres/postgres-dialect.js';
import type { Connection } from '../src/dialects/dialect.js';
import { compareSchemas } from '../src/diff/compare.js';
import { describeDifferences } from '../src/operations/describe.js';
import { destructiveChanges } from '../src/operations/destructive.js';
import { applyOperations } from '../src/operations/apply.js';
import { inverseAll, type Operation } from '../src/operations/operations.js';
import { renderOperations } from '../src/render/render-operations.js';
import { column, tableIR, type SchemaIR, type TableIR } from '../src/ir/ir.js';
import { parseDatabaseUrl } from '../src/config/url.js';
import { createPgDatabase, type PgDatabase } from './helpers/db.js';

const COLUMNS = new Set(['title', 'Title', 'name', 'email']);

const entries: { entry: string; want: string }[] = [
  { entry: 'title', want: 'title' },
  { entry: 'title DESC', want: 'title DESC' },
  { entry: 'title desc nulls first', want: 'title DESC' },
  { entry: 'title ASC', want: 'title' },
  { entry: 'title NULLS FIRST', want: 'title NULLS FIRST' },
  { entry: 'Title DESC', want: '"Title" DESC' },
  { entry: '"Title" DESC', want: '"Title" DESC' },
  { entry: 'name varchar_pattern_ops', want: 'name varchar_pattern_ops' },
  { entry: 'name COLLATE "C" DESC', want: 'name COLLATE "C" DESC' },
  { entry: 'lower(email) DESC', want: 'lower(email) DESC' },
  { entry: "(doc->>'a')", want: "(doc->>'a')" },
];

for (const { entry, want } of entries) {
  test(`index entry ${JSON.stringify(entry)} normalises to ${JSON.stringify(want)}`, () => {
    assert.equal(normalizeIndexEntry(entry, COLUMNS), want);
  });
}

const sqlCases: { name: string; op: Operation; sql: string[] }[] = [
  {
    name: 'an index with a method, key options and INCLUDE',
    op: { kind: 'createIndex', table: 'posts', index: { name: 'ix', columns: ['title DESC', '"Title" text_pattern_ops', 'lower(email)'], unique: false, where: null, method: 'gin', include: ['name'] } },
    sql: ['CREATE INDEX "ix" ON "posts" USING gin ("title" DESC, "Title" text_pattern_ops, lower(email)) INCLUDE ("name")'],
  },
  {
    name: 'integer -> serial',
    op: { kind: 'alterColumn', table: 'plain', column: 'id', to: { autoIncrement: true }, from: { autoIncrement: false } },
    sql: [
      'CREATE SEQUENCE "plain_id_seq" OWNED BY "plain"."id"',
      'ALTER TABLE "plain" ALTER COLUMN "id" SET DEFAULT nextval(\'"plain_id_seq"\'::regclass)',
      'SELECT setval(\'"plain_id_seq"\', COALESCE((SELECT max("id") FROM "plain"), 0) + 1, false)',
    ],
  },
  {
    name: 'serial or identity -> integer, then a default',
    op: { kind: 'alterColumn', table: 'plain', column: 'id', to: { autoIncrement: false, serverDefault: '0' }, from: { autoIncrement: true, serverDefault: null } },
    sql: [
      'ALTER TABLE "plain" ALTER COLUMN "id" DROP IDENTITY IF EXISTS',
      'ALTER TABLE "plain" ALTER COLUMN "id" DROP DEFAULT',
      `DO $$ BEGIN IF pg_get_serial_sequence('"plain"', 'id') IS NOT NULL THEN EXECUTE 'DROP SEQUENCE ' || pg_get_serial_sequence('"plain"', 'id'); END IF; END $$`,
      'ALTER TABLE "plain" ALTER COLUMN "id" SET DEFAULT 0',
    ],
  },
];

for (const c of sqlCases) {
  test(`postgres SQL: ${c.name}`, () => {
    assert.deepEqual(compileOne(c.op), c.sql);
  });
}

const schema = (tables: TableIR[], enums: SchemaIR['enums'] = []): SchemaIR => ({ tables, enums });
const key = (autoIncrement: boolean, type: 'integer' | 'bigint' = 'integer') =>
  tableIR('plain', [column('id', { kind: type }, { nullable: false, autoIncrement })], { primaryKey: { name: 'plain_pkey', columns: ['id'] } });

test('the differ finds auto-increment switched on and off, and the inverse switches it back', () => {
  for (const [from, to] of [[false, true], [true, false]] as const) {
    const ops = compareSchemas(schema([key(from)]), schema([key(to)]), postgresDialect.enumPlanner);
    assert.deepEqual(ops, [{ kind: 'alterColumn', table: 'plain', column: 'id', to: { autoIncrement: to }, from: { autoIncrement: from } }]);
    assert.deepEqual(applyOperations(schema([key(from)]), ops, { strict: true }).tables[0]!.columns[0]!.autoIncrement, to);
    assert.deepEqual(inverseAll(ops), [{ kind: 'alterColumn', table: 'plain', column: 'id', to: { autoIncrement: from }, from: { autoIncrement: to } }]);
    assert.equal(describeDifferences(ops).length, 1);
    assert.deepEqual(destructiveChanges(ops), []);
  }
});

test('a type change keeps an unchanged default in from and to, and does not list it as a difference', () => {
  const t = (type: { kind: 'enum'; name: string } | { kind: 'char'; length: number }) => tableIR('m', [column('c', type, { serverDefault: "'EUR'" })]);
  const ops = compareSchemas(schema([t({ kind: 'char', length: 3 })]), schema([t({ kind: 'enum', name: 'currency' })], [{ name: 'currency', values: ['EUR'] }]), postgresDialect.enumPlanner);
  const alter = ops.find((o) => o.kind === 'alterColumn');
  assert.deepEqual(alter && alter.kind === 'alterColumn' ? [alter.to.serverDefault, alter.from?.serverDefault] : null, ["'EUR'", "'EUR'"]);
  assert.deepEqual(compileOne(alter!), [
    'ALTER TABLE "m" ALTER COLUMN "c" DROP DEFAULT',
    'ALTER TABLE "m" ALTER COLUMN "c" TYPE "currency" USING "c"::text::"currency"',
    'ALTER TABLE "m" ALTER COLUMN "c" SET DEFAULT \'EUR\'',
  ]);
  assert.deepEqual(describeDifferences(ops), ["+ enum currency ('EUR')", '~ column m.c: char(3) -> currency']);
});

test('enum -> enum is narrowing only when values go', () => {
  const t = (name: string) => tableIR('m', [column('role', { kind: 'enum', name })]);
  const rename = compareSchemas(schema([t('Role')], [{ name: 'Role', values: ['a', 'b'] }]), schema([t('member_role')], [{ name: 'member_role', values: ['b', 'a', 'c'] }]), postgresDialect.enumPlanner);
  assert.deepEqual(destructiveChanges(rename), []);
  const narrower = compareSchemas(schema([t('Role')], [{ name: 'Role', values: ['a', 'b'] }]), schema([t('short')], [{ name: 'short', values: ['a'] }]), postgresDialect.enumPlanner);
  assert.deepEqual(destructiveChanges(narrower), ["narrows m.role from Role to short: rows holding 'b' make this migration fail"]);
});

test('a primary key the database keeps no name for renders with the conventional name and reads well', () => {
  const pk = (columns: string[]) => tableIR('memberships', [column('a', { kind: 'integer' }, { nullable: false }), column('b', { kind: 'integer' }, { nullable: false })], { primaryKey: { name: null, columns } });
  const ops = compareSchemas(schema([pk(['a'])]), schema([pk(['a', 'b'])]), postgresDialect.enumPlanner);
  const code = renderOperations(ops).code;
  assert.match(code, /op\.dropConstraint\('memberships_pkey', 'memberships', 'primaryKey'\);/);
  assert.doesNotMatch(code, /dropConstraint\(''/);
  assert.deepEqual(describeDifferences(ops), ['- primary key on memberships (a)', '+ primary key on memberships (a, b)']);
});

test('a removed enum value is noted in the revision file in words that fit the downgrade too', () => {
  const t = tableIR('m', [column('mood', { kind: 'enum', name: 'mood' })]);
  const ops = compareSchemas(schema([t], [{ name: 'mood', values: ['a', 'b'] }]), schema([t], [{ name: 'mood', values: ['a'] }]), postgresDialect.enumPlanner);
  assert.match(renderOperations(ops).code, /\/\/ DESTRUCTIVE: removes 'b' from enum mood: rows holding it make the migration fail/);
  assert.doesNotMatch(renderOperations(ops).code, /make the upgrade fail/);
});

describe('canonicalisation costs nothing when the schema matches', () => {
  let db: PgDatabase;
  let conn: Connection;
  before(async () => {
    db = await createPgDatabase();
    conn = await postgresDialect.connect(parseDatabaseUrl(db.url, process.cwd()));
  });
  after(async () => {
    await conn.close();
    await db.drop();
  });

  test('1000 matching tables: no query is sent; a mismatching one is checked and adopted', async () => {
    const orders = (i: number, check: string): TableIR =>
      tableIR(`t${i}`, [column('status', { kind: 'varchar', length: 20 })], { checks: [{ name: `ck_${i}`, expression: check }] });
    const live = postgresDialect.normalize(schema(Array.from({ length: 1000 }, (_, i) => orders(i, "status::text = 'x'::text"))));
    let queries = 0;
    const counting: Connection = { query: (sql, params) => { queries++; return conn.query(sql, params); }, close: () => conn.close() };
    assert.equal(await canonicalizePostgres(counting, live, live), live);
    assert.equal(queries, 0);
    const declared = postgresDialect.normalize(schema(Array.from({ length: 1000 }, (_, i) => orders(i, i === 7 ? "status IN ('x')" : "status::text = 'x'::text"))));
    assert.equal(declared.tables.filter((t, i) => hasExpressionMismatch(t, live.tables[i]!)).length, 1);
    const canonical = await canonicalizePostgres(counting, declared, live);
    assert.deepEqual(compareSchemas(live, canonical, postgresDialect.enumPlanner), []);
    assert.ok(queries > 0);
    assert.deepEqual(await conn.query(`SELECT 1 FROM pg_class WHERE relname = 't7'`), [], 'nothing was left behind');
  });

  test('500 mismatching tables are built a few hundred per transaction, each batch in one statement, with no keys or sequences', async () => {
    const table = (i: number, check: string): TableIR =>
      tableIR(`w${i}`, [column('id', { kind: 'integer' }, { autoIncrement: true, nullable: false }), column('status', { kind: 'varchar', length: 20 })], {
        primaryKey: { name: `w${i}_pkey`, columns: ['id'] },
        checks: [{ name: `ck_w${i}`, expression: check }],
      });
    const count = async (n: number) => {
      const live = postgresDialect.normalize(schema(Array.from({ length: n }, (_, i) => table(i, "(status)::text = ANY (ARRAY['x'::character varying, 'y'::character varying]::text[])"))));
      const declared = postgresDialect.normalize(schema(Array.from({ length: n }, (_, i) => table(i, "status IN ('x', 'y')"))));
      let queries = 0;
      let sequences = 0;
      const counting: Connection = {
        query: async (sql, params) => {
          queries++;
          if (/^SELECT nspname AS name FROM pg_namespace/.test(sql)) sequences = Number((await conn.query<{ n: string }>(`SELECT count(*) AS n FROM pg_class WHERE relkind IN ('S', 'i') AND relpersistence = 't'`))[0]!.n);
          return conn.query(sql, params);
        },
        close: () => conn.close(),
      };
      const canonical = await canonicalizePostgres(counting, declared, live);
      assert.deepEqual(compareSchemas(live, canonical, postgresDialect.enumPlanner), [], 'the server spelling is adopted');
      return { queries, sequences };
    };
    const small = await count(5);
    const large = await count(500);
    // Three scratch transactions of at most 200 tables (thousands in one would fill the server's shared lock table),
    // each sending as many queries as the 5-table one: not a query per table.
    assert.equal(large.queries, small.queries * 3);
    assert.equal(large.sequences, 0, 'no sequence or index was made for the scratch tables');
  });
});

test('a generated column type keeps its storage: STORED, or VIRTUAL (PostgreSQL 18, also when no word is given)', () => {
  const norm = (sql: string) => (normalizeType({ kind: 'custom', sql }) as { sql: string }).sql;
  assert.equal(norm('numeric(14,2) GENERATED ALWAYS AS ((qty * price)) STORED'), 'numeric(14, 2) GENERATED ALWAYS AS (qty * price) STORED');
  assert.equal(norm('int4 generated always as (a * 2) virtual'), 'integer GENERATED ALWAYS AS (a * 2) VIRTUAL');
  assert.equal(norm('integer GENERATED ALWAYS AS (a * 2)'), 'integer GENERATED ALWAYS AS (a * 2) VIRTUAL');
});
