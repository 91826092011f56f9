/**
 * Online migrations on PostgreSQL: each revision's lock_timeout and the retries after it expires, the lock-safe
 * forms autogenerate writes for tables that exist (safety 'online', the default) and the plain ones otherwise,
 * and an INVALID index a failed concurrent build left. SQLite has one writer and none of this applies to it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createProject, revisionSource, type TestProject } from './helpers/project.js';

function writeConfig(p: TestProject, extra: string): void {
  writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], ${extra} });\n`);
}

/** Polls `cond` every 20 ms until it holds (no wall-clock assertion: the test's own timeout bounds it). */
async function until(cond: () => Promise<boolean>): Promise<void> {
  while (!(await cond())) await new Promise((r) => setTimeout(r, 20));
}

describe('revision lock timeout and retries on postgresql', () => {
  let p: TestProject;
  let holder: pg.Client;
  before(async () => {
    p = await createProject('postgresql');
    assert.equal((await p.retort('upgrade', 'head')).code, 0);
    writeConfig(p, `revisionLockTimeout: '150ms', lockRetries: 2`);
    p.writeRevision('f00000000001_add_note.ts', revisionSource('f00000000001', 'e7b3a0d5c904', 'add note', `  op.addColumn('users', 'note', text());`, `  op.dropColumn('users', 'note');`));
  });
  after(async () => {
    await holder?.end().catch(() => undefined);
    await p.cleanup();
  });

  const waiting = async () => Number((await p.query<{ n: string }>(`SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND locktype = 'relation'`))[0]!.n) > 0;

  async function holdLock(): Promise<void> {
    holder = new pg.Client({ connectionString: p.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
  }

  test('--sql sets lock_timeout in each revision transaction', async () => {
    const sql = await p.retort('upgrade', 'e7b3a0d5c904:head', '--sql');
    assert.equal(sql.code, 0, sql.stderr);
    assert.match(sql.stdout, /BEGIN;\s+SET LOCAL lock_timeout = '150ms';\s+(DO [^\n]*\s+)?ALTER TABLE "users" ADD COLUMN "note"/);
  });

  test('a held lock makes the revision time out, run again, then fail naming the setting', async () => {
    await holdLock();
    // Each attempt queues for the lock once: naming the failed statement by running the batch again queued a second
    // time (writers behind the queued ALTER stalled two lock_timeouts per attempt). Waits are told apart by their
    // session and start.
    const waits = new Set<string>();
    let running = true;
    const watching = (async () => {
      while (running) {
        const rows = await p.query<{ k: string }>(`SELECT pid || '@' || query_start AS k FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%ADD COLUMN "note"%'`);
        for (const r of rows) waits.add(r.k);
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    const up = await p.retort('upgrade', 'head');
    running = false;
    await watching;
    assert.ok(waits.size >= 1 && waits.size <= 3, `3 attempts, each waiting once: saw ${waits.size} waits`);
    assert.equal(up.code, 1, up.stderr);
    assert.match(up.stderr, /attempt 2 of 3/);
    assert.match(up.stderr, /attempt 3 of 3/);
    assert.match(up.stderr, /f00000000001.*could not take its locks within revisionLockTimeout \(150ms\) in 3 attempts/);
    assert.match(up.stderr, /raise revisionLockTimeout or lockRetries/);
    assert.doesNotMatch(up.stderr, /\n\s+at /, 'no stack trace');
    const cols = await p.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'note'`);
    assert.equal(cols.length, 0);
    await holder.query('ROLLBACK');
    await holder.end();
  });

  test('the revision succeeds when the lock is released during the retries', async () => {
    writeConfig(p, `revisionLockTimeout: '150ms', lockRetries: 20`);
    await holdLock();
    const running = p.retort('upgrade', 'head');
    // Once Retort has queued for the lock and given up at least once, the holder lets go.
    await until(waiting);
    await until(async () => !(await waiting()));
    await holder.query('ROLLBACK');
    await holder.end();
    const up = await running;
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, /gave up waiting for a lock .* attempt 2 of 21/);
    const heads = await p.query<{ version_num: string }>('SELECT version_num FROM retort_version');
    assert.deepEqual(heads.map((r) => r.version_num), ['f00000000001']);
  });
});

const MODELS_V1 = `import { integer, serial, table, text, varchar } from 'retort-migrate';
export const customers = table('customers', { id: serial().primaryKey(), name: text() });
export const orders = table('orders', { id: serial().primaryKey(), customer_id: integer(), code: varchar(20), note: varchar(50), qty: integer(), total: integer() });
`;

const MODELS_V2 = `import { bigint, integer, serial, table, text, varchar, index, check, sql } from 'retort-migrate';
export const customers = table('customers', { id: serial().primaryKey(), name: text() });
export const orders = table('orders', {
  id: serial().primaryKey(),
  customer_id: integer().references(() => customers.columns.id),
  code: varchar(20).unique(),
  note: varchar(80),
  qty: integer().notNull(),
  total: bigint(),
}, (t) => [index('ix_orders_customer').on(t.customer_id), check('ck_orders_qty', sql\`qty > 0\`)]);
export const items = table('items', { id: serial().primaryKey(), order_id: integer().references(() => orders.columns.id) }, (t) => [index('ix_items_order').on(t.order_id)]);
`;

/** A project whose orders table exists with rows, and models that change it in every way that has a lock-safe form. */
async function ordersProject(config = ''): Promise<TestProject> {
  const p = await createProject('postgresql', { empty: true });
  mkdirSync(path.join(p.dir, 'models'));
  writeConfig(p, config);
  writeFileSync(path.join(p.dir, 'models', 'm.ts'), MODELS_V1);
  assert.equal((await p.retort('revision', '--autogenerate', '-m', 'init')).code, 0);
  assert.equal((await p.retort('upgrade', 'head')).code, 0);
  await p.query(`INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 10) g;
    INSERT INTO orders (customer_id, code, note, qty, total) SELECT 1 + g % 10, 'x' || g, 'n', g, g FROM generate_series(1, 500) g`);
  writeFileSync(path.join(p.dir, 'models', 'm.ts'), MODELS_V2);
  return p;
}

function revisionText(p: TestProject, message: string): string {
  const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.endsWith(`_${message}.ts`))!;
  return readFileSync(path.join(p.dir, 'migrations', file), 'utf8');
}

/** The body of the revision's upgrade() or downgrade(). */
function body(text: string, fn: 'upgrade' | 'downgrade'): string {
  const start = text.indexOf(`export function ${fn}(`);
  return text.slice(start, text.indexOf('\n}\n', start));
}

describe('autogenerate on postgresql writes lock-safe forms for tables that exist', () => {
  let p: TestProject;
  before(async () => {
    p = await ordersProject();
  });
  after(async () => {
    await p.cleanup();
  });

  test('each safe form, with its reason, and a flagged rewrite', async () => {
    const r = await p.retort('revision', '--autogenerate', '-m', 'online');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /orders\.total: .*rewrites the table/);
    const up = body(revisionText(p, 'online'), 'upgrade');
    // Index: concurrently, in an autocommit block, with its reason above.
    assert.match(up, /\/\/ built CONCURRENTLY .*\n  op\.autocommitBlock\(\(op\) => \{\n    op\.createIndex\('ix_orders_customer', 'orders', \['customer_id'\], \{ concurrently: true \}\);\n  \}\);/);
    // Foreign key and check: NOT VALID, then validated in a block after the commit.
    assert.match(up, /\/\/ foreign key added NOT VALID.*\n  op\.createForeignKey\('orders_customer_id_fkey', 'orders', 'customers', \['customer_id'\], \['id'\], \{ notValid: true \}\);\n  op\.autocommitBlock\(\(op\) => \{\n    op\.validateConstraint\('orders_customer_id_fkey', 'orders'\);/);
    assert.match(up, /\/\/ check added NOT VALID.*\n  op\.createCheckConstraint\('ck_orders_qty', 'orders', sql`qty > 0`, \{ notValid: true \}\);\n  op\.autocommitBlock\(\(op\) => \{\n    op\.validateConstraint\('ck_orders_qty', 'orders'\);/);
    // SET NOT NULL through a validated check, dropped after.
    assert.match(up, /op\.createCheckConstraint\('orders_qty_not_null', 'orders', sql`"qty" IS NOT NULL`, \{ notValid: true \}\);\n  op\.autocommitBlock\(\(op\) => \{\n    op\.validateConstraint\('orders_qty_not_null', 'orders'\);\n  \}\);\n  op\.alterColumn\('orders', 'qty', \{ nullable: false, existing: \{ nullable: true \} \}\);\n  op\.dropConstraint\('orders_qty_not_null', 'orders', 'check'\);/);
    // Unique: a concurrent unique index taken over by the constraint.
    assert.match(up, /op\.createIndex\('orders_code_key', 'orders', \['code'\], \{ unique: true, concurrently: true \}\);\n  \}\);\n  op\.createUniqueConstraint\('orders_code_key', 'orders', \['code'\], \{ usingIndex: 'orders_code_key' \}\);/);
    // A rewrite is flagged; widening a varchar is not.
    assert.match(up, /\/\/ REWRITES "orders": this type change of "total"/);
    assert.doesNotMatch(up, /REWRITES "orders": this type change of "note"/);
    // The new table and its index and foreign key are plain.
    assert.match(up, /op\.createTable\('items'/);
    assert.doesNotMatch(up, /ix_items_order[^\n]*concurrently/);
    // The downgrade drops the index concurrently too.
    assert.match(body(revisionText(p, 'online'), 'downgrade'), /op\.dropIndex\('ix_orders_customer', 'orders', \{ concurrently: true \}\);/);
  });

  test('upgrade, check, downgrade and upgrade again round-trip', async () => {
    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    assert.equal((await p.retort('check')).code, 0);
    const valid = await p.query<{ conname: string; convalidated: boolean }>(`SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'orders'::regclass ORDER BY 1`);
    assert.ok(valid.every((c) => c.convalidated), JSON.stringify(valid));
    assert.ok(!valid.some((c) => c.conname === 'orders_qty_not_null'), 'the helper check is dropped');
    const down = await p.retort('downgrade', '-1');
    assert.equal(down.code, 0, down.stderr);
    const after = await p.retort('check');
    assert.equal(after.code, 1);
    assert.match(after.stdout, /\+ index ix_orders_customer/);
    assert.equal((await p.retort('upgrade', 'head')).code, 0);
    assert.equal((await p.retort('check')).code, 0);
  });

  test('--sql prints the autocommit blocks outside the transactions', async () => {
    const sql = await p.retort('upgrade', `${headOf(p, 'init')}:head`, '--sql');
    assert.equal(sql.code, 0, sql.stderr);
    // The build, then the check that the index of that name is this one (IF NOT EXISTS would keep another).
    assert.match(sql.stdout, /COMMIT;\s+CREATE INDEX CONCURRENTLY IF NOT EXISTS "ix_orders_customer" ON "orders" \("customer_id"\);\s+DO \$\$ BEGIN IF NOT EXISTS \(SELECT 1 FROM pg_index i WHERE i\.indexrelid = to_regclass\('"ix_orders_customer"'\)[^\n]*= ARRAY\['customer_id'\]::text\[\]\) THEN RAISE EXCEPTION[^\n]*END \$\$;\s+BEGIN;/);
    assert.match(sql.stdout, /ADD CONSTRAINT "ck_orders_qty" CHECK \(qty > 0\) NOT VALID;\s+COMMIT;\s+ALTER TABLE "orders" VALIDATE CONSTRAINT "ck_orders_qty";/);
    assert.match(sql.stdout, /ADD CONSTRAINT "orders_code_key" UNIQUE USING INDEX "orders_code_key"/);
  });
});

function headOf(p: TestProject, message: string): string {
  return /export const revision = '([0-9a-f]+)'/.exec(revisionText(p, message))![1]!;
}

describe('plain forms on postgresql', () => {
  test("safety 'simple' writes the plain forms", async () => {
    const p = await ordersProject(`safety: 'simple'`);
    try {
      const r = await p.retort('revision', '--autogenerate', '-m', 'simple');
      assert.equal(r.code, 0, r.stderr);
      const text = revisionText(p, 'simple');
      assert.doesNotMatch(text, /concurrently|notValid|validateConstraint|usingIndex|autocommitBlock|REWRITES/);
      assert.match(text, /op\.createIndex\('ix_orders_customer', 'orders', \['customer_id'\]\);/);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      assert.equal((await p.retort('check')).code, 0);
    } finally {
      await p.cleanup();
    }
  });

  test('a table created in the same revision gets the plain forms', async () => {
    const p = await createProject('postgresql', { empty: true });
    try {
      mkdirSync(path.join(p.dir, 'models'));
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), MODELS_V2);
      assert.equal((await p.retort('revision', '--autogenerate', '-m', 'fresh')).code, 0);
      const text = revisionText(p, 'fresh');
      assert.doesNotMatch(text, /concurrently|notValid|validateConstraint|usingIndex|autocommitBlock/);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      assert.equal((await p.retort('check')).code, 0);
    } finally {
      await p.cleanup();
    }
  });

  test('a bad safety or duration in the config is a one-line error', async () => {
    const p = await createProject('postgresql', { empty: true });
    try {
      writeConfig(p, `safety: 'careful'`);
      const r = await p.retort('history');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /"safety" must be 'online' or 'simple'/);
      writeConfig(p, `revisionLockTimeout: 'soon'`);
      const t = await p.retort('upgrade', 'head');
      assert.notEqual(t.code, 0);
      assert.match(t.stderr, /"revisionLockTimeout" must be a number of seconds or a duration such as '500ms'/);
    } finally {
      await p.cleanup();
    }
  });
});

describe('an INVALID index left by a failed concurrent build on postgresql', () => {
  test('is detected on the next run, named, with the statement that clears it', async () => {
    const p = await ordersProject();
    try {
      // Duplicate codes: the concurrent unique build fails and leaves orders_code_key INVALID.
      await p.query(`UPDATE orders SET code = 'dup' WHERE id <= 2`);
      assert.equal((await p.retort('revision', '--autogenerate', '-m', 'online')).code, 0);
      const first = await p.retort('upgrade', 'head');
      assert.equal(first.code, 1);
      assert.match(first.stderr, /could not create unique index "orders_code_key"|duplicate key/);
      const invalid = await p.query(`SELECT 1 FROM pg_index WHERE NOT indisvalid AND indexrelid = 'orders_code_key'::regclass`);
      assert.equal(invalid.length, 1);
      const second = await p.retort('upgrade', 'head');
      assert.equal(second.code, 1);
      assert.match(second.stderr, /index "orders_code_key" on "orders" is INVALID: a concurrent build failed or was interrupted/);
      assert.match(second.stderr, /DROP INDEX CONCURRENTLY "public"\."orders_code_key"/);
      assert.doesNotMatch(second.stderr, /\n\s+at /);
      // Recovery as the message says: drop it, fix the data, run again.
      await p.query(`DROP INDEX CONCURRENTLY "public"."orders_code_key"`);
      await p.query(`UPDATE orders SET code = 'x' || id`);
      const third = await p.retort('upgrade', 'head');
      assert.equal(third.code, 0, third.stderr);
      assert.equal((await p.retort('check')).code, 0);
    } finally {
      await p.cleanup();
    }
  });
});

describe('sqlite is unaffected', () => {
  test("safety 'online' (the default) writes the plain forms, and no lock_timeout is set", async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      mkdirSync(path.join(p.dir, 'models'));
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), MODELS_V1);
      assert.equal((await p.retort('revision', '--autogenerate', '-m', 'init')).code, 0);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), MODELS_V2);
      const r = await p.retort('revision', '--autogenerate', '-m', 'change');
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(revisionText(p, 'change'), /concurrently|notValid|validateConstraint|usingIndex|autocommitBlock|REWRITES/);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      assert.equal((await p.retort('check')).code, 0);
      const sql = await p.retort('upgrade', 'head', '--sql');
      assert.doesNotMatch(sql.stdout, /lock_timeout/);
    } finally {
      await p.cleanup();
    }
  });
});
