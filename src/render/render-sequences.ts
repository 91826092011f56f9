/**
 * Sequences and identity options rendered back to the DSL and the op API: `{ start: 1000, cycle: true }`,
 * values as numbers where a number holds them exactly and as strings past that (2^53).
 */
import type { IdentityIR, SequenceChanges, SequenceOptionsIR, SequenceOwnerIR } from '../ir/ir.js';
import type { OperationOf } from '../operations/operations.js';
import { objectLiteral, quoteString } from './literal.js';

const VALUE_KEYS = ['start', 'increment', 'min', 'max', 'cache'] as const;

function value(v: string | null): string {
  if (v === null) return 'null';
  return Number.isSafeInteger(Number(v)) ? String(Number(v)) : quoteString(v);
}

const owner = (o: SequenceOwnerIR | null) => (o === null ? 'null' : quoteString(`${o.table}.${o.column}`));

/** The entries of options away from their defaults (`start: 10`, `cycle: true`). */
export function optionEntries(o: SequenceOptionsIR): [string, string][] {
  const out: [string, string][] = [];
  for (const k of VALUE_KEYS) if (o[k] !== null) out.push([k, value(o[k])]);
  if (o.cycle) out.push(['cycle', 'true']);
  return out;
}

/** `.generatedAlwaysAsIdentity({ start: 10 })` after a column's builder. */
export function identityCall(i: IdentityIR): string {
  const entries = optionEntries(i);
  return `.${i.always ? 'generatedAlwaysAsIdentity' : 'generatedByDefaultAsIdentity'}(${entries.length > 0 ? objectLiteral(entries) : ''})`;
}

/** op.alterColumn's `identity:` value: `{ always: true, start: 10 }` or null. */
export function identityValue(i: IdentityIR | null): string {
  return i === null ? 'null' : objectLiteral([['always', String(i.always)], ...optionEntries(i)]);
}

function changeEntries(c: SequenceChanges): [string, string][] {
  const out: [string, string][] = [];
  for (const k of VALUE_KEYS) if (c[k] !== undefined) out.push([k, value(c[k] ?? null)]);
  if (c.cycle !== undefined) out.push(['cycle', String(c.cycle)]);
  if (c.ownedBy !== undefined) out.push(['ownedBy', owner(c.ownedBy)]);
  return out;
}

/** The op call of a sequence operation. */
export function renderSequenceOp(o: OperationOf<'createSequence' | 'dropSequence' | 'alterSequence'>): string {
  switch (o.kind) {
    case 'createSequence': {
      const entries = [...optionEntries(o.sequence), ...(o.sequence.ownedBy !== null ? [['ownedBy', owner(o.sequence.ownedBy)] as [string, string]] : [])];
      return `op.createSequence(${[quoteString(o.sequence.name), ...(entries.length > 0 ? [objectLiteral(entries)] : [])].join(', ')});`;
    }
    case 'dropSequence':
      return `op.dropSequence(${quoteString(o.name)});`;
    case 'alterSequence': {
      const entries = changeEntries(o.to);
      if (o.from !== undefined) entries.push(['existing', objectLiteral(changeEntries(o.from))]);
      return `op.alterSequence(${quoteString(o.name)}, ${objectLiteral(entries)});`;
    }
  }
}
