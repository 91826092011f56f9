/**
 * Domains, extensions and comments without a database: the differ's phases (extensions first and last, domains
 * before the tables and after them), changes in place, exact inverses under the strict oracle, comments that never
 * rebuild their object and come back with a rebuilt one, and rendered revision code that records the same operations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresEnumPlanner } from '../src/dialects/postgres/postgres-enum-planner.js';
import { compileOne } from '../src/dialects/postgres/postgres-compiler.js';
import { compareSchemas } from '../src/diff/compare.js';
import { applyOperations } from '../src/operations/apply.js';
import { inverseAll, type Operation } from '../src/operations/operations.js';
import { renderOperations } from '../src/render/render-operations.js';
import { filterSchema } from '../src/ir/include-filter.js';
import * as dsl from '../src/models/builders.js';
import { pgModels, recordOps } from './helpers/pg-models.js';

const models = pgModels;
const record = recordOps;

/** Each operation without what the op API does not carry (`from`), for comparing recorded ones. */
const bare = (ops: readonly Operation[]) => JSON.parse(JSON.stringify(ops.map((o) => ({ ...o, from: undefined })))) as unknown;

const schema = (zip: dsl.DomainOptions, comments: { ix?: string; mood?: string } = {}, citext: dsl.ExtensionOptions = {}) => {
  const mood = dsl.enumType('mood', ['ok', 'sad'], comments.mood !== undefined ? { comment: comments.mood } : {});
  const z = dsl.domain('zip', dsl.text(), zip);
  const t = dsl.table('t', { id: dsl.integer().primaryKey(), code: z(), m: mood(), name: dsl.text() }, (c) => [
    comments.ix !== undefined ? dsl.index('ix_name').on(c.name).comment(comments.ix) : dsl.index('ix_name').on(c.name),
  ]);
  return { mood, z, t, ci: dsl.extension('citext', citext) };
};

test('differ: extension first, domain before its table; the inverse drops the table, the domain, then the extension; exact under the oracle', () => {
  const empty = models({});
  const full = models(schema({ notNull: true, checks: [dsl.sql`VALUE <> ''`] }));
  const ops = compareSchemas(empty, full, postgresEnumPlanner);
  assert.deepEqual(ops.map((o) => o.kind), ['createExtension', 'createEnum', 'createDomain', 'createTable']);
  assert.deepEqual(applyOperations(empty, ops, { strict: true }), full);
  const back = inverseAll(ops);
  assert.deepEqual(back.map((o) => o.kind), ['dropTable', 'dropDomain', 'dropEnum', 'dropExtension']);
  assert.deepEqual(applyOperations(full, back, { strict: true }), empty);
});

test('differ: every facet of a domain changes in place (ALTER DOMAIN), and back exactly', () => {
  const a = models(schema({ checks: [dsl.sql`VALUE <> ''`] }));
  const b = models(schema({ notNull: true, default: '00000', checks: { zip_five: dsl.sql`length(VALUE) = 5` }, comment: 'US' }));
  for (const [from, to] of [[a, b], [b, a]] as const) {
    const ops = compareSchemas(from, to, postgresEnumPlanner);
    assert.deepEqual(ops.map((o) => o.kind), ['alterDomain']);
    assert.deepEqual(applyOperations(from, ops, { strict: true }), to);
    assert.deepEqual(applyOperations(to, inverseAll(ops), { strict: true }), from);
  }
  const [op] = compareSchemas(a, b, postgresEnumPlanner);
  assert.deepEqual(compileOne(op!), [
    `ALTER DOMAIN "zip" SET DEFAULT '00000'`,
    'ALTER DOMAIN "zip" SET NOT NULL',
    'ALTER DOMAIN "zip" DROP CONSTRAINT "zip_check"',
    'ALTER DOMAIN "zip" ADD CONSTRAINT "zip_five" CHECK (length(VALUE) = 5)',
    `COMMENT ON DOMAIN "zip" IS 'US'`,
  ]);
  // The rendered call records the same operation.
  const code = renderOperations([op!]).code;
  assert.deepEqual(bare(record(code)), bare([op!]));
});

test('differ: an extension version is compared only when declared', () => {
  const live = { ...models(schema({})), extensions: [{ name: 'citext', schema: 'public', version: '1.6' }] };
  assert.deepEqual(compareSchemas(live, models(schema({})), postgresEnumPlanner), []);
  const ops = compareSchemas(live, models(schema({}, {}, { version: '1.5' })), postgresEnumPlanner);
  assert.deepEqual(ops, [{ kind: 'alterExtension', name: 'citext', to: { version: '1.5' }, from: { version: '1.6' } }]);
});

test('differ: a comment alone is one setComment, never a rebuild; a rebuilt object gets its comment back, both ways', () => {
  const a = models(schema({}, { ix: 'by name', mood: 'feelings' }));
  const b = models(schema({}, { ix: 'lookup' }));
  const ops = compareSchemas(a, b, postgresEnumPlanner);
  assert.deepEqual(ops.map((o) => o.kind), ['setComment', 'setComment']);
  assert.deepEqual(applyOperations(a, ops, { strict: true }), b);
  assert.deepEqual(applyOperations(b, inverseAll(ops), { strict: true }), a);
  // The index changes its columns (a drop and a create): its comment is cleared before, set after.
  const c = models({ ...schema({}, { ix: 'lookup' }), t: dsl.table('t', { id: dsl.integer().primaryKey(), code: schema({}).z(), m: schema({}).mood(), name: dsl.text() }, (x) => [dsl.index('ix_name').on(x.name, x.code).comment('both')]) });
  const rebuild = compareSchemas(b, c, postgresEnumPlanner);
  assert.deepEqual(rebuild.map((o) => o.kind), ['setComment', 'dropIndex', 'createIndex', 'setComment']);
  assert.deepEqual(applyOperations(b, rebuild, { strict: true }), c);
  assert.deepEqual(applyOperations(c, inverseAll(rebuild), { strict: true }), b);
  assert.deepEqual(bare(record(renderOperations(ops).code)), bare(ops));
});

test('include filter: what it refuses is left out, told which side it is on', () => {
  const s = models(schema({}));
  const seen: string[] = [];
  const out = filterSchema(s, (o) => { seen.push(`${o.kind}:${o.name}:${o.reflected}`); return !(o.kind === 'column' && o.name === 'name') && o.kind !== 'domain'; }, true, 'public');
  assert.deepEqual(out.tables[0]!.columns.map((c) => c.name), ['id', 'code', 'm']);
  assert.deepEqual(out.domains, []);
  assert.ok(seen.includes('index:ix_name:true') && seen.includes('extension:citext:true') && seen.includes('table:t:true'), seen.join());
});
