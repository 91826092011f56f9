/**
 * What a SQLite table rebuild must not lose although the Schema IR has no
 * field for it: COLLATE on columns and index keys, DESC index keys, STRICT,
 * generated columns, DEFERRABLE foreign keys, unnamed CHECKs, parenthesised
 * defaults, unknown type names and AUTOINCREMENT. Each is kept through a
 * rebuild (checked by behaviour on a real file with rows), or the rebuild is
 * refused with a RetortError naming it and nothing changes.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { compareSchemas } from '../src/diff/compare.js';
import { parseDatabaseUrl } from '../src/config/url.js';
import type { Connection, Statement } from '../src/dialects/dialect.js';
import { sqliteDialect as dialect } from '../src/dialects/sqlite/sqlite-dialect.js';
import { isRetortError } from '../src/errors.js';
import { inverseAll, type Operation } from '../src/operations/operations.js';
import { column, tableIR, type ColumnType } from '../src/ir/ir.js';
import { tempDir } from './helpers/db.js';
import { migrateWith } from './helpers/dialect-migrate.js';

const tmp = tempDir('retort-sqlite-fidelity-');
after(() => tmp.cleanup());
let counter = 0;

/** The QA report's schema, with rows. */
const QA = `
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL COLLATE NOCASE, name TEXT,
                    full TEXT GENERATED ALWAYS AS (email||name) STORED) STRICT;
CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT, score INTEGER);
CREATE UNIQUE INDEX ux_posts_title ON posts(title COLLATE NOCASE);
CREATE INDEX idx_posts_score_desc ON posts(score DESC);
INSERT INTO users (id, email, name) VALUES (1, 'A@x', 'ann'), (2, 'b@y', 'bob'), (7, 'C@z', 'cy');
INSERT INTO posts (id, title, score) VALUES (1, 'Hello', 5), (2, 'World', 3), (9, 'Other', 8);
`;

async function open(sql: string): Promise<Connection> {
  const file = path.join(tmp.dir, `db${counter++}.sqlite`);
  const conn = await dialect.connect(parseDatabaseUrl(`sqlite:///${file}`, tmp.dir));
  await conn.query(sql);
  await conn.query('PRAGMA foreign_keys = ON');
  return conn;
}

/** Runs one migration the way the runner does. */
async function migrate(conn: Connection, ops: readonly Operation[]): Promise<Statement[]> {
  return migrateWith(dialect, conn, ops);
}

const text: ColumnType = { kind: 'text' };
/** The QA's forcing changes: users.name made NOT NULL, posts.title made varchar(200). */
const FORCE: Operation[] = [
  { kind: 'alterColumn', table: 'users', column: 'name', to: { nullable: false }, from: { nullable: true } },
  { kind: 'alterColumn', table: 'posts', column: 'title', to: { type: { kind: 'varchar', length: 200 } }, from: { type: text } },
];

async function rows(conn: Connection, sql: string): Promise<unknown[]> {
  return conn.query(sql);
}

async function fails(conn: Connection, sql: string, pattern: RegExp): Promise<void> {
  await assert.rejects(conn.query(sql), pattern);
}

