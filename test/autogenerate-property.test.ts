// Property tests of the differ over random schema pairs: apply(A, diff(A, B)) == B,
// applying the inverse gets A back, diff(B, B) is empty, and the rendered revision
// code records the same operations. applyOperations runs in strict mode, so every
// drop's recorded definition must match the schema as it stands (the inverse is exact)
// and anything PostgreSQL would refuse (dropping a referenced table, an enum in use) fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as dsl from '../src/models/builders.js';
import type { ColumnIR, ColumnType, EnumIR, ForeignKeyIR, IdentityIR, PolicyIR, SchemaIR, SequenceIR, TableIR, ViewIR } from '../src/ir/ir.js';
import { inverseAll, type Operation } from '../src/operations/operations.js';
import { OperationRecorder } from '../src/operations/op-api.js';
import { defaultNaming } from '../src/models/naming.js';
import { compareSchemas } from '../src/diff/compare.js';
import { postgresEnumPlanner } from '../src/dialects/postgres/postgres-enum-planner.js';
import { applyOperations } from '../src/operations/apply.js';
import { canonicalSchema } from '../src/ir/ir-util.js';
import { noDifference } from '../src/ir/no-difference.js';
import { renderOperations } from '../src/render/render-operations.js';
import { STANDARD_SPELLING } from './helpers/models.js';

const RUNS = Number(process.env.RETORT_PROPERTY_RUNS ?? 300);
// On failure fast-check prints the seed and path of the shrunk counterexample; to replay exactly that case:
//   npm run build && RETORT_PROPERTY_SEED=<seed> RETORT_PROPERTY_PATH=<path> node test/run.mjs test/autogenerate-property
// (RETORT_PROPERTY_SEED alone reruns the whole sequence of that seed; RETORT_PROPERTY_RUNS raises the number of runs.)
// includeErrorInReport: the failing assertion is written in the report (node's TAP reporter drops an error's cause).
const REPLAY: fc.Parameters<unknown> = {
  includeErrorInReport: true,
  ...(process.env.RETORT_PROPERTY_SEED !== undefined ? { seed: Number(process.env.RETORT_PROPERTY_SEED) } : {}),
  ...(process.env.RETORT_PROPERTY_PATH !== undefined ? { path: process.env.RETORT_PROPERTY_PATH } : {}),
};
const ENUM_NAMES = ['mood', 'Status Type'];
const ENUM_VALUES = ['a', 'b', 'c', "it's", 'Ünï'];
const TABLE_NAMES = ['users', 'posts', 'Order Items', 'select'];
const COLUMN_NAMES = ['a', 'b', 'Mixed Case', "quo'te"];

const scalarType = (enums: readonly string[]): fc.Arbitrary<ColumnType> =>
  fc.oneof(
    fc.constantFrom<ColumnType>(
      { kind: 'smallint' }, { kind: 'integer' }, { kind: 'bigint' }, { kind: 'boolean' }, { kind: 'text' }, { kind: 'real' }, { kind: 'double' },
      { kind: 'date' }, { kind: 'uuid' }, { kind: 'json' }, { kind: 'jsonb' }, { kind: 'bytea' }, { kind: 'custom', sql: 'tsvector' },
    ),
    fc.record({ kind: fc.constantFrom('varchar' as const, 'char' as const), length: fc.constantFrom(null, 1, 80, 255) }),
    fc.constantFrom<ColumnType>({ kind: 'numeric', precision: null, scale: null }, { kind: 'numeric', precision: 10, scale: 2 }, { kind: 'numeric', precision: 8, scale: 0 }),
    fc.record({ kind: fc.constantFrom('time' as const, 'timestamp' as const), withTimezone: fc.boolean() }),
    ...(enums.length > 0 ? [fc.constantFrom(...enums).map((name): ColumnType => ({ kind: 'enum', name }))] : []),
  );
const columnType = (enums: readonly string[]): fc.Arbitrary<ColumnType> =>
  fc.oneof({ weight: 5, arbitrary: scalarType(enums) }, { weight: 1, arbitrary: scalarType(enums).map((element): ColumnType => ({ kind: 'array', element })) });

