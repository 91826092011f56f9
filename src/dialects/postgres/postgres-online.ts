/**
 * What PostgreSQL's lock-safe plans depend on (diff/online-plan.ts): the check that lets SET NOT NULL skip its
 * scan, and which type changes rewrite the table. A change is free when the new type is binary-coercible from the
 * old and at least as wide (ALTER COLUMN TYPE then only updates the catalog); anything else rewrites every row,
 * and every index, under ACCESS EXCLUSIVE.
 */
import type { ColumnIR, ColumnType, PartitionBoundIR, PartitionKeyIR } from '../../ir/ir.js';
import { namesIn } from '../view-dependencies.js';
import { VOLATILE_DEFAULT_FUNCTIONS } from './postgres-volatile.js';
import type { OnlineForms } from '../../diff/online-plan.js';
import { generatedParts, postgresSyntax, quoteIdentifier } from './postgres-sql.js';

/** True when `to` can hold every `from` value as it is stored: a varchar or numeric widened, or made unbounded. */
function binaryCoercible(from: ColumnType, to: ColumnType): boolean {
  if (from.kind === 'varchar' && to.kind === 'text') return true;
  if (from.kind === 'varchar' && to.kind === 'varchar') return to.length === null || (from.length !== null && to.length >= from.length);
  // Unbounded varchar is text under another name.
  if (from.kind === 'text' && to.kind === 'varchar') return to.length === null;
  if (from.kind === 'numeric' && to.kind === 'numeric') {
    if (to.precision === null) return true;
    return from.precision !== null && from.scale === to.scale && to.precision >= from.precision;
  }
  return JSON.stringify(from) === JSON.stringify(to);
}

/**
 * A check PostgreSQL proves a partition's bound from, spelled as the server writes the partition constraint itself
 * (range: `key IS NOT NULL AND key >= from AND key < to`, an open side left out; list: `key IS NOT NULL AND key =
 * ANY (ARRAY[...])`, or `key IS NULL OR ...` when NULL is listed). A key of one column only: a key of several
 * compares rows, and an expression key or a hash or default bound has no check as simple; those attach plainly.
 */
function partitionCheck(key: PartitionKeyIR, bound: PartitionBoundIR): string | null {
  const column = key.columns.length === 1 ? key.columns[0]! : null;
  // An expression key is kept as SQL text (`lower(code)`, or a column with an operator class after it).
  if (column === null || /[()\s]/.test(column)) return null;
  const c = quoteIdentifier(column);
  if (bound.kind === 'range') {
    const [from, to] = [bound.from[0]!, bound.to[0]!];
    const open = (v: string) => /^(MINVALUE|MAXVALUE)$/i.test(v);
    return [`${c} IS NOT NULL`, ...(open(from) ? [] : [`${c} >= ${from}`]), ...(open(to) ? [] : [`${c} < ${to}`])].join(' AND ');
  }
  if (bound.kind === 'list') {
    const values = bound.values.filter((v) => !/^NULL$/i.test(v));
    const any = values.length > 0 ? `${c} = ANY (ARRAY[${values.join(', ')}])` : null;
    if (values.length < bound.values.length) return any ? `${c} IS NULL OR ${any}` : `${c} IS NULL`;
    return any ? `${c} IS NOT NULL AND ${any}` : null;
  }
  return null;
}

/**
 * Why adding `column` writes a value into every existing row (so PostgreSQL rewrites the table), or null: serial and
 * identity columns fill every row from their sequence, a stored generated column computes every row, and a default
 * calling a volatile function (gen_random_uuid(), clock_timestamp()...) is evaluated per row. A constant default, or
 * a stable one such as now(), is stored once in the catalog (PostgreSQL 11+).
 */
function addRewrites(column: ColumnIR): string | null {
  if (column.autoIncrement) return 'a serial column';
  if (column.identity !== undefined) return 'an identity column';
  if (column.type.kind === 'custom' && generatedParts(column.type.sql)?.stored === true) return 'a stored generated column';
  if (column.serverDefault === null) return null;
  // A schema-qualified call (public.uuid_generate_v4) is found by its last part.
  const called = [...namesIn(column.serverDefault, postgresSyntax, (w) => w.toLowerCase())].map((n) => n.replace(/^.*\./, '')).find((n) => VOLATILE_DEFAULT_FUNCTIONS.has(n));
  return called === undefined ? null : `a default calling ${called}()`;
}

export const postgresOnlineForms: OnlineForms = {
  addRewrites,
  notNullCheck: (column) => `${quoteIdentifier(column)} IS NOT NULL`,
  rewritesTable: (from, to) => !binaryCoercible(from, to),
  identifierLimit: 63,
  partitionCheck,
};
