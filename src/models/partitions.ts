/**
 * Partitioned tables and exclusion constraints in models (PostgreSQL's; SQLite refuses them at load):
 *
 *   export const payment = table('payment', {...}, (t) => [partitionBy('range', t.payment_date)]);
 *   export const payment_p2022_01 = partitionOf('payment_p2022_01', payment, { from: '2022-01-01', to: '2022-02-01' });
 *   export const booking = table('booking', {...}, (t) => [exclude('no_overlap').using('gist').on([t.room, '='], [t.during, '&&'])]);
 *
 * A partition is a table whose columns come from its parent: partitionOf() declares no columns, and its extras
 * (indexes, checks of its own) name the parent's columns through `t`.
 */
import type { ExclusionIR, PartitionBoundIR, PartitionKeyIR } from '../ir/ir.js';
import { RetortError } from '../errors.js';
import {
  BRAND, isSqlExpr, recordTableName, sql, sqlText, tableDecl,
  type ColumnBuilder, type ColumnOrExpr, type ColumnRef, type PartitionBoundInput, type PartitionValue, type SqlExpr, type SqlSpelling, type TableDecl, type TableExtra,
} from './dsl.js';

/** MINVALUE and MAXVALUE, the open ends of a RANGE bound: `{ from: MINVALUE, to: '2020-01-01' }`. */
export const MINVALUE: SqlExpr = sql('MINVALUE');
export const MAXVALUE: SqlExpr = sql('MAXVALUE');

const STRATEGIES = ['range', 'list', 'hash'] as const;

/** partitionBy('range', t.created_at): the table is partitioned by RANGE, LIST or HASH over columns or sql`` expressions. */
export function partitionBy(strategy: 'range' | 'list' | 'hash', ...keys: ColumnOrExpr[]): TableExtra {
  if (!STRATEGIES.includes(strategy)) throw new RetortError('MODEL', `partitionBy('${String(strategy)}', ...): the strategy is 'range', 'list' or 'hash'`, { hint: "write partitionBy('range', t.created_at)" });
  if (keys.length === 0) throw new RetortError('MODEL', `partitionBy('${strategy}'): name at least one column or expression`, { hint: `write partitionBy('${strategy}', t.column)` });
  return { [BRAND]: 'partitionBy', name: null, strategy, keys };
}

/**
 * partitionOf('payment_p2022_01', payment, { from: '2022-01-01', to: '2022-02-01' }, (t) => [index().on(t.amount)])
 * declares a partition of a partitioned table: its bound, and indexes or checks of its own (the parent's are
 * PostgreSQL's to copy onto it).
 */
export function partitionOf<C extends Record<string, ColumnBuilder>>(
  name: string,
  parent: TableDecl<C>,
  bound: PartitionBoundInput,
  extras?: (t: { readonly [K in keyof C]: ColumnRef }) => readonly TableExtra[],
): TableDecl<Record<string, never>> {
  recordTableName(name);
  const refs = {} as { [K in keyof C]: ColumnRef };
  for (const key of Object.keys(parent.columns) as (keyof C & string)[]) refs[key] = { __retort: 'columnRef', table: name, column: key };
  return tableDecl(name, {}, {}, extras ? extras(refs) : [], { parent: parent.tableName, bound });
}

/** An exclusion constraint being declared: `.using('gist')`, then `.on([t.room, '='], [t.during, '&&'])`, then `.where(sql`...`)`. */
export interface ExcludeBuilder {
  using(method: string): ExcludeBuilder;
  on(...elements: (readonly [ColumnOrExpr, string])[]): ExcludeExtra;
}

/** A declared exclusion constraint; `.where(sql`...`)` makes it partial. */
export type ExcludeExtra = Extract<TableExtra, { [BRAND]: 'exclude' }> & { where(condition: SqlExpr): ExcludeExtra };