const columnArb = (name: string, enums: readonly string[]): fc.Arbitrary<ColumnIR> =>
  fc.record({
    name: fc.constant(name),
    type: columnType(enums),
    nullable: fc.boolean(),
    serverDefault: fc.constantFrom(null, null, "'x'", "'it''s'", '1', '-2.5', 'now()', 'true', "lower('A`${b}')"),
    autoIncrement: fc.constant(false),
    comment: fc.constantFrom(null, null, 'note', "it's\nmultiline"),
  });

// Sequence options as the IR holds them once normalised (null: the default).
const optionsArb = fc.record({
  start: fc.constantFrom(null, '5', '100'),
  increment: fc.constantFrom(null, '2', '-1'),
  min: fc.constantFrom(null, null, '-50'),
  max: fc.constantFrom(null, null, '9000'),
  cache: fc.constantFrom(null, '10'),
  cycle: fc.boolean(),
});
// The id column: serial, or an identity of either kind with random options (serial <-> identity is a change).
const idArb: fc.Arbitrary<Pick<ColumnIR, 'autoIncrement' | 'identity'>> = fc.oneof(
  fc.constant({ autoIncrement: true }),
  fc.record({ always: fc.boolean(), options: optionsArb }).map(({ always, options }) => ({ autoIncrement: false, identity: { always, ...options } satisfies IdentityIR })),
);
const SEQUENCE_NAMES = ['counter', 'Order No'];

// Views over the random tables (and one over another view), each reading what its dependsOn names: the oracle
// refuses a table's drop, a dropped column or a column's new type under them, so the differ must move them.
const VIEW_QUERIES = ['select id from {t}', 'select * from {t} where id > 0'];
const viewsArb = (tables: readonly TableIR[]): fc.Arbitrary<ViewIR[]> =>
  tables.length === 0 ? fc.constant([]) : fc.array(fc.record({ t: fc.nat(), q: fc.nat(), over: fc.boolean() }), { maxLength: 2 }).map((xs) => {
    const views: ViewIR[] = [];
    xs.forEach(({ t, q }, i) => {
      const table = tables[t % tables.length]!.name;
      views.push({ name: `v${i}`, definition: VIEW_QUERIES[q % VIEW_QUERIES.length]!.replace('{t}', JSON.stringify(table)), materialized: false, dependsOn: [table] });
    });
    if (views.length > 0 && xs[0]!.over) views.push({ name: 'v_over', definition: 'select id from v0', materialized: false, dependsOn: ['v0'] });
    return views;
  });

// Policies on the random tables: every command, both kinds, roles, and clauses that fit the command and name
// columns the table has (the oracle refuses a column's drop or new type under a policy that names it).
const policyArb = (t: TableIR, name: string): fc.Arbitrary<PolicyIR> =>
  fc.record({
    command: fc.constantFrom('all' as const, 'select' as const, 'insert' as const, 'update' as const, 'delete' as const),
    permissive: fc.boolean(),
    roles: fc.constantFrom(['public'], ['app'], ['Report Reader', 'app']),
    using: fc.constantFrom('id > 0', "current_user = 'app'", ...(t.columns.some((c) => c.name === 'a') ? ['a IS NOT NULL'] : []), ...(t.columns.some((c) => c.name === 'Mixed Case') ? ['"Mixed Case" IS NULL'] : [])),
    withCheck: fc.constantFrom(null, 'id < 1000'),
  }).map(({ command, permissive, roles, using, withCheck }) => ({
    name, table: t.name, command, permissive, roles,
    using: command === 'insert' ? null : using,
    withCheck: command === 'select' || command === 'delete' ? null : command === 'insert' ? (withCheck ?? 'id > 0') : withCheck,
  }));
const policiesArb = (tables: readonly TableIR[]): fc.Arbitrary<PolicyIR[]> =>
  fc.tuple(...tables.map((t) => fc.subarray(['own rows', 'p_write']).chain((names) => fc.tuple(...names.map((n) => policyArb(t, n))))))
    .map((lists) => lists.flat().sort((a, b) => (`${a.table}\u0000${a.name}` < `${b.table}\u0000${b.name}` ? -1 : 1)));

