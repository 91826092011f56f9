/**
 * Whether a declared table's expressions (checks, defaults, index expressions, partitioning, custom types) differ
 * textually from the live table's after normalisation: the tables postgres-canonicalize.ts asks the server about.
 */
import type { ColumnIR, ColumnType, IndexIR, TableIR } from '../../ir/ir.js';
import { sameIR } from '../../ir/ir-util.js';
import { typeSql } from './postgres-sql.js';

/**
 * True when a check, a server default or an index's expressions differ textually between two versions of a
 * table, or a column declared with a custom type (`customType('timestamptz(3)')`) reads back spelled otherwise.
 */
export function hasExpressionMismatch(declared: TableIR, live: TableIR): boolean {
  if ((declared.partitionBy || declared.partitionOf || declared.excludes) && partitioningDiffers(declared, live)) return true;
  // Lookups by name without maps: a table's lists are short, and both sides usually hold them in the same order
  // (this runs for every table of every comparison).
  for (let i = 0; i < declared.checks.length; i++) {
    const c = declared.checks[i]!;
    const l = named(live.checks, c.name, i);
    if (l !== undefined && l.expression !== c.expression) return true;
  }
  for (let i = 0; i < declared.columns.length; i++) {
    const c = declared.columns[i]!;
    if (c.serverDefault === null && !hasCustomType(c.type)) continue;
    const l = named(live.columns, c.name, i);
    if (defaultsDiffer(c, l) || customTypeDiffers(c, l)) return true;
  }
  for (let i = 0; i < declared.indexes.length; i++) {
    const ix = declared.indexes[i]!;
    const l = named(live.indexes, ix.name, i);
    if (l !== undefined && hasExpressions(ix, declared) && !sameExpressions(ix, l)) return true;
  }
  return false;
}

/** The item called `name`, looked for at `at` first. */
function named<T extends { readonly name: string }>(items: readonly T[], name: string, at: number): T | undefined {
  const guess = items[at];
  return guess !== undefined && guess.name === name ? guess : items.find((x) => x.name === name);
}

/** A partition key, a bound or an exclusion constraint of the same name spelled otherwise (`'2022-01-01'` against `'2022-01-01 00:00:00+00'`). */
function partitioningDiffers(declared: TableIR, live: TableIR): boolean {
  if (declared.partitionBy && live.partitionBy && !sameIR(declared.partitionBy, live.partitionBy)) return true;
  if (declared.partitionOf && live.partitionOf && !sameIR(declared.partitionOf, live.partitionOf)) return true;
  const liveExcludes = new Map((live.excludes ?? []).map((x) => [x.name, x]));
  return (declared.excludes ?? []).some((x) => { const l = liveExcludes.get(x.name); return l !== undefined && !sameIR({ ...x, autoNamed: undefined }, { ...l, autoNamed: undefined }); });
}

function defaultsDiffer(declared: ColumnIR, live: ColumnIR | undefined): boolean {
  return live !== undefined && declared.serverDefault !== null && live.serverDefault !== null && declared.serverDefault !== live.serverDefault;
}

// Only custom types: the types Retort knows are already in one spelling on both sides.
function customTypeDiffers(declared: ColumnIR, live: ColumnIR | undefined): boolean {
  return live !== undefined && hasCustomType(declared.type) && typeSql(declared.type) !== typeSql(live.type);
}

export function hasCustomType(type: ColumnType): boolean {
  return type.kind === 'custom' || (type.kind === 'array' && hasCustomType(type.element));
}

export function hasExpressions(ix: IndexIR, t: TableIR): boolean {
  return ix.where !== null || ix.columns.some((c) => !t.columns.some((col) => col.name === c));
}

export function sameExpressions(a: IndexIR, b: IndexIR): boolean {
  return a.where === b.where && a.columns.length === b.columns.length && a.columns.every((c, i) => c === b.columns[i]);
}
