/**
 * Sequences and identity columns without a database: PostgreSQL's option defaults, the differ's phases (owner set
 * after tables, taken away before drops), exact inverses through the oracle, and rendered code that records the
 * same operations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalOptions } from '../src/dialects/postgres/postgres-sequence-options.js';
import { postgresDialect } from '../src/dialects/postgres/postgres-dialect.js';
import { postgresEnumPlanner } from '../src/dialects/postgres/postgres-enum-planner.js';
import { compareSchemas } from '../src/diff/compare.js';
import { applyOperations } from '../src/operations/apply.js';
import { inverseAll } from '../src/operations/operations.js';
import { renderOperations } from '../src/render/render-operations.js';
import { collectModels } from '../src/models/collect.js';
import * as dsl from '../src/models/builders.js';
import { isRetortError } from '../src/errors.js';
import type { SequenceOptionsIR } from '../src/ir/ir.js';
import { pgModels, recordOps } from './helpers/pg-models.js';
import { MODEL_TARGET } from './helpers/models.js';

const PG_TARGET = { ...MODEL_TARGET, spelling: postgresDialect.sqlSpelling };
const none: SequenceOptionsIR = { start: null, increment: null, min: null, max: null, cache: null, cycle: false };

test('canonicalOptions: values at PostgreSQL defaults are null, whichever way they were written', () => {
  const cases: [string, Partial<SequenceOptionsIR>, 'bigint' | 'integer', Partial<SequenceOptionsIR>][] = [
    ['all defaults written out (bigint)', { start: '1', increment: '1', min: '1', max: '9223372036854775807', cache: '1' }, 'bigint', {}],
    ['integer identity read from the catalog', { start: '1', increment: '1', min: '1', max: '2147483647', cache: '1' }, 'integer', {}],
    ['descending: start at max -1, min the type minimum', { start: '-1', increment: '-1', min: '-2147483648', max: '-1' }, 'integer', { increment: '-1' }],
    ['start follows an explicit min', { start: '10', min: '10' }, 'bigint', { min: '10' }],
    ['start other than min is kept', { start: '20', min: '10' }, 'bigint', { start: '20', min: '10' }],
    ['the bigint max on an integer is explicit', { max: '9223372036854775807' }, 'integer', { max: '9223372036854775807' }],
  ];
  for (const [name, given, kind, want] of cases) {
    assert.deepEqual(canonicalOptions({ ...none, ...given }, kind), { ...none, ...want }, name);
  }
});

const models = pgModels;
const record = recordOps;

const declare = (opts: dsl.SequenceDeclOptions, identity: 'always' | 'byDefault' | 'serial', start = 10) => {
  const t = dsl.table('t', {
    id: identity === 'serial' ? dsl.serial().primaryKey() : identity === 'always' ? dsl.integer().generatedAlwaysAsIdentity({ start }).primaryKey() : dsl.integer().generatedByDefaultAsIdentity({ start, cycle: true }).primaryKey(),
    n: dsl.bigint(),
  });
  return { t, s: dsl.sequence('counter', opts) };
};

test('differ: sequence created first, owned after its table; the inverse un-owns before the drop; both exact under the oracle', () => {
  const empty = models({});
  const full = models(declare({ start: 5, ownedBy: 't.n' }, 'always'));
  const ops = compareSchemas(empty, full, postgresEnumPlanner);
  assert.deepEqual(ops.map((o) => o.kind), ['createSequence', 'createTable', 'alterSequence']);
  assert.deepEqual(applyOperations(empty, ops, { strict: true }), full);
  const back = inverseAll(ops);
  assert.deepEqual(back.map((o) => o.kind), ['alterSequence', 'dropTable', 'dropSequence']);
  assert.deepEqual(applyOperations(full, back, { strict: true }).sequences ?? [], []);
});

test('differ: every option, the owner, the identity kind and serial -> identity change in place, and back exactly', () => {
  const a = models(declare({ start: 5, ownedBy: 't.n' }, 'serial'));
  const b = models(declare({ start: 7, increment: 2, min: 3, max: 99, cache: 4, cycle: true }, 'byDefault', 3));
  const c = models(declare({}, 'always', 4));
  for (const [from, to] of [[a, b], [b, c], [c, a]] as const) {
    const ops = compareSchemas(from, to, postgresEnumPlanner);
    assert.ok(ops.every((o) => o.kind === 'alterSequence' || o.kind === 'alterColumn'), ops.map((o) => o.kind).join());
    assert.deepEqual(applyOperations(from, ops, { strict: true }), to);
    assert.deepEqual(applyOperations(to, inverseAll(ops), { strict: true }), from);
    // The revision's code records the same operations, upgrade and downgrade.
    assert.deepEqual(record(renderOperations(ops).code), ops);
    assert.deepEqual(record(renderOperations(inverseAll(ops)).code), inverseAll(ops));
  }
});

test('collect: a sequence named like a table, declared twice differently, or with an undeclared owner is a model error', () => {
  const err = (exports: Record<string, unknown>): string => {
    try {
      collectModels([{ file: 'm.ts', exports }], PG_TARGET);
    } catch (e) {
      assert.ok(isRetortError(e) && e.code === 'MODEL', String(e));
      return e.message;
    }
    throw new Error('no error');
  };
  assert.match(err({ s: dsl.sequence('t'), t: dsl.table('t', { id: dsl.integer() }) }), /sequence "t" has the name of a table/);
  assert.match(err({ a: dsl.sequence('s', { start: 1 }), b: dsl.sequence('s', { start: 2 }) }), /sequence "s" is declared twice with different options/);
  assert.match(err({ s: dsl.sequence('s', { ownedBy: 'nope.x' }) }), /ownedBy nope\.x, which no model file declares/);
  assert.match(err({ s: dsl.sequence('s', { min: 5, max: 5 }) }), /min \(5\) must be less than max \(5\)/);
  // A dialect without sequenceRef (SQLite) refuses sequences in defaults too, naming the sequence.
  const s = dsl.sequence('s');
  assert.throws(() => collectModels([{ file: 'm.ts', exports: { t: dsl.table('t', { n: dsl.bigint().serverDefault(s) }) } }], MODEL_TARGET), /sequence "s" is used in SQL \(nextval\), but this database has no sequences/);
});

test('a sequence in a default is spelled as PostgreSQL prints it back', () => {
  const s = dsl.sequence('Order Numbers');
  const ir = models({ s, t: dsl.table('t', { a: dsl.bigint().serverDefault(s), b: dsl.bigint().serverDefault(dsl.sql`nextval(${dsl.sequence('plain')})`) }) });
  assert.deepEqual(ir.tables[0]!.columns.map((c) => c.serverDefault), [`nextval('"Order Numbers"'::regclass)`, `nextval('plain'::regclass)`]);
});
