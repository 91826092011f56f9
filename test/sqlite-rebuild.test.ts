/**
 * SQLite table rebuilds on real files with rows in them: every table-level
 * operation on a table with data, an index, a trigger, a view, a foreign key
 * pointing at it (ON DELETE CASCADE) and one from it. Each migration is driven
 * exactly as the runner drives it: beforeRun, BEGIN IMMEDIATE, compile + run,
 * beforeCommit, COMMIT, afterRun.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseDatabaseUrl } from '../src/config/url.js';
import { liveCatalog, type Connection, type Statement } from '../src/dialects/dialect.js';
import { explainSqliteFailure, sqliteDialect as dialect } from '../src/dialects/sqlite/sqlite-dialect.js';
import { writeEffects } from '../src/dialects/sqlite/sqlite-fk-scope.js';
import { inverseAll, type Operation } from '../src/operations/operations.js';
import { OperationRecorder } from '../src/operations/op-api.js';
import { integer, text, timestamp, varchar, sql } from '../src/models/builders.js';
import { column } from '../src/ir/ir.js';
import { tempDir } from './helpers/db.js';
import { comparableQuery } from '../src/dialects/sqlite/sqlite-views-read.js';
import type { SchemaIR } from '../src/ir/ir.js';

// SQLite rewrites a view's stored text when a table or column it names is renamed (`name` comes back as `"name"`):
// the view is the same, and compares the same (as autogenerate compares it).
// Views and trigger bodies as the differ compares them: SQLite's own RENAME COLUMN quotes the names it rewrites.
const viewsCompared = (s: SchemaIR): SchemaIR => ({
  ...s,
  ...(s.views ? { views: s.views.map((v) => ({ ...v, definition: comparableQuery(v.definition) })) } : {}),
  ...(s.triggers ? { triggers: s.triggers.map((t) => ({ ...t, ...(t.body !== undefined ? { body: comparableQuery(t.body) } : {}), ...(t.when !== undefined ? { when: comparableQuery(t.when) } : {}) })) } : {}),
});
import { migrateWith } from './helpers/dialect-migrate.js';
import { STANDARD_SPELLING } from './helpers/models.js';

const tmp = tempDir('retort-sqlite-rebuild-');
after(() => tmp.cleanup());
let counter = 0;

const FIXTURE = `
CREATE TABLE categories (id INTEGER PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  qty TEXT,
  price INTEGER DEFAULT 0,
  note TEXT,
  category_id INTEGER REFERENCES categories (id),
  CONSTRAINT ck_items_price CHECK (price >= 0)
);
CREATE INDEX ix_items_name ON items (name);
CREATE INDEX ix_items_qty ON items (qty);
CREATE TABLE item_tags (id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE, tag TEXT);
CREATE TABLE audit (id INTEGER PRIMARY KEY, item_id INTEGER, price INTEGER);
CREATE TRIGGER items_price_audit AFTER UPDATE OF price ON items BEGIN INSERT INTO audit (item_id, price) VALUES (NEW.id, NEW.price); END;
CREATE VIEW items_view AS SELECT id, name FROM items;
INSERT INTO categories (id, label) VALUES (1, 'tools'), (2, 'toys');
INSERT INTO items (name, qty, price, note, category_id) VALUES
  ('hammer', '3', 10, 'heavy', 1), ('saw', '5', 20, NULL, 1), ('ball', '12', 2, 'red', 2),
  ('kite', '1', 15, NULL, 2), ('drill', '7', 99, 'cordless', 1), ('gone', '0', 1, NULL, NULL);
DELETE FROM items WHERE name = 'gone';
INSERT INTO item_tags (item_id, tag) SELECT id, 'a' FROM items;
INSERT INTO item_tags (item_id, tag) SELECT id, 'b' FROM items;
`;

/** A fresh database file with the fixture, opened with foreign_keys ON as an application would. */
async function fixture(): Promise<Connection> {
  const file = path.join(tmp.dir, `db${counter++}.sqlite`);
  const conn = await dialect.connect(parseDatabaseUrl(`sqlite:///${file}`, tmp.dir));
  await conn.query(FIXTURE);
  await conn.query('PRAGMA foreign_keys = ON');
  return conn;
}

