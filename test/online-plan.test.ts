/**
 * The lock-safe planner (diff/online-plan.ts) with PostgreSQL's rules, table-driven, without a database: which
 * operations get which form, that a table created by the same operations keeps the plain ones, and which type
 * changes count as rewrites. The revisions these plans render to run end to end in cli-online-migrations.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { planOnline, planOperations } from '../src/diff/online-plan.js';
import { postgresOnlineForms } from '../src/dialects/postgres/postgres-online.js';
import { parseDuration, resolveOnline } from '../src/config/online-config.js';
import { inverseAll, type Operation } from '../src/operations/operations.js';
import { column, type ColumnType } from '../src/ir/ir.js';

const fk: Operation = { kind: 'addConstraint', table: 'orders', constraint: { kind: 'foreignKey', def: { name: 'fk', columns: ['c'], refTable: 'customers', refColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' } } };
const check: Operation = { kind: 'addConstraint', table: 'orders', constraint: { kind: 'check', def: { name: 'ck', expression: 'qty > 0' } } };
const unique: Operation = { kind: 'addConstraint', table: 'orders', constraint: { kind: 'unique', def: { name: 'uq', columns: ['code'] } } };
const index: Operation = { kind: 'createIndex', table: 'orders', index: { name: 'ix', columns: ['c'], unique: false, where: null } };
const notNull: Operation = { kind: 'alterColumn', table: 'orders', column: 'qty', to: { nullable: false }, from: { nullable: true } };

/** A compact picture of a plan: each step as `tx:` or `ac:` and its operations' kinds with their online flags. */
function shape(ops: readonly Operation[]): string[] {
  return planOnline(ops, postgresOnlineForms).steps.map((s) => `${s.autocommit ? 'ac' : 'tx'}: ${s.ops.map((o) => [o.kind, 'concurrently' in o && o.concurrently ? '+concurrently' : '', 'notValid' in o && o.notValid ? '+notValid' : '', 'usingIndex' in o && o.usingIndex ? '+usingIndex' : ''].join('')).join(', ')}`);
}

