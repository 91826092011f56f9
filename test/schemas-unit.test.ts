/**
 * Named schemas without a database: the qualified identity, the differ's schema phases, the oracle's refusal to drop
 * a schema that still holds something, the compiler's quoting, revision rendering and models' collection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bareName, qualifiedName, schemaOf } from '../src/ir/qualified.js';
import { compilePostgres } from '../src/dialects/postgres/postgres-compiler.js';
import { postgresEnumPlanner } from '../src/dialects/postgres/postgres-enum-planner.js';
import { normalizeSchema } from '../src/dialects/postgres/postgres-normalize.js';
import { postgresDialect } from '../src/dialects/postgres/postgres-dialect.js';
import { compareSchemas } from '../src/diff/compare.js';
import { applyOperations } from '../src/operations/apply.js';
import { inverseAll, type Operation } from '../src/operations/operations.js';
import { renderOperations } from '../src/render/render-operations.js';
import { collectModels } from '../src/models/collect.js';
import * as dsl from '../src/models/builders.js';
import { emptySchema, type SchemaIR } from '../src/ir/ir.js';
import { isRetortError } from '../src/errors.js';
import { portableIdentifierLimit } from '../src/dialects/index.js';

const target = (managed: readonly string[]) => ({
  spelling: postgresDialect.sqlSpelling,
  identifierLimit: portableIdentifierLimit(),
  schemas: { managed, defaultSchema: 'public', dialect: 'PostgreSQL', hasSchemas: true },
});

function models(): Record<string, unknown> {
  const billing = dsl.schema('billing');
  const status = billing.enumType('status', ['open', 'paid']);
  const customers = dsl.table('customers', { id: dsl.serial().primaryKey() });
  const invoices = billing.table('invoices', {
    id: dsl.serial().primaryKey(),
    customer_id: dsl.integer().references(() => customers.columns.id),
    status: status(),
  }, (t) => [dsl.index().on(t.customer_id)]);
  const plain = dsl.table('invoices', { id: dsl.serial().primaryKey() });
  return { billing, status, customers, invoices, plain };
}

test('qualified identity: bare in the default schema, schema.name elsewhere, split at the first dot', () => {
  for (const [schema, name, id] of [[undefined, 'invoices', 'invoices'], ['billing', 'invoices', 'billing.invoices'], ['billing', 'a.b', 'billing.a.b']] as const) {
    assert.equal(qualifiedName(schema, name), id);
    assert.equal(schemaOf(id), schema);
    assert.equal(bareName(id), name);
  }
});

test('collect: the same table name in two schemas is two tables; names of keys and indexes are the table\'s own', () => {
  const s = normalizeSchema(collectModels([{ file: 'm.ts', exports: models() }], target(['billing'])));
  assert.deepEqual(s.schemas, ['billing']);
  assert.deepEqual(s.tables.map((t) => t.name), ['billing.invoices', 'customers', 'invoices']);
  const inv = s.tables.find((t) => t.name === 'billing.invoices')!;
  assert.equal(inv.primaryKey?.name, 'invoices_pkey');
  assert.deepEqual(inv.indexes.map((i) => i.name), ['ix_invoices_customer_id']);
  assert.equal(inv.foreignKeys[0]?.name, 'invoices_customer_id_fkey');
  assert.equal(inv.foreignKeys[0]?.refTable, 'customers');
  assert.deepEqual(inv.columns.find((c) => c.name === 'status')?.type, { kind: 'enum', name: 'billing.status' });
  assert.deepEqual(s.enums.map((e) => e.name), ['billing.status']);
});

test('collect: a schema the config does not manage, the default schema, and a database without schemas are model errors', () => {
  const cases: [ReturnType<typeof target> | { spelling: typeof postgresDialect.sqlSpelling; identifierLimit: null; schemas: { managed: string[]; defaultSchema: null; dialect: string; hasSchemas: boolean } }, RegExp][] = [
    [target([]), /is in schema "billing", which the config does not manage/],
    [{ spelling: postgresDialect.sqlSpelling, identifierLimit: null, schemas: { managed: [], defaultSchema: null, dialect: 'SQLite', hasSchemas: false } }, /SQLite has no schemas/],
  ];
  for (const [t, message] of cases) {
    assert.throws(() => collectModels([{ file: 'm.ts', exports: models() }], t), (e: unknown) => isRetortError(e) && e.code === 'MODEL' && message.test(e.message) && !e.message.includes('\n'));
  }
  const pub = dsl.schema('public').table('x', { id: dsl.serial().primaryKey() });
  assert.throws(() => collectModels([{ file: 'm.ts', exports: { pub } }], target(['billing'])), /the default schema/);
});

test('differ: the schema is created before everything and dropped after everything; the downgrade is the inverse', () => {
  const declared = normalizeSchema(collectModels([{ file: 'm.ts', exports: models() }], target(['billing'])));
  const ops = compareSchemas(emptySchema, declared, postgresEnumPlanner);
  assert.deepEqual(ops[0], { kind: 'createSchema', name: 'billing' });
  assert.equal(ops.filter((o) => o.kind === 'createSchema').length, 1);
  const down = inverseAll(ops);
  assert.deepEqual(down.at(-1), { kind: 'dropSchema', name: 'billing' });
  assert.deepEqual(applyOperations(applyOperations(emptySchema, ops, { strict: true }), down, { strict: true }), emptySchema);
  // The other way round: a live schema the models no longer declare is dropped last.
  assert.deepEqual(compareSchemas(declared, emptySchema, postgresEnumPlanner).at(-1), { kind: 'dropSchema', name: 'billing' });
  // Nothing to do when both have it (the live side as applying the operations left it, without the models' marks).
  const live = applyOperations(emptySchema, ops, { strict: true });
  assert.deepEqual(compareSchemas(live, declared, postgresEnumPlanner), []);
});

test('oracle: a schema that still holds a table of ours is not dropped', () => {
  const s: SchemaIR = { tables: [{ name: 'billing.t', columns: [], primaryKey: null, uniques: [], indexes: [], foreignKeys: [], checks: [], comment: null }], enums: [], schemas: ['billing'] };
  assert.throws(() => applyOperations(s, [{ kind: 'dropSchema', name: 'billing' }], { strict: true }), /still holds "billing\.t"/);
});

test('compiler: names of a named schema quoted part by part; indexes in their table\'s schema; renames to the bare name', () => {
  const cases: [Operation, string][] = [
    [{ kind: 'createSchema', name: 'billing' }, 'CREATE SCHEMA "billing"'],
    [{ kind: 'dropSchema', name: 'billing' }, 'DROP SCHEMA "billing"'],
    [{ kind: 'dropIndex', table: 'billing.invoices', name: 'ix', index: null }, 'DROP INDEX "billing"."ix"'],
    [{ kind: 'renameTable', from: 'billing.a', to: 'billing.b' }, 'ALTER TABLE "billing"."a" RENAME TO "b"'],
    [{ kind: 'renameEnum', from: 'billing.s', to: 'billing.t' }, 'ALTER TYPE "billing"."s" RENAME TO "t"'],
    [{ kind: 'dropColumn', table: 'billing.invoices', name: 'x', column: null }, 'ALTER TABLE "billing"."invoices" DROP COLUMN "x"'],
    [{ kind: 'dropColumn', table: 'invoices', name: 'x', column: null }, 'ALTER TABLE "invoices" DROP COLUMN "x"'],
  ];
  for (const [op, sql] of cases) assert.equal(compilePostgres([op])[0]?.sql, sql, op.kind);
});

test('render: a revision names objects of a named schema by their qualified name and creates the schema with op.createSchema', () => {
  const declared = normalizeSchema(collectModels([{ file: 'm.ts', exports: models() }], target(['billing'])));
  const text = renderOperations(compareSchemas(emptySchema, declared, postgresEnumPlanner)).code;
  assert.match(text, /op\.createSchema\('billing'\);/);
  assert.match(text, /op\.createTable\('billing\.invoices', \{/);
  assert.match(text, /enumColumn\('billing\.status'\)/);
});
