/**
 * pagila's range-partitioned payment table (test/fixtures/pagila: 55 monthly partitions, local indexes and
 * foreign keys on six of them, a unique index and a primary key on the parent that PostgreSQL copies onto every
 * partition) round-trips on PostgreSQL: the models below check clean against the database loaded from pagila's
 * own DDL; `retort pull` of that database checks clean; an empty database built from the models by autogenerate
 * and upgrade dumps (pg_dump --schema-only) exactly as the loaded one; downgrade base leaves nothing.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, type TestProject, writeModels, retortOk as ok } from './helpers/project.js';
import { repoRoot } from './helpers/cli.js';
import { pgSchemaDump } from './helpers/pull-roundtrip.js';

const projects: TestProject[] = [];
after(async () => {
  for (const p of projects) await p.cleanup();
});

async function project(): Promise<TestProject> {
  const p = await createProject('postgresql', { empty: true });
  projects.push(p);
  return p;
}

const FIXTURE = readFileSync(path.join(repoRoot, 'test', 'fixtures', 'pagila', 'payment.sql'), 'utf8');

// The payment table as a team would declare it: one partitionOf() per month, written as a loop.
const MODELS = `import { foreignKey, index, integer, numeric, partitionBy, partitionOf, primaryKey, sequence, sql, table, timestamp, uniqueIndex, uuid } from 'retort-migrate';

export const customer = table('customer', { customer_id: integer().primaryKey() });
export const rental = table('rental', { rental_id: integer().primaryKey() });
export const staff = table('staff', { staff_id: integer().primaryKey() });

export const paymentIds = sequence('payment_payment_id_seq');

export const payment = table('payment', {
  payment_id: integer().notNull().serverDefault(paymentIds),
  customer_id: integer().notNull(),
  staff_id: integer().notNull(),
  rental_id: integer().notNull(),
  amount: numeric(5, 2).notNull(),
  payment_date: timestamp({ withTimezone: true }).notNull(),
  uuid: uuid().notNull().serverDefault(sql\`gen_random_uuid()\`),
}, (t) => [
  partitionBy('range', t.payment_date),
  primaryKey('payment_pkey').on(t.payment_date, t.payment_id),
  uniqueIndex('payment_uuid_key').on(t.uuid, t.payment_date),
]);

const month = (i: number) => new Date(Date.UTC(2022, i, 1)).toISOString().slice(0, 10);

// January 2022 to July 2026; the first six carry pagila's indexes and foreign keys of their own.
export const paymentPartitions = Array.from({ length: 55 }, (_, i) => {
  const name = \`payment_p\${month(i).slice(0, 7).replace('-', '_')}\`;
  return partitionOf(name, payment, { from: \`\${month(i)} 00:00:00+00\`, to: \`\${month(i + 1)} 00:00:00+00\` }, (t) => i >= 6 ? [] : [
    index(\`idx_fk_\${name}_customer_id\`).on(t.customer_id),
    index(\`idx_fk_\${name}_staff_id\`).on(t.staff_id),
    index(\`\${name}_customer_id_idx\`).on(t.customer_id),
    foreignKey(\`\${name}_customer_id_fkey\`).on(t.customer_id).references(() => customer.columns.customer_id),
    foreignKey(\`\${name}_rental_id_fkey\`).on(t.rental_id).references(() => rental.columns.rental_id),
    foreignKey(\`\${name}_staff_id_fkey\`).on(t.staff_id).references(() => staff.columns.staff_id),
  ]);
});
`;

test("pagila's payment: the models check clean against pagila's DDL, and build a database that dumps the same", async () => {
  const original = await project();
  await original.query(FIXTURE);
  const expected = pgSchemaDump(original.url);
  assert.match(expected, /PARTITION BY RANGE \(payment_date\)/);
  assert.equal(expected.match(/ALTER TABLE ONLY public.payment ATTACH PARTITION/g)?.length, 55);

  // The declared models against pagila's own DDL: the copies PostgreSQL made on each partition are not differences.
  writeModels(original, MODELS);
  assert.match(await ok(original, 'check'), /No changes detected/);

  const built = await project();
  writeModels(built, MODELS);
  const gen = await ok(built, 'revision', '--autogenerate', '-m', 'payment', '--rev-id', 'ba0000000001');
  assert.match(gen, /\+ table payment_p2026_07/);
  await ok(built, 'upgrade', 'head');
  assert.match(await ok(built, 'check'), /No changes detected/);
  assert.equal(pgSchemaDump(built.url), expected);

  await ok(built, 'downgrade', 'base');
  assert.deepEqual(await built.tables(), []);
  assert.deepEqual(await built.query(`SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname NOT LIKE 'retort%'`), []);
});

test("pagila's payment: retort pull declares the partitioned table and its partitions, and checks clean", async () => {
  const p = await project();
  await p.query(FIXTURE);
  const pulled = await ok(p, 'pull');
  assert.doesNotMatch(pulled, /Not declared/);
  const models = readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8');
  assert.match(models, /partitionBy\('range', t\.payment_date\)/);
  assert.match(models, /partitionOf\('payment_p2022_03', payment, \{ from: '2022-03-01 00:00:00\+00', to: '2022-04-01 00:00:00\+00' \}/);
  assert.match(await ok(p, 'check'), /No changes detected/);
});