/** Runs one migration the way the runner does. */
async function migrate(conn: Connection, ops: readonly Operation[]): Promise<Statement[]> {
  return migrateWith(dialect, conn, ops);
}

function record(build: (op: OperationRecorder['op']) => void): Operation[] {
  const r = new OperationRecorder(STANDARD_SPELLING);
  build(r.op);
  return r.drain();
}

const creates = (stmts: readonly Statement[]) => stmts.filter((s) => /^CREATE TABLE/i.test(s.sql)).length;

interface Snapshot {
  ids: unknown[];
  tags: unknown[];
  seq: unknown[];
  objects: unknown[];
}

async function snapshot(conn: Connection, table = 'items'): Promise<Snapshot> {
  return {
    ids: await conn.query(`SELECT id FROM "${table}" ORDER BY id`),
    tags: await conn.query('SELECT id, item_id, tag FROM item_tags ORDER BY id'),
    seq: await conn.query(`SELECT seq FROM sqlite_sequence WHERE name = ?`, [table]),
    objects: await conn.query(`SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY name`),
  };
}

async function assertHealthy(conn: Connection): Promise<void> {
  assert.deepEqual(await conn.query('PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
  assert.deepEqual(await conn.query('PRAGMA foreign_key_check'), []);
  assert.deepEqual(await conn.query('PRAGMA foreign_keys'), [{ foreign_keys: 1 }], 'foreign_keys is restored after the run');
}

interface Case {
  readonly name: string;
  readonly ops: Operation[];
  readonly rebuild: boolean;
  /** Columns whose values must be identical before and after (and after the downgrade). */
  readonly keep: readonly string[];
  /** False when the inverse cannot restore the schema exactly (a dropped column's values are gone). */
  readonly reversible?: boolean;
}

const textCol = (name: string, nullable = true) => column(name, { kind: 'text' }, { nullable });

const CASES: Case[] = [
  { name: 'addColumn nullable (native)', ops: record((op) => op.addColumn('items', 'sku', varchar(20))), rebuild: false, keep: ['name', 'qty', 'price', 'note', 'category_id'] },
  { name: 'addColumn NOT NULL with CURRENT_TIMESTAMP default (rebuild)', ops: record((op) => op.addColumn('items', 'created_at', timestamp().notNull().serverDefault(sql`now()`))), rebuild: true, keep: ['name', 'qty', 'price', 'note', 'category_id'] },
  { name: 'addColumn with a foreign key (rebuild)', ops: record((op) => op.addColumn('items', 'alt_category', integer().references('categories.id'))), rebuild: true, keep: ['name', 'qty', 'price', 'note', 'category_id'] },
  { name: 'dropColumn unused (native)', ops: [{ kind: 'dropColumn', table: 'items', name: 'note', column: textCol('note') }], rebuild: false, keep: ['name', 'qty', 'price', 'category_id'], reversible: false },
  { name: 'dropColumn with an index (rebuild)', ops: [{ kind: 'dropColumn', table: 'items', name: 'qty', column: textCol('qty') }], rebuild: true, keep: ['name', 'note', 'price', 'category_id'], reversible: false },
  { name: 'dropColumn with a foreign key (rebuild)', ops: [{ kind: 'dropColumn', table: 'items', name: 'category_id', column: column('category_id', { kind: 'integer' }) }], rebuild: true, keep: ['name', 'qty', 'price'], reversible: false },
  { name: 'rename a column (native)', ops: [{ kind: 'alterColumn', table: 'items', column: 'note', to: { name: 'remark' }, from: { name: 'note' } }], rebuild: false, keep: ['name', 'qty', 'price', 'category_id'] },
  { name: 'rename an indexed column used by a view (native)', ops: [{ kind: 'alterColumn', table: 'items', column: 'name', to: { name: 'title' }, from: { name: 'name' } }], rebuild: false, keep: ['qty', 'price', 'note', 'category_id'] },
  {
    name: 'rename a column and change its type at once (rebuild; index, view and trigger follow)',
    ops: [{ kind: 'alterColumn', table: 'items', column: 'price', to: { name: 'cost', type: { kind: 'bigint' } }, from: { name: 'price', type: { kind: 'integer' } } }],
    rebuild: true, keep: ['name', 'qty', 'note', 'category_id'],
  },
  { name: 'change a type text -> integer (rebuild)', ops: record((op) => op.alterColumn('items', 'qty', { type: integer(), existing: { type: text() } })), rebuild: true, keep: ['name', 'price', 'note', 'category_id'] },
  { name: 'set NOT NULL (rebuild)', ops: record((op) => op.alterColumn('items', 'price', { nullable: false, existing: { nullable: true } })), rebuild: true, keep: ['name', 'qty', 'price', 'note', 'category_id'] },
  { name: 'change a server default (rebuild)', ops: record((op) => op.alterColumn('items', 'price', { serverDefault: 5, existing: { serverDefault: 0 } })), rebuild: true, keep: ['name', 'qty', 'price', 'note', 'category_id'] },
  { name: 'createIndex (native)', ops: record((op) => op.createIndex('ix_items_price', 'items', ['price'], { where: 'price > 5' })), rebuild: false, keep: ['name', 'qty', 'price', 'note', 'category_id'] },
  { name: 'dropIndex (native)', ops: [{ kind: 'dropIndex', table: 'items', name: 'ix_items_name', index: { name: 'ix_items_name', columns: ['name'], unique: false, where: null } }], rebuild: false, keep: ['name', 'qty', 'price', 'note', 'category_id'] },
  { name: 'add a unique constraint (rebuild)', ops: record((op) => op.createUniqueConstraint('uq_items_name', 'items', ['name'])), rebuild: true, keep: ['name', 'qty', 'price', 'note', 'category_id'] },
  { name: 'add a check constraint (rebuild)', ops: record((op) => op.createCheckConstraint('ck_items_qty', 'items', "qty <> ''")), rebuild: true, keep: ['name', 'qty', 'price', 'note', 'category_id'] },
  { name: 'add a foreign key (rebuild)', ops: record((op) => op.createForeignKey('fk_items_category_again', 'items', 'categories', ['category_id'], ['id'], { onDelete: 'set null' })), rebuild: true, keep: ['name', 'qty', 'price', 'note', 'category_id'], reversible: true },
  {
    name: 'drop a foreign key (rebuild)',
    ops: [{ kind: 'dropConstraint', table: 'items', name: 'items_category_id_fkey', constraintKind: 'foreignKey', constraint: { kind: 'foreignKey', def: { name: 'items_category_id_fkey', columns: ['category_id'], refTable: 'categories', refColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' } } }],
    rebuild: true, keep: ['name', 'qty', 'price', 'note', 'category_id'],
  },
  {
    name: 'drop a check constraint (rebuild)',
    ops: [{ kind: 'dropConstraint', table: 'items', name: 'ck_items_price', constraintKind: null, constraint: { kind: 'check', def: { name: 'ck_items_price', expression: 'price >= 0' } } }],
    rebuild: true, keep: ['name', 'qty', 'price', 'note', 'category_id'],
  },
  { name: 'renameTable (native; the child foreign key follows)', ops: record((op) => op.renameTable('items', 'products')), rebuild: false, keep: [] },
  { name: 'setTableComment (nothing on SQLite)', ops: [{ kind: 'setTableComment', table: 'items', comment: 'things', from: null }], rebuild: false, keep: ['name', 'qty', 'price', 'note', 'category_id'] },
];

describe('SQLite: every table operation keeps the data, the children, the trigger, the view and the AUTOINCREMENT counter', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const conn = await fixture();
      try {
        const before = await snapshot(conn);
        const schemaBefore = await dialect.introspect(conn, { exclude: () => false });
        const values = c.keep.length ? await conn.query(`SELECT ${c.keep.map((k) => `"${k}"`).join(', ')} FROM items ORDER BY id`) : [];
        const stmts = await migrate(conn, c.ops);
        assert.equal(creates(stmts) > 0, c.rebuild, `rebuild expected: ${c.rebuild}\n${stmts.map((s) => s.sql).join(';\n')}`);
        const renamed = c.ops.some((o) => o.kind === 'renameTable');
        const table = renamed ? 'products' : 'items';
        const now = await snapshot(conn, table);
        assert.deepEqual(now.ids, before.ids, 'rowids / ids survive');
        assert.deepEqual(now.tags, before.tags, 'child rows (ON DELETE CASCADE) survive');
        assert.deepEqual(now.seq, before.seq, 'AUTOINCREMENT counter survives');
        assert.deepEqual(now.objects, before.objects, 'trigger and view survive');
        const keep = c.keep.filter((k) => !c.ops.some((o) => o.kind === 'alterColumn' && o.column === k && o.to.type));
        if (keep.length) assert.deepEqual(await conn.query(`SELECT ${keep.map((k) => `"${k}"`).join(', ')} FROM "${table}" ORDER BY id`), values.map((r) => Object.fromEntries(keep.map((k) => [k, r[k]]))));
        await assertHealthy(conn);
        await conn.query(`SELECT * FROM items_view`);
        await conn.query(`UPDATE "${table}" SET ${c.ops.some((o) => o.kind === 'alterColumn' && o.to.name === 'cost') ? 'cost = cost' : 'price = price'} + 1 WHERE id = 1`);
        assert.equal((await conn.query('SELECT count(*) AS n FROM audit'))[0]!.n, 1, 'the trigger still fires');
        await conn.query('DELETE FROM audit');
        await conn.query(`UPDATE "${table}" SET ${c.ops.some((o) => o.kind === 'alterColumn' && o.to.name === 'cost') ? 'cost = cost' : 'price = price'} - 1 WHERE id = 1`);
        await conn.query('DELETE FROM audit');
        // The view and the child's foreign key follow a renamed table.
        if (renamed) assert.match(String((await conn.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'item_tags'`))[0]!.sql), /REFERENCES "products"/);

        if (c.reversible !== false) {
          await migrate(conn, inverseAll(c.ops));
          assert.deepEqual(viewsCompared(await dialect.introspect(conn, { exclude: () => false })), viewsCompared(schemaBefore), 'downgrade restores the schema');
          if (c.keep.length) assert.deepEqual(await conn.query(`SELECT ${['id', ...c.keep].map((k) => `"${k}"`).join(', ')} FROM items ORDER BY id`).then((r) => r.map((x) => { const { id: _id, ...rest } = x; return rest; })), values, 'downgrade keeps the data');
          assert.deepEqual((await snapshot(conn)).tags, before.tags);
          await assertHealthy(conn);
        }
      } finally {
        await conn.close();
      }
    });
  }

  it('merges several operations on one table into ONE rebuild', async () => {
    const conn = await fixture();
    try {
      const ops = record((op) => {
        op.alterColumn('items', 'qty', { type: integer(), existing: { type: text() } });
        op.addColumn('items', 'sku', varchar(20));
        op.createUniqueConstraint('uq_items_name', 'items', ['name']);
        op.alterColumn('items', 'note', { newName: 'remark' });
        op.createIndex('ix_items_price_qty', 'items', ['price', 'qty']);
      });
      const stmts = await migrate(conn, ops);
      assert.equal(creates(stmts), 1, stmts.map((s) => s.sql).join(';\n'));
      const t = await dialect.introspectTable(conn, 'items');
      assert.deepEqual(t!.columns.map((c) => c.name), ['id', 'name', 'qty', 'price', 'remark', 'category_id', 'sku']);
      assert.deepEqual(t!.indexes.map((i) => i.name), ['ix_items_name', 'ix_items_price_qty', 'ix_items_qty']);
      assert.deepEqual(t!.uniques.map((u) => u.name), ['uq_items_name']);
      assert.deepEqual(await conn.query(`SELECT typeof(qty) AS t, count(*) AS n FROM items GROUP BY 1`), [{ t: 'integer', n: 5 }]);
      await assertHealthy(conn);
    } finally {
      await conn.close();
    }
  });

  it('a type change that cannot convert a value fails loudly and rolls back', async () => {
    const conn = await fixture();
    try {
      await conn.query(`UPDATE items SET qty = 'many' WHERE name = 'saw'`);
      const before = await conn.query(`SELECT sql FROM sqlite_master ORDER BY name`);
      const rows = await conn.query(`SELECT * FROM items ORDER BY id`);
      await assert.rejects(migrate(conn, record((op) => op.alterColumn('items', 'qty', { type: integer() }))), /cannot be converted to INTEGER/);
      assert.deepEqual(await conn.query(`SELECT sql FROM sqlite_master ORDER BY name`), before);
      assert.deepEqual(await conn.query(`SELECT * FROM items ORDER BY id`), rows);
      await assertHealthy(conn);
    } finally {
      await conn.close();
    }
  });

  it('a foreign-key violation found before COMMIT fails the migration and rolls back', async () => {
    const conn = await fixture();
    try {
      await assert.rejects(migrate(conn, record((op) => op.execute(`INSERT INTO item_tags (item_id, tag) VALUES (999, 'orphan')`))), (e: unknown) => {
        assert.equal((e as { code?: string }).code, 'MIGRATION_FAILED');
        assert.match((e as Error).message, /"item_tags".*"items"/);
        return true;
      });
      assert.deepEqual(await conn.query(`SELECT count(*) AS n FROM item_tags WHERE tag = 'orphan'`), [{ n: 0 }]);
    } finally {
      await conn.close();
    }
  });

  it('orphan rows that were there before the run do not fail an unrelated migration', async () => {
    const conn = await fixture();
    try {
      await conn.query('PRAGMA foreign_keys = OFF');
      await conn.query(`INSERT INTO item_tags (item_id, tag) VALUES (777, 'old orphan')`);
      await migrate(conn, record((op) => op.alterColumn('items', 'price', { nullable: false })));
      assert.equal((await conn.query('PRAGMA foreign_key_check')).length, 1);
      await assert.rejects(migrate(conn, record((op) => op.execute(`INSERT INTO item_tags (item_id, tag) VALUES (888, 'new orphan')`))), /foreign key violation/);
    } finally {
      await conn.close();
    }
  });

  it('a database full of old orphan rows: the check counts them in SQLite instead of fetching them, and still catches a new one', async () => {
    const conn = await fixture();
    try {
      await conn.query('PRAGMA foreign_keys = OFF');
      await conn.query(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO item_tags (item_id, tag) SELECT 100000 + i, 'old' FROM n`);
      // Every row any query of the run returns: the old check fetched each violation twice (before the run and before COMMIT).
      let rowsFetched = 0;
      const counting: Connection = {
        query: async <R>(q: string, params?: readonly unknown[]) => {
          const rows = await conn.query<R>(q, params);
          rowsFetched += rows.length;
          return rows;
        },
        close: () => conn.close(),
      };
      await migrate(counting, record((op) => op.alterColumn('items', 'price', { nullable: false })));
      assert.ok(rowsFetched < 100, `the run fetched ${rowsFetched} rows`);
      assert.equal((await conn.query('PRAGMA foreign_key_check')).length, 3000, 'the old orphans are left alone');
      await assert.rejects(
        migrate(counting, record((op) => op.execute(`INSERT INTO item_tags (item_id, tag) VALUES (888, 'new orphan')`))),
        (e: unknown) => {
          assert.equal((e as { code?: string }).code, 'MIGRATION_FAILED');
          assert.match((e as Error).message, /^foreign key violation: a row of "item_tags" references a missing row of "items" \(it held 3000 such row\(s\) before the run\)$/);
          assert.equal((e as { details?: string[] }).details?.length, 10, 'ten examples, not 3001');
          return true;
        },
      );
      assert.deepEqual(await conn.query(`SELECT count(*) AS n FROM item_tags WHERE tag = 'new orphan'`), [{ n: 0 }], 'rolled back');
    } finally {
      await conn.close();
    }
  });

  it('names every table that gained violations, with the count', async () => {
    const conn = await fixture();
    try {
      await assert.rejects(
        migrate(conn, record((op) => {
          op.execute(`DELETE FROM categories WHERE id = 1`);
          op.execute(`DELETE FROM items WHERE name = 'ball'`);
        })),
        (e: unknown) => {
          assert.match((e as Error).message, /^foreign key violation: 2 rows of "item_tags" reference a missing row of "items"; 1 more table\(s\) too: "items"$/);
          assert.equal((e as { details?: string[] }).details?.length, 2);
          return true;
        },
      );
      assert.deepEqual(await conn.query('PRAGMA foreign_key_check'), []);
    } finally {
      await conn.close();
    }
  });

  it('a rename with a type change on a column a view uses, plus an index on the new name, in one revision', async () => {
    const conn = await fixture();
    try {
      const names = (await conn.query<{ name: string }>('SELECT name FROM items ORDER BY id')).map((r) => r.name);
      const before = await snapshot(conn);
      await migrate(conn, record((op) => {
        op.alterColumn('items', 'name', { newName: 'title', type: varchar(300), existing: { type: text(), nullable: false } });
        op.createIndex('ix_items_title', 'items', ['title']);
      }));
      assert.deepEqual((await conn.query<{ title: string }>('SELECT title FROM items_view ORDER BY id')).map((r) => r.title), names, 'the view follows the rename');
      assert.deepEqual((await snapshot(conn)).ids, before.ids);
      const [ix] = await conn.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'ix_items_title'`);
      assert.match(ix!.sql, /"title"/);
      assert.match((await conn.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'items'`))[0]!.sql, /"title" VARCHAR\(300\) NOT NULL/);
      await assertHealthy(conn);
    } finally {
      await conn.close();
    }
  });

  it('refuses to drop a column a trigger uses, instead of losing the trigger', async () => {
    const conn = await fixture();
    try {
      await assert.rejects(migrate(conn, [{ kind: 'dropColumn', table: 'items', name: 'price', column: null }]), /trigger "items_price_audit" uses it/);
      assert.equal((await dialect.introspectTable(conn, 'items'))!.columns.length, 6);
    } finally {
      await conn.close();
    }
  });

  it('the rebuild refuses to run with foreign_keys ON (which would cascade-delete the children)', async () => {
    const conn = await fixture();
    try {
      await conn.query(dialect.beginSql);
      const stmts = await dialect.compile(record((op) => op.alterColumn('items', 'price', { nullable: false })), liveCatalog(dialect, conn));
      await assert.rejects(async () => { for (const s of stmts) await conn.query(s.sql, s.params); }, /foreign_keys must be OFF/);
      await conn.query('ROLLBACK');
      assert.deepEqual((await snapshot(conn)).tags.length, 10);
    } finally {
      await conn.close();
    }
  });

  it('keeps rowids of a table without an INTEGER PRIMARY KEY', async () => {
    const conn = await fixture();
    try {
      await conn.query(`CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('a'), ('b'), ('c'); DELETE FROM notes WHERE body = 'a'`);
      const before = await conn.query(`SELECT rowid, body FROM notes ORDER BY rowid`);
      await migrate(conn, record((op) => op.alterColumn('notes', 'body', { nullable: false })));
      assert.deepEqual(await conn.query(`SELECT rowid, body FROM notes ORDER BY rowid`), before);
    } finally {
      await conn.close();
    }
  });

  it('rebuilds a self-referencing tree table and a WITHOUT ROWID table', async () => {
    const conn = await fixture();
    try {
      await conn.query(`CREATE TABLE nodes (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES nodes (id) ON DELETE CASCADE, label TEXT);
        INSERT INTO nodes VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 2, 'b');
        CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID; INSERT INTO kv VALUES ('x', '1'), ('y', '2');`);
      await conn.query('PRAGMA foreign_keys = ON');
      const stmts = await migrate(conn, record((op) => {
        op.alterColumn('nodes', 'label', { nullable: false });
        op.alterColumn('kv', 'v', { type: integer() });
      }));
      assert.equal(creates(stmts), 2);
      assert.deepEqual(await conn.query('SELECT id, parent_id, label FROM nodes ORDER BY id'), [{ id: 1, parent_id: null, label: 'root' }, { id: 2, parent_id: 1, label: 'a' }, { id: 3, parent_id: 2, label: 'b' }]);
      assert.deepEqual((await dialect.introspectTable(conn, 'nodes'))!.foreignKeys.map((f) => f.refTable), ['nodes']);
      assert.deepEqual(await conn.query('SELECT k, v FROM kv ORDER BY k'), [{ k: 'x', v: 1 }, { k: 'y', v: 2 }]);
      assert.match(String((await conn.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'kv'`))[0]!.sql), /WITHOUT ROWID$/);
      // The cascade still works after the rebuild.
      await conn.query('DELETE FROM nodes WHERE id = 1');
      assert.deepEqual(await conn.query('SELECT count(*) AS n FROM nodes'), [{ n: 0 }]);
      await assertHealthy(conn);
    } finally {
      await conn.close();
    }
  });

  it('enums: createEnum + addColumn, addEnumValue and renameEnum rewrite the CHECK', async () => {
    const conn = await fixture();
    try {
      await migrate(conn, [
        { kind: 'createEnum', enum: { name: 'mood', values: ['HAPPY', 'SAD'] } },
        { kind: 'addColumn', table: 'items', column: column('mood', { kind: 'enum', name: 'mood' }) },
      ]);
      await conn.query(`UPDATE items SET mood = 'HAPPY'`);
      await assert.rejects(conn.query(`UPDATE items SET mood = 'ANGRY'`), /CHECK constraint failed/);
      const add = await migrate(conn, [{ kind: 'addEnumValue', name: 'mood', value: 'ANGRY', after: 'HAPPY' }]);
      assert.equal(creates(add), 1);
      await conn.query(`UPDATE items SET mood = 'ANGRY' WHERE name = 'saw'`);
      await migrate(conn, [{ kind: 'renameEnum', from: 'mood', to: 'feeling' }]);
      const t = await dialect.introspectTable(conn, 'items');
      assert.deepEqual(t!.checks.find((k) => k.name.startsWith('ck_items_mood'))!, { name: 'ck_items_mood_enum_feeling', expression: `mood IN ('HAPPY', 'ANGRY', 'SAD')` });
      // A later revision can use the enum: its values are read back from the CHECK.
      await migrate(conn, [{ kind: 'addColumn', table: 'categories', column: column('mood', { kind: 'enum', name: 'feeling' }) }]);
      assert.ok((await dialect.introspectTable(conn, 'categories'))!.checks.some((k) => k.name === 'ck_categories_mood_enum_feeling'));
      await assertHealthy(conn);
    } finally {
      await conn.close();
    }
  });
});

describe('explainSqliteFailure', () => {
  it('names the table, not the rebuild copy, and hints at the cause', () => {
    assert.deepEqual(explainSqliteFailure('UNIQUE constraint failed: _retort_new_albums.catalog_no'), {
      message: 'UNIQUE constraint failed: albums.catalog_no',
      hint: 'rows of albums share a value of albums.catalog_no: remove or change the duplicates in the revision first',
    });
    assert.match(explainSqliteFailure('database is locked')!.hint!, /another connection held a lock on the database file for the whole lock timeout: .*raise --lock-timeout/);
    assert.equal(explainSqliteFailure('no such table: x'), null);
  });
});

describe('the foreign-key check reads only what a migration may have affected', () => {
  it('writeEffects reads statements conservatively', () => {
    const e = writeEffects([
      'CREATE TABLE "_retort_new_items" ("id" INTEGER)',
      'INSERT INTO "_retort_new_items" ("id") SELECT "id" FROM "items"',
      'DROP TABLE "items"',
      'ALTER TABLE "_retort_new_items" RENAME TO "items"',
      'CREATE INDEX "ix" ON "items" ("id")',
      'ALTER TABLE "Categories" ADD COLUMN "x" INTEGER',
      'ALTER TABLE "Tags" ADD COLUMN "cat" INTEGER REFERENCES "categories" ("id") DEFAULT 7',
      'UPDATE retort_version SET version_num = \'a\'',
      'PRAGMA foreign_key_check',
    ]);
    assert.equal(e.all, false);
    // A plain new column breaks no reference; one that is a reference (with a default) may.
    assert.deepEqual([...e.touched].sort(), ['items', 'retort_version', 'tags']);
    assert.deepEqual([...e.parents].sort(), ['items', 'retort_version']);
    assert.deepEqual([...e.created], ['items'], 'the rebuild copy, renamed');
    // Retort's own tables are bookkeeping: their rows are nobody's parents or children.
    const own = writeEffects(['UPDATE "retort_version" SET version_num = \'b\'', 'INSERT INTO temp.retort_write_guard (changed) VALUES (changes())', 'INSERT INTO "Retort_History" (revision) VALUES (\'b\')'], new Set(['retort_version', 'retort_history', 'temp.retort_write_guard']));
    assert.deepEqual([own.touched.size, own.parents.size, own.written.size, own.all], [0, 0, 0, false]);
    for (const unknown of ['DELETE FROM a; DELETE FROM b', 'WITH x AS (SELECT 1) DELETE FROM a', 'ATTACH DATABASE \'x\' AS y']) {
      assert.equal(writeEffects([unknown]).all, true, unknown);
    }
    assert.deepEqual([...writeEffects(['ALTER TABLE tracks RENAME TO songs']).renamedFrom], [['songs', 'tracks']]);
    assert.deepEqual([...writeEffects(['CREATE TABLE t (a)', 'CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END']).created], [], 'a trigger made in the migration may fire on later rows');
  });

  it('a change to one table does not count every table\'s violations again, and still catches what it breaks', async () => {
    const conn = await fixture();
    try {
      const sent: string[] = [];
      const query = conn.query.bind(conn);
      conn.query = (async (q: string, params?: readonly unknown[]) => {
        sent.push(q);
        return query(q, params);
      }) as typeof conn.query;
      await migrate(conn, record((op) => op.addColumn('categories', 'x', integer())));
      assert.equal(sent.filter((q) => /FROM pragma_foreign_key_check GROUP BY/.test(q)).length, 1, 'the whole database is counted once, before the run');
      // Deleting parent rows: found through the children.
      await assert.rejects(migrate(conn, record((op) => op.execute('DELETE FROM items WHERE id = 1'))), /rows of "item_tags" reference a missing row of "items"/);
      // Dropping a parent table: its children are checked.
      await assert.rejects(migrate(conn, record((op) => op.execute('DROP TABLE categories'))), /of "items" reference.* a missing row of "categories"/);
      // Rows written by a trigger elsewhere: the whole database is counted.
      await conn.query(`CREATE TRIGGER audit_orphan AFTER INSERT ON audit BEGIN INSERT INTO item_tags (item_id, tag) VALUES (4242, 'by trigger'); END`);
      await assert.rejects(migrate(conn, record((op) => op.execute('INSERT INTO audit (item_id, price) VALUES (1, 1)'))), /of "item_tags"/);
      assert.deepEqual(await conn.query('PRAGMA foreign_key_check'), [], 'every failed migration rolled back');
    } finally {
      await conn.close();
    }
  });

  it('a table renamed with the orphans it already had is not blamed, in that migration or the next of the run', async () => {
    const conn = await fixture();
    try {
      await conn.query('PRAGMA foreign_keys = OFF');
      await conn.query(`INSERT INTO item_tags (item_id, tag) VALUES (777, 'old orphan')`);
      await dialect.beforeRun!(conn);
      try {
        for (const ops of [record((op) => op.renameTable('item_tags', 'tags')), record((op) => op.addColumn('tags', 'note', text()))]) {
          await conn.query(dialect.beginSql);
          for (const s of await dialect.compile(ops, liveCatalog(dialect, conn))) await conn.query(s.sql, s.params);
          await dialect.beforeCommit!(conn);
          await conn.query('COMMIT');
        }
      } finally {
        await dialect.afterRun!(conn);
      }
      assert.equal((await conn.query('PRAGMA foreign_key_check')).length, 1);
    } finally {
      await conn.close();
    }
  });
});

describe('one rebuild per table when its operations are not next to each other', () => {
  it('drops of two tables\' checks, then their adds: two rebuilds, not four', async () => {
    const conn = await fixture();
    try {
      const statements = await migrate(conn, [
        { kind: 'dropConstraint', table: 'items', name: 'ck_items_price', constraintKind: 'check', constraint: null },
        { kind: 'addConstraint', table: 'categories', constraint: { kind: 'check', def: { name: 'ck_label', expression: "label <> ''" } } },
        { kind: 'addConstraint', table: 'items', constraint: { kind: 'check', def: { name: 'ck_items_price', expression: 'price >= -1' } } },
        { kind: 'dropConstraint', table: 'categories', name: 'ck_label', constraintKind: 'check', constraint: null },
        { kind: 'addConstraint', table: 'categories', constraint: { kind: 'check', def: { name: 'ck_label', expression: "length(label) > 0" } } },
      ]);
      assert.equal(creates(statements), 2, statements.map((x) => x.sql).join('\n'));
      assert.match((await conn.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'items'`))[0]!.sql, /price >= -1/);
      assert.match((await conn.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'categories'`))[0]!.sql, /length\(label\) > 0/);
      await assertHealthy(conn);
    } finally {
      await conn.close();
    }
  });
});
