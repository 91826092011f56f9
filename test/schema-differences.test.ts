/** Table-driven tests of schemaDifferences: which object differs, and how, between two schemas. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableIR, type ColumnIR, type SchemaIR } from '../src/ir/ir.js';
import { differenceSubject, schemaDifferences } from '../src/ir/schema-differences.js';

const col = (name: string, extra: Partial<ColumnIR> = {}): ColumnIR => ({ name, type: { kind: 'integer' }, nullable: true, serverDefault: null, autoIncrement: false, comment: null, ...extra });
const t = tableIR('t', [col('id', { nullable: false }), col('a')], { primaryKey: { name: 't_pkey', columns: ['id'] } });
const schema = (tables = [t], enums: SchemaIR['enums'] = []): SchemaIR => ({ tables, enums });
const ix = { name: 'ix_a', columns: ['a'], unique: false, where: null };

const cases: { name: string; expected: SchemaIR; actual: SchemaIR; want: string[] }[] = [
  { name: 'the same schema', expected: schema(), actual: schema(), want: [] },
  { name: 'order is not a difference', expected: schema([tableIR('t', [col('a'), col('b')]), tableIR('u', [])]), actual: schema([tableIR('u', []), tableIR('t', [col('b'), col('a')])]), want: [] },
  { name: 'an index left behind', expected: schema(), actual: schema([{ ...t, indexes: [ix] }]), want: ['extra index ix_a on table t'] },
  { name: 'a table missing', expected: schema([t, tableIR('u', [])]), actual: schema(), want: ['missing table u'] },
  { name: 'an enum left behind', expected: schema(), actual: schema([t], [{ name: 'mood', values: ['a'] }]), want: ['extra enum mood'] },
  { name: 'an enum value', expected: schema([t], [{ name: 'mood', values: ['a'] }]), actual: schema([t], [{ name: 'mood', values: ['a', 'b'] }]), want: ['changed enum mood values'] },
  { name: 'a column changed', expected: schema(), actual: schema([{ ...t, columns: [t.columns[0]!, col('a', { nullable: false })] }]), want: ['changed column t.a nullable'] },
  { name: 'a primary key dropped', expected: schema(), actual: schema([{ ...t, primaryKey: null }]), want: ['changed primary key of table t primaryKey'] },
  { name: 'a comment', expected: schema(), actual: schema([{ ...t, comment: 'x' }]), want: ['changed comment of table t comment'] },
];

for (const c of cases) {
  test(`schemaDifferences: ${c.name}`, () => {
    const got = schemaDifferences(c.expected, c.actual).map((d) => `${d.change} ${differenceSubject(d)}${d.fields ? ` ${Object.keys(d.fields).join(',')}` : ''}`);
    assert.deepEqual(got, c.want);
  });
}