/** exclude('no_overlap').using('gist').on([t.room, '='], [t.during, '&&']): no two rows overlap (PostgreSQL EXCLUDE). */
export function exclude(name?: string): ExcludeBuilder {
  const build = (method: string): ExcludeBuilder => ({
    using: (m: string) => build(m),
    on: (...elements) => {
      const make = (condition: SqlExpr | null): ExcludeExtra => ({ [BRAND]: 'exclude', name: name ?? null, method, elements, condition, where: (c: SqlExpr) => make(c) });
      return make(null);
    },
  });
  return build('gist');
}

/** The IR of a partitionBy() extra. */
export function partitionKeyIR(extra: Extract<TableExtra, { [BRAND]: 'partitionBy' }>, spelling: SqlSpelling): PartitionKeyIR {
  return { strategy: extra.strategy, columns: extra.keys.map((k) => (isSqlExpr(k) ? sqlText(k, spelling) : k.column)) };
}

/** The IR of an exclude() extra on table `table`; unnamed, it takes PostgreSQL's name (`<table>_<columns>_excl`). */
export function exclusionIR(extra: Extract<TableExtra, { [BRAND]: 'exclude' }>, table: string, spelling: SqlSpelling, markAutoNamed: boolean): ExclusionIR {
  const where = `exclusion constraint on "${table}"`;
  if (extra.elements.length === 0) throw new RetortError('MODEL', `${where}: .on() names no element`, { hint: "write .on([t.room, '='], [t.during, '&&'])" });
  for (const e of extra.elements) {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[1] !== 'string' || e[1].trim() === '') throw new RetortError('MODEL', `${where}: each element is [column or sql\`\`, operator]`, { hint: "write .on([t.room, '='], [t.during, '&&'])" });
  }
  const name = extra.name ?? `${table}_${extra.elements.map(([c]) => (isSqlExpr(c) ? 'expr' : c.column)).join('_')}_excl`;
  return {
    name,
    method: extra.method.trim().toLowerCase(),
    elements: extra.elements.map(([c, op]) => ({ expression: isSqlExpr(c) ? sqlText(c, spelling) : c.column, operator: op.trim() })),
    where: extra.condition === null ? null : sqlText(extra.condition, spelling),
    ...(markAutoNamed && extra.name === null ? { autoNamed: true } : {}),
  };
}

/** The IR of a partition's bound, its values spelled by `spelling`. */
export function partitionBoundIR(bound: PartitionBoundInput, spelling: SqlSpelling, where: string): PartitionBoundIR {
  const value = (v: PartitionValue): string => {
    if (v === null) return 'NULL';
    if (isSqlExpr(v)) return sqlText(v, spelling);
    if (typeof v === 'string') return spelling.quoteLiteral(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number' && !Number.isFinite(v)) throw new RetortError('MODEL', `${where}: ${v} cannot bound a partition`, { hint: 'use MINVALUE or MAXVALUE for an open end' });
    if (typeof v === 'number' || typeof v === 'bigint') return String(v);
    throw new RetortError('MODEL', `${where}: a bound value is a string, a number, a boolean, null or sql\`\` (got ${typeof v})`);
  };
  const values = (v: PartitionValue | readonly PartitionValue[]) => (Array.isArray(v) ? (v as readonly PartitionValue[]) : [v as PartitionValue]).map(value);
  if (bound === 'default') return { kind: 'default' };
  if (typeof bound === 'object' && bound !== null) {
    if ('from' in bound && 'to' in bound) return { kind: 'range', from: values(bound.from), to: values(bound.to) };
    if ('in' in bound && Array.isArray(bound.in) && bound.in.length > 0) return { kind: 'list', values: bound.in.map(value) };
    if ('modulus' in bound && Number.isInteger(bound.modulus) && Number.isInteger(bound.remainder) && bound.modulus > 0 && bound.remainder >= 0 && bound.remainder < bound.modulus) {
      return { kind: 'hash', modulus: bound.modulus, remainder: bound.remainder };
    }
  }
  throw new RetortError('MODEL', `${where}: the bound is { from, to }, { in: [...] }, { modulus, remainder } (0 <= remainder < modulus) or 'default'`, { hint: "write e.g. { from: '2022-01-01', to: '2022-02-01' }" });
}
