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
  if (partitioningDiffers(declared, live)) return true;
  const liveChecks = new Map(live.checks.map((c) => [c.name, c.expression]));
  if (declared.checks.some((c) => liveChecks.has(c.name) && liveChecks.get(c.name) !== c.expression)) return true;
  const liveColumns = new Map(live.columns.map((c) => [c.name, c]));
  if (declared.columns.some((c) => defaultsDiffer(c, liveColumns.get(c.name)) || customTypeDiffers(c, liveColumns.get(c.name)))) return true;
  const liveIndexes = new Map(live.indexes.map((ix) => [ix.name, ix]));
  return declared.indexes.some((ix) => {
    const l = liveIndexes.get(ix.name);
    return l !== undefined && hasExpressions(ix, declared) && !sameExpressions(ix, l);
  });
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
