/**
 * Autocommit blocks and objects moved out of the way, on PostgreSQL with safety 'online': a view and a policy dropped
 * for a type change are created again in the same transaction, before the concurrent index build, so a build that
 * fails leaves them in place and the revision runs again once the data is fixed (probe findings: the block used to
 * sit between the drops and the creations). A partition whose bound changes stays attached while the check for its
 * new bound is validated: a row outside the new bound fails the validation, not after a committed DETACH.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, type TestProject, writeModels as writeModelsIn, retortOk as ok } from './helpers/project.js';

const writeModels = (p: TestProject, source: string): void => writeModelsIn(p, source, 'm.ts');
const revisionText = (p: TestProject, id: string): string =>
  readFileSync(path.join(p.dir, 'migrations', readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith(id))!), 'utf8');

/** The `upgrade` or `downgrade` function of revision `id`, as written. */
const functionBody = (p: TestProject, id: string, which: 'upgrade' | 'downgrade'): string =>
  new RegExp(`export function ${which}[\\s\\S]*?\\n}\\n`).exec(revisionText(p, id))![0];

/** Where `text` holds each piece asked for (a missing one fails, naming the text). */
const positionIn = (text: string) => (piece: string): number => {
  const i = text.indexOf(piece);
  assert.ok(i >= 0, `${piece} in\n${text}`);
  return i;
};

/** Writes `source` as the models and autogenerates revision `id` from them. */
async function autogenerate(p: TestProject, source: string, message: string, id: string): Promise<void> {
  writeModels(p, source);
  await ok(p, 'revision', '--autogenerate', '-m', message, '--rev-id', id);
}

/** Upgrades to head and checks clean, then down one and up again, clean again. */
async function upDownUp(p: TestProject): Promise<void> {
  await ok(p, 'upgrade', 'head');
  await checkClean(p);
  await ok(p, 'downgrade', '-1');
  await ok(p, 'upgrade', 'head');
  await checkClean(p);
}

test('a type change under a view and a policy, with a unique index on postgresql: the block comes after they are back, and a failed build leaves them', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    const models = (title: string, extra: string) => `import { integer, policy, serial, table, varchar, view, uniqueIndex } from 'retort-migrate';
export const docs = table('docs', { id: serial().primaryKey(), tenant: integer().notNull(), title: varchar(${title}) }, (t) => [${extra}]).enableRls().forceRls();
export const docsV = view('docs_v', 'SELECT id, title FROM docs');
export const tenantRows = policy('tenant_rows', { on: docs, using: 'tenant > 0' });
`;
    await autogenerate(p, models('50', ''), 'init', 'ad0000000001');
    await ok(p, 'upgrade', 'head');
    await p.query(`INSERT INTO docs (tenant, title) VALUES (1, 'a'), (1, 'a'), (2, 'b')`);
    await autogenerate(p, models('100', `uniqueIndex('docs_title_key').on(t.title)`), 'widen', 'ad0000000002');
    const up = functionBody(p, 'ad0000000002', 'upgrade');
    const at = positionIn(up);
    assert.ok(at('op.dropPolicy(') < at('op.alterColumn(') && at('op.alterColumn(') < at('op.createView(') && at('op.createView(') < at('op.autocommitBlock('), up);
    assert.ok(at('op.createPolicy(') < at('op.autocommitBlock('), up);

    const failed = await p.retort('upgrade', 'head');
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /could not create unique index "docs_title_key"/);
    const objects = await p.query<{ n: string }>(`SELECT (SELECT count(*) FROM pg_views WHERE viewname = 'docs_v') + (SELECT count(*) FROM pg_policies WHERE policyname = 'tenant_rows') AS n`);
    assert.equal(Number(objects[0]!.n), 2, 'the view and the policy are there');
    const width = await p.query<{ n: number }>(`SELECT character_maximum_length AS n FROM information_schema.columns WHERE table_name = 'docs' AND column_name = 'title'`);
    assert.equal(width[0]!.n, 100, 'the work before the block committed');

    await p.query(`DELETE FROM docs WHERE id = 2 OR (id = 1); DROP INDEX IF EXISTS docs_title_key`);
    const again = await ok(p, 'upgrade', 'head');
    assert.match(again, /resumes where an earlier run stopped/);
    await checkClean(p);
    await ok(p, 'downgrade', '-1');
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
  } finally {
    await p.cleanup();
  }
});

