/**
 * What the database leaves unfinished must not read as "matches": an index a failed concurrent build left INVALID
 * and a constraint left NOT VALID (PostgreSQL) are differences for `check` and autogenerate. SQLite has neither
 * state; its path is checked to stay as it was.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { retortBin } from './helpers/cli.js';
import { createProject, revisionSource, type DialectName, type TestProject } from './helpers/project.js';

const MODELS = `import { integer, serial, table, varchar, uniqueIndex, check, sql } from 'retort-migrate';
export const orders = table('orders', { id: serial().primaryKey(), code: varchar(20), qty: integer() },
  (t) => [uniqueIndex('ux_orders_code').on(t.code), check('ck_orders_qty', sql\`qty > 0\`)]);
export const items = table('items', { id: serial().primaryKey(), order_id: integer().references(() => orders.columns.id) });
`;

/** A project at head with the models above and a few rows. */
async function ordersProject(dialect: DialectName): Promise<TestProject> {
  const p = await createProject(dialect, { empty: true });
  mkdirSync(path.join(p.dir, 'models'));
  writeFileSync(path.join(p.dir, 'models', 'm.ts'), MODELS);
  assert.equal((await p.retort('revision', '--autogenerate', '-m', 'init')).code, 0);
  assert.equal((await p.retort('upgrade', 'head')).code, 0);
  await p.query(`INSERT INTO orders (code, qty) VALUES ('a', 1), ('b', 2), ('c', 3)`);
  await p.query(`INSERT INTO items (order_id) VALUES (1), (2)`);
  return p;
}

function revisionText(p: TestProject, message: string): string | null {
  const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.endsWith(`_${message}.ts`));
  return file === undefined ? null : readFileSync(path.join(p.dir, 'migrations', file), 'utf8');
}

