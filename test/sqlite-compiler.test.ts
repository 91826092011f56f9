/**
 * The SQLite compiler and normaliser, table-driven: type names that read back
 * to the same ColumnType, one spelling per default, which operations SQLite's
 * ALTER TABLE does natively and which rebuild, and the errors a user can
 * cause. Compiles against a scratch in-memory database, as `--sql` does.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { liveCatalog, noCatalog, type Connection } from '../src/dialects/dialect.js';
import { sqliteDialect as dialect } from '../src/dialects/sqlite/sqlite-dialect.js';
import { normalizeDefault, normalizeExpression, parseType } from '../src/dialects/sqlite/sqlite-normalize.js';
import { withValue } from '../src/dialects/sqlite/sqlite-enums.js';
import type { Operation } from '../src/operations/operations.js';
import { column, tableIR, type ColumnType } from '../src/ir/ir.js';

const TYPES: [ColumnType, string][] = [
  [{ kind: 'smallint' }, 'SMALLINT'],
  [{ kind: 'integer' }, 'INTEGER'],
  [{ kind: 'bigint' }, 'BIGINT'],
  [{ kind: 'boolean' }, 'BOOLEAN'],
  [{ kind: 'text' }, 'TEXT'],
  [{ kind: 'varchar', length: 40 }, 'VARCHAR(40)'],
  [{ kind: 'varchar', length: null }, 'VARCHAR'],
  [{ kind: 'char', length: 2 }, 'CHAR(2)'],
  [{ kind: 'numeric', precision: 10, scale: 2 }, 'NUMERIC(10,2)'],
  [{ kind: 'numeric', precision: null, scale: null }, 'NUMERIC'],
  [{ kind: 'real' }, 'REAL'],
  [{ kind: 'double' }, 'DOUBLE PRECISION'],
  [{ kind: 'date' }, 'DATE'],
  [{ kind: 'time', withTimezone: false }, 'TIME'],
  [{ kind: 'time', withTimezone: true }, 'TIMETZ'],
  [{ kind: 'timestamp', withTimezone: false }, 'TIMESTAMP'],
  [{ kind: 'timestamp', withTimezone: true }, 'TIMESTAMPTZ'],
  [{ kind: 'uuid' }, 'UUID'],
  [{ kind: 'json' }, 'JSON'],
  [{ kind: 'jsonb' }, 'JSONB'],
  [{ kind: 'bytea' }, 'BLOB'],
  [{ kind: 'array', element: { kind: 'varchar', length: 3 } }, 'ARRAY OF VARCHAR(3)'],
  [{ kind: 'array', element: { kind: 'array', element: { kind: 'integer' } } }, 'ARRAY OF ARRAY OF INTEGER'],
  [{ kind: 'custom', sql: 'POINT' }, 'POINT'],
];

describe('SQLite types', () => {
  for (const [type, sql] of TYPES) {
    it(`${JSON.stringify(type)} is spelled ${sql} and reads back`, () => {
      assert.equal(dialect.typeSql(type), sql);
      assert.deepEqual(parseType(sql), type);
    });
  }
  const SPELLINGS: [string, ColumnType][] = [
    ['int', { kind: 'integer' }], ['DATETIME', { kind: 'timestamp', withTimezone: false }], ['timestamp with time zone', { kind: 'timestamp', withTimezone: true }],
    ['character varying(9)', { kind: 'varchar', length: 9 }], ['decimal(5)', { kind: 'numeric', precision: 5, scale: 0 }], ['bool', { kind: 'boolean' }],
    ['', { kind: 'custom', sql: '' }], ['INTEGER(11)', { kind: 'custom', sql: 'INTEGER(11)' }],
  ];
  for (const [sql, type] of SPELLINGS) it(`"${sql}" reads as ${type.kind}`, () => assert.deepEqual(parseType(sql), type));
  it('enum columns are TEXT', () => assert.equal(dialect.typeSql({ kind: 'enum', name: 'mood' }), 'TEXT'));
});

describe('SQLite normalisation', () => {
  const DEFAULTS: [string | null, ColumnType, string | null][] = [
    ['now()', { kind: 'timestamp', withTimezone: true }, 'CURRENT_TIMESTAMP'],
    ['(CURRENT_TIMESTAMP)', { kind: 'timestamp', withTimezone: false }, 'CURRENT_TIMESTAMP'],
    ['current_date', { kind: 'date' }, 'CURRENT_DATE'],
    ['true', { kind: 'boolean' }, 'true'],
    ['FALSE', { kind: 'boolean' }, 'false'],
    ["'t'", { kind: 'boolean' }, 'true'],
    ['1', { kind: 'boolean' }, 'true'],
    ["'0'", { kind: 'boolean' }, 'false'],
    ['((1 + 1))', { kind: 'integer' }, '1 + 1'],
    ['NULL', { kind: 'text' }, null],
    ["'it''s'", { kind: 'text' }, "'it''s'"],
    [null, { kind: 'text' }, null],
    ['0.0', { kind: 'numeric', precision: 10, scale: 2 }, '0'],
    ['10.00', { kind: 'numeric', precision: 10, scale: 2 }, '10'],
    ["'0'", { kind: 'integer' }, '0'],
    ['+1', { kind: 'integer' }, '1'],
    ['1.50', { kind: 'real' }, '1.5'],
    ['1e3', { kind: 'real' }, '1000'],
    ['1.0E3', { kind: 'double' }, '1000'],
    ['25e-3', { kind: 'numeric', precision: 8, scale: 4 }, '0.025'],
    ['-0.0e5', { kind: 'integer' }, '0'],
    ['1.5e300', { kind: 'double' }, '1.5e300'],
    ['15e299', { kind: 'double' }, '1.5e300'],
    ['0.0e200', { kind: 'double' }, '0'],
    ["'0.0'", { kind: 'text' }, "'0.0'"],
    ['0.0', { kind: 'text' }, '0.0'],
  ];
  for (const [given, type, want] of DEFAULTS) it(`default ${given} on ${type.kind} -> ${want}`, () => assert.equal(normalizeDefault(given, type), want));

  const EXPRESSIONS: [string, string][] = [
    ['("price" >= 0)', 'price >= 0'],
    ['"order"  >   1', '"order" > 1'],
    [`"my col" = '"x"'`, `"my col" = '"x"'`],
    [`(JSON_VALID("attrs") or "attrs" is null)`, `json_valid(attrs) OR attrs IS NULL`],
    [`Length(name) between 1 AND 20`, `length(name) BETWEEN 1 AND 20`],
    [`kind in ('A', 'b') and "In" > 0`, `kind IN ('A', 'b') AND "In" > 0`],
    [`"Price" > lower ('X')`, `Price > lower('X')`],
    ['qty*price', 'qty * price'],
    ['(a+b)*-c>=-1', '(a + b) * -c >= -1'],
    ['a - -1', 'a - -1'],
    ["x in('a','b') and count(*)>0", "x IN ('a', 'b') AND count(*) > 0"],
    ["CASE WHEN a THEN -1 ELSE b.c END", 'CASE WHEN a THEN -1 ELSE b.c END'],
    ["data->>'$.a' = x'00ff' || 'z'", "data ->> '$.a' = x'00ff' || 'z'"],
    ['1.5e3 < .5 + price', '1.5e3 < .5 + price'],
  ];
  for (const [given, want] of EXPRESSIONS) it(`expression ${given} -> ${want}`, () => assert.equal(normalizeExpression(given), want));

  it('drops enums and comments, keeps primary-key names (issue 17: CONSTRAINT [PK_Album]); an enum column becomes TEXT with its CHECK', () => {
    const t = tableIR('pets', [column('id', { kind: 'integer' }, { nullable: true }), column('kind', { kind: 'enum', name: 'pet kind' }, { comment: 'what it is' })], {
      primaryKey: { name: 'pets_pkey', columns: ['id'] },
      comment: 'pets',
    });
    const n = dialect.normalize({ tables: [t], enums: [{ name: 'pet kind', values: ['cat', 'dog'] }] });
    assert.deepEqual(n, {
      enums: [],
      tables: [tableIR('pets', [column('id', { kind: 'integer' }, { nullable: false }), column('kind', { kind: 'text' })], {
        primaryKey: { name: 'pets_pkey', columns: ['id'] },
        checks: [{ name: 'ck_pets_kind_enum_pet kind', expression: `kind IN ('cat', 'dog')` }],
      })],
    });
  });

  it('adds an enum value before, after or last', () => {
    assert.deepEqual(withValue(['a', 'c'], 'b', 'c'), ['a', 'b', 'c']);
    assert.deepEqual(withValue(['a', 'c'], 'b', undefined, 'a'), ['a', 'b', 'c']);
    assert.deepEqual(withValue(['a', 'c'], 'z'), ['a', 'c', 'z']);
    assert.deepEqual(withValue(['a', 'c'], 'a'), ['a', 'c']);
  });
});

async function scratchWith(sql: string): Promise<Connection> {
  const conn = (await dialect.openScratch())!;
  await conn.query(sql);
  return conn;
}

const BASE = `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, c TEXT, CONSTRAINT uq_t_b UNIQUE (b)); CREATE INDEX ix_t_a ON t (a);`;
const creates = (sqls: readonly string[]) => sqls.filter((s) => /^CREATE TABLE/.test(s)).length;

describe('SQLite compile: native ALTER where SQLite can, one rebuild where it cannot', () => {
  const CASES: { name: string; ops: Operation[]; rebuilds: number; match?: RegExp }[] = [
    { name: 'plain ADD COLUMN', ops: [{ kind: 'addColumn', table: 't', column: column('d', { kind: 'text' }, { serverDefault: "'x'" }) }], rebuilds: 0, match: /^ALTER TABLE "t" ADD COLUMN "d" TEXT DEFAULT 'x'$/ },
    { name: 'ADD COLUMN NOT NULL without default', ops: [{ kind: 'addColumn', table: 't', column: column('d', { kind: 'text' }, { nullable: false }) }], rebuilds: 1 },
    { name: 'ADD COLUMN with an expression default', ops: [{ kind: 'addColumn', table: 't', column: column('d', { kind: 'text' }, { serverDefault: "lower('X')" }) }], rebuilds: 1, match: /DEFAULT \(lower\('X'\)\)/ },
    { name: 'DROP COLUMN unused', ops: [{ kind: 'dropColumn', table: 't', name: 'c', column: null }], rebuilds: 0, match: /^ALTER TABLE "t" DROP COLUMN "c"$/ },
    { name: 'DROP COLUMN with an index', ops: [{ kind: 'dropColumn', table: 't', name: 'a', column: null }], rebuilds: 1 },
    { name: 'DROP COLUMN in a unique constraint', ops: [{ kind: 'dropColumn', table: 't', name: 'b', column: null }], rebuilds: 1 },
    { name: 'RENAME COLUMN', ops: [{ kind: 'alterColumn', table: 't', column: 'a', to: { name: 'aa', comment: 'x' } }], rebuilds: 0, match: /RENAME COLUMN "a" TO "aa"/ },
    { name: 'comment only: nothing', ops: [{ kind: 'alterColumn', table: 't', column: 'a', to: { comment: 'x' } }, { kind: 'setTableComment', table: 't', comment: 'y' }], rebuilds: 0 },
    { name: 'type, nullability, default and a constraint: one rebuild', ops: [
      { kind: 'alterColumn', table: 't', column: 'b', to: { type: { kind: 'bigint' } } },
      { kind: 'alterColumn', table: 't', column: 'a', to: { nullable: false, serverDefault: "''" } },
      { kind: 'addConstraint', table: 't', constraint: { kind: 'check', def: { name: 'ck_t_b', expression: 'b > 0' } } },
      { kind: 'dropConstraint', table: 't', name: 'uq_t_b', constraintKind: null, constraint: null },
    ], rebuilds: 1, match: /CONSTRAINT "ck_t_b" CHECK \(b > 0\)/ },
    { name: 'rename plus type change: rebuild, then native rename', ops: [{ kind: 'alterColumn', table: 't', column: 'b', to: { name: 'bb', type: { kind: 'text' } } }], rebuilds: 1, match: /RENAME COLUMN "b" TO "bb"/ },
    { name: 'operations on two tables interleaved: one rebuild per run', ops: [
      { kind: 'alterColumn', table: 't', column: 'b', to: { nullable: false } },
      { kind: 'createTable', table: tableIR('u', [column('x', { kind: 'integer' })]) },
      { kind: 'alterColumn', table: 't', column: 'a', to: { nullable: false } },
    ], rebuilds: 3 },
    { name: 'a table created and then constrained in the same batch', ops: [
      { kind: 'createTable', table: tableIR('u', [column('x', { kind: 'integer' })]) },
      { kind: 'addConstraint', table: 'u', constraint: { kind: 'primaryKey', def: { name: 'u_pkey', columns: ['x'] } } },
    ], rebuilds: 2, match: /PRIMARY KEY \("x"\)/ },
    { name: 'enum ops alone compile to nothing', ops: [{ kind: 'createEnum', enum: { name: 'e', values: ['a'] } }, { kind: 'dropEnum', name: 'e', enum: null }], rebuilds: 0 },
    { name: 'execute keeps its parameters', ops: [{ kind: 'execute', sql: 'UPDATE t SET a = ?', params: ['x'] }], rebuilds: 0, match: /^UPDATE t SET a = \?$/ },
  ];
  for (const c of CASES) {
    it(c.name, async () => {
      const conn = await scratchWith(BASE);
      try {
        const stmts = await dialect.compile(c.ops, liveCatalog(dialect, conn));
        const sqls = stmts.map((s) => s.sql);
        assert.equal(creates(sqls.filter((s) => /_retort_new_|CREATE TABLE "u"/.test(s))), c.rebuilds, sqls.join(';\n'));
        if (c.match) assert.ok(sqls.some((s) => c.match!.test(s)), sqls.join(';\n'));
        // The compiled SQL runs.
        await conn.query('BEGIN IMMEDIATE');
        for (const s of stmts) await conn.query(s.sql, s.params);
        await conn.query('COMMIT');
        assert.deepEqual(await conn.query('PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
      } finally {
        await conn.close();
      }
    });
  }
});

describe('SQLite compile on a large schema: an enum of an earlier revision is looked up without reading every table', () => {
  // 20 tables using enum mood_x (whose CHECK names contain "_enum_mood" too) sort before 200 using mood.
  const SCHEMA = [
    ...Array.from({ length: 20 }, (_, i) => `CREATE TABLE a${i} (id INTEGER PRIMARY KEY, m TEXT CONSTRAINT ck_a${i}_m_enum_mood_x CHECK (m IN ('p', 'q')));`),
    ...Array.from({ length: 200 }, (_, i) => `CREATE TABLE t${i} (id INTEGER PRIMARY KEY, m TEXT CONSTRAINT ck_t${i}_m_enum_mood CHECK (m IN ('a', 'b')));`),
  ].join('\n');

  /** A live catalog that counts its queries and the tables they read. */
  function counting(conn: Connection) {
    const live = liveCatalog(dialect, conn);
    const seen = { queries: 0, tables: 0 };
    const query = async <R>(sql: string, params?: readonly unknown[]): Promise<R[]> => {
      seen.queries++;
      const rows = await live.query!<R>(sql, params);
      // The introspector's read of sqlite_master: one JSON text of [type, name, tbl_name, sql] rows.
      if (/\bFROM sqlite_master WHERE type IN \('table', 'index'\) AND tbl_name IN\b/.test(sql)) {
        seen.tables += (JSON.parse((rows[0] as { j: string }).j) as string[][]).filter((r) => r[0] === 'table').length;
      }
      return rows;
    };
    return { seen, catalog: { ...live, query } };
  }

  it('a new table using the enum reads its values from one existing use, in a bounded number of queries', async () => {
    const conn = await scratchWith(SCHEMA);
    try {
      const { seen, catalog } = counting(conn);
      const stmts = await dialect.compile([{ kind: 'createTable', table: tableIR('u', [column('m', { kind: 'enum', name: 'mood' })]) }], catalog);
      assert.match(stmts[0]!.sql, /CONSTRAINT "ck_u_m_enum_mood" CHECK \("?m"? IN \('a', 'b'\)\)/);
      // One search, then the candidates a chunk at a time until a use is found (the first chunk holds only mood_x
      // tables): not a read of all 220 tables, nor a read per table.
      assert.ok(seen.queries <= 20, `${seen.queries} queries`);
      assert.ok(seen.tables > 0 && seen.tables <= 32, `${seen.tables} tables read`);
    } finally {
      await conn.close();
    }
  });

  it('adding a value finds every use, and only those of that enum', async () => {
    const conn = await scratchWith(SCHEMA);
    try {
      const stmts = await dialect.compile([{ kind: 'addEnumValue', name: 'mood', value: 'c' }], liveCatalog(dialect, conn));
      const rebuilt = stmts.filter((s) => /^CREATE TABLE/.test(s.sql));
      assert.equal(rebuilt.length, 200);
      assert.ok(rebuilt.every((s) => /IN \('a', 'b', 'c'\)/.test(s.sql)), rebuilt[0]!.sql);
    } finally {
      await conn.close();
    }
  });
});

