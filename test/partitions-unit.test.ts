/**
 * Partitions and exclusion constraints without a database: what the catalog prints read into the IR, the IR written
 * back as DDL and as the DSL, the differ's attach/detach plan, and the models' own mistakes refused at load.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExclusion, parsePartitionBound, parsePartitionKey, partitionBoundSql, exclusionSql, partitionKeySql } from '../src/dialects/postgres/postgres-partitions.js';
import { renderBound } from '../src/render/render-partitions.js';
import { planPartitions } from '../src/diff/compare-partitions.js';
import { compareSchemas } from '../src/diff/compare.js';
import { postgresEnumPlanner } from '../src/dialects/postgres/postgres-enum-planner.js';
import { inverseAll } from '../src/operations/operations.js';
import { applyOperations } from '../src/operations/apply.js';
import { column, tableIR, type SchemaIR, type TableIR } from '../src/ir/ir.js';
import { collectModels } from '../src/models/collect.js';
import { integer, table, text, timestamp } from '../src/models/builders.js';
import { exclude, partitionBy, partitionOf } from '../src/models/partitions.js';
import { postgresDialect } from '../src/dialects/postgres/postgres-dialect.js';
import { RetortError } from '../src/errors.js';

test('catalog texts read into the IR and written back as PostgreSQL prints them', () => {
  const cases: [string, unknown][] = [
    ["FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00')", { kind: 'range', from: ["'2022-01-01 00:00:00+00'"], to: ["'2022-02-01 00:00:00+00'"] }],
    ["FOR VALUES FROM (MINVALUE, 1) TO (10, 'a, b')", { kind: 'range', from: ['MINVALUE', '1'], to: ['10', "'a, b'"] }],
    ["FOR VALUES IN ('fr', NULL)", { kind: 'list', values: ["'fr'", 'NULL'] }],
    ['FOR VALUES WITH (modulus 4, remainder 3)', { kind: 'hash', modulus: 4, remainder: 3 }],
    ['DEFAULT', { kind: 'default' }],
  ];
  for (const [text, ir] of cases) {
    assert.deepEqual(parsePartitionBound(text), ir, text);
    assert.deepEqual(parsePartitionBound(partitionBoundSql(parsePartitionBound(text))), ir, `${text} written back`);
  }
  assert.deepEqual(parsePartitionKey('RANGE (payment_date)'), { strategy: 'range', columns: ['payment_date'] });
  assert.deepEqual(parsePartitionKey('LIST ("Code", lower(name))'), { strategy: 'list', columns: ['Code', 'lower(name)'] });
  assert.equal(partitionKeySql({ strategy: 'hash', columns: ['Code', 'lower(name)'] }), 'PARTITION BY HASH ("Code", lower(name))');
  const x = parseExclusion('no_overlap', 'EXCLUDE USING gist (room WITH =, during WITH &&) WHERE ((room > 0))');
  assert.deepEqual(x, { name: 'no_overlap', method: 'gist', elements: [{ expression: 'room', operator: '=' }, { expression: 'during', operator: '&&' }], where: 'room > 0' });
  assert.equal(exclusionSql(x), 'CONSTRAINT "no_overlap" EXCLUDE USING gist ("room" WITH =, "during" WITH &&) WHERE (room > 0)');
});

test('bounds as the DSL takes them: strings, numbers, MINVALUE, SQL otherwise', () => {
  const imports = new Set<string>();
  assert.equal(renderBound({ kind: 'range', from: ["'2022-01-01 00:00:00+00'"], to: ["'it''s'"] }, imports), "{ from: '2022-01-01 00:00:00+00', to: 'it\\'s' }");
  assert.equal(renderBound({ kind: 'range', from: ['MINVALUE', '-5'], to: ['10', "'2022-01-01'::date"] }, imports), "{ from: [MINVALUE, -5], to: [10, sql`'2022-01-01'::date`] }");
  assert.equal(renderBound({ kind: 'list', values: ['NULL', 'true'] }, imports), '{ in: [null, true] }');
  assert.equal(renderBound({ kind: 'default' }, imports), "'default'");
  assert.deepEqual([...imports].sort(), ['MINVALUE', 'sql']);
});

const parent = tableIR('events', [column('id', { kind: 'integer' }, { nullable: false }), column('at', { kind: 'date' }, { nullable: false })], {
  primaryKey: { name: 'events_pkey', columns: ['id', 'at'] },
  checks: [{ name: 'id_positive', expression: 'id > 0' }],
});
const partitioned: TableIR = { ...parent, partitionBy: { strategy: 'range', columns: ['at'] } };
const part = (name: string, from: string, to: string): TableIR => ({ ...tableIR(name, []), partitionOf: { parent: 'events', bound: { kind: 'range', from: [from], to: [to] } } });
const schema = (...tables: TableIR[]): SchemaIR => ({ tables, enums: [] });

test('the differ: partitions after their parent, dropped before it; a bound changed is a detach and an attach', () => {
  const p2024 = part('events_2024', "'2024-01-01'", "'2025-01-01'");
  const create = compareSchemas(schema(), schema(partitioned, p2024), postgresEnumPlanner);
  assert.deepEqual(create.map((o) => (o.kind === 'createTable' ? o.table.name : o.kind)), ['events', 'events_2024']);
  assert.deepEqual(inverseAll(create).map((o) => (o.kind === 'dropTable' ? o.name : o.kind)), ['events_2024', 'events']);

  const moved = part('events_2024', "'2024-01-01'", "'2024-07-01'");
  const change = compareSchemas(schema(partitioned, p2024), schema(partitioned, moved), postgresEnumPlanner);
  assert.deepEqual(change.map((o) => o.kind), ['detachPartition', 'attachPartition']);
  // The oracle runs both ways, the detached table holding the parent's columns in between.
  assert.deepEqual(applyOperations(schema(partitioned, p2024), change, { strict: true }).tables, [partitioned, moved]);
  assert.deepEqual(applyOperations(schema(partitioned, moved), inverseAll(change), { strict: true }).tables, [partitioned, p2024]);

  // Detached into a plain table: the parent's key and check come with it, under the names PostgreSQL gives them.
  const plan = planPartitions(schema(partitioned, p2024), schema(partitioned, tableIR('events_2024', parent.columns)));
  const detached = plan.from.tables.find((t) => t.name === 'events_2024')!;
  assert.equal(detached.partitionOf, undefined);
  assert.deepEqual(detached.primaryKey, { name: 'events_2024_pkey', columns: ['id', 'at'] });
  assert.deepEqual(detached.checks, parent.checks);

  assert.throws(() => compareSchemas(schema(parent), schema(partitioned), postgresEnumPlanner), (e: unknown) => e instanceof RetortError && /table "events" is not partitioned in the database and partitioned by RANGE \(at\) in the models/.test(e.message));
});

test('models: a partition names a partitioned parent, with a bound of its strategy', () => {
  const target = { spelling: postgresDialect.sqlSpelling, identifierLimit: null };
  const events = table('events', { id: integer().notNull(), at: timestamp().notNull(), note: text() }, (t) => [partitionBy('range', t.at), exclude('one_note').using('btree').on([t.note, '='])]);
  const ok = collectModels([{ file: 'm.ts', exports: { events, p: partitionOf('events_1', events, { from: '2024-01-01', to: '2025-01-01' }) } }], target);
  assert.deepEqual(ok.tables.find((t) => t.name === 'events_1')?.partitionOf, { parent: 'events', bound: { kind: 'range', from: ["'2024-01-01'"], to: ["'2025-01-01'"] } });
  assert.deepEqual(ok.tables.find((t) => t.name === 'events')?.excludes, [{ name: 'one_note', method: 'btree', elements: [{ expression: 'note', operator: '=' }], where: null }]);
  const plain = table('plain', { id: integer() });
  const refused = (exports: Record<string, unknown>, message: RegExp) =>
    assert.throws(() => collectModels([{ file: 'm.ts', exports }], target), (e: unknown) => e instanceof RetortError && e.code === 'MODEL' && message.test(e.message));
  refused({ plain, p: partitionOf('plain_1', plain, 'default') }, /partition "plain_1" is a partition of "plain" \(m\.ts\), which is not partitioned/);
  refused({ events, p: partitionOf('events_x', events, { in: ['a'] }) }, /partition "events_x" has a list bound, but "events" is partitioned by range/);
  refused({ events, p: partitionOf('events_y', events, { from: [1, 2], to: [3, 4] }) }, /its bound has 2 value\(s\) in from and 2 in to, but "events" has 1 key column/);
  refused({ p: partitionOf('orphan', events, 'default') }, /partition "orphan" is a partition of "events", which no model file declares/);
});