test('a partition bound changed on postgresql: checked while still attached, then detached and attached again in one transaction', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    const models = (to: string) => `import { integer, date, partitionBy, partitionOf, table } from 'retort-migrate';
export const ev = table('ev', { id: integer().notNull(), at: date().notNull() }, (t) => [partitionBy('range', t.at)]);
export const evJan = partitionOf('ev_jan', ev, { from: '2024-01-01', to: '${to}' });
`;
    await autogenerate(p, models('2024-02-01'), 'init', 'ae0000000001');
    await ok(p, 'upgrade', 'head');
    await p.query(`INSERT INTO ev VALUES (1, '2024-01-05'), (2, '2024-01-25')`);
    await autogenerate(p, models('2024-01-20'), 'narrow', 'ae0000000002');
    const up = functionBody(p, 'ae0000000002', 'upgrade');
    assert.ok(up.indexOf('op.validateConstraint(') < up.indexOf('op.detachPartition('), up);
    assert.ok(up.indexOf('op.detachPartition(') < up.indexOf('op.attachPartition('), up);

    // A row outside the new bound: the validation fails, and the partition is still attached with its rows.
    const failed = await p.retort('upgrade', 'head');
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /ev_jan_partition_bound/);
    const attached = await p.query<{ n: string }>(`SELECT count(*) AS n FROM ev`);
    assert.equal(Number(attached[0]!.n), 2, 'both rows still seen through the parent');
    // The row moved out: run again, the committed NOT VALID check is not added again, and it validates now.
    await p.query(`DELETE FROM ev WHERE id = 2`);
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
    const leftover = await p.query(`SELECT conname FROM pg_constraint WHERE conname = 'ev_jan_partition_bound'`);
    assert.equal(leftover.length, 0);
    await ok(p, 'downgrade', '-1');
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
  } finally {
    await p.cleanup();
  }
});

test('a foreign key to a unique constraint built in the same revision, inside the span of moved objects: both go after it (postgresql)', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    const models = (width: string, extra: string, ref: string) => `import { integer, bigint, policy, serial, table, varchar, view, unique } from 'retort-migrate';
export const customers = table('customers', { id: serial().primaryKey(), code: varchar(${width}) }${extra});
export const orders = table('orders', { id: serial().primaryKey(), customer_code: varchar(${width})${ref}, amount: ${width === '20' ? 'integer' : 'bigint'}() }).enableRls().forceRls();
export const orderView = view('order_view', 'SELECT id, customer_code, amount FROM orders');
export const ordersAll = policy('orders_all', { on: orders, using: 'true' });
`;
    await autogenerate(p, models('20', '', ''), 'init', 'a90000000001');
    await ok(p, 'upgrade', 'head');
    await p.query(`INSERT INTO customers (code) VALUES ('c1'), ('c2'); INSERT INTO orders (customer_code, amount) VALUES ('c1', 5)`);
    await autogenerate(p, models('40', `, (t) => [unique('customers_code_key').on(t.code)]`, `.references(() => customers.columns.code)`), 'keys', 'a90000000002');
    const up = functionBody(p, 'a90000000002', 'upgrade');
    const at = positionIn(up);
    // The span (policy and view dropped, types changed, view and policy back) has no block in it.
    const block = at('op.autocommitBlock(');
    assert.ok(at('op.createPolicy(') < block && at('op.createView(') < block, up);
    assert.ok(at("op.createIndex('customers_code_key'") < at('op.createForeignKey('), up);
    await upDownUp(p);
  } finally {
    await p.cleanup();
  }
});

