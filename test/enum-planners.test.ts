// Unit tests of the dialects' enum planners (one neutral alterEnum change in, operations out) and of how the
// differ hands them its changes: one per changed enum, values only added first, anything else after column drops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { column, tableIR, type EnumIR, type SchemaIR } from '../src/ir/ir.js';
import { inverseAll, type Operation } from '../src/operations/operations.js';
import { applyOperations } from '../src/operations/apply.js';
import { canonicalSchema } from '../src/ir/ir-util.js';
import type { AlterEnum, EnumPlanner } from '../src/diff/enum-change.js';
import { compareSchemas } from '../src/diff/compare.js';
import { postgresEnumPlanner } from '../src/dialects/postgres/postgres-enum-planner.js';
import { sqliteEnumPlanner } from '../src/dialects/sqlite/sqlite-enum-planner.js';

const mood = (values: string[]): EnumIR => ({ name: 'mood', values });
const change = (from: string[], to: string[]): AlterEnum => ({ kind: 'alterEnum', name: 'mood', from: mood(from), to: mood(to) });
const moodCol = column('m', { kind: 'enum', name: 'mood' }, { serverDefault: "'a'" });
const moodsCol = column('ms', { kind: 'array', element: { kind: 'enum', name: 'mood' } });
const schema = (values: string[], extraEnums: EnumIR[] = []): SchemaIR => ({ tables: [tableIR('t', [moodCol, moodsCol])], enums: [mood(values), ...extraEnums] });
const brief = (ops: readonly Operation[]) =>
  ops.map((o) =>
    o.kind === 'addEnumValue' ? `addEnumValue ${o.value} ${o.before !== undefined ? `before ${o.before}` : o.after !== undefined ? `after ${o.after}` : 'last'}`
    : o.kind === 'createEnum' ? `createEnum ${o.enum.name} (${o.enum.values.join(',')})`
    : o.kind === 'alterColumn' ? `alterColumn ${o.column} ${o.to.type !== undefined ? `using ${o.to.using}` : `default ${o.to.serverDefault}`}`
    : o.kind === 'renameEnum' ? `renameEnum ${o.from} -> ${o.to}`
    : o.kind === 'dropEnum' ? `dropEnum ${o.name}`
    : o.kind);

/** Checks that the planned operations turn `from` into `to` and that their inverse turns it back. */
function roundTrip(current: SchemaIR, ops: readonly Operation[], values: string[]): void {
  const after = applyOperations(current, ops, { strict: true });
  assert.deepEqual(after.enums.find((e) => e.name === 'mood')?.values, values);
  assert.deepEqual(canonicalSchema(applyOperations(after, inverseAll(ops), { strict: true })), canonicalSchema(current));
}

const postgresCases: { name: string; from: string[]; to: string[]; taken?: EnumIR[]; ops: string[] }[] = [
  { name: 'values only added: ADD VALUE next to a declared neighbour', from: ['b', 'c'], to: ['a', 'b', 'x', 'c', 'z'], ops: ['addEnumValue a before b', 'addEnumValue x after b', 'addEnumValue z after c'] },
  { name: 'a value added to an empty enum: appended', from: [], to: ['a'], ops: ['addEnumValue a last'] },
  {
    name: 'a value removed: the type is rebuilt, defaults set aside, columns cast through text',
    from: ['a', 'b', 'c'],
    to: ['a', 'c'],
    ops: ['createEnum mood__new (a,c)', "alterColumn m default null", 'alterColumn m using {col}::text::"mood__new"', 'alterColumn ms using {col}::text[]::"mood__new"[]', 'dropEnum mood', 'renameEnum mood__new -> mood'],
  },
  {
    name: 'values reordered, with mood__new taken: the next free temporary name',
    from: ['a', 'b'],
    to: ['b', 'a'],
    taken: [{ name: 'mood__new', values: [] }],
    ops: ['createEnum mood__new2 (b,a)', "alterColumn m default null", 'alterColumn m using {col}::text::"mood__new2"', 'alterColumn ms using {col}::text[]::"mood__new2"[]', 'dropEnum mood', 'renameEnum mood__new2 -> mood'],
  },
];

for (const c of postgresCases) {
  test(`postgresEnumPlanner: ${c.name}`, () => {
    const current = schema(c.from, c.taken);
    const ops = postgresEnumPlanner.planEnumChange(change(c.from, c.to), current);
    assert.deepEqual(brief(ops), c.ops);
    roundTrip(current, ops, c.to);
  });
}

test('postgresEnumPlanner: the first addition carries the rebuild that undoes them all, defaults restored', () => {
  const ops = postgresEnumPlanner.planEnumChange(change(['a'], ['a', 'b', 'c']), schema(['a']));
  const undo = ops.map((o) => (o.kind === 'addEnumValue' ? o.undo : null));
  assert.deepEqual(brief(undo[0] ?? []), [
    'createEnum mood__new (a)', "alterColumn m default null", 'alterColumn m using {col}::text::"mood__new"', 'alterColumn ms using {col}::text[]::"mood__new"[]', 'dropEnum mood', 'renameEnum mood__new -> mood', "alterColumn m default 'a'",
  ]);
  assert.deepEqual(undo[1], []);
});

test('sqliteEnumPlanner: the operations PostgreSQL writes, which SQLite compiles into CHECK changes', () => {
  for (const c of postgresCases) {
    const current = schema(c.from, c.taken);
    const ops = sqliteEnumPlanner.planEnumChange(change(c.from, c.to), current);
    assert.deepEqual(ops, postgresEnumPlanner.planEnumChange(change(c.from, c.to), current), c.name);
  }
});

test('compareSchemas hands the planner one alterEnum per changed enum: additions first, other changes after column drops', () => {
  const seen: { change: AlterEnum; columns: string[] }[] = [];
  const recorder: EnumPlanner = { planEnumChange: (c, current) => { seen.push({ change: c, columns: current.tables[0]!.columns.map((x) => x.name) }); return []; } };
  const other = (values: string[]): EnumIR => ({ name: 'other', values });
  const from: SchemaIR = { tables: [tableIR('t', [column('gone', { kind: 'integer' }), moodCol])], enums: [mood(['a', 'b']), other(['x'])] };
  const to: SchemaIR = { tables: [tableIR('t', [moodCol])], enums: [mood(['a']), other(['x', 'y'])] };
  assert.deepEqual(brief(compareSchemas(from, to, recorder)), ['dropColumn']);
  assert.deepEqual(seen, [
    { change: { kind: 'alterEnum', name: 'other', from: other(['x']), to: other(['x', 'y']) }, columns: ['gone', 'm'] },
    { change: { kind: 'alterEnum', name: 'mood', from: mood(['a', 'b']), to: mood(['a']) }, columns: ['m'] },
  ]);
});
