/**
 * Small helpers over the Schema IR shared by the comparators, the symbolic
 * applier and the describers: structural equality, name lookups, and a short
 * human spelling of column types for messages (not SQL: only dialects write SQL).
 */
import type { ColumnType, SchemaIR, TableIR } from './ir.js';
import { sortPolicies } from './policy.js';

/**
 * Structural equality of two IR values (key order and undefined fields ignored; null is a value), at any depth
 * leaving out the keys in `skipped` (no-difference.ts: the fields the differ never compares).
 * A walk, not a comparison of serialised strings: a 1000-table comparison asks it tens of
 * thousands of times.
 */
export function sameIR(a: unknown, b: unknown, skipped?: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !sameIR(a[i], b[i], skipped)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // Equal values (most, primitives) are compared in place, and a key is looked up in `skipped` only when its values
  // differ. A field defined on both sides with equal values is `matched`: when y defines no more fields than
  // that, it has none that x lacks.
  let matched = 0;
  for (const k in x) {
    const v = x[k];
    if (v === undefined) continue;
    const w = y[k];
    if (v === w || (skipped?.has(k) !== true && sameIR(v, w, skipped))) matched++;
    else if (skipped?.has(k) !== true) return false;
  }
  // The matched fields are some of y's defined ones: when they are all of them, y has no other.
  let defined = 0;
  for (const k in y) if (y[k] !== undefined) defined++;
  if (defined === matched) return true;
  // y defines more: each must be skipped, or defined on x too (and then compared above).
  for (const k in y) if (y[k] !== undefined && x[k] === undefined && skipped?.has(k) !== true) return false;
  return true;
}

/** Code-point order, independent of the locale, so output is the same on every machine. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Map from name to item. */
export function byName<T extends { readonly name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((x) => [x.name, x]));
}

/** A table by name, or undefined. */
export function findTable(schema: SchemaIR, name: string): TableIR | undefined {
  return schema.tables.find((t) => t.name === name);
}

/** A short readable spelling of a type for messages: `varchar(80)`, `text[]`, `genderenum`. */
export function typeText(t: ColumnType): string {
  switch (t.kind) {
    case 'varchar':
    case 'char':
      return t.length === null ? t.kind : `${t.kind}(${t.length})`;
    case 'numeric':
      return t.precision === null ? 'numeric' : `numeric(${t.precision}${t.scale === null ? '' : `, ${t.scale}`})`;
    case 'time':
    case 'timestamp':
      return t.withTimezone ? `${t.kind} with time zone` : t.kind;
    case 'double':
      return 'double precision';
    case 'array':
      return `${typeText(t.element)}[]`;
    case 'enum':
    case 'domain':
      return t.name;
    case 'custom':
      return t.sql;
    default:
      return t.kind;
  }
}

/** The same type with every enum named `from` renamed to `to` (arrays included). */
export function renameEnumInType(t: ColumnType, from: string, to: string): ColumnType {
  if (t.kind === 'enum') return t.name === from ? { kind: 'enum', name: to } : t;
  if (t.kind === 'array') return { kind: 'array', element: renameEnumInType(t.element, from, to) };
  return t;
}

/** A copy of a schema with tables, enums, sequences, functions and triggers sorted by name, and every table's lists sorted by name: order-insensitive comparison. */
export function canonicalSchema(s: SchemaIR): SchemaIR {
  const sortNames = <T extends { readonly name: string }>(xs: readonly T[]) => [...xs].sort((a, b) => byCodePoint(a.name, b.name));
  return {
    // The models' `autoNamed` marks are the differ's (as rename hints are): not part of the schema.
    tables: sortNames(s.tables).map((t) => ({
      ...t,
      columns: sortNames(t.columns),
      primaryKey: t.primaryKey === null ? null : unmarked(t.primaryKey),
      uniques: sortNames(t.uniques.map(unmarked)),
      indexes: sortNames(t.indexes.map(unmarked)),
      foreignKeys: sortNames(t.foreignKeys.map(unmarked)),
      checks: sortNames(t.checks.map(unmarked)),
    })),
    enums: sortNames(s.enums),
    // No sequences and an empty list are the same schema.
    ...(s.sequences !== undefined && s.sequences.length > 0 ? { sequences: sortNames(s.sequences) } : {}),
    ...(s.domains !== undefined && s.domains.length > 0 ? { domains: sortNames(s.domains) } : {}),
    ...(s.extensions !== undefined && s.extensions.length > 0 ? { extensions: sortNames(s.extensions) } : {}),
    // A view's dependencies and columns are read to order and plan, never compared.
    ...(s.views !== undefined && s.views.length > 0 ? { views: sortNames(s.views).map(({ dependsOn: _d, columns: _c, ...v }) => v) } : {}),
    ...(s.policies !== undefined && s.policies.length > 0 ? { policies: sortPolicies(s.policies) } : {}),
    // Functions named with their identity arguments (overloads apart), triggers with their table; what calls a function orders, it is not compared.
    ...(s.functions !== undefined && s.functions.length > 0 ? { functions: sortNames(s.functions.map(({ usedBy: _u, ...f }) => ({ ...f, name: `${f.name}(${f.identity ?? f.args})` }))) } : {}),
    ...(s.triggers !== undefined && s.triggers.length > 0 ? { triggers: sortNames(s.triggers.map((t) => ({ ...t, name: `${t.table}.${t.name}` }))) } : {}),
  };
}

/** The models' marks of a declared constraint or index (`autoNamed`, the rename hint), for normalisers to keep for the differ. */
export function autoNamed(x: { readonly autoNamed?: boolean; readonly renamedFrom?: string }): { autoNamed?: true; renamedFrom?: string } {
  return { ...(x.autoNamed === true ? { autoNamed: true } : {}), ...(x.renamedFrom !== undefined ? { renamedFrom: x.renamedFrom } : {}) };
}

/** A constraint or index without the models' marks (`autoNamed`, the rename hint). */
export function unmarked<T extends { readonly autoNamed?: boolean; readonly renamedFrom?: string }>(x: T): T {
  if (x.autoNamed === undefined && x.renamedFrom === undefined) return x;
  const { autoNamed: _, renamedFrom: _r, ...rest } = x;
  return rest as T;
}
