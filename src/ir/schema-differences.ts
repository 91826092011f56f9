/**
 * Object-by-object differences between two schemas, for messages that say which object differs rather than that
 * the schemas do (`retort verify`). Order is not a difference: lists of named objects are matched by name, as
 * canonicalSchema sorts them. Every field of the IR takes part, so a field added to the IR later is compared too.
 */
import type { SchemaIR } from './ir.js';
import { byCodePoint, canonicalSchema, sameIR } from './ir-util.js';

/** SchemaDifference is one object that is only in one schema (`extra`: only in `actual`) or differs between them. */
export interface SchemaDifference {
  /** What kind of object: `table`, `enum`, `column`, `index`, `unique constraint`, `foreign key`, `check constraint`, `primary key`, `comment`. */
  readonly object: string;
  /** Its name; for a table's primary key or comment, the table's name. */
  readonly name: string;
  /** The table it belongs to, or null for tables and enums. */
  readonly table: string | null;
  readonly change: 'extra' | 'missing' | 'changed';
  /** For `changed`: each field that differs, with its value in `expected` and in `actual`. */
  readonly fields?: Readonly<Record<string, { readonly expected: unknown; readonly actual: unknown }>>;
}

const KIND: Readonly<Record<string, string>> = {
  tables: 'table',
  enums: 'enum',
  sequences: 'sequence',
  functions: 'function',
  triggers: 'trigger',
  columns: 'column',
  uniques: 'unique constraint',
  indexes: 'index',
  foreignKeys: 'foreign key',
  checks: 'check constraint',
  primaryKey: 'primary key',
  comment: 'comment',
};

type Named = { readonly name: string } & Record<string, unknown>;

const isNamedList = (v: unknown): v is readonly Named[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && typeof (x as { name?: unknown }).name === 'string');

/** The fields of two objects that differ (undefined fields count as absent). */
function changedFields(expected: Record<string, unknown>, actual: Record<string, unknown>): Record<string, { expected: unknown; actual: unknown }> {
  const fields: Record<string, { expected: unknown; actual: unknown }> = {};
  for (const k of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    if (!sameIR(expected[k], actual[k])) fields[k] = { expected: expected[k] ?? null, actual: actual[k] ?? null };
  }
  return fields;
}

/** Compares two lists of named objects by name; `inner` descends into a pair with the same name (tables). */
function compareNamed(kind: string, table: string | null, expected: readonly Named[], actual: readonly Named[], out: SchemaDifference[], inner?: (e: Named, a: Named) => void): void {
  const a = new Map(actual.map((x) => [x.name, x]));
  const e = new Map(expected.map((x) => [x.name, x]));
  for (const name of [...new Set([...e.keys(), ...a.keys()])].sort(byCodePoint)) {
    const x = e.get(name);
    const y = a.get(name);
    if (!y) out.push({ object: kind, name, table, change: 'missing' });
    else if (!x) out.push({ object: kind, name, table, change: 'extra' });
    else if (!sameIR(x, y)) {
      if (inner) inner(x, y);
      else out.push({ object: kind, name, table, change: 'changed', fields: changedFields(x, y) });
    }
  }
}

/** The fields of a table (or the schema) other than its name: named lists matched by name, anything else as a whole. */
function compareFields(expected: Record<string, unknown>, actual: Record<string, unknown>, table: string | null, out: SchemaDifference[]): void {
  for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    if (key === 'name') continue;
    const x = expected[key];
    const y = actual[key];
    if (sameIR(x, y)) continue;
    const kind = KIND[key] ?? key;
    if (isNamedList(x ?? []) && isNamedList(y ?? [])) {
      const descend = table === null && key === 'tables' ? (e: Named, a: Named) => compareFields(e, a, e.name, out) : undefined;
      compareNamed(kind, table, (x ?? []) as Named[], (y ?? []) as Named[], out, descend);
    } else {
      out.push({ object: kind, name: table ?? key, table, change: 'changed', fields: { [key]: { expected: x ?? null, actual: y ?? null } } });
    }
  }
}

/** What differs between `expected` and `actual`, object by object, in name order; empty when they are the same schema. */
export function schemaDifferences(expected: SchemaIR, actual: SchemaIR): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  compareFields(canonicalSchema(expected) as unknown as Record<string, unknown>, canonicalSchema(actual) as unknown as Record<string, unknown>, null, out);
  return out;
}

/** A difference in words, `index ix_a on table t`, `enum mood`, `column t.a`: the object's kind and where it is. */
export function differenceSubject(d: SchemaDifference): string {
  if (d.table === null) return `${d.object} ${d.name}`;
  if (d.object === 'column') return `column ${d.table}.${d.name}`;
  if (d.name === d.table) return `${d.object} of table ${d.table}`;
  return `${d.object} ${d.name} on table ${d.table}`;
}