const tableArb = (name: string, enums: readonly string[]): fc.Arbitrary<TableIR> =>
  fc
    .record({
      others: fc.subarray(COLUMN_NAMES).chain((names) => fc.tuple(...names.map((n) => columnArb(n, enums)))),
      hasPk: fc.boolean(),
      pkName: fc.constantFrom(`${name}_pkey`, `pk_${name}`),
      comment: fc.constantFrom(null, 'a table'),
      seed: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
      idKind: idArb,
      rls: fc.constantFrom({}, {}, { rlsEnabled: true as const }, { rlsEnabled: true as const, rlsForced: true as const }, { rlsForced: true as const }),
    })
    .map(({ others, hasPk, pkName, comment, seed, idKind, rls }) => {
      const id: ColumnIR = { name: 'id', type: { kind: 'integer' }, nullable: false, serverDefault: null, comment: null, ...idKind };
      const columns = [id, ...others];
      const pick = (i: number) => columns[seed[i]! % columns.length]!.name;
      const two = (i: number) => [...new Set([pick(i), pick(i + 1)])];
      const uniques = seed[0]! % 3 === 0 ? [] : [{ name: `${name}_${pick(1)}_key`, columns: [pick(1)] }, ...(seed[2]! % 2 ? [{ name: `uq_${name}_2`, columns: two(3) }] : [])];
      const indexes = seed[4]! % 3 === 0 ? [] : [{ name: `ix_${name}_${seed[5]! % 3}`, columns: two(5), unique: seed[6]! % 2 === 0, where: seed[6]! % 3 === 0 ? 'id > 0' : null }, ...(seed[7]! % 2 ? [{ name: `ix_${name}_expr`, columns: ['lower(b)'], unique: false, where: null }] : [])];
      const checks = seed[8]! % 2 ? [{ name: `ck_${name}_${seed[9]! % 2}`, expression: seed[9]! % 2 ? 'id > 0' : "a <> 'x'" }] : [];
      return { name, columns, primaryKey: hasPk ? { name: pkName, columns: ['id'] } : null, uniques, indexes, foreignKeys: [], checks, comment, ...rls } satisfies TableIR;
    });

const enumArb = (name: string): fc.Arbitrary<EnumIR> => fc.shuffledSubarray(ENUM_VALUES, { minLength: 1 }).map((values) => ({ name, values }));

/** A random valid schema: foreign keys point at tables of the same schema that have their primary key on id. */
const schemaArb: fc.Arbitrary<SchemaIR> = fc
  .record({ enumNames: fc.subarray(ENUM_NAMES), tableNames: fc.subarray(TABLE_NAMES), sequenceNames: fc.subarray(SEQUENCE_NAMES), fkSeed: fc.array(fc.nat(), { minLength: 16, maxLength: 16 }) })
  .chain(({ enumNames, tableNames, sequenceNames, fkSeed }) =>
    fc.record({
      enums: fc.tuple(...enumNames.map(enumArb)),
      tables: fc.tuple(...tableNames.map((t) => tableArb(t, enumNames))),
      sequences: fc.tuple(...sequenceNames.map((name) => fc.record({ options: optionsArb, owner: fc.nat() }).map(({ options, owner }) => ({ name, options, owner })))),
      fkSeed: fc.constant(fkSeed),
    }),
  )
  .chain((s) => fc.record({ views: viewsArb(s.tables), policies: policiesArb(s.tables) }).map((extra) => ({ ...s, ...extra })))
  .map(({ enums, tables, sequences: seqs, fkSeed, views, policies }) => {
    // A sequence owned by a table's id column, or by none.
    const sequences = seqs.map(({ name, options, owner }): SequenceIR => {
      const t = owner % 3 === 0 ? undefined : tables[owner % Math.max(tables.length, 1)];
      return { name, ...options, ownedBy: t === undefined ? null : { table: t.name, column: 'id' } };
    });
    const targets = tables.filter((t) => t.primaryKey?.columns[0] === 'id' && t.primaryKey.columns.length === 1);
    const withFks = tables.map((t, i): TableIR => {
      const fks: ForeignKeyIR[] = [];
      for (let k = 0; k < 2 && targets.length > 0; k++) {
        const s = fkSeed[i * 4 + k]!;
        if (s % 3 === 0) continue;
        const target = targets[s % targets.length]!;
        const col = t.columns[(s >> 2) % t.columns.length]!.name;
        const name = `fk_${t.name}_${k}`;
        fks.push({ name, columns: [col], refTable: target.name, refColumns: ['id'], onDelete: (['NO ACTION', 'CASCADE', 'SET NULL'] as const)[s % 3]!, onUpdate: 'NO ACTION' });
      }
      return { ...t, foreignKeys: fks };
    });
    // fast-check builds records without a prototype; plain JSON objects compare like the IR everywhere else.
    const extra = { ...(views.length > 0 ? { views } : {}), ...(policies.length > 0 ? { policies } : {}) };
    return JSON.parse(JSON.stringify({ tables: withFks, enums, sequences, ...extra })) as SchemaIR;
  });