test('two adjacent partition bounds moved together on postgresql: both detached before either is attached again', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    const models = (split: number) => `import { integer, partitionBy, partitionOf, table } from 'retort-migrate';
export const events = table('events', { id: integer().notNull(), k: integer().notNull() }, (t) => [partitionBy('range', t.k)]);
export const events1 = partitionOf('events_1', events, { from: 0, to: ${split} });
export const events2 = partitionOf('events_2', events, { from: ${split}, to: 200 });
`;
    await autogenerate(p, models(100), 'init', 'a80000000001');
    await ok(p, 'upgrade', 'head');
    await p.query(`INSERT INTO events VALUES (1, 5), (2, 160)`);
    await autogenerate(p, models(150), 'move', 'a80000000002');
    const up = functionBody(p, 'a80000000002', 'upgrade');
    assert.ok(up.lastIndexOf('op.detachPartition(') < up.indexOf('op.attachPartition('), up);
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
    const rows = await p.query<{ n: string }>(`SELECT count(*) AS n FROM events`);
    assert.equal(Number(rows[0]!.n), 2);
    await ok(p, 'downgrade', '-1');
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
  } finally {
    await p.cleanup();
  }
});

test('a unique index replaced by a unique constraint under another name on postgresql: the old one is dropped only once the new one is built', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    const models = (extra: string) => `import { serial, table, text, unique, uniqueIndex } from 'retort-migrate';
export const users = table('users', { id: serial().primaryKey(), email: text() }, (t) => [${extra}]);
`;
    await autogenerate(p, models(`uniqueIndex('ux_users_email_old').on(t.email)`), 'init', 'a70000000001');
    await ok(p, 'upgrade', 'head');
    await p.query(`INSERT INTO users (email) VALUES ('a@x.io')`);
    await autogenerate(p, models(`unique('users_email_key').on(t.email)`), 'swap', 'a70000000002');
    const up = functionBody(p, 'a70000000002', 'upgrade');
    assert.ok(up.indexOf("op.createUniqueConstraint('users_email_key'") < up.indexOf("op.dropIndex('ux_users_email_old'"), up);
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
    await ok(p, 'downgrade', '-1');
    const down = functionBody(p, 'a70000000002', 'downgrade');
    assert.ok(down.indexOf("op.createIndex('ux_users_email_old'") < down.indexOf("'users_email_key'"), down);
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
  } finally {
    await p.cleanup();
  }
});

test('a unique replaced on a renamed column while a view on another table is moved: the revision runs both ways (postgresql)', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    const models = (after: boolean) => `import { serial, table, text, varchar, view, sql, unique, uniqueIndex } from 'retort-migrate';
export const b = table('b', { id: serial().primaryKey(), ${after ? "name: text().notNull().renamedFrom('nm')" : 'nm: text().notNull()'} }, (t) => [${after ? "unique('b_name_key').on(t.name)" : "uniqueIndex('b_nm_ux').on(t.nm)"}]);
export const c = table('c', { id: serial().primaryKey(), x: varchar(${after ? 50 : 5}) });
export const cV = view('c_v', sql\`SELECT id, x FROM c\`);
`;
    await autogenerate(p, models(false), 'init', 'a60000000001');
    await ok(p, 'upgrade', 'head');
    await p.query(`INSERT INTO b (nm) VALUES ('one'), ('two'); INSERT INTO c (x) VALUES ('x')`);
    await autogenerate(p, models(true), 'rename', 'a60000000002');
    await upDownUp(p);
    // The downgrade keeps a unique on b throughout: the old index is built before the constraint goes.
    const down = functionBody(p, 'a60000000002', 'downgrade');
    const at = positionIn(down);
    assert.ok(at("op.createIndex('b_nm_ux'") < at("op.dropConstraint('b_name_key'"), down);
  } finally {
    await p.cleanup();
  }
});
