/**
 * Named schemas (PostgreSQL): `const billing = schema('billing'); billing.table(...)` with the config's `schemas`.
 * Declared -> autogenerate -> upgrade -> check clean -> a change in billing -> downgrade base leaves no schema of ours;
 * the same table name in two schemas; cross-schema foreign keys and enum columns; an unmanaged schema never touched;
 * SQLite refuses a named schema at load.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, retortOk, writeModels } from './helpers/project.js';

const CONFIG = (schemas: string) => `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], schemas: ${schemas} });\n`;

const V1 = `import { enumType, integer, schema, serial, table, text, varchar, index, numeric, sequence, sql, policy } from 'retort-migrate';
export const billing = schema('billing');
export const mood = enumType('mood', ['ok', 'sad']);
export const status = billing.enumType('status', ['open', 'paid']);
export const invoiceNumbers = billing.sequence('invoice_numbers', { start: 1000 });
export const zip = billing.domain('zip', text(), { checks: { zip_check: sql\`VALUE <> ''\` } });
export const customers = table('customers', { id: serial().primaryKey(), name: varchar(80).notNull(), mood: mood() });
// The same name in both schemas: two tables.
export const publicInvoices = table('invoices', { id: serial().primaryKey(), note: text() });
export const invoices = billing.table('invoices', {
  id: serial().primaryKey(),
  customer_id: integer().notNull().references(() => customers.columns.id, { onDelete: 'cascade' }),
  status: status().notNull().serverDefault('open'),
  mood: mood(),
  total: numeric(10, 2).notNull().serverDefault(0),
  number: varchar(20).unique(),
  postal: zip(),
}, (t) => [index().on(t.customer_id)]).enableRls();
// Row-level security on a table of a named schema: read with its table.
export const paidOnly = policy('paid_only', { on: invoices, for: 'select', using: sql\`status = 'paid'\` });
export const openInvoices = billing.view('open_invoices', sql\`SELECT id, customer_id FROM \${invoices} WHERE status = 'open'\`);
export const lines = billing.table('lines', {
  id: serial().primaryKey(),
  invoice_id: integer().notNull().references(() => invoices.columns.id),
  amount: numeric(10, 2),
});
`;

// A change in billing: a column added, an index dropped, a value added to billing's enum, a table and a sequence
// renamed in place (their hints name the old names in the same schema).
const V2 = V1
  .replace("['open', 'paid']", "['open', 'paid', 'void']")
  .replace("}, (t) => [index().on(t.customer_id)]).enableRls();", "  paid_at: text(),\n}).enableRls();")
  .replace("billing.table('lines', {", "billing.table('invoice_lines', {")
  .replace("  amount: numeric(10, 2),\n});", "  amount: numeric(10, 2),\n}).renamedFrom('lines');")
  .replace("billing.sequence('invoice_numbers', { start: 1000 })", "billing.sequence('numbers', { start: 1000, renamedFrom: 'invoice_numbers' })");

test('named schemas on postgresql: declare, autogenerate, upgrade, check, change, downgrade base', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    // An unmanaged schema with a table of the same name, and a managed one Retort did not create: never touched.
    await p.query(`CREATE SCHEMA outside; CREATE TABLE outside.invoices (id int); CREATE TABLE outside.lines (x int)`);
    writeFileSync(path.join(p.dir, 'retort.config.ts'), CONFIG(`['public', 'billing']`));
    writeModels(p, V1);
    const gen = await retortOk(p, 'revision', '--autogenerate', '-m', 'billing', '--rev-id', '5c4e00000001');
    assert.match(gen, /\+ schema billing/);
    assert.match(gen, /\+ table billing\.invoices/);
    assert.match(gen, /\+ table invoices\b/);
    const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith('5c4e00000001'))!;
    const source = readFileSync(path.join(p.dir, 'migrations', file), 'utf8');
    assert.match(source, /op\.createSchema\('billing'\)/);
    assert.match(source, /op\.dropSchema\('billing'\)/);
    // The schema comes before anything in it, and goes after everything in it.
    assert.ok(source.indexOf("op.createSchema('billing')") < source.indexOf("'billing.invoices'"), source);
    await retortOk(p, 'upgrade', 'head');
    const tables = await p.query<{ t: string }>(`SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname IN ('public', 'billing', 'outside') ORDER BY 1`);
    assert.deepEqual(tables.map((r) => r.t), ['billing.invoices', 'billing.lines', 'outside.invoices', 'outside.lines', 'public.customers', 'public.invoices', 'public.retort_history', 'public.retort_version']);
    const fks = await p.query<{ f: string }>(`SELECT conrelid::regclass::text || ' -> ' || confrelid::regclass::text AS f FROM pg_constraint WHERE contype = 'f' ORDER BY 1`);
    assert.deepEqual(fks.map((r) => r.f), ['billing.invoices -> customers', 'billing.lines -> billing.invoices']);
    const types = await p.query<{ t: string }>(`SELECT n.nspname || '.' || t.typname AS t FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'e' ORDER BY 1`);
    assert.deepEqual(types.map((r) => r.t), ['billing.status', 'public.mood']);
    const seqs = await p.query<{ s: string; start: string }>(`SELECT schemaname || '.' || sequencename AS s, start_value::text AS start FROM pg_sequences WHERE sequencename = 'invoice_numbers'`);
    assert.deepEqual(seqs, [{ s: 'billing.invoice_numbers', start: '1000' }]);
    const views = await p.query<{ v: string }>(`SELECT schemaname || '.' || viewname AS v FROM pg_views WHERE schemaname IN ('public', 'billing')`);
    assert.deepEqual(views.map((r) => r.v), ['billing.open_invoices']);
    const domains = await p.query<{ d: string }>(`SELECT domain_schema || '.' || domain_name AS d FROM information_schema.domains WHERE domain_schema IN ('public', 'billing')`);
    assert.deepEqual(domains.map((r) => r.d), ['billing.zip']);
    await checkClean(p);

    // A change in billing only.
    writeModels(p, V2);
    const gen2 = await retortOk(p, 'revision', '--autogenerate', '-m', 'billing change', '--rev-id', '5c4e00000002');
    assert.match(gen2, /\+ column billing\.invoices\.paid_at/);
    assert.match(gen2, /- index ix_invoices_customer_id on billing\.invoices/);
    assert.match(gen2, /~ table billing\.lines renamed to billing\.invoice_lines/);
    assert.match(gen2, /billing\.invoice_numbers renamed to billing\.numbers/);
    assert.doesNotMatch(gen2, /outside|\+ table|- table/);
    await p.query(`INSERT INTO customers (name) VALUES ('a'); INSERT INTO billing.invoices (customer_id) VALUES (1); INSERT INTO billing.lines (invoice_id, amount) VALUES (1, 5)`);
    await retortOk(p, 'upgrade', 'head');
    await checkClean(p);
    assert.deepEqual(await p.query(`SELECT amount::text AS amount FROM billing.invoice_lines`), [{ amount: '5.00' }]);
    const values = await p.query<{ v: string }>(`SELECT unnest(enum_range(NULL::billing.status))::text AS v`);
    assert.deepEqual(values.map((r) => r.v), ['open', 'paid', 'void']);

    await retortOk(p, 'downgrade', '-1');
    writeModels(p, V1);
    // Back at the first revision: the database is the first models exactly (check says so, and that head is ahead).
    assert.match((await p.retort('check')).stdout, /The schema matches the models/);
    await retortOk(p, 'downgrade', 'base');
    const left = await p.query<{ n: string }>(`SELECT nspname AS n FROM pg_namespace WHERE nspname IN ('billing', 'outside', 'public') ORDER BY 1`);
    assert.deepEqual(left.map((r) => r.n), ['outside', 'public']);
    const rest = await p.query<{ t: string }>(`SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname IN ('public', 'outside') ORDER BY 1`);
    assert.deepEqual(rest.map((r) => r.t), ['outside.invoices', 'outside.lines', 'public.retort_history', 'public.retort_version']);
    const enumsLeft = await p.query(`SELECT 1 FROM pg_type WHERE typtype = 'e'`);
    assert.equal(enumsLeft.length, 0);
  } finally {
    await p.cleanup();
  }
});

test('a schema the config does not manage, or the default one, is a one-line model error', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    writeModels(p, `import { schema, serial } from 'retort-migrate';\nexport const audit = schema('audit').table('events', { id: serial().primaryKey() });\n`);
    const r = await p.retort('check');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /table "audit\.events".*is in schema "audit", which the config does not manage/);
    assert.match(r.stderr, /schemas: \['audit'\]|schemas: \[.*'audit'\]/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    writeModels(p, `import { schema, serial } from 'retort-migrate';\nexport const t = schema('public').table('events', { id: serial().primaryKey() });\n`);
    writeFileSync(path.join(p.dir, 'retort.config.ts'), CONFIG(`['public', 'audit']`));
    const d = await p.retort('check');
    assert.equal(d.code, 1);
    assert.match(d.stderr, /the default schema/);
    writeFileSync(path.join(p.dir, 'retort.config.ts'), CONFIG(`'billing'`));
    const bad = await p.retort('check');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /"schemas" must be an array of schema names/);
  } finally {
    await p.cleanup();
  }
});

test('sqlite: a named schema is refused at load with one line', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeModels(p, `import { schema, serial } from 'retort-migrate';\nexport const t = schema('billing').table('invoices', { id: serial().primaryKey() });\n`);
    const r = await p.retort('revision', '--autogenerate', '-m', 'x');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /schema "billing", but SQLite has no schemas/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  } finally {
    await p.cleanup();
  }
});

test('pull with `schemas` writes schema() declarations; the models compare clean and the baseline creates the schema', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    await p.query(`CREATE SCHEMA billing; CREATE SCHEMA outside;
      CREATE TYPE billing.status AS ENUM ('open', 'paid');
      CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL);
      CREATE TABLE billing.invoices (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id), status billing.status NOT NULL DEFAULT 'open', CHECK (customer_id > 0));
      CREATE TABLE invoices (id serial PRIMARY KEY);
      CREATE SEQUENCE billing.numbers START 7;
      CREATE DOMAIN billing.zip AS text CHECK (VALUE <> '');
      ALTER TABLE billing.invoices ADD COLUMN postal billing.zip;
      CREATE VIEW billing.paid AS SELECT id FROM billing.invoices WHERE status = 'paid';
      CREATE TABLE outside.untouched (id int);
      -- What the models cannot declare is listed for every managed schema, by its qualified name; never another schema's.
      CREATE TYPE billing.address AS (street text); CREATE TYPE outside.point2 AS (x int);
      CREATE RULE no_delete AS ON DELETE TO billing.invoices DO INSTEAD NOTHING`);
    writeFileSync(path.join(p.dir, 'retort.config.ts'), CONFIG(`['public', 'billing']`));
    await retortOk(p, 'pull', '--baseline', '-m', 'baseline');
    const models = readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8');
    assert.match(models, /\/\/ {3}composite type: billing\.address\n/);
    assert.match(models, /\/\/ {3}rule on billing\.invoices: no_delete\n/);
    assert.doesNotMatch(models, /point2/);
    assert.match(models, /export const billing = schema\('billing'\);/);
    assert.match(models, /= billing\.table\('invoices', \{/);
    assert.match(models, /= billing\.enumType\('status', \['open', 'paid'\]\)/);
    assert.match(models, /= billing\.sequence\('numbers', \{ start: 7 \}\)/);
    assert.match(models, /= table\('invoices', \{/);
    assert.match(models, /= billing\.domain\('zip', text\(\)/);
    assert.match(models, /= billing\.view\('paid', /);
    assert.doesNotMatch(models, /untouched|outside/);
    await checkClean(p);
    // Not ours: taken away by hand before the baseline is run down, as a user would.
    await p.query(`DROP RULE no_delete ON billing.invoices; DROP TYPE billing.address`);
    // The baseline is the whole of it, the schema first: run down to base on this database, nothing of ours is left.
    await retortOk(p, 'downgrade', 'base');
    const left = await p.query<{ n: string }>(`SELECT nspname AS n FROM pg_namespace WHERE nspname IN ('billing', 'outside') ORDER BY 1`);
    assert.deepEqual(left.map((r) => r.n), ['outside']);
    await retortOk(p, 'upgrade', 'head');
    await checkClean(p);
  } finally {
    await p.cleanup();
  }
});