async function tableSql(conn: Connection, name: string): Promise<string> {
  return (await conn.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = ?`, [name]))[0]!.sql;
}

/** Everything the QA found lost, checked by behaviour. */
async function assertQaFeatures(conn: Connection): Promise<void> {
  assert.deepEqual(await rows(conn, 'SELECT id, email, name, full FROM users ORDER BY id'), [
    { id: 1, email: 'A@x', name: 'ann', full: 'A@xann' }, { id: 2, email: 'b@y', name: 'bob', full: 'b@ybob' }, { id: 7, email: 'C@z', name: 'cy', full: 'C@zcy' },
  ]);
  assert.deepEqual(await rows(conn, 'SELECT id, title, score FROM posts ORDER BY id'), [
    { id: 1, title: 'Hello', score: 5 }, { id: 2, title: 'World', score: 3 }, { id: 9, title: 'Other', score: 8 },
  ]);
  // COLLATE NOCASE on the column: lookups ignore case.
  assert.deepEqual(await rows(conn, "SELECT id FROM users WHERE email = 'a@x'"), [{ id: 1 }]);
  // COLLATE NOCASE on the unique index: 'HELLO' collides with 'Hello'.
  await fails(conn, "INSERT INTO posts (title, score) VALUES ('HELLO', 1)", /UNIQUE constraint failed/);
  assert.deepEqual(await rows(conn, "SELECT name, coll, \"desc\" FROM pragma_index_xinfo('ux_posts_title') WHERE key = 1"), [{ name: 'title', coll: 'NOCASE', desc: 0 }]);
  // DESC on the index key.
  assert.deepEqual(await rows(conn, "SELECT name, \"desc\" FROM pragma_index_xinfo('idx_posts_score_desc') WHERE key = 1"), [{ name: 'score', desc: 1 }]);
  // STRICT: a value of the wrong type is still refused.
  await fails(conn, "INSERT INTO users (id, email, name) VALUES (10, x'00', 'dee')", /cannot store BLOB value in TEXT column users.email/);
  assert.match(await tableSql(conn, 'users'), /\)\s*STRICT$/);
  // The generated column computes new rows too.
  await conn.query("INSERT INTO users (id, email, name) VALUES (8, 'e@v', 'eve')");
  assert.deepEqual(await rows(conn, 'SELECT full FROM users WHERE id = 8'), [{ full: 'e@veve' }]);
  await conn.query('DELETE FROM users WHERE id = 8');
  assert.deepEqual(await rows(conn, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
}

describe('SQLite rebuild fidelity: what the IR has no field for survives or is refused', () => {
  it("the QA's schema: after a forced rebuild of both tables, data, COLLATE, DESC, STRICT and the generated column are intact, and back", async () => {
    const conn = await open(QA);
    try {
      await assertQaFeatures(conn);
      const statements = await migrate(conn, FORCE);
      assert.equal(statements.filter((s) => /^CREATE TABLE/.test(s.sql)).length, 2, 'both tables were rebuilt');
      await assertQaFeatures(conn);
      await fails(conn, "INSERT INTO users (id, email) VALUES (9, 'f@u')", /NOT NULL constraint failed: users.name/);
      assert.deepEqual(await rows(conn, "SELECT type FROM pragma_table_info('posts') WHERE name = 'title'"), [{ type: 'VARCHAR(200)' }]);
      await migrate(conn, inverseAll(FORCE));
      await assertQaFeatures(conn);
      await conn.query("INSERT INTO users (id, email) VALUES (9, 'f@u')");
    } finally {
      await conn.close();
    }
  });

  it('a batch that rebuilds a table twice, and renames one, still keeps everything', async () => {
    const conn = await open(QA);
    try {
      await migrate(conn, [
        FORCE[0]!,
        FORCE[1]!,
        { kind: 'alterColumn', table: 'users', column: 'name', to: { serverDefault: "'x'" }, from: { serverDefault: null } },
        { kind: 'renameTable', from: 'users', to: 'people' },
        { kind: 'alterColumn', table: 'people', column: 'name', to: { serverDefault: null }, from: { serverDefault: "'x'" } },
        { kind: 'renameTable', from: 'people', to: 'users' },
      ]);
      await assertQaFeatures(conn);
    } finally {
      await conn.close();
    }
  });

  it('introspection shows COLLATE, the generated column and DESC / COLLATE index keys, so check reports models without them', async () => {
    const conn = await open(QA);
    try {
      const live = await dialect.introspect(conn, { exclude: () => false });
      const users = live.tables.find((t) => t.name === 'users')!;
      const posts = live.tables.find((t) => t.name === 'posts')!;
      assert.deepEqual(users.columns.map((c) => [c.name, c.type]), [
        ['id', { kind: 'integer' }],
        ['email', { kind: 'custom', sql: 'TEXT COLLATE NOCASE' }],
        ['name', text],
        ['full', { kind: 'custom', sql: 'TEXT GENERATED ALWAYS AS (email || name) STORED' }],
      ]);
      assert.deepEqual(posts.indexes.map((i) => [i.name, i.columns]), [['idx_posts_score_desc', ['score DESC']], ['ux_posts_title', ['title COLLATE NOCASE']]]);

      // Models with none of these features: check is no longer silent.
      const plain = dialect.normalize({
        enums: [],
        tables: [
          tableIR('posts', [column('id', { kind: 'integer' }, { nullable: false }), column('title', text), column('score', { kind: 'integer' })], {
            primaryKey: { name: null, columns: ['id'] },
            indexes: [{ name: 'idx_posts_score_desc', columns: ['score'], unique: false, where: null }, { name: 'ux_posts_title', columns: ['title'], unique: true, where: null }],
          }),
          tableIR('users', [column('id', { kind: 'integer' }, { nullable: false }), column('email', text, { nullable: false }), column('name', text)], { primaryKey: { name: null, columns: ['id'] } }),
        ],
      });
      const ops = compareSchemas(live, plain, dialect.enumPlanner);
      const touched = ops.map((o) => `${o.kind}:${'column' in o && typeof o.column === 'string' ? o.column : 'name' in o ? o.name : 'index' in o ? o.index.name : ''}`);
      assert.ok(touched.includes('alterColumn:email'), `COLLATE is a difference: ${touched.join(', ')}`);
      assert.ok(touched.includes('dropColumn:full'), `the generated column is a difference: ${touched.join(', ')}`);
      assert.ok(ops.some((o) => o.kind === 'dropIndex' && o.name === 'ux_posts_title'), `the index key's COLLATE is a difference: ${touched.join(', ')}`);
      assert.ok(ops.some((o) => o.kind === 'dropIndex' && o.name === 'idx_posts_score_desc'), `DESC is a difference: ${touched.join(', ')}`);

      // Models that declare them (customType, sql`` index entries, any spelling) compare equal.
      const declared = dialect.normalize({
        enums: [],
        tables: [
          tableIR('posts', [column('id', { kind: 'integer' }, { nullable: false }), column('title', text), column('score', { kind: 'integer' })], {
            primaryKey: { name: null, columns: ['id'] },
            indexes: [{ name: 'idx_posts_score_desc', columns: ['score desc'], unique: false, where: null }, { name: 'ux_posts_title', columns: ['"title" collate nocase asc'], unique: true, where: null }],
          }),
          tableIR('users', [
            column('id', { kind: 'integer' }, { nullable: false }),
            column('email', { kind: 'custom', sql: 'text collate nocase' }, { nullable: false }),
            column('name', text),
            column('full', { kind: 'custom', sql: 'text as (email||name) stored' }),
          ], { primaryKey: { name: null, columns: ['id'] } }),
        ],
      });
      assert.deepEqual(compareSchemas(live, declared, dialect.enumPlanner), []);
    } finally {
      await conn.close();
    }
  });

  it('keeps DEFERRABLE foreign keys, unnamed CHECKs, parenthesised defaults, unknown type names and AUTOINCREMENT', async () => {
    const conn = await open(`
      CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED,
        big UNSIGNED BIG INT,
        body MEDIUMTEXT,
        stamp TEXT DEFAULT (strftime('%Y', 'now')),
        qty INTEGER CHECK (qty > 0),
        note TEXT,
        CHECK (qty < 100)
      );
      INSERT INTO parent VALUES (1);
      INSERT INTO child (parent_id, big, body, qty) VALUES (1, 5, 'x', 3), (1, 6, 'y', 4), (1, 7, 'z', 5);
      DELETE FROM child WHERE id = 3;
    `);
    try {
      const before = await rows(conn, 'SELECT * FROM child ORDER BY id');
      await migrate(conn, [{ kind: 'alterColumn', table: 'child', column: 'body', to: { nullable: false }, from: { nullable: true } }]);
      assert.deepEqual(await rows(conn, 'SELECT * FROM child ORDER BY id'), before);
      assert.match(await tableSql(conn, 'child'), /REFERENCES "parent" \("id"\) DEFERRABLE INITIALLY DEFERRED/);
      assert.deepEqual(await rows(conn, "SELECT name, type FROM pragma_table_info('child') WHERE name IN ('big', 'body')"), [{ name: 'big', type: 'UNSIGNED BIG INT' }, { name: 'body', type: 'MEDIUMTEXT' }]);
      // Deferred: a child may come before its parent inside one transaction.
      await conn.query('BEGIN');
      await conn.query("INSERT INTO child (parent_id, qty, body) VALUES (2, 1, 'w')");
      await conn.query('INSERT INTO parent VALUES (2)');
      await conn.query('COMMIT');
      // AUTOINCREMENT: the deleted id 3 is not handed out again; the default expression still runs.
      assert.deepEqual(await rows(conn, "SELECT id, stamp = strftime('%Y', 'now') AS fresh FROM child WHERE parent_id = 2"), [{ id: 4, fresh: 1 }]);
      await fails(conn, "INSERT INTO child (qty, body) VALUES (0, 'w')", /CHECK constraint failed/);
      await fails(conn, "INSERT INTO child (qty, body) VALUES (100, 'w')", /CHECK constraint failed/);
      assert.deepEqual(await rows(conn, 'PRAGMA foreign_key_check'), []);
    } finally {
      await conn.close();
    }
  });

  it('recreates an index the rebuild does not touch from its own text, and keeps WITHOUT ROWID with STRICT', async () => {
    const conn = await open(`
      CREATE TABLE kv (k TEXT PRIMARY KEY, v INT, w TEXT) WITHOUT ROWID, STRICT;
      CREATE INDEX ix_kv ON kv (w COLLATE RTRIM DESC, v ASC);
      INSERT INTO kv VALUES ('a', 1, 'x'), ('b', 2, 'y');
    `);
    try {
      const indexBefore = await tableSql(conn, 'ix_kv');
      await migrate(conn, [{ kind: 'alterColumn', table: 'kv', column: 'v', to: { nullable: false }, from: { nullable: true } }]);
      assert.equal(await tableSql(conn, 'ix_kv'), indexBefore);
      assert.match(await tableSql(conn, 'kv'), /\) WITHOUT ROWID, STRICT$/);
      assert.deepEqual(await rows(conn, 'SELECT * FROM kv ORDER BY k'), [{ k: 'a', v: 1, w: 'x' }, { k: 'b', v: 2, w: 'y' }]);
      await fails(conn, "INSERT INTO kv VALUES ('c', 'three', 'z')", /cannot store TEXT value in INT column/);
    } finally {
      await conn.close();
    }
  });

  it('adds a STORED generated column by a rebuild, with SQLite computing its values', async () => {
    const conn = await open(QA);
    try {
      await migrate(conn, [{ kind: 'addColumn', table: 'posts', column: column('loud', { kind: 'custom', sql: 'TEXT GENERATED ALWAYS AS (upper(title)) STORED' }) }]);
      assert.deepEqual(await rows(conn, 'SELECT loud FROM posts ORDER BY id'), [{ loud: 'HELLO' }, { loud: 'WORLD' }, { loud: 'OTHER' }]);
    } finally {
      await conn.close();
    }
  });

  const refusals: { name: string; schema: string; ops: Operation[]; message: RegExp }[] = [
    {
      name: 'an ON CONFLICT clause',
      schema: `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT UNIQUE ON CONFLICT REPLACE, b TEXT); INSERT INTO t VALUES (1, 'x', 'y');`,
      ops: [{ kind: 'alterColumn', table: 't', column: 'b', to: { nullable: false }, from: { nullable: true } }],
      message: /^table "t" has an ON CONFLICT clause \(on column "a"\), which Retort cannot rebuild yet$/,
    },
    {
      name: 'a UNIQUE constraint with COLLATE on its column',
      schema: `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, UNIQUE (a COLLATE NOCASE)); INSERT INTO t VALUES (1, 'x', 'y');`,
      ops: [{ kind: 'alterColumn', table: 't', column: 'b', to: { nullable: false }, from: { nullable: true } }],
      message: /^table "t" has a UNIQUE constraint with COLLATE or DESC on its columns \(a\)/,
    },
    {
      name: 'a generated column whose expression would change',
      schema: `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, g TEXT AS (upper(a))); INSERT INTO t (id, a) VALUES (1, 'x');`,
      ops: [{ kind: 'alterColumn', table: 't', column: 'g', to: { type: text }, from: { type: { kind: 'custom', sql: 'TEXT GENERATED ALWAYS AS (upper(a)) VIRTUAL' } } }],
      message: /^table "t" has a generated column "g" whose type or expression would change/,
    },
    {
      name: 'a generated column using a column the change drops',
      schema: `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT CHECK (a <> ''), g TEXT AS (upper(a)) STORED); INSERT INTO t (id, a) VALUES (1, 'x');`,
      ops: [{ kind: 'dropColumn', table: 't', name: 'a', column: null }],
      message: /^table "t" has a generated column "g" that uses column "a", which this change drops or renames/,
    },
    {
      name: 'a STRICT table given a type STRICT does not accept',
      schema: `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT) STRICT; INSERT INTO t VALUES (1, 'x');`,
      ops: [{ kind: 'alterColumn', table: 't', column: 'a', to: { type: { kind: 'varchar', length: 20 } }, from: { type: text } }],
      message: /^table "t" is STRICT, which accepts only INT, INTEGER, REAL, TEXT, BLOB and ANY, and column "a" would be VARCHAR\(20\)$/,
    },
  ];
  for (const r of refusals) {
    it(`refuses a rebuild that would lose ${r.name}, and changes nothing`, async () => {
      const conn = await open(r.schema);
      try {
        const schemaBefore = await rows(conn, 'SELECT type, name, sql FROM sqlite_master ORDER BY name');
        const dataBefore = await rows(conn, 'SELECT * FROM t ORDER BY id');
        await assert.rejects(migrate(conn, r.ops), (e: unknown) => {
          assert.ok(isRetortError(e), String(e));
          assert.equal(e.code, 'UNSUPPORTED');
          assert.match(e.message, r.message);
          assert.ok(e.hint && e.hint.length > 0, 'says the way out');
          return true;
        });
        assert.deepEqual(await rows(conn, 'SELECT type, name, sql FROM sqlite_master ORDER BY name'), schemaBefore);
        assert.deepEqual(await rows(conn, 'SELECT * FROM t ORDER BY id'), dataBefore);
      } finally {
        await conn.close();
      }
    });
  }

  it('autoIncrement switched on keeps the rowids and seeds the counter with the largest; switched off keeps them too', async () => {
    const conn = await open(`
      CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
      INSERT INTO t VALUES (1, 'a'), (2, 'b'), (5, 'c');
    `);
    try {
      const on: Operation = { kind: 'alterColumn', table: 't', column: 'id', to: { autoIncrement: true }, from: { autoIncrement: false } };
      await migrate(conn, [on]);
      assert.match(await tableSql(conn, 't'), /"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT/);
      assert.deepEqual(await rows(conn, "SELECT seq FROM sqlite_sequence WHERE name = 't'"), [{ seq: 5 }]);
      assert.deepEqual(await rows(conn, 'SELECT id, v FROM t ORDER BY id'), [{ id: 1, v: 'a' }, { id: 2, v: 'b' }, { id: 5, v: 'c' }]);
      await conn.query("INSERT INTO t (v) VALUES ('d')");
      await conn.query('DELETE FROM t WHERE id = 6');
      await conn.query("INSERT INTO t (v) VALUES ('e')");
      assert.deepEqual(await rows(conn, "SELECT id FROM t WHERE v = 'e'"), [{ id: 7 }], 'AUTOINCREMENT does not reuse 6');

      await migrate(conn, inverseAll([on]));
      assert.doesNotMatch(await tableSql(conn, 't'), /AUTOINCREMENT/);
      assert.deepEqual(await rows(conn, 'SELECT id, v FROM t ORDER BY id'), [{ id: 1, v: 'a' }, { id: 2, v: 'b' }, { id: 5, v: 'c' }, { id: 7, v: 'e' }]);
      const live = (await dialect.introspectTable(conn, 't'))!;
      assert.equal(live.columns[0]!.autoIncrement, false);
    } finally {
      await conn.close();
    }
  });
});
