/**
 * Sequence options (a free-standing sequence's, an identity column's) from what models write to the IR, checked
 * where the database would refuse them, so the mistake is named in the model rather than in a failed revision.
 */
import { RetortError } from '../errors.js';
import type { IdentityIR, SequenceChanges, SequenceOptionsIR, SequenceOwnerIR } from '../ir/ir.js';
import type { SequenceOptionsInput } from './dsl.js';

const INTEGER = /^-?(0|[1-9][0-9]*)$/;

function integerText(v: number | bigint | string | undefined, what: string, where: string): string | null {
  if (v === undefined) return null;
  const text = typeof v === 'string' ? v.trim() : String(v);
  if ((typeof v === 'number' && !Number.isSafeInteger(v)) || !INTEGER.test(text)) {
    throw new RetortError('MODEL', `${where}: ${what} must be a whole number (got ${JSON.stringify(String(v))})`, { hint: 'write an integer; past 2^53 write it as a bigint (10n) or a string' });
  }
  if (BigInt(text) > 9223372036854775807n || BigInt(text) < -9223372036854775808n) throw new RetortError('MODEL', `${where}: ${what} ${text} is outside the 64-bit range a sequence has`);
  return text;
}

/** The IR options of what models wrote, checked: whole numbers, an increment other than zero, a cache of at least one. */
export function sequenceOptionsIR(o: SequenceOptionsInput, where: string): SequenceOptionsIR {
  const out: SequenceOptionsIR = {
    start: integerText(o.start, 'start', where),
    increment: integerText(o.increment, 'increment', where),
    min: integerText(o.min, 'min', where),
    max: integerText(o.max, 'max', where),
    cache: integerText(o.cache, 'cache', where),
    cycle: o.cycle === true,
  };
  if (out.increment !== null && BigInt(out.increment) === 0n) throw new RetortError('MODEL', `${where}: increment cannot be 0`);
  if (out.cache !== null && BigInt(out.cache) < 1n) throw new RetortError('MODEL', `${where}: cache must be at least 1 (got ${out.cache})`);
  if (out.min !== null && out.max !== null && BigInt(out.min) >= BigInt(out.max)) throw new RetortError('MODEL', `${where}: min (${out.min}) must be less than max (${out.max})`);
  return out;
}

/** The IR of an identity column's declaration. */
export function identityIR(identity: { readonly always: boolean; readonly options: SequenceOptionsInput }, where: string): IdentityIR {
  return { always: identity.always, ...sequenceOptionsIR(identity.options, where) };
}

/** Sequence options as an alteration names them: a value, null for the default, absent for unchanged. */
export type SequenceChangesInput = { readonly [K in 'start' | 'increment' | 'min' | 'max' | 'cache']?: number | bigint | string | null } & {
  readonly cycle?: boolean;
  /** `'table.column'`, or null for no owner. */
  readonly ownedBy?: string | null;
};

/** The IR changes an alteration names (see SequenceChangesInput), checked as sequenceOptionsIR checks options. */
export function sequenceChangesIR(c: SequenceChangesInput, where: string): SequenceChanges {
  const out: { -readonly [K in keyof SequenceChanges]: SequenceChanges[K] } = {};
  for (const k of ['start', 'increment', 'min', 'max', 'cache'] as const) {
    const v = c[k];
    if (v !== undefined) out[k] = v === null ? null : integerText(v, k, where);
  }
  if (c.cycle !== undefined) out.cycle = c.cycle;
  if (c.ownedBy !== undefined) out.ownedBy = c.ownedBy === null ? null : ownerOf(c.ownedBy, where);
  return out;
}

/** `'table.column'` as an owner. */
export function ownerOf(text: string, where: string): SequenceOwnerIR {
  const dot = text.lastIndexOf('.');
  if (dot <= 0 || dot === text.length - 1) throw new RetortError('USAGE', `${where}: ownedBy '${text}' must name a column as "table.column"`);
  return { table: text.slice(0, dot), column: text.slice(dot + 1) };
}