function strip(ops: readonly Operation[]): unknown[] {
  return ops.map((o) => {
    switch (o.kind) {
      case 'dropTable': return { ...o, table: null };
      case 'dropColumn': return { ...o, column: null };
      case 'dropIndex': return { ...o, index: null };
      case 'dropConstraint': return { ...o, constraint: null };
      case 'dropEnum': return { ...o, enum: null };
      case 'dropSequence': return { ...o, sequence: null };
      case 'alterSequence': { const { from: _from, ...rest } = o; return rest; }
      case 'addEnumValue': { const { undo: _undo, ...rest } = o; return rest; }
      case 'alterColumn': { const { from: _from, ...rest } = o; return rest; }
      case 'setTableComment': { const { from: _from, ...rest } = o; return rest; }
      // A view written in a revision has no dependencies or columns recorded (the database knows them).
      case 'createView': return { ...o, view: bareView(o.view) };
      case 'replaceView': return { ...o, view: bareView(o.view), from: null };
      case 'dropView': return { ...o, view: null };
      case 'dropPolicy': return { ...o, policy: null };
      case 'alterPolicy': return { ...o, from: null };
      default: return o;
    }
  });
}

function bareView(v: ViewIR): ViewIR {
  const { dependsOn: _d, columns: _c, ...rest } = v;
  return rest;
}

/** Runs rendered code through the op API and returns what it recorded. */
function record(code: string): Operation[] {
  const recorder = new OperationRecorder(STANDARD_SPELLING, defaultNaming);
  const names = Object.keys(dsl);
  const run = new Function('op', ...names, code) as (...args: unknown[]) => void;
  run(recorder.op, ...names.map((n) => (dsl as Record<string, unknown>)[n]));
  return recorder.drain();
}

function assertRoundTrip(a: SchemaIR, b: SchemaIR): void {
  const ops = compareSchemas(a, b, postgresEnumPlanner);
  // The quick answer autogenerate takes before the differ: never "no difference" where the differ finds one.
  if (ops.length > 0) assert.equal(noDifference(a, b), false, 'noDifference is false where the differ emits operations');
  assert.equal(noDifference(b, b), true, 'a schema makes no difference to itself');
  const atB = applyOperations(a, ops, { strict: true });
  assert.deepEqual(canonicalSchema(atB), canonicalSchema(b), 'apply(A, diff(A, B)) == B');
  const back = applyOperations(atB, inverseAll(ops), { strict: true });
  assert.deepEqual(canonicalSchema(back), canonicalSchema(a), 'apply(B, inverse) == A');
  assert.deepEqual(compareSchemas(b, b, postgresEnumPlanner), [], 'diff(B, B) is empty');
  assert.deepEqual(compareSchemas(atB, b, postgresEnumPlanner), [], 'diff(apply(A, ops), B) is empty');
  for (const list of [ops, inverseAll(ops)]) {
    const rendered = renderOperations(list);
    assert.doesNotMatch(rendered.code, /op\.run\(/, 'every generated operation has an op API spelling');
    assert.deepEqual(strip(record(rendered.code)), strip(list), 'rendered code records the same operations');
  }
}

test(`random schema pairs: diff applies, inverts and renders exactly (${RUNS} runs)`, () => {
  fc.assert(fc.property(schemaArb, schemaArb, (a, b) => assertRoundTrip(a, b)), { numRuns: RUNS, ...REPLAY });
});

test('random schemas from and to nothing: create everything, drop everything', () => {
  fc.assert(fc.property(schemaArb, (a) => {
    assertRoundTrip({ tables: [], enums: [] }, a);
    assertRoundTrip(a, { tables: [], enums: [] });
  }), { numRuns: 100, ...(process.env.RETORT_PROPERTY_PATH === undefined ? REPLAY : {}) });
});