describe('unfinished states on postgresql', () => {
  test('an INVALID index is a difference for check, and autogenerate refuses to write over it', async () => {
    const p = await ordersProject('postgresql');
    try {
      // A concurrent build that fails on duplicates leaves its index INVALID under the declared name.
      await p.query(`DROP INDEX ux_orders_code`);
      await p.query(`UPDATE orders SET code = 'dup'`);
      await assert.rejects(p.query(`CREATE UNIQUE INDEX CONCURRENTLY ux_orders_code ON orders (code)`));
      assert.equal((await p.query(`SELECT 1 FROM pg_index WHERE NOT indisvalid AND indexrelid = 'ux_orders_code'::regclass`)).length, 1);

      const check = await p.retort('check');
      assert.equal(check.code, 1, check.stdout);
      assert.doesNotMatch(check.stdout, /No changes detected/);
      assert.match(check.stdout, /ux_orders_code.*INVALID/);
      assert.match(check.stdout, /hint: index "ux_orders_code" on "orders" is INVALID: .*drop it with `DROP INDEX CONCURRENTLY IF EXISTS "ux_orders_code"`/);

      const json = await p.retort('check', '--json');
      assert.equal(json.code, 1);
      const report = JSON.parse(json.stdout) as { matches: boolean; unfinished: { kind: string; name: string; sql: string }[]; warnings: string[] };
      assert.equal(report.matches, false);
      assert.deepEqual(report.unfinished.map((u) => [u.kind, u.name, u.sql]), [['invalid index', 'ux_orders_code', 'DROP INDEX CONCURRENTLY IF EXISTS "ux_orders_code"']]);
      assert.ok(report.warnings.some((w) => /ux_orders_code.*INVALID/.test(w)));

      const auto = await p.retort('revision', '--autogenerate', '-m', 'rebuild');
      assert.equal(auto.code, 1, auto.stderr);
      assert.match(auto.stderr, /index "ux_orders_code" on "orders" is INVALID .*none was written/);
      assert.match(auto.stderr, /DROP INDEX CONCURRENTLY IF EXISTS "ux_orders_code"/);
      assert.doesNotMatch(auto.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(revisionText(p, 'rebuild'), null);

      // Recovery as the messages say: drop it, fix the rows, let autogenerate write the build.
      await p.query(`DROP INDEX CONCURRENTLY IF EXISTS "ux_orders_code"`);
      await p.query(`UPDATE orders SET code = 'x' || id`);
      const again = await p.retort('revision', '--autogenerate', '-m', 'rebuild');
      assert.equal(again.code, 0, again.stderr);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      const settled = await p.retort('check');
      assert.equal(settled.code, 0, settled.stdout);
    } finally {
      await p.cleanup();
    }
  });

  test('a NOT VALID constraint is a difference for check, and autogenerate validates it', async () => {
    const p = await ordersProject('postgresql');
    try {
      // A check and a foreign key added NOT VALID and never validated (a failed validation leaves the same).
      await p.query(`ALTER TABLE orders DROP CONSTRAINT ck_orders_qty`);
      await p.query(`ALTER TABLE orders ADD CONSTRAINT ck_orders_qty CHECK (qty > 0) NOT VALID`);
      await p.query(`ALTER TABLE items DROP CONSTRAINT items_order_id_fkey`);
      await p.query(`ALTER TABLE items ADD CONSTRAINT items_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID`);

      const check = await p.retort('check');
      assert.equal(check.code, 1, check.stdout);
      assert.match(check.stdout, /validate constraint ck_orders_qty on orders/);
      assert.match(check.stdout, /validate constraint items_order_id_fkey on items/);
      assert.match(check.stdout, /hint: constraint "ck_orders_qty" on "orders" is NOT VALID: .*`ALTER TABLE "orders" VALIDATE CONSTRAINT "ck_orders_qty"`/);
      const json = JSON.parse((await p.retort('check', '--json')).stdout) as { matches: boolean; unfinished: { kind: string; name: string }[] };
      assert.equal(json.matches, false);
      assert.deepEqual(json.unfinished.map((u) => [u.kind, u.name]).sort(), [['constraint NOT VALID', 'ck_orders_qty'], ['constraint NOT VALID', 'items_order_id_fkey']]);

      const auto = await p.retort('revision', '--autogenerate', '-m', 'validate');
      assert.equal(auto.code, 0, auto.stderr);
      const text = revisionText(p, 'validate')!;
      assert.match(text, /op\.validateConstraint\('ck_orders_qty', 'orders'\)/);
      assert.match(text, /op\.validateConstraint\('items_order_id_fkey', 'items'\)/);
      // Nothing dropped and added again: the constraints stay as they are, validated.
      assert.doesNotMatch(text, /dropConstraint|addConstraint/);
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
      assert.equal((await p.query(`SELECT 1 FROM pg_constraint WHERE NOT convalidated`)).length, 0);
      const settled = await p.retort('check');
      assert.equal(settled.code, 0, settled.stdout);
    } finally {
      await p.cleanup();
    }
  });
});

/** Starts retort without waiting, for a signal to reach it mid-run. */
function spawnRetort(p: TestProject, args: string[]) {
  const child = spawn(process.execPath, [retortBin, '--url', p.url, ...args], { cwd: p.dir, env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return { child, done };
}

describe('what a stopped run says it left, on postgresql', () => {
  test('Ctrl-C during CREATE INDEX CONCURRENTLY names the INVALID index it leaves and the statement that drops it', { timeout: 120_000 }, async (t) => {
    const p = await createProject('postgresql', { empty: true });
    const holder = new pg.Client({ connectionString: p.url });
    await holder.connect();
    try {
      await p.query('CREATE TABLE cic (id integer)');
      p.writeRevision('c1c000000001_cic.ts', revisionSource('c1c000000001', null, 'cic', `  op.autocommitBlock((op) => op.createIndex('ix_cic', 'cic', ['id'], { concurrently: true }));`, `  op.dropIndex('ix_cic', 'cic');`));
      // A writer's open transaction: the concurrent build records the index, then waits for it.
      await holder.query('BEGIN');
      await holder.query('INSERT INTO cic VALUES (1)');
      const run = spawnRetort(p, ['upgrade', 'head']);
      t.after(() => run.child.kill('SIGKILL'));
      const waiting = `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'CREATE INDEX CONCURRENTLY%' AND pid <> pg_backend_pid()`;
      while ((await p.query(waiting)).length === 0) await new Promise((r) => setTimeout(r, 20));
      run.child.kill('SIGINT');
      const r = await run.done;
      await holder.query('ROLLBACK');
      assert.equal(r.code, 130, r.stderr);
      assert.match(r.stderr, /interrupted during upgrade <base> -> c1c000000001, cic; .*the stopped build left index "ix_cic" on "cic" INVALID, which the next run refuses: drop it first/);
      assert.match(r.stderr, /run: DROP INDEX CONCURRENTLY "public"\."ix_cic"/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.equal((await p.query(`SELECT 1 FROM pg_index WHERE NOT indisvalid AND indexrelid = 'ix_cic'::regclass`)).length, 1);
      // As it says: drop it, run again.
      await p.query(`DROP INDEX CONCURRENTLY "public"."ix_cic"`);
      const again = await p.retort('upgrade', 'head');
      assert.equal(again.code, 0, again.stderr);
    } finally {
      await holder.end();
      await p.cleanup();
    }
  });

  test('a lock timeout after an autocommit block says what stays committed, not "rolled back"', { timeout: 120_000 }, async () => {
    const p = await createProject('postgresql');
    const holder = new pg.Client({ connectionString: p.url });
    try {
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], revisionLockTimeout: '150ms', lockRetries: 1 });\n`);
      p.writeRevision('f10000000001_after_block.ts', revisionSource('f10000000001', 'e7b3a0d5c904', 'after block', `  op.createTable('before_block', { id: integer().primaryKey() });
  op.autocommitBlock((op) => op.execute('CREATE INDEX IF NOT EXISTS ix_before_block ON before_block (id)'));
  op.addColumn('users', 'note', text());`, `  op.dropColumn('users', 'note');\n  op.dropTable('before_block');`));
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      const up = await p.retort('upgrade', 'head');
      await holder.query('ROLLBACK');
      assert.equal(up.code, 1, up.stderr);
      assert.match(up.stderr, /could not take its locks within revisionLockTimeout \(150ms\) in 2 attempts: another session holds a lock on a table it changes; the work up to and in its autocommit block stays committed, the rest is rolled back, and the database stays marked at e7b3a0d5c904/);
      assert.doesNotMatch(up.stderr, /rolled back, the database stays at/);
      assert.ok((await p.tables()).includes('before_block'));
      const again = await p.retort('upgrade', 'head');
      assert.equal(again.code, 0, again.stderr);
    } finally {
      await holder.end().catch(() => undefined);
      await p.cleanup();
    }
  });
});

describe('unfinished states on sqlite', () => {
  test('the same models check clean, with no unfinished state', async () => {
    const p = await ordersProject('sqlite');
    try {
      const json = await p.retort('check', '--json');
      assert.equal(json.code, 0, json.stdout);
      const report = JSON.parse(json.stdout) as { matches: boolean; unfinished: unknown[] };
      assert.equal(report.matches, true);
      assert.deepEqual(report.unfinished, []);
    } finally {
      await p.cleanup();
    }
  });
});
