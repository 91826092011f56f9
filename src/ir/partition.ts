/**
 * Partitioned tables and exclusion constraints in the Schema IR (PostgreSQL's; SQLite has neither and refuses
 * models that declare them). A partitioned table carries its key (`partitionBy`); a partition is a table whose
 * columns come from its parent: its TableIR has no columns of its own, only its parent, its bound, and the keys,
 * indexes and checks declared on it alone (those of the parent, which PostgreSQL copies onto each partition, are
 * never repeated). Values and expressions are SQL text as the database prints them once read back.
 */

/** PARTITION BY RANGE / LIST / HASH over columns or expressions. */
export interface PartitionKeyIR {
  readonly strategy: 'range' | 'list' | 'hash';
  /** Column names, or SQL expressions (with any COLLATE or operator class after them), in key order. */
  readonly columns: readonly string[];
}

/**
 * A partition's bound. Values are SQL (`'2022-01-01'`, `10`, `MINVALUE`, `NULL`): as declared until the dialect
 * gives the server's spelling (`'2022-01-01 00:00:00+00'` for a timestamptz key).
 */
export type PartitionBoundIR =
  | { readonly kind: 'range'; readonly from: readonly string[]; readonly to: readonly string[] }
  | { readonly kind: 'list'; readonly values: readonly string[] }
  | { readonly kind: 'hash'; readonly modulus: number; readonly remainder: number }
  | { readonly kind: 'default' };

/** Which table a partition belongs to, and for which values. */
export interface PartitionOfIR {
  readonly parent: string;
  readonly bound: PartitionBoundIR;
}

/** One element of an exclusion constraint: a column or expression and the operator two rows must not both satisfy. */
export interface ExclusionElementIR {
  readonly expression: string;
  readonly operator: string;
}

/** ExclusionIR is an EXCLUDE constraint: no two rows have every element's operator true between them. */
export interface ExclusionIR {
  readonly name: string;
  /** The index method (`gist`, `spgist`, `btree`, `hash`). */
  readonly method: string;
  readonly elements: readonly ExclusionElementIR[];
  /** A partial constraint's WHERE, or null. */
  readonly where: string | null;
  /** Declared without a name; as on UniqueIR. */
  readonly autoNamed?: boolean;
}

/** A bound as one line of text (messages, summaries): `FROM ('2022-01-01') TO ('2022-02-01')`, `IN (1, 2)`, `DEFAULT`. */
export function boundText(b: PartitionBoundIR): string {
  switch (b.kind) {
    case 'range': return `FROM (${b.from.join(', ')}) TO (${b.to.join(', ')})`;
    case 'list': return `IN (${b.values.join(', ')})`;
    case 'hash': return `WITH (MODULUS ${b.modulus}, REMAINDER ${b.remainder})`;
    case 'default': return 'DEFAULT';
  }
}

/** A key as one line of text: `RANGE (payment_date)`. */
export function partitionKeyText(k: PartitionKeyIR): string {
  return `${k.strategy.toUpperCase()} (${k.columns.join(', ')})`;
}

/** An exclusion constraint as one line of text: `USING gist (room WITH =, during WITH &&)`. */
export function exclusionText(x: ExclusionIR): string {
  return `USING ${x.method} (${x.elements.map((e) => `${e.expression} WITH ${e.operator}`).join(', ')})${x.where === null ? '' : ` WHERE (${x.where})`}`;
}
