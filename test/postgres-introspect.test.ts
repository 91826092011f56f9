/**
 * PostgreSQL introspection and normalisation: pure normaliser tables, a round
 * trip of every column type through a real database, the fixed number of round
 * trips (one batch, or six queries without batching) up to 5000 tables, and
 * connection errors in plain words.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresDialect } from '../src/dialects/postgres/postgres-dialect.js';
import { normalizeDefault, normalizeExpression, normalizeType } from '../src/dialects/postgres/postgres-normalize.js';
import { noCatalog, type Connection } from '../src/dialects/dialect.js';
import type { Operation } from '../src/operations/operations.js';
import type { ColumnType, SchemaIR } from '../src/ir/ir.js';
import * as d from '../src/models/builders.js';
import { resolveTable } from '../src/models/resolve.js';
import { parseDatabaseUrl } from '../src/config/url.js';
import { isRetortError } from '../src/errors.js';
import { createPgDatabase, type PgDatabase } from './helpers/db.js';
import { STANDARD_SPELLING } from './helpers/models.js';

describe('postgres normalize (pure)', () => {
  const int: ColumnType = { kind: 'integer' };
  const txt: ColumnType = { kind: 'text' };
  const defaults: [string, string | null, ColumnType, string | null][] = [
    ['enum literal cast', "'UNDEFINED'::genderenum", { kind: 'enum', name: 'genderenum' }, "'UNDEFINED'"],
    ['quoted enum cast', "'a'::\"My Enum\"", { kind: 'enum', name: 'My Enum' }, "'a'"],
    ['varchar cast', "'x'::character varying", { kind: 'varchar', length: 5 }, "'x'"],
    ['array cast', "'{}'::text[]", { kind: 'array', element: txt }, "'{}'"],
    ['timestamp cast', "'2020-01-01 00:00:00'::timestamp without time zone", { kind: 'timestamp', withTimezone: false }, "'2020-01-01 00:00:00'"],
    ['CURRENT_TIMESTAMP', 'CURRENT_TIMESTAMP', { kind: 'timestamp', withTimezone: true }, 'now()'],
    ['current_timestamp lower case', 'current_timestamp', { kind: 'timestamp', withTimezone: true }, 'now()'],
    ['now()', 'now()', { kind: 'timestamp', withTimezone: true }, 'now()'],
    ['negative integer', "'-1'::integer", int, '-1'],
    ['parenthesised negative', '(-1)', int, '-1'],
    ['quoted number', "'1'", int, '1'],
    ['numeric cast', "'1.5'::numeric", { kind: 'numeric', precision: null, scale: null }, '1.5'],
    ['quoted number on text stays a string', "'1'::text", txt, "'1'"],
    ['numeric 0.0 is 0', '0.0', { kind: 'numeric', precision: 12, scale: 2 }, '0'],
    ['numeric 1.50 is 1.5', '1.50', { kind: 'numeric', precision: 8, scale: 2 }, '1.5'],
    ['numeric 10 keeps its zero', '10', { kind: 'numeric', precision: 8, scale: 2 }, '10'],
    ['numeric -0.0 is 0', "'-0.0'::numeric", { kind: 'numeric', precision: null, scale: null }, '0'],
    ['double 2.50e3', '2.50e3', { kind: 'double' }, '2500'],
    ['boolean TRUE', 'TRUE', { kind: 'boolean' }, 'true'],
    ['boolean quoted f', "'f'::boolean", { kind: 'boolean' }, 'false'],
    ['NULL cast', 'NULL::character varying', { kind: 'varchar', length: null }, null],
    ['null', null, txt, null],
    ['function kept', 'gen_random_uuid()', { kind: 'uuid' }, 'gen_random_uuid()'],
    ['concatenation keeps its casts', "'a'::text || 'b'::text", txt, "'a'::text || 'b'::text"],
  ];
  for (const [name, input, type, want] of defaults) {
    test(`default: ${name}`, () => assert.equal(normalizeDefault(input, type), want));
  }

  const types: [string, ColumnType, ColumnType][] = [
    ['numeric(p) gets scale 0', { kind: 'numeric', precision: 10, scale: null }, { kind: 'numeric', precision: 10, scale: 0 }],
    ['char without length is char(1)', { kind: 'char', length: null }, { kind: 'char', length: 1 }],
    ['custom int4 is integer', { kind: 'custom', sql: 'int4' }, { kind: 'integer' }],
    ['custom character varying(20)', { kind: 'custom', sql: 'character varying(20)' }, { kind: 'varchar', length: 20 }],
    ['custom timestamptz[]', { kind: 'custom', sql: 'timestamptz[]' }, { kind: 'array', element: { kind: 'timestamp', withTimezone: true } }],
    ['custom enum name', { kind: 'custom', sql: 'genderenum' }, { kind: 'enum', name: 'genderenum' }],
    ['nested arrays flatten', { kind: 'array', element: { kind: 'array', element: { kind: 'integer' } } }, { kind: 'array', element: { kind: 'integer' } }],
    ['unknown custom kept', { kind: 'custom', sql: 'tsvector' }, { kind: 'custom', sql: 'tsvector' }],
  ];
  for (const [name, input, want] of types) {
    test(`type: ${name}`, () => assert.deepEqual(normalizeType(input, new Set(['genderenum'])), want));
  }

  const expressions: [string, string, string][] = [
    ['outer parens and literal casts, unprettied', "((email)::text <> ''::text) AND ((0)::numeric < price)", "(email <> '') AND (0 < price)"],
    ['implicit text cast on a string column', "lower(email::text)", 'lower(email)'],
    ['numeric literal cast', 'price > 0::numeric', 'price > 0'],
    ['cast on a non-string column kept', 'n::text <> \'\'::text', "n::text <> ''"],
    ['quoted string column', '"E Mail"::text = \'x\'::text', '"E Mail" = \'x\''],
    ['casts inside strings untouched', "note <> 'a::text'", "note <> 'a::text'"],
  ];
  for (const [name, input, want] of expressions) {
    test(`expression: ${name}`, () => assert.equal(normalizeExpression(input, new Set(['email', 'E Mail', 'note'])), want));
  }

  test('serial: autoIncrement implies NOT NULL and no default; unnamed pk is <table>_pkey; constraints sorted', () => {
    const t = resolveTable(d.table('t', { id: d.serial(), b: d.integer().unique('zz'), a: d.integer().unique('aa') }, (c) => [d.primaryKey().on(c.id)]), STANDARD_SPELLING);
    const n = postgresDialect.normalize({ tables: [{ ...t, primaryKey: { name: null, columns: ['id'] } }], enums: [] }).tables[0]!;
    assert.deepEqual(n.columns[0], { name: 'id', type: { kind: 'integer' }, nullable: false, serverDefault: null, autoIncrement: true, comment: null });
    assert.equal(n.primaryKey?.name, 't_pkey');
    assert.deepEqual(n.uniques.map((u) => u.name), ['aa', 'zz']);
  });
});

describe('postgres introspection on a real database', () => {
  let db: PgDatabase;
  let conn: Connection;
  before(async () => {
    db = await createPgDatabase('retort_pgintro');
    conn = await postgresDialect.connect(parseDatabaseUrl(db.url, process.cwd()));
  });
  after(async () => {
    await conn?.close();
    await db?.drop();
  });
  const run = async (ops: Operation[]) => {
    for (const s of await postgresDialect.compile(ops, noCatalog)) await conn.query(s.sql, s.params);
  };
  const all = () => postgresDialect.introspect(conn, { exclude: () => false });

  test('round trip: every column type and default, declared with the DSL, reads back equal to normalize(declared)', async () => {
    const gender = d.enumType('genderenum', ['MALE', 'FEMALE', 'UNDEFINED']);
    const mood = d.enumType('Mood "Q"', ['ok']);
    const users = d.table('users', {
      id: d.serial().primaryKey(),
      username: d.varchar(80).notNull().unique(),
      email: d.varchar(255).notNull().unique().index(),
      created_at: d.timestamp({ withTimezone: true }).notNull().serverDefault(d.sql`CURRENT_TIMESTAMP`),
    });
    const everything = d.table('Everything', {
      id: d.bigserial(),
      small: d.smallserial(),
      i: d.integer().serverDefault(-1),
      one: d.integer().notNull().serverDefault(1),
      si: d.smallint(),
      bi: d.bigint().serverDefault(d.sql`'7'::bigint`),
      flag: d.boolean().notNull().serverDefault(true),
      note: d.text().serverDefault('x').comment('a note'),
      vc: d.varchar().serverDefault('y'),
      ch: d.char(3),
      ch1: d.char(),
      money: d.numeric(10, 2).serverDefault(1.5),
      prec: d.numeric(8),
      anynum: d.numeric(),
      r: d.real(),
      dbl: d.doublePrecision(),
      day: d.date().serverDefault(d.sql`CURRENT_DATE`),
      t: d.time(),
      ttz: d.time({ withTimezone: true }),
      ts: d.timestamp().serverDefault(d.sql`now()`),
      tstz: d.timestamp({ withTimezone: true }),
      uid: d.uuid().serverDefault(d.sql`gen_random_uuid()`),
      js: d.json(),
      jsb: d.jsonb().serverDefault(d.sql`'{}'::jsonb`),
      bin: d.bytea(),
      tags: d.array(d.text()).serverDefault(d.sql`'{}'`),
      grid: d.array(d.array(d.integer())),
      gender: gender().notNull().serverDefault('UNDEFINED'),
      genders: d.array(gender()),
      mood: mood(),
      vec: d.customType('tsvector'),
      user_id: d.integer().references(() => users.columns.id, { onDelete: 'cascade', onUpdate: 'restrict' }),
    }, (c) => [
      d.primaryKey().on(c.id, c.small),
      d.unique('uq_pair').on(c.one, c.si),
      d.check('ck_money', d.sql`money >= 0 AND note <> ''`),
      d.index('ix_lower_note').on(d.sql`lower(note)`).where(d.sql`vc IS NOT NULL`),
      d.uniqueIndex('ux_one').on(c.one),
    ]).withComment('every type');
    const declared: SchemaIR = { tables: [resolveTable(users, STANDARD_SPELLING), resolveTable(everything, STANDARD_SPELLING)], enums: [{ name: gender.enumName, values: gender.values }, { name: mood.enumName, values: mood.values }] };
    await run([
      ...declared.enums.map((e): Operation => ({ kind: 'createEnum', enum: e })),
      ...declared.tables.map((t): Operation => ({ kind: 'createTable', table: t })),
    ]);
    const got = await all();
    assert.deepEqual(got, postgresDialect.normalize(declared));
    assert.deepEqual(postgresDialect.normalize(got), got, 'normalize is idempotent');
    assert.deepEqual(await postgresDialect.introspectTable(conn, 'Everything'), postgresDialect.normalize(declared).tables[0]);
    assert.equal(await postgresDialect.introspectTable(conn, 'nope'), null);
  });

  test('reads what other tools create: identity columns, FK actions, named NOT VALID check, other schema, exclude', async () => {
    await conn.query(`CREATE SCHEMA app;
      CREATE TABLE app.a (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code text NOT NULL DEFAULT ''::text);
      CREATE TABLE app.b (id bigint GENERATED BY DEFAULT AS IDENTITY, a_id int REFERENCES app.a ON DELETE SET NULL ON UPDATE CASCADE, CONSTRAINT ck CHECK (a_id > 0) NOT VALID);
      CREATE TABLE app.retort_version (version_num varchar(32) NOT NULL);`);
    const s = await postgresDialect.introspect(conn, { schema: 'app', exclude: (n) => n === 'retort_version' });
    assert.deepEqual(s.tables.map((t) => t.name), ['a', 'b']);
    const [a, b] = s.tables;
    // Identity columns are read as identity, not serial (issue 17), with their kind and options.
    const identity = (always: boolean) => ({ always, start: null, increment: null, min: null, max: null, cache: null, cycle: false });
    assert.deepEqual(a?.columns[0], { name: 'id', type: { kind: 'integer' }, nullable: false, serverDefault: null, autoIncrement: false, comment: null, identity: identity(true) });
    assert.equal(a?.columns[1]?.serverDefault, "''");
    assert.deepEqual([b?.columns[0]?.autoIncrement, b?.columns[0]?.identity], [false, identity(false)]);
    assert.deepEqual(b?.foreignKeys, [{ name: 'b_a_id_fkey', columns: ['a_id'], refTable: 'a', refColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'CASCADE' }]);
    assert.deepEqual(b?.checks, [{ name: 'ck', expression: 'a_id > 0' }]);
    assert.equal(b?.primaryKey, null);
  });

  // Defaults are deparsed without their table (cheaper); a generated column's expression names columns and
  // would fail that way, so the query must keep the table for it.
  test('defaults read back beside a generated column whose expression names other columns', async () => {
    await conn.query(`CREATE SCHEMA gen;
      CREATE TABLE gen.line (id serial PRIMARY KEY, price numeric(10,2) NOT NULL DEFAULT 0, qty int NOT NULL DEFAULT 1,
        note text DEFAULT 'n/a', at timestamptz DEFAULT (now() AT TIME ZONE 'utc'),
        total numeric GENERATED ALWAYS AS (price * qty) STORED);`);
    const s = await postgresDialect.introspect(conn, { schema: 'gen', exclude: () => false });
    const cols = s.tables[0]!.columns.map((c) => [c.name, c.serverDefault, c.autoIncrement]);
    assert.deepEqual(cols, [
      ['id', null, true],
      ['price', '0', false],
      ['qty', '1', false],
      ['note', "'n/a'", false],
      ['at', "now() AT TIME ZONE 'utc'::text", false],
      ['total', null, false],
    ]);
  });

  test('a schema name with a quote and a backslash, whatever standard_conforming_strings says', async () => {
    await conn.query(`CREATE SCHEMA "it's\\odd"; CREATE TABLE "it's\\odd"."a\\b" (id int PRIMARY KEY)`);
    for (const scs of ['on', 'off']) {
      await conn.query(`SET standard_conforming_strings = ${scs}`);
      const s = await postgresDialect.introspect(conn, { schema: "it's\\odd", exclude: () => false });
      assert.deepEqual(s.tables.map((t) => t.name), ['a\\b'], `standard_conforming_strings ${scs}`);
      assert.equal((await postgresDialect.introspectTable(conn, 'a\\b', { schema: "it's\\odd" }))?.primaryKey?.name, 'a\\b_pkey');
    }
    await conn.query('RESET standard_conforming_strings');
  });

  // The index query asks for pg_get_indexdef only when a key may print an option; which operator class
  // is a type's default is worked out in SQL. Every (access method, operator class, column type) the server
  // accepts is created here, and each index's keys must read back as pg_get_indexdef prints them.
  test('index keys read back with exactly the options pg_get_indexdef prints, for every operator class the server accepts', async () => {
    const types = ['int2', 'int4', 'int8', 'numeric', 'float8', 'text', 'varchar(20)', 'char(3)', 'name', 'bool', 'date', 'timestamptz',
      'interval', 'uuid', 'jsonb', 'bytea', 'inet', 'cidr', 'macaddr', 'ix_mood', 'int4[]', 'text[]', 'tsvector', 'int4range', 'point',
      'box', 'oid', 'bit(3)', 'ix_posint', 'ix_text'];
    await conn.query(`CREATE SCHEMA ixo; SET search_path = ixo, public;
      CREATE TYPE ix_mood AS ENUM ('a', 'b'); CREATE DOMAIN ix_posint AS integer CHECK (VALUE > 0); CREATE DOMAIN ix_text AS text;
      CREATE TABLE t (${types.map((t, i) => `c${i} ${t}`).join(', ')})`);
    const classes = await conn.query<{ am: string; opclass: string }>(
      `SELECT am.amname AS am, o.opcname AS opclass FROM pg_opclass o JOIN pg_am am ON am.oid = o.opcmethod WHERE am.amtype = 'i' ORDER BY 1, 2`);
    const created: string[] = [];
    for (let i = 0; i < types.length; i++) {
      for (const { am, opclass } of [...new Set(classes.map((c) => c.am))].map((am) => ({ am, opclass: '' })).concat(classes)) {
        const name = `ix${created.length}`;
        try {
          await conn.query(`CREATE INDEX ${name} ON t USING ${am} (c${i} ${opclass})`);
          created.push(name);
        } catch {
          // this method or operator class does not take this type
        }
      }
    }
    await conn.query(`CREATE INDEX ix_coll ON t (c5 COLLATE "C"); CREATE INDEX ix_coll_default ON t (c5 COLLATE "default");
      CREATE INDEX ix_desc ON t (c1 DESC); CREATE INDEX ix_nulls ON t (c1 NULLS FIRST); CREATE INDEX ix_multi ON t (c1, c5 text_pattern_ops, c2 DESC)`);
    const truth = new Map((await conn.query<{ name: string; def: string }>(
      `SELECT i.relname AS name, pg_get_indexdef(i.oid, 0, true) AS def FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       WHERE x.indrelid = 'ixo.t'::regclass`)).map((r) => [r.name, r.def.slice(r.def.indexOf('(') + 1, r.def.lastIndexOf(')'))]));
    const s = await postgresDialect.introspect(conn, { schema: 'ixo', exclude: () => false });
    await conn.query('RESET search_path');
    const indexes = s.tables[0]?.indexes ?? [];
    assert.ok(created.length > 200, `${created.length} indexes created`);
    assert.equal(indexes.length, truth.size);
    const withOptions = indexes.filter((ix) => ix.columns.some((c) => c.includes(' ')));
    assert.ok(withOptions.length > 50 && withOptions.length < indexes.length - 50, `${withOptions.length} of ${indexes.length} keys have options`);
    for (const ix of indexes) assert.equal(ix.columns.join(', '), truth.get(ix.name), ix.name);
  });

  test('introspection turns JIT off for its own batch only: the session keeps its setting', async () => {
    const jit = async () => (await conn.query<{ jit: string }>('SHOW jit'))[0]?.jit;
    const before = await jit();
    await all();
    assert.equal(await jit(), before);
    await conn.query('SET jit = on');
    await all();
    assert.equal(await jit(), 'on');
    // Inside a transaction (a migration's) the SET LOCAL shows until the transaction ends.
    await conn.query('BEGIN');
    await all();
    assert.equal(await jit(), 'off');
    await conn.query('ROLLBACK');
    assert.equal(await jit(), 'on');
    await conn.query('RESET jit');
  });

  test('queryBatch: one result per statement, one statement alone, errors thrown', async () => {
    assert.ok(conn.queryBatch);
    assert.deepEqual(await conn.queryBatch([]), []);
    assert.deepEqual(await conn.queryBatch(['SELECT 1 AS a']), [[{ a: 1 }]]);
    assert.deepEqual(await conn.queryBatch(['SELECT 1 AS a -- a comment', 'SELECT 2 AS b WHERE false', "SELECT 'x;y' AS c"]), [[{ a: 1 }], [], [{ c: 'x;y' }]]);
    await assert.rejects(conn.queryBatch(['SELECT 1', 'SELECT * FROM no_such_table']), /no_such_table/);
    assert.deepEqual(await conn.query('SELECT 3 AS d'), [{ d: 3 }], 'the connection is usable after a failed batch');
  });

  // The extension-member test first asks once whether an extension owns anything of the catalog at all; where one
  // does, each object is still tested (ALTER EXTENSION ... ADD makes a table, an enum, a sequence and a domain members).
  test('objects an extension owns are not read, and the others are, with and without members of each catalog', async () => {
    await conn.query(`CREATE SCHEMA ext; CREATE TABLE ext.mine (a int); CREATE TABLE ext.theirs (a int); CREATE TYPE ext.e1 AS ENUM ('x'); CREATE TYPE ext.e2 AS ENUM ('y');
      CREATE SEQUENCE ext.s1; CREATE SEQUENCE ext.s2; CREATE DOMAIN ext.d1 AS int; CREATE DOMAIN ext.d2 AS int`);
    const names = async () => {
      const s = await postgresDialect.introspect(conn, { schema: 'ext', exclude: () => false });
      return [s.tables.map((t) => t.name), s.enums.map((e) => e.name), (s.sequences ?? []).map((q) => q.name), (s.domains ?? []).map((d) => d.name)];
    };
    assert.deepEqual(await names(), [['mine', 'theirs'], ['e1', 'e2'], ['s1', 's2'], ['d1', 'd2']]);
    await conn.query(`CREATE EXTENSION IF NOT EXISTS citext SCHEMA ext; ALTER EXTENSION citext ADD TABLE ext.theirs; ALTER EXTENSION citext ADD TYPE ext.e2;
      ALTER EXTENSION citext ADD SEQUENCE ext.s2; ALTER EXTENSION citext ADD DOMAIN ext.d2`);
    try {
      assert.deepEqual(await names(), [['mine'], ['e1'], ['s1'], ['d1']]);
    } finally {
      await conn.query('DROP EXTENSION citext CASCADE; DROP SCHEMA ext CASCADE');
    }
  });

  // The driver learns the server's version on connecting; the batch then names pg_index.indnullsnotdistinct where the
  // server has it (15 and later) instead of reading each index's row as JSON, and both spellings read the same IR.
  test('the connection knows the server version; the batch reads NULLS NOT DISTINCT by name from 15 on, as JSON when the version is unknown', async () => {
    const version = Number((await conn.query<{ v: string }>("SELECT current_setting('server_version_num') AS v"))[0]?.v);
    assert.equal(conn.serverVersion, version);
    if (version >= 150000) await conn.query('CREATE TABLE nnd (a int, b int, CONSTRAINT nnd_a UNIQUE NULLS NOT DISTINCT (a)); CREATE UNIQUE INDEX nnd_b ON nnd (b) NULLS NOT DISTINCT');
    const read = async (serverVersion: number | undefined) => {
      const sent: string[] = [];
      const wrapped: Connection = {
        ...(serverVersion !== undefined ? { serverVersion } : {}),
        query: (sql, params) => conn.query(sql, params),
        queryBatch: (statements) => { sent.push(...statements); return conn.queryBatch!(statements); },
        close: async () => {},
      };
      return { schema: await postgresDialect.introspect(wrapped, { exclude: () => false }), sent: sent.join('\n') };
    };
    const unknown = await read(undefined);
    assert.match(unknown.sent, /to_jsonb\(\w+\) ->> 'indnullsnotdistinct'/);
    if (version < 150000) return;
    const known = await read(version);
    assert.doesNotMatch(known.sent, /to_jsonb/);
    assert.match(known.sent, /\bix\.indnullsnotdistinct\b/);
    assert.deepEqual(known.schema, unknown.schema);
    const t = known.schema.tables.find((x) => x.name === 'nnd');
    assert.deepEqual(t?.uniques.map((u) => [u.name, u.nullsNotDistinct]), [['nnd_a', true]]);
    assert.deepEqual(t?.indexes.map((i) => [i.name, i.nullsNotDistinct]), [['nnd_b', true]]);
    await conn.query('DROP TABLE nnd');
  });
});

// 10, 1000 and 5000 tables, each with an enum column and its default, a UNIQUE, an index and a foreign key,
// in a database of their own (dropping 5000 tables in one transaction needs more locks than it may take).
describe('postgres introspection: round trips do not grow with the number of tables', () => {
  let db: PgDatabase;
  let conn: Connection;
  let created = 0;
  before(async () => {
    db = await createPgDatabase('retort_pgmany');
    conn = await postgresDialect.connect(parseDatabaseUrl(db.url, process.cwd()));
    await conn.query(`SET synchronous_commit = off; CREATE SCHEMA many; CREATE TYPE many.mood AS ENUM ('ok', 'sad'); CREATE SEQUENCE many.counter START 5 OWNED BY NONE; CREATE DOMAIN many.zip AS text CONSTRAINT zip_check CHECK (VALUE <> ''); CREATE TABLE many.t0 (code int UNIQUE, n int GENERATED ALWAYS AS IDENTITY (INCREMENT BY 2))`);
    // Every other kind the batch reads, with something to read: views (one over another), a SQL and a plpgsql
    // function, a trigger executing one, a sequence OWNED BY a column, a partitioned table with two partitions.
    await conn.query(`CREATE TABLE many.parts (id bigint NOT NULL, created_on date NOT NULL, PRIMARY KEY (id, created_on)) PARTITION BY RANGE (created_on);
      CREATE TABLE many.parts_2020 PARTITION OF many.parts FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
      CREATE TABLE many.parts_2021 PARTITION OF many.parts FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
      CREATE VIEW many.v0 AS SELECT code FROM many.t0 WHERE code > 0;
      CREATE VIEW many.v1 AS SELECT code FROM many.v0;
      CREATE FUNCTION many.add_one(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
      CREATE FUNCTION many.touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
      CREATE TRIGGER touch BEFORE INSERT ON many.t0 FOR EACH ROW EXECUTE FUNCTION many.touch();
      CREATE SEQUENCE many.owned OWNED BY many.t0.code`);
  });
  after(async () => {
    await conn?.close();
    await db?.drop();
  });
  // Up to n tables, 200 a transaction (each takes a few locks, and a transaction holds max_locks_per_transaction).
  const grow = async (n: number) => {
    while (created < n) {
      const first = created + 1;
      const last = Math.min(created + 200, n);
      const sql: string[] = [];
      for (let i = first; i <= last; i++) {
        sql.push(`CREATE TABLE many.t${i} (code int UNIQUE, mood many.mood NOT NULL DEFAULT 'ok', parent int REFERENCES many.t${i - 1} (code));
          CREATE INDEX ix_${i} ON many.t${i} (parent);`);
      }
      await conn.query(sql.join('\n'));
      created = last;
    }
  };
  const roundTrips = async (batching: boolean): Promise<number> => {
    let calls = 0;
    const counting: Connection = { query: (sql, params) => { calls++; return conn.query(sql, params); }, close: async () => {} };
    if (batching) counting.queryBatch = (statements) => { calls++; return conn.queryBatch!(statements); };
    const s = await postgresDialect.introspect(counting, { schema: 'many', exclude: () => false });
    assert.equal(s.tables.length, created + 1 + 3);
    assert.deepEqual(s.tables.filter((t) => t.partitionBy || t.partitionOf).map((t) => [t.name, t.partitionBy ? 'partitioned' : t.partitionOf?.parent]), [['parts', 'partitioned'], ['parts_2020', 'parts'], ['parts_2021', 'parts']]);
    assert.deepEqual(s.enums, [{ name: 'mood', values: ['ok', 'sad'] }]);
    // Sequences join the batch: the free-standing ones, not the identity column's (which is read with its column).
    assert.deepEqual(s.sequences, [
      { name: 'counter', start: '5', increment: null, min: null, max: null, cache: null, cycle: false, ownedBy: null },
      { name: 'owned', start: null, increment: null, min: null, max: null, cache: null, cycle: false, ownedBy: { table: 't0', column: 'code' } },
    ]);
    assert.deepEqual(s.views?.map((v) => v.name), ['v0', 'v1']);
    assert.deepEqual(s.functions?.map((f) => f.name), ['add_one', 'touch']);
    assert.deepEqual(s.triggers?.map((t) => [t.table, t.name]), [['t0', 'touch']]);
    // Domains join the batch too (the extensions query with them).
    assert.deepEqual(s.domains, [{ name: 'zip', type: { kind: 'text' }, notNull: false, default: null, checks: [{ name: 'zip_check', expression: "VALUE <> ''" }] }]);
    assert.deepEqual(s.tables.find((t) => t.name === 't0')?.columns[1]?.identity, { always: true, start: null, increment: '2', min: null, max: null, cache: null, cycle: false });
    assert.deepEqual(s.tables.find((t) => t.name === 't7'), {
      name: 't7',
      columns: [
        { name: 'code', type: { kind: 'integer' }, nullable: true, serverDefault: null, autoIncrement: false, comment: null },
        { name: 'mood', type: { kind: 'enum', name: 'mood' }, nullable: false, serverDefault: "'ok'", autoIncrement: false, comment: null },
        { name: 'parent', type: { kind: 'integer' }, nullable: true, serverDefault: null, autoIncrement: false, comment: null },
      ],
      primaryKey: null,
      uniques: [{ name: 't7_code_key', columns: ['code'] }],
      indexes: [{ name: 'ix_7', columns: ['parent'], unique: false, where: null }],
      foreignKeys: [{ name: 't7_parent_fkey', columns: ['parent'], refTable: 't6', refColumns: ['code'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' }],
      checks: [],
      comment: null,
    });
    return calls;
  };

  test('one round trip with queryBatch, eleven queries without (the sequences, views, functions, triggers, domains and extensions queries among them), for 10, 1000 and 5000 tables beside views, functions, a trigger, sequences and partitions', { timeout: 300_000 }, async () => {
    const batched: number[] = [];
    const sequential: number[] = [];
    for (const n of [10, 1000, 5000]) {
      await grow(n);
      batched.push(await roundTrips(true));
      sequential.push(await roundTrips(false));
    }
    assert.deepEqual(batched, [1, 1, 1]);
    assert.deepEqual(sequential, [11, 11, 11]);
  });
});

describe('postgres connection errors', () => {
  const connectError = async (url: string): Promise<Error> => {
    try {
      const c = await postgresDialect.connect(parseDatabaseUrl(url, process.cwd()));
      await c.close();
    } catch (e) {
      assert.ok(isRetortError(e), `not a RetortError: ${String(e)}`);
      assert.equal(e.code, 'CONNECTION');
      assert.ok(!e.message.includes('\n'));
      return e;
    }
    throw new Error(`connecting to ${url} succeeded`);
  };

  test('refused: names the masked URL and host:port, never the password', async () => {
    const e = await connectError('postgresql://bob:s3cret-pw@127.0.0.1:1/app');
    assert.match(e.message, /postgresql:\/\/bob:\*\*\*@127\.0\.0\.1:1\/app/);
    assert.match(e.message, /connection refused \(is the server running at 127\.0\.0\.1:1\?\)/);
    assert.ok(!e.message.includes('s3cret-pw'));
  });

  test('missing database: says so and hints createdb', async () => {
    const admin = new URL(process.env.RETORT_TEST_PG_ADMIN_URL!);
    admin.pathname = '/retort_no_such_db';
    const e = await connectError(admin.toString());
    assert.match(e.message, /database "retort_no_such_db" does not exist/);
    assert.equal((e as { hint?: string }).hint, 'create it first: createdb retort_no_such_db');
  });

  test('unknown role: names the user', async () => {
    const admin = new URL(process.env.RETORT_TEST_PG_ADMIN_URL!);
    admin.username = 'retort_no_such_role';
    admin.password = 'hunter22';
    const e = await connectError(admin.toString());
    assert.match(e.message, /retort_no_such_role/);
    assert.ok(!e.message.includes('hunter22'));
  });
});
