/** Readable spellings of sequence options for describe.ts: ` (start 10, cycle)`, `identity always (increment 2)`. */
import type { IdentityIR, SequenceChanges, SequenceOptionsIR } from '../ir/ir.js';

const KEYS = ['start', 'increment', 'min', 'max', 'cache'] as const;

/** ` (start 10, cycle)`, or nothing when every option is at its default. */
export function optionsText(o: SequenceOptionsIR & { readonly ownedBy?: { table: string; column: string } | null }): string {
  const parts = KEYS.filter((k) => o[k] !== null).map((k) => `${k} ${o[k]}`);
  if (o.cycle) parts.push('cycle');
  if (o.ownedBy) parts.push(`owned by ${o.ownedBy.table}.${o.ownedBy.column}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/** `identity always (start 10)`, `identity by default`, or `no identity`. */
export function identityText(i: IdentityIR | null): string {
  return i === null ? 'no identity' : `identity ${i.always ? 'always' : 'by default'}${optionsText(i)}`;
}

/** `start 10, owned by t.c` for the facets a change names (`default` for null), or `?` when unknown. */
export function changesText(c: SequenceChanges | undefined): string {
  if (c === undefined) return '?';
  const parts: string[] = KEYS.filter((k) => c[k] !== undefined).map((k) => `${k} ${c[k] ?? 'default'}`);
  if (c.cycle !== undefined) parts.push(c.cycle ? 'cycle' : 'no cycle');
  if (c.ownedBy !== undefined) parts.push(c.ownedBy === null ? 'no owner' : `owned by ${c.ownedBy.table}.${c.ownedBy.column}`);
  return parts.join(', ');
}
