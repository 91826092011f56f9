/**
 * SQLite's cache of the live tables' IR (src/dialects/sqlite/sqlite-schema-cache.ts): a second read of an unchanged
 * file takes the tables from the cache (no PRAGMA query sent) and equal to a fresh read; any change to the schema,
 * another Retort version or an unreadable entry reads the file again; `exclude` applies to cached tables too; a cache
 * folder keeps the entries of the 8 databases read last. After a schema change only the tables whose rows (or whose
 * no-column-list foreign keys' parents' rows) changed are read again, shown by planting a marked IR for every table
 * under its valid dependencies: the marked ones were served, the others read, and the whole equals a fresh read.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDatabaseUrl } from '../src/config/url.js';
import type { Connection, IntrospectOptions } from '../src/dialects/dialect.js';
import { sqliteDialect as dialect } from '../src/dialects/sqlite/sqlite-dialect.js';
import { tempDir } from './helpers/db.js';

const tmp = tempDir('retort-sqlite-schema-cache-');
after(() => tmp.cleanup());
let n = 0;

const SCHEMA = [
  `CREATE TABLE "parent" (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT COLLATE NOCASE NOT NULL, CONSTRAINT uq_code UNIQUE (code))`,
  `CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent ON DELETE CASCADE, qty NUMERIC(12,2) DEFAULT '1.50',
     status TEXT CHECK (status IN ('a', 'b')), total REAL GENERATED ALWAYS AS (qty * 2) STORED, CONSTRAINT ck_qty CHECK (qty >= 0))`,
  `CREATE INDEX ix_child_status ON child (status) WHERE status IS NOT NULL`,
  `CREATE VIEW v AS SELECT id FROM child`,
  `CREATE TRIGGER trg AFTER INSERT ON child BEGIN UPDATE child SET qty = 0 WHERE id = NEW.id; END`,
].join(';\n');

async function fresh(): Promise<{ conn: Connection; cacheDir: string }> {
  const i = n++;
  const conn = await dialect.connect(parseDatabaseUrl(`sqlite:///${path.join(tmp.dir, `c${i}.db`)}`, tmp.dir));
  await conn.query(SCHEMA);
  return { conn, cacheDir: path.join(tmp.dir, `cache${i}`) };
}

/** Introspects, counting the PRAGMA queries sent (none when the tables come from the cache). */
async function read(conn: Connection, options: IntrospectOptions): Promise<{ schema: Awaited<ReturnType<typeof dialect.introspect>>; pragmas: number }> {
  let pragmas = 0;
  const counting: Connection = { ...conn, query: async (sql, params) => {
    if (/pragma_table_xinfo|pragma_index_list|pragma_foreign_key_list/.test(sql)) pragmas++;
    return conn.query(sql, params);
  } };
  Object.setPrototypeOf(counting, Object.getPrototypeOf(conn));
  return { schema: await dialect.introspect(counting, options), pragmas };
}

