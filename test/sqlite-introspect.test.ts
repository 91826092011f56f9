/**
 * SQLite introspection against real files: a table created by Retort with
 * every column type reads back equal to the normalised declaration; tables
 * written by hand (unnamed and column-level constraints, odd identifiers)
 * read back with the names and CHECKs their SQL text holds. Also the driver:
 * opening errors, multi-statement SQL, and the cross-process lock.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDatabaseUrl } from '../src/config/url.js';
import type { Connection } from '../src/dialects/dialect.js';
import { sqliteDialect as dialect } from '../src/dialects/sqlite/sqlite-dialect.js';
import type { Operation } from '../src/operations/operations.js';
import { resolveTable } from '../src/models/resolve.js';
import {
  array, bigint, bigserial, boolean, bytea, char, check, customType, date, doublePrecision, enumType, index, integer, json, jsonb, numeric,
  real, serial, smallint, sql, table, text, time, timestamp, unique, uuid, varchar,
} from '../src/models/builders.js';
import type { SchemaIR } from '../src/ir/ir.js';
import { tempDir } from './helpers/db.js';
import { migrateWith } from './helpers/dialect-migrate.js';
import { STANDARD_SPELLING } from './helpers/models.js';

const tmp = tempDir('retort-sqlite-introspect-');
after(() => tmp.cleanup());
let n = 0;

async function open(): Promise<Connection> {
  return dialect.connect(parseDatabaseUrl(`sqlite:///${path.join(tmp.dir, `i${n++}.db`)}`, tmp.dir));
}

/** Runs one migration the way the runner does. */
async function migrate(conn: Connection, ops: readonly Operation[]): Promise<void> {
  await migrateWith(dialect, conn, ops);
}

const status = enumType('order status', ['NEW', "it's done"]);
const users = table('users', {
  id: serial().primaryKey(),
  email: varchar(255).notNull().unique(),
  handle: char(8),
  active: boolean().notNull().serverDefault(true),
  age: smallint().serverDefault(0),
  visits: bigint(),
  score: integer(),
  price: numeric(10, 2),
  ratio: real(),
  precise: doublePrecision(),
  born: date(),
  wakes: time(),
  wakesTz: time({ withTimezone: true }),
  createdAt: timestamp().notNull().serverDefault(sql`now()`),
  updatedAt: timestamp({ withTimezone: true }).serverDefault(sql`CURRENT_TIMESTAMP`),
  token: uuid(),
  profile: json(),
  settings: jsonb(),
  avatar: bytea(),
  tags: array(text()),
  codes: array(varchar(3)),
  status: status().notNull().serverDefault('NEW'),
  geo: customType('POINT'),
  nick: text().serverDefault('anon').comment('shown to others'),
}, (t) => [index().on(t.score, t.visits), index('ix_users_lower_email').on(sql`lower(email)`).where(sql`active = 1`), unique('uq_users_handle_age').on(t.handle, t.age), check('ck_users_age', sql`age >= 0`)]);
const orders = table('Order Lines', {
  'select': bigserial().primaryKey(),
  'User "Id"': integer().notNull().references(() => users.columns.id, { onDelete: 'cascade', onUpdate: 'set null' }),
  'Ärger': text().index(),
});