describe('SQLite compile errors', () => {
  const ERRORS: { name: string; ops: Operation[]; code: string; message: RegExp }[] = [
    { name: 'auto-increment that is not the primary key', ops: [{ kind: 'createTable', table: tableIR('x', [column('n', { kind: 'integer' }, { autoIncrement: true })]) }], code: 'UNSUPPORTED', message: /only a table's single-column primary key/ },
    { name: 'an enum whose values are nowhere', ops: [{ kind: 'addColumn', table: 't', column: column('m', { kind: 'enum', name: 'ghost' }) }], code: 'UNSUPPORTED', message: /enum "ghost"/ },
    { name: 'a missing table', ops: [{ kind: 'alterColumn', table: 'nope', column: 'a', to: { nullable: false } }], code: 'NOT_FOUND', message: /table "nope"/ },
    { name: 'a missing column', ops: [{ kind: 'alterColumn', table: 't', column: 'zz', to: { nullable: false } }], code: 'NOT_FOUND', message: /column "zz"/ },
    { name: 'a missing constraint', ops: [{ kind: 'dropConstraint', table: 't', name: 'nope', constraintKind: 'check', constraint: null }], code: 'NOT_FOUND', message: /constraint "nope"/ },
  ];
  for (const c of ERRORS) {
    it(c.name, async () => {
      const conn = await scratchWith(BASE);
      try {
        await assert.rejects(dialect.compile(c.ops, liveCatalog(dialect, conn)), (e: Error & { code?: string }) => {
          assert.equal(e.code, c.code);
          assert.match(e.message, c.message);
          return true;
        });
      } finally {
        await conn.close();
      }
    });
  }

  it('a rebuild needs a catalog that can read sqlite_master', async () => {
    const conn = await scratchWith(BASE);
    try {
      const catalog = { table: liveCatalog(dialect, conn).table };
      await assert.rejects(dialect.compile([{ kind: 'alterColumn', table: 't', column: 'a', to: { nullable: false } }], catalog), (e: Error & { code?: string }) => e.code === 'OFFLINE');
      // Operations that need no catalog compile with none.
      assert.equal((await dialect.compile([{ kind: 'dropTable', name: 't', table: null }], noCatalog)).length, 1);
    } finally {
      await conn.close();
    }
  });
});