describe('planOnline with PostgreSQL forms', () => {
  const cases: { name: string; ops: Operation[]; want: string[] }[] = [
    { name: 'index', ops: [index], want: ['ac: createIndex+concurrently'] },
    { name: 'foreign key', ops: [fk], want: ['tx: addConstraint+notValid', 'ac: validateConstraint'] },
    { name: 'check', ops: [check], want: ['tx: addConstraint+notValid', 'ac: validateConstraint'] },
    { name: 'unique', ops: [unique], want: ['ac: createIndex+concurrently', 'tx: addConstraint+usingIndex'] },
    { name: 'set not null', ops: [notNull], want: ['tx: addConstraint+notValid', 'ac: validateConstraint', 'tx: alterColumn, dropConstraint'] },
    { name: 'drop not null stays plain', ops: [{ kind: 'alterColumn', table: 'orders', column: 'qty', to: { nullable: true }, from: { nullable: false } }], want: ['tx: alterColumn'] },
    {
      name: 'a table created by the same operations keeps the plain forms',
      ops: [{ kind: 'createTable', table: { name: 'orders', columns: [column('c', { kind: 'integer' })], primaryKey: null, uniques: [], foreignKeys: [], checks: [], indexes: [], comment: null } }, index, fk],
      want: ['tx: createTable, createIndex, addConstraint'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(shape(c.ops), c.want));
  }

  test('without forms (SQLite, or safety simple) the operations stay one plain step', () => {
    const plan = planOnline([index, fk, notNull], null);
    assert.deepEqual(plan.steps.map((s) => [s.autocommit, s.ops.length]), [[false, 3]]);
  });

  test('every rewritten form carries a reason, and the downgrade of the plain operations plans safely too', () => {
    const plan = planOnline([index, fk, unique, notNull], postgresOnlineForms);
    assert.ok(plan.steps.filter((s) => !s.follows).every((s) => s.why !== null));
    const down = planOnline(inverseAll([index]), postgresOnlineForms);
    assert.deepEqual(planOperations(down), [{ kind: 'dropIndex', table: 'orders', name: 'ix', index: (index as Extract<Operation, { kind: 'createIndex' }>).index, concurrently: true }]);
  });

  test('a rewriting type change is flagged and warned about; a binary-coercible one is not', () => {
    const change = (from: ColumnType, to: ColumnType): Operation => ({ kind: 'alterColumn', table: 'orders', column: 'n', to: { type: to }, from: { type: from } });
    const flagged = planOnline([change({ kind: 'integer' }, { kind: 'bigint' })], postgresOnlineForms);
    assert.match(flagged.steps[0]!.why ?? '', /^REWRITES "orders"/);
    assert.equal(flagged.warnings.length, 1);
    const widened = planOnline([change({ kind: 'varchar', length: 50 }, { kind: 'varchar', length: 80 })], postgresOnlineForms);
    assert.equal(widened.steps[0]!.why, null);
    assert.equal(widened.warnings.length, 0);
  });
});

describe('a column added with a value for every row (PostgreSQL)', () => {
  const add = (c: ReturnType<typeof column>, table = 'orders'): Operation => ({ kind: 'addColumn', table, column: c });
  test('a volatile default, serial, identity or stored generated column is marked REWRITES; a constant or now() is not; nor a table the same plan creates', () => {
    const why = (o: Operation) => planOnline([o], postgresOnlineForms).steps[0]!.why;
    assert.match(why(add(column('u', { kind: 'uuid' }, { serverDefault: 'gen_random_uuid()' }))) ?? '', /^REWRITES "orders": adding "u" as a default calling gen_random_uuid\(\) writes a value into every row/);
    assert.match(why(add(column('u', { kind: 'uuid' }, { serverDefault: 'public.uuid_generate_v4()' }))) ?? '', /a default calling uuid_generate_v4\(\)/);
    assert.match(why(add(column('s', { kind: 'integer' }, { autoIncrement: true, nullable: false }))) ?? '', /as a serial column/);
    assert.match(why(add(column('g', { kind: 'custom', sql: 'integer GENERATED ALWAYS AS (qty * 2) STORED' }))) ?? '', /as a stored generated column/);
    assert.equal(why(add(column('z', { kind: 'integer' }, { serverDefault: '0', nullable: false }))), null);
    assert.equal(why(add(column('at', { kind: 'timestamp', withTimezone: true } as ColumnType, { serverDefault: 'now()' }))), null);
    // A string that names the function is not a call of it.
    assert.equal(why(add(column('note', { kind: 'text' }, { serverDefault: "'random()'::text" }))), null);
    const created = planOnline([{ kind: 'createTable', table: { name: 'fresh', columns: [], primaryKey: null, indexes: [], uniques: [], foreignKeys: [], checks: [] } } as unknown as Operation, add(column('u', { kind: 'uuid' }, { serverDefault: 'gen_random_uuid()' }), 'fresh')], postgresOnlineForms);
    assert.ok(created.steps.every((st) => st.why === null), 'a new table has no rows to rewrite');
  });
});

describe('attaching a partition with PostgreSQL forms', () => {
  const attach = (bound: Extract<Operation, { kind: 'attachPartition' }>['bound']): Operation => ({ kind: 'attachPartition', parent: 'events', partition: 'events_old', bound });
  const key = (columns: string[], strategy: 'range' | 'list' | 'hash' = 'range') => ({ partitionKey: (t: string) => (t === 'events' ? { strategy, columns } : undefined) });
  const checkOf = (ops: readonly Operation[]) => {
    const add = ops.find((o) => o.kind === 'addConstraint');
    return add?.kind === 'addConstraint' && add.constraint.kind === 'check' ? add.constraint.def.expression : null;
  };

  test('an existing table: a NOT VALID check matching the bound, validated, then the attach and the check dropped', () => {
    const plan = planOnline([attach({ kind: 'range', from: ["'2024-01-01'"], to: ["'2025-01-01'"] })], postgresOnlineForms, key(['at']));
    assert.deepEqual(plan.steps.map((s) => `${s.autocommit ? 'ac' : 'tx'}: ${s.ops.map((o) => o.kind).join(', ')}`), ['tx: addConstraint', 'ac: validateConstraint', 'tx: attachPartition, dropConstraint']);
    assert.match(plan.steps[0]!.why ?? '', /skips its scan of "events_old"/);
    assert.equal(checkOf(planOperations(plan)), `"at" IS NOT NULL AND "at" >= '2024-01-01' AND "at" < '2025-01-01'`);
  });

  const checks: [string, Extract<Operation, { kind: 'attachPartition' }>['bound'], string[], string | null][] = [
    ['open range side', { kind: 'range', from: ['MINVALUE'], to: ['10'] }, ['n'], '"n" IS NOT NULL AND "n" < 10'],
    ['list', { kind: 'list', values: ["'fr'", "'de'"] }, ['code'], `"code" IS NOT NULL AND "code" = ANY (ARRAY['fr', 'de'])`],
    ['list with NULL', { kind: 'list', values: ["'fr'", 'NULL'] }, ['code'], `"code" IS NULL OR "code" = ANY (ARRAY['fr'])`],
    ['two-column range: plain', { kind: 'range', from: ['1', '2'], to: ['3', '4'] }, ['a', 'b'], null],
    ['expression key: plain', { kind: 'list', values: ["'a'"] }, ['lower(code)'], null],
    ['hash: plain', { kind: 'hash', modulus: 2, remainder: 0 }, ['id'], null],
    ['default: plain', { kind: 'default' }, ['id'], null],
  ];
  for (const [name, bound, columns, want] of checks) {
    test(name, () => {
      const plan = planOnline([attach(bound)], postgresOnlineForms, key(columns, bound.kind === 'list' ? 'list' : bound.kind === 'hash' ? 'hash' : 'range'));
      assert.equal(checkOf(planOperations(plan)), want);
      if (want === null) assert.deepEqual(plan.steps.map((s) => s.ops.map((o) => o.kind)), [['attachPartition']]);
    });
  }

  test('a table the same operations create is attached plainly, and so is any without a known key', () => {
    const create: Operation = { kind: 'createTable', table: { name: 'events_old', columns: [column('at', { kind: 'integer' })], primaryKey: null, uniques: [], foreignKeys: [], checks: [], indexes: [], comment: null } };
    const bound = { kind: 'range' as const, from: ['1'], to: ['2'] };
    assert.deepEqual(planOperations(planOnline([create, attach(bound)], postgresOnlineForms, key(['at']))).map((o) => o.kind), ['createTable', 'attachPartition']);
    assert.deepEqual(planOperations(planOnline([attach(bound)], postgresOnlineForms)).map((o) => o.kind), ['attachPartition']);
  });
});

describe('checks added to a domain with PostgreSQL forms', () => {
  const alter = (from: string[], to: string[]): Operation => ({ kind: 'alterDomain', name: 'zip', to: { checks: to.map((name) => ({ name, expression: 'VALUE <> \'\'' })), notNull: true }, from: { checks: from.map((name) => ({ name, expression: 'VALUE <> \'\'' })), notNull: false } });
  test('a domain that exists: its new checks NOT VALID, each validated after the commit', () => {
    const plan = planOnline([alter(['a'], ['a', 'b', 'c'])], postgresOnlineForms);
    assert.deepEqual(plan.steps.map((s) => `${s.autocommit ? 'ac' : 'tx'}: ${s.ops.map((o) => o.kind + ('notValid' in o && o.notValid ? '+notValid' : '')).join(', ')}`), ['tx: alterDomain+notValid', 'ac: validateDomainCheck, validateDomainCheck']);
    assert.deepEqual(planOperations(plan).flatMap((o) => (o.kind === 'validateDomainCheck' ? [o.name] : [])), ['b', 'c']);
    assert.match(plan.steps[0]!.why ?? '', /domain "zip" NOT VALID/);
  });
  test('no check added, or a domain the same operations create: plain', () => {
    assert.deepEqual(planOperations(planOnline([alter(['a', 'b'], ['a'])], postgresOnlineForms)).map((o) => o.kind), ['alterDomain']);
    const create: Operation = { kind: 'createDomain', domain: { name: 'zip', type: { kind: 'text' }, notNull: false, default: null, checks: [] } };
    assert.deepEqual(planOperations(planOnline([create, alter([], ['a'])], postgresOnlineForms)).map((o) => o.kind), ['createDomain', 'alterDomain']);
  });
});

describe('PostgreSQL type changes that rewrite', () => {
  const rows: [ColumnType, ColumnType, boolean][] = [
    [{ kind: 'varchar', length: 50 }, { kind: 'varchar', length: 80 }, false],
    [{ kind: 'varchar', length: 50 }, { kind: 'text' }, false],
    [{ kind: 'varchar', length: 50 }, { kind: 'varchar', length: null }, false],
    [{ kind: 'numeric', precision: 10, scale: 2 }, { kind: 'numeric', precision: 12, scale: 2 }, false],
    [{ kind: 'varchar', length: 80 }, { kind: 'varchar', length: 50 }, true],
    [{ kind: 'integer' }, { kind: 'bigint' }, true],
    [{ kind: 'text' }, { kind: 'integer' }, true],
    [{ kind: 'numeric', precision: 10, scale: 2 }, { kind: 'numeric', precision: 12, scale: 3 }, true],
  ];
  for (const [from, to, rewrites] of rows) {
    test(`${JSON.stringify(from)} -> ${JSON.stringify(to)}: ${rewrites ? 'rewrites' : 'in place'}`, () => assert.equal(postgresOnlineForms.rewritesTable(from, to), rewrites));
  }
});

describe('online config keys', () => {
  test('durations in seconds or with units', () => {
    assert.equal(parseDuration(5, 'k', 'cfg'), 5000);
    assert.equal(parseDuration('500ms', 'k', 'cfg'), 500);
    assert.equal(parseDuration('2min', 'k', 'cfg'), 120_000);
    assert.throws(() => parseDuration('soon', 'k', 'cfg'), /"k" must be a number of seconds or a duration/);
    assert.throws(() => parseDuration(-1, 'k', 'cfg'), /"k" must be/);
  });
  test('defaults and refusals', () => {
    assert.deepEqual(resolveOnline({}, 'cfg'), { lockTimeoutMs: 5000, statementTimeoutMs: null, lockRetries: 3, safety: 'online' });
    assert.throws(() => resolveOnline({ lockRetries: 1.5 }, 'cfg'), /"lockRetries" must be a whole number/);
    assert.throws(() => resolveOnline({ safety: 'fast' }, 'cfg'), /"safety" must be 'online' or 'simple'/);
  });
});