describe('SQLite introspection', () => {
  it('reads back every column type, key, index and constraint Retort wrote, equal to the normalised declaration', async () => {
    const conn = await open();
    try {
      const declared: SchemaIR = { tables: [resolveTable(users, STANDARD_SPELLING), resolveTable(orders, STANDARD_SPELLING)], enums: [{ name: status.enumName, values: status.values }] };
      await migrate(conn, [{ kind: 'createEnum', enum: declared.enums[0]! }, ...declared.tables.map((t): Operation => ({ kind: 'createTable', table: t }))]);
      const live = await dialect.introspect(conn, { exclude: () => false });
      assert.deepEqual(live, dialect.normalize(declared));
      const u = live.tables.find((t) => t.name === 'users')!;
      assert.equal(u.columns[0]!.autoIncrement, true);
      assert.deepEqual(u.columns.find((c) => c.name === 'tags')!.type, { kind: 'array', element: { kind: 'text' } });
      assert.deepEqual(u.columns.find((c) => c.name === 'updatedAt')!.type, { kind: 'timestamp', withTimezone: true });
      assert.equal(u.columns.find((c) => c.name === 'createdAt')!.serverDefault, 'CURRENT_TIMESTAMP');
      assert.equal(u.columns.find((c) => c.name === 'active')!.serverDefault, 'true');
      assert.ok(u.checks.some((k) => k.name === 'ck_users_status_enum_order status'));
      assert.deepEqual(live.enums, []);
    } finally {
      await conn.close();
    }
  });

  it('reads tables written by hand: unnamed and column-level constraints, FKs without a column list, partial and expression indexes', async () => {
    const conn = await open();
    try {
      await conn.query(`
        CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT UNIQUE);
        CREATE TABLE child (
          id integer primary key,
          parent_id INT NOT NULL REFERENCES parent ON DELETE CASCADE,
          code TEXT CONSTRAINT fk_code REFERENCES parent (code),
          qty int CHECK (qty > 0) DEFAULT (1 + 1),
          note varchar(20) CONSTRAINT ck_note CHECK (length(note) < 20),
          [weird "name"] TEXT,
          CONSTRAINT uq_child_pair UNIQUE (parent_id, code),
          CHECK (qty < 1000)
        );
        CREATE INDEX ix_child_expr ON child (lower(note), qty DESC) WHERE qty IS NOT NULL;
      `);
      const c = (await dialect.introspectTable(conn, 'child'))!;
      assert.deepEqual(c.columns.map((x) => [x.name, x.type.kind, x.nullable, x.serverDefault]), [
        ['id', 'integer', false, null], ['parent_id', 'integer', false, null], ['code', 'text', true, null],
        ['qty', 'integer', true, '1 + 1'], ['note', 'varchar', true, null], ['weird "name"', 'text', true, null],
      ]);
      assert.deepEqual(c.primaryKey, { name: null, columns: ['id'] });
      assert.deepEqual(c.foreignKeys, [
        { name: 'child_parent_id_fkey', columns: ['parent_id'], refTable: 'parent', refColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' },
        { name: 'fk_code', columns: ['code'], refTable: 'parent', refColumns: ['code'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' },
      ]);
      // As PostgreSQL names them: after the one column each uses, wherever it was written, numbered when taken.
      assert.deepEqual(c.checks, [
        { name: 'child_qty_check', expression: 'qty > 0' },
        { name: 'child_qty_check1', expression: 'qty < 1000' },
        { name: 'ck_note', expression: 'length(note) < 20' },
      ]);
      assert.deepEqual(c.uniques, [{ name: 'uq_child_pair', columns: ['parent_id', 'code'] }]);
      assert.deepEqual(c.indexes, [{ name: 'ix_child_expr', columns: ['lower(note)', 'qty DESC'], unique: false, where: 'qty IS NOT NULL' }]);
      assert.deepEqual((await dialect.introspectTable(conn, 'parent'))!.uniques, [{ name: 'parent_code_key', columns: ['code'] }]);
      assert.equal(await dialect.introspectTable(conn, 'nope'), null);
      const all = await dialect.introspect(conn, { exclude: (t) => t === 'parent' });
      assert.deepEqual(all.tables.map((t) => t.name), ['child']);
    } finally {
      await conn.close();
    }
  });

  it('a foreign key without a column list references the primary key of a table named in another case, read alone or with all', async () => {
    const conn = await open();
    try {
      await conn.query(`
        CREATE TABLE "Owner" (a TEXT, b INTEGER, PRIMARY KEY (a, b));
        CREATE TABLE pet (id INTEGER PRIMARY KEY, oa TEXT, ob INTEGER, FOREIGN KEY (oa, ob) REFERENCES OWNER);
        CREATE TABLE unrelated (id INTEGER PRIMARY KEY);
      `);
      // Named as the table is (SQLite finds OWNER in "Owner"), so the key points at the table the models declare.
      const fk = { name: 'pet_oa_ob_fkey', columns: ['oa', 'ob'], refTable: 'Owner', refColumns: ['a', 'b'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' };
      assert.deepEqual((await dialect.introspectTable(conn, 'pet'))!.foreignKeys, [fk]);
      const all = await dialect.introspect(conn, { exclude: () => false });
      assert.deepEqual(all.tables.find((t) => t.name === 'pet')!.foreignKeys, [fk]);
    } finally {
      await conn.close();
    }
  });

  it('lets the event loop turn before each chunk of tables it reads, so that work started before the read goes on during it', async () => {
    const conn = await open();
    try {
      // 1200 tables: three chunks of the tables' PRAGMA queries.
      await conn.query(Array.from({ length: 1200 }, (_, i) => `CREATE TABLE t${i} (id INTEGER PRIMARY KEY, v TEXT);`).join('\n'));
      const turns: number[] = [];
      let turned = 0;
      const query = conn.query.bind(conn);
      conn.query = ((sql: string, params?: readonly unknown[]) => {
        if (/pragma_table_xinfo/.test(sql)) turns.push(turned);
        return query(sql, params);
      }) as Connection['query'];
      // Counts the loop's turns while the read runs: a synchronous read would let none of them happen until it ended.
      let reading = true;
      const count = () => {
        turned++;
        if (reading) setImmediate(count);
      };
      setImmediate(count);
      const all = await dialect.introspect(conn, { exclude: () => false });
      reading = false;
      assert.equal(all.tables.length, 1200);
      assert.equal(turns.length, 3, 'one column query per chunk of tables');
      assert.ok(turns[0]! >= 1 && turns[1]! > turns[0]! && turns[2]! > turns[1]!, `the loop turned before each chunk: ${JSON.stringify(turns)}`);
    } finally {
      await conn.close();
    }
  });
});

describe('SQLite driver', () => {
  it('names the URL and the fix when the folder is missing or the file is not a database', async () => {
    await assert.rejects(dialect.connect(parseDatabaseUrl('sqlite:///missing/dir/app.db', tmp.dir)), (e: Error & { code?: string; hint?: string }) => {
      assert.equal(e.code, 'CONNECTION');
      assert.match(e.message, /sqlite:\/\/\/missing\/dir\/app\.db.*does not exist/);
      assert.match(e.hint ?? '', /mkdir/);
      return true;
    });
    const bad = path.join(tmp.dir, 'notes.txt');
    writeFileSync(bad, 'these are my notes, not a database, and they are long enough to have a header'.repeat(4));
    await assert.rejects(dialect.connect(parseDatabaseUrl(`sqlite:///${bad}`, tmp.dir)), /not a database/);
  });

  it('runs scripts, reader statements and parameters', async () => {
    const conn = await open();
    try {
      assert.deepEqual(await conn.query('CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, \'x\');'), []);
      await conn.query('INSERT INTO t VALUES (?, ?)', [true, 'y']);
      assert.deepEqual(await conn.query('SELECT a, b FROM t WHERE a = ? ORDER BY b', [1]), [{ a: 1, b: 'x' }, { a: 1, b: 'y' }]);
      assert.deepEqual(await conn.query('INSERT INTO t VALUES (2, \'z\') RETURNING a'), [{ a: 2 }]);
      const scratch = (await dialect.openScratch())!;
      assert.deepEqual(await scratch.query('SELECT 1 AS one'), [{ one: 1 }]);
      await scratch.close();
    } finally {
      await conn.close();
    }
  });

  it('the migration lock excludes a second holder across connections, waits, calls onWait once and times out', async () => {
    mkdirSync(path.join(tmp.dir, 'lock'), { recursive: true });
    const url = parseDatabaseUrl(`sqlite:///${path.join(tmp.dir, 'lock', 'app.db')}`, tmp.dir);
    const a = await dialect.connect(url);
    const b = await dialect.connect(url);
    try {
      const release = await dialect.lock(a, { key: 'retort_version', timeoutMs: 1000 });
      let waits = 0;
      await assert.rejects(dialect.lock(b, { key: 'retort_version', timeoutMs: 300, onWait: () => waits++ }), (e: Error & { code?: string }) => e.code === 'LOCK');
      assert.equal(waits, 1);
      // The lock does not hold the database itself: the holder's own migrations still write.
      await b.query('CREATE TABLE written_while_locked (x INTEGER)');
      const other = await dialect.lock(b, { key: 'other_table', timeoutMs: 100 });
      await other();
      const pending = dialect.lock(b, { key: 'retort_version', timeoutMs: 3000 });
      setTimeout(() => void release(), 150);
      const second = await pending;
      await second();
      await (await dialect.lock(await dialect.openScratch() as Connection, { key: 'k', timeoutMs: 0 }))();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
