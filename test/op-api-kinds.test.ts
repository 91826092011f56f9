// The `op` object's kind methods (views, sequences, routines, policies, domains, partitions) come from a shared
// prototype whose getters build each kind's group per `op` on first use (op-api.ts, KIND_METHODS). These tests pin
// what that must not change: every method is reachable, a method taken off `op` still records into its own
// recorder, two recorders never share a queue, and a method is the same function each time it is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OperationRecorder } from '../src/operations/op-api.js';
import { isRetortError } from '../src/errors.js';
import { integer } from '../src/models/builders.js';
import type { SqlSpelling } from '../src/models/dsl.js';

const spelling: SqlSpelling = { quoteIdentifier: (n) => `"${n}"`, quoteLiteral: (v) => `'${v}'`, sequenceRef: (n) => `'${n}'::regclass`, schemaObjects: true };

test('each kind method records into the recorder of the op it was read from, also when taken off the op', () => {
  const a = new OperationRecorder(spelling);
  const b = new OperationRecorder(spelling);
  const { createView } = a.op;
  const { createSequence } = b.op;
  createView('v', 'SELECT 1');
  createSequence('s');
  b.op.dropView('w');
  a.op.addColumn('t', 'c', integer());
  assert.deepEqual(a.drain().map((o) => o.kind), ['createView', 'addColumn']);
  assert.deepEqual(b.drain().map((o) => o.kind), ['createSequence', 'dropView']);
});

test('a kind method is one function per op, and every kind group is reachable', () => {
  const r = new OperationRecorder(spelling);
  assert.equal(r.op.createView, r.op.createView);
  assert.notEqual(r.op.createView, new OperationRecorder(spelling).op.createView);
  for (const name of ['createView', 'createSequence', 'createFunction', 'enableRls', 'createDomain', 'createPartition'] as const) {
    assert.equal(typeof r.op[name], 'function', name);
  }
  r.op.enableRls('t');
  r.op.createDomain('d', integer());
  r.op.dropSequence('s');
  assert.deepEqual(r.drain().map((o) => o.kind), ['alterRls', 'createDomain', 'dropSequence']);
});

test('kind methods inside an autocommit block land in the block', () => {
  const r = new OperationRecorder(spelling);
  r.op.createView('v', 'SELECT 1');
  r.op.autocommitBlock((op) => op.refreshMaterializedView('m', { concurrently: true }));
  assert.deepEqual(r.drainSegments().map((s) => [s.autocommit, s.ops.map((o) => o.kind)]), [[false, ['createView']], [true, ['refreshMaterializedView']]]);
});

test('an operation on a table without the table name (from JavaScript, op.dropIndex(name) alone) is a USAGE error naming the call', () => {
  const r = new OperationRecorder(spelling);
  const op = r.op as unknown as { dropIndex(name: string, table?: string): void };
  assert.throws(() => op.dropIndex('ix_q'), (e: unknown) => isRetortError(e) && e.code === 'USAGE' && /^op\.dropIndex\(\): the table's name is missing \(got undefined\)$/.test(e.message));
  assert.throws(() => op.dropIndex('ix_q', ''), /got an empty string/);
});