describe('SQLite schema cache', () => {
  it('a second read of an unchanged file comes from the cache, equal to a fresh read', async () => {
    const { conn, cacheDir } = await fresh();
    try {
      const cache = { dir: cacheDir, version: '1.0.0' };
      const uncached = await read(conn, { exclude: () => false });
      const first = await read(conn, { exclude: () => false, cache });
      assert.ok(first.pragmas > 0);
      assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.json')).length, 1);
      const second = await read(conn, { exclude: () => false, cache });
      assert.equal(second.pragmas, 0);
      assert.deepStrictEqual(second.schema, uncached.schema);
      assert.deepStrictEqual(first.schema, uncached.schema);
      // exclude applies to cached tables, and to views and triggers as ever.
      const excluded = await read(conn, { exclude: (t) => t === 'child', cache });
      assert.equal(excluded.pragmas, 0);
      assert.deepEqual(excluded.schema.tables.map((t) => t.name), ['parent']);
      assert.equal(excluded.schema.triggers, undefined);
    } finally {
      await conn.close();
    }
  });

  it('keeps the entries of the 8 databases read most recently', async () => {
    const cacheDir = path.join(tmp.dir, 'shared-cache');
    for (let i = 0; i < 10; i++) {
      const { conn } = await fresh();
      try {
        await read(conn, { exclude: () => false, cache: { dir: cacheDir, version: '1.0.0' } });
      } finally {
        await conn.close();
      }
    }
    assert.equal(readdirSync(cacheDir).filter((f) => f.startsWith('sqlite-schema-')).length, 8);
  });

  it('a changed schema, another version or an unreadable entry is read again', async () => {
    const { conn, cacheDir } = await fresh();
    try {
      const cache = { dir: cacheDir, version: '1.0.0' };
      await read(conn, { exclude: () => false, cache });
      await conn.query('ALTER TABLE parent ADD COLUMN note TEXT');
      const changed = await read(conn, { exclude: () => false, cache });
      assert.ok(changed.pragmas > 0);
      assert.ok(changed.schema.tables.find((t) => t.name === 'parent')!.columns.some((c) => c.name === 'note'));
      assert.equal((await read(conn, { exclude: () => false, cache })).pragmas, 0);
      // Only an index's text changes (same name, same table): still another key.
      await conn.query('DROP INDEX ix_child_status');
      await conn.query('CREATE INDEX ix_child_status ON child (qty)');
      const reindexed = await read(conn, { exclude: () => false, cache });
      assert.ok(reindexed.pragmas > 0);
      assert.deepEqual(reindexed.schema.tables.find((t) => t.name === 'child')!.indexes.map((i) => i.columns), [['qty']]);
      assert.ok((await read(conn, { exclude: () => false, cache: { ...cache, version: '1.0.1' } })).pragmas > 0);
      const file = path.join(cacheDir, readdirSync(cacheDir).find((f) => f.endsWith('.json'))!);
      writeFileSync(file, '{"key": ');
      const unreadable = await read(conn, { exclude: () => false, cache: { ...cache, version: '1.0.1' } });
      assert.ok(unreadable.pragmas > 0);
      assert.deepStrictEqual(unreadable.schema, (await read(conn, { exclude: () => false })).schema);
    } finally {
      await conn.close();
    }
  });

  it('an entry of many 64 KB reads, lines longer than one and characters across their edges, reads back whole', async () => {
    const conn = await dialect.connect(parseDatabaseUrl(`sqlite:///${path.join(tmp.dir, 'long.db')}`, tmp.dir));
    const cacheDir = path.join(tmp.dir, 'long-cache');
    try {
      // Names of two- and three-byte characters, in tables of odd lengths.
      const statements = Array.from({ length: 120 }, (_, i) => `CREATE TABLE "tåble_${i}_${'€'.repeat(i % 7)}" (id INTEGER PRIMARY KEY, "ñame_${'ü'.repeat(i % 13)}" TEXT DEFAULT 'é${'x'.repeat(i)}')`);
      // Lines of three-byte characters, each longer than two reads, at three offsets: some read's edge cuts a character.
      for (let k = 0; k < 3; k++) statements.push(`CREATE TABLE big${k} (id INTEGER PRIMARY KEY, s TEXT DEFAULT '${'x'.repeat(k)}${'€'.repeat(50_000)}')`);
      await conn.query(statements.join(';\n'));
      const cache = { dir: cacheDir, version: '1.0.0' };
      const uncached = await read(conn, { exclude: () => false });
      await read(conn, { exclude: () => false, cache });
      const entry = path.join(cacheDir, readdirSync(cacheDir).find((f) => f.endsWith('.json'))!);
      assert.ok(readFileSync(entry).length > 4 * 65536, 'the entry spans several reads');
      const cached = await read(conn, { exclude: () => false, cache });
      assert.equal(cached.pragmas, 0);
      assert.deepStrictEqual(cached.schema, uncached.schema);
      // A file cut short (a table line missing) is no entry: the tables are read again, alike.
      const text = readFileSync(entry, 'utf8').split('\n');
      writeFileSync(entry, [...text.slice(0, 5), ...text.slice(6)].join('\n'));
      const cut = await read(conn, { exclude: () => false, cache });
      assert.ok(cut.pragmas > 0);
      assert.deepStrictEqual(cut.schema, uncached.schema);
    } finally {
      await conn.close();
    }
  });

  it('after a change, reads again only the tables whose dependencies changed', async () => {
    const conn = await dialect.connect(parseDatabaseUrl(`sqlite:///${path.join(tmp.dir, `per-table.db`)}`, tmp.dir));
    const cacheDir = path.join(tmp.dir, 'per-table-cache');
    const cache = { dir: cacheDir, version: '1.0.0' };
    const file = () => path.join(cacheDir, readdirSync(cacheDir).find((f) => f.endsWith('.json'))!);
    /** The entry's lines: its key, a line per table, the tables' dependencies. */
    const lines = () => {
      const all = readFileSync(file(), 'utf8').split('\n');
      return { head: all[0]!, tables: all.slice(1, -1), deps: all.at(-1)! };
    };
    /** Marks every cached table's IR (a comment no SQLite table has), keeping the dependencies (last line) it is filed under. */
    const plant = () => {
      const { head, tables, deps } = lines();
      const marked = tables.map((line) => JSON.stringify({ ...(JSON.parse(line) as object), comment: 'cached' }));
      writeFileSync(file(), [head, ...marked, deps].join('\n'));
    };
    /** Applies `sql` to a planted cache and reads: the tables read again (unmarked), and the read equals a fresh one. */
    const readAfter = async (sql: string, options: { version?: string } = {}): Promise<string[]> => {
      plant();
      await conn.query(sql);
      const { schema } = await read(conn, { exclude: () => false, cache: { ...cache, ...options } });
      const reread = schema.tables.filter((t) => t.comment !== 'cached').map((t) => t.name);
      const unmarked = { ...schema, tables: schema.tables.map((t) => ({ ...t, comment: null })) };
      assert.deepStrictEqual(unmarked, (await read(conn, { exclude: () => false })).schema);
      return reread;
    };
    const B = `CREATE TABLE b (id INTEGER PRIMARY KEY, y TEXT); CREATE INDEX ix_b_y ON b (y)`;
    try {
      await conn.query([
        // child's key has no column list: it takes p's primary key, p named in another case.
        `CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT)`,
        `CREATE TABLE child (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES "P")`,
        `CREATE TABLE child2 (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id))`,
        `CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT UNIQUE)`,
        B,
        `CREATE TABLE c (id INTEGER PRIMARY KEY)`,
        `CREATE TABLE d (id INTEGER PRIMARY KEY, c_id INTEGER REFERENCES c (id))`,
        `CREATE TABLE orphan (id INTEGER PRIMARY KEY, g INTEGER REFERENCES ghost)`,
        `CREATE TABLE e (id INTEGER PRIMARY KEY)`,
        `CREATE VIRTUAL TABLE docs USING fts5(body)`,
      ].join(';\n'));
      await read(conn, { exclude: () => false, cache });

      assert.deepEqual(await readAfter('ALTER TABLE a ADD COLUMN z TEXT'), ['a']);
      assert.deepEqual(await readAfter('CREATE INDEX ix_b_id ON b (id, y)'), ['b']);
      // RENAME rewrites d's REFERENCES text, so d is read again too.
      assert.deepEqual(await readAfter('ALTER TABLE c RENAME TO c2'), ['c2', 'd']);
      // p's primary key changes: child (no column list) is read again with it, child2 (its own columns) is not.
      assert.deepEqual(await readAfter('DROP TABLE p; CREATE TABLE p (id INTEGER, code TEXT PRIMARY KEY)'), ['child', 'p']);
      assert.deepEqual((await read(conn, { exclude: () => false, cache })).schema.tables.find((t) => t.name === 'child')!.foreignKeys[0]!.refColumns, ['code']);
      // A referenced table that did not exist is created: orphan's key now takes its primary key.
      assert.deepEqual(await readAfter('CREATE TABLE ghost (gid INTEGER PRIMARY KEY)'), ['ghost', 'orphan']);
      assert.deepEqual(await readAfter('DROP TABLE e'), []);
      assert.deepEqual(await readAfter('CREATE TABLE f (id INTEGER PRIMARY KEY)'), ['f']);
      // A table dropped and made again with the same texts is the same table.
      assert.deepEqual(await readAfter(`DROP TABLE b; ${B}; CREATE INDEX ix_b_id ON b (id, y); ALTER TABLE a ADD COLUMN w TEXT`), ['a']);
      // Another Retort build reads every table.
      const all = await readAfter('ALTER TABLE a DROP COLUMN w', { version: '1.0.1' });
      assert.deepEqual(all, ['a', 'b', 'c2', 'child', 'child2', 'd', 'f', 'ghost', 'orphan', 'p']);
      // Dependencies that do not read: every table is read.
      plant();
      const { head, tables } = lines();
      writeFileSync(file(), [head, ...tables, '[["a"'].join('\n'));
      await conn.query('ALTER TABLE a ADD COLUMN v TEXT');
      const { schema } = await read(conn, { exclude: () => false, cache: { ...cache, version: '1.0.1' } });
      assert.ok(schema.tables.every((t) => t.comment === null));
    } finally {
      await conn.close();
    }
  });
});
