/**
 * Partitions and exclusion constraints as TypeScript: a bound as partitionOf() and op.attachPartition take it
 * (`{ from: '2022-01-01', to: '2022-02-01' }`), a key as partitionBy() and an exclusion as exclude() (table extras).
 */
import type { ExclusionIR, PartitionBoundIR, PartitionKeyIR } from '../ir/ir.js';
import { quoteString, sqlTemplate } from './literal.js';
import type { Imports } from './render-column.js';

/** One bound value (SQL text) as the DSL takes it: a string literal as a string, a plain number as a number, else sql``. */
export function renderBoundValue(v: string, imports: Imports): string {
  const s = /^'((?:[^']|'')*)'$/.exec(v);
  if (s) return quoteString(s[1]!.replace(/''/g, "'"));
  if (/^-?(0|[1-9]\d{0,14})$/.test(v)) return v;
  if (v === 'true' || v === 'false') return v;
  if (/^NULL$/i.test(v)) return 'null';
  if (/^(MINVALUE|MAXVALUE)$/i.test(v)) { imports.add(v.toUpperCase()); return v.toUpperCase(); }
  imports.add('sql');
  return sqlTemplate(v);
}

/** A bound as partitionOf() and op.attachPartition() take it. */
export function renderBound(b: PartitionBoundIR, imports: Imports): string {
  const values = (xs: readonly string[]) => (xs.length === 1 ? renderBoundValue(xs[0]!, imports) : `[${xs.map((x) => renderBoundValue(x, imports)).join(', ')}]`);
  switch (b.kind) {
    case 'range': return `{ from: ${values(b.from)}, to: ${values(b.to)} }`;
    case 'list': return `{ in: [${b.values.map((x) => renderBoundValue(x, imports)).join(', ')}] }`;
    case 'hash': return `{ modulus: ${b.modulus}, remainder: ${b.remainder} }`;
    case 'default': return quoteString('default');
  }
}

/** How a table's extras name a column (`t.room`) or write an expression (sql`...`). */
export interface KeyWriter {
  readonly isColumn: (entry: string) => boolean;
  readonly ref: (column: string) => string;
  readonly sqlOf: (text: string) => string;
}

/** `partitionBy('range', t.payment_date)`. */
export function renderPartitionBy(k: PartitionKeyIR, w: KeyWriter, imports: Imports): string {
  imports.add('partitionBy');
  return `partitionBy(${quoteString(k.strategy)}, ${k.columns.map((c) => (w.isColumn(c) ? w.ref(c) : w.sqlOf(c))).join(', ')})`;
}

/** `exclude('name').using('gist').on([t.room, '='], [t.during, '&&'])`, with `.where(sql`...`)` when partial. */
export function renderExclusion(x: ExclusionIR, w: KeyWriter, imports: Imports): string {
  imports.add('exclude');
  const elements = x.elements.map((e) => `[${w.isColumn(e.expression) ? w.ref(e.expression) : w.sqlOf(e.expression)}, ${quoteString(e.operator)}]`).join(', ');
  return `exclude(${quoteString(x.name)}).using(${quoteString(x.method)}).on(${elements})${x.where === null ? '' : `.where(${w.sqlOf(x.where)})`}`;
}
