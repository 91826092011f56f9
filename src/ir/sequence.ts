/**
 * Sequences in the Schema IR: free-standing sequences (CREATE SEQUENCE) and the sequence behind an identity
 * column. Values are decimal text, not numbers: a sequence's bounds reach 2^63 - 1, past what a JavaScript
 * number holds exactly. An option left null is the database's default for it, so a declaration that names
 * a default explicitly and one that leaves it out compare equal once the dialect has normalised both.
 */

/** The options a sequence is created with; null is the default. */
export interface SequenceOptionsIR {
  readonly start: string | null;
  readonly increment: string | null;
  readonly min: string | null;
  readonly max: string | null;
  readonly cache: string | null;
  readonly cycle: boolean;
}

/** The column a sequence belongs to (OWNED BY): dropping the column or its table drops the sequence. */
export interface SequenceOwnerIR {
  readonly table: string;
  readonly column: string;
}

/** SequenceIR is a free-standing sequence (not the one a serial or identity column owns, which is part of its column). */
export interface SequenceIR extends SequenceOptionsIR {
  readonly name: string;
  readonly ownedBy: SequenceOwnerIR | null;
  /** COMMENT ON SEQUENCE; absent means none. */
  readonly comment?: string;
  /** The models' rename hint (`sequence(..., { renamedFrom: 'old' })`): its previous name. Only declared schemas carry it. */
  readonly renamedFrom?: string;
}

/** IdentityIR is a column's GENERATED ALWAYS / BY DEFAULT AS IDENTITY with its sequence's options. */
export interface IdentityIR extends SequenceOptionsIR {
  /** true: GENERATED ALWAYS (an explicit value is refused unless OVERRIDING SYSTEM VALUE); false: BY DEFAULT. */
  readonly always: boolean;
}

/** The option keys, in the order they are written and compared. */
export const SEQUENCE_OPTION_KEYS = ['start', 'increment', 'min', 'max', 'cache', 'cycle'] as const;

/** The changeable facets of a sequence; absent means unchanged. */
export type SequenceChanges = { readonly [K in keyof SequenceOptionsIR]?: SequenceOptionsIR[K] } & { readonly ownedBy?: SequenceOwnerIR | null };

/** Options with every field at its default. */
export const defaultSequenceOptions: SequenceOptionsIR = { start: null, increment: null, min: null, max: null, cache: null, cycle: false };

/** The options part of a sequence or identity. */
export function sequenceOptions(s: SequenceOptionsIR): SequenceOptionsIR {
  return { start: s.start, increment: s.increment, min: s.min, max: s.max, cache: s.cache, cycle: s.cycle };
}
