/**
 * Sequence options on PostgreSQL: the defaults CREATE SEQUENCE fills in (so that an option written out at its
 * default and one left out compare equal, and the catalog's full row reads back as what was declared), and the
 * option clauses of CREATE / ALTER SEQUENCE and of an identity column.
 */
import type { ColumnType, IdentityIR, SequenceChanges, SequenceIR, SequenceOptionsIR } from '../../ir/ir.js';

type IntegerKind = 'smallint' | 'integer' | 'bigint';

const TYPE_MAX: Record<IntegerKind, bigint> = { smallint: 32767n, integer: 2147483647n, bigint: 9223372036854775807n };

/** The integer kind of a column type that can back a sequence (bigint for anything else: a free-standing sequence's type). */
export function sequenceKind(type: ColumnType | null): IntegerKind {
  return type !== null && (type.kind === 'smallint' || type.kind === 'integer') ? type.kind : 'bigint';
}

/**
 * The options with every value at PostgreSQL's default left null: min 1 and max the type's largest going up,
 * the type's smallest and -1 going down, start at min going up and max going down, increment 1, cache 1.
 */
export function canonicalOptions(o: SequenceOptionsIR, kind: IntegerKind): SequenceOptionsIR {
  const inc = BigInt(o.increment ?? '1');
  const up = inc > 0n;
  const typeMax = TYPE_MAX[kind];
  const defMin = up ? 1n : -typeMax - 1n;
  const defMax = up ? typeMax : -1n;
  const min = o.min === null ? defMin : BigInt(o.min);
  const max = o.max === null ? defMax : BigInt(o.max);
  const start = o.start === null ? (up ? min : max) : BigInt(o.start);
  const orNull = (v: bigint, def: bigint) => (v === def ? null : v.toString());
  return {
    start: orNull(start, up ? min : max),
    increment: orNull(inc, 1n),
    min: orNull(min, defMin),
    max: orNull(max, defMax),
    cache: orNull(BigInt(o.cache ?? '1'), 1n),
    cycle: o.cycle,
  };
}

/** A free-standing sequence normalised (always bigint here: Retort declares no other sequence type). */
export function normalizeSequence(s: SequenceIR): SequenceIR {
  return { name: s.name, ...canonicalOptions(s, 'bigint'), ownedBy: s.ownedBy === null ? null : { table: s.ownedBy.table, column: s.ownedBy.column }, ...(s.renamedFrom !== undefined ? { renamedFrom: s.renamedFrom } : {}) };
}

/** An identity normalised for its column's type. */
export function normalizeIdentity(i: IdentityIR, type: ColumnType): IdentityIR {
  return { always: i.always, ...canonicalOptions(i, sequenceKind(type)) };
}

/** The option clauses of CREATE SEQUENCE or an identity's parenthesised list: only those away from their default. */
export function createOptionsSql(o: SequenceOptionsIR): string[] {
  const out: string[] = [];
  if (o.increment !== null) out.push(`INCREMENT BY ${o.increment}`);
  if (o.min !== null) out.push(`MINVALUE ${o.min}`);
  if (o.max !== null) out.push(`MAXVALUE ${o.max}`);
  if (o.start !== null) out.push(`START WITH ${o.start}`);
  if (o.cache !== null) out.push(`CACHE ${o.cache}`);
  if (o.cycle) out.push('CYCLE');
  return out;
}

/**
 * The option clauses of ALTER SEQUENCE (or of an identity's SET list) for the options `to` names. The differ
 * names increment, min, max and start together when one of them changes: PostgreSQL keeps the old bounds when
 * the direction turns, where CREATE would pick the new direction's, so they are written out. A start back at
 * its default is written as that default (START WITH has no NO form). START WITH only sets what RESTART goes
 * back to: the sequence's current value is kept.
 */
export function alterOptionsSql(to: SequenceChanges, prefix = ''): string[] {
  const out: string[] = [];
  const down = (to.increment ?? '1').startsWith('-');
  if (to.increment !== undefined) out.push(`INCREMENT BY ${to.increment ?? '1'}`);
  if (to.min !== undefined) out.push(to.min === null ? 'NO MINVALUE' : `MINVALUE ${to.min}`);
  if (to.max !== undefined) out.push(to.max === null ? 'NO MAXVALUE' : `MAXVALUE ${to.max}`);
  if (to.start !== undefined) out.push(`START WITH ${to.start ?? (down ? (to.max ?? '-1') : (to.min ?? '1'))}`);
  if (to.cache !== undefined) out.push(`CACHE ${to.cache ?? '1'}`);
  if (to.cycle !== undefined) out.push(to.cycle ? 'CYCLE' : 'NO CYCLE');
  return out.map((c) => prefix + c);
}
