/**
 * The benchmark's schema and revision history as plain data, so that the
 * Retort writer and the Alembic writer describe exactly the same tables,
 * constraints and steps, and both tools do identical work.
 */
import { createHash } from 'node:crypto';

/**
 * How a generated schema is laid out. `star` keeps the FK graph shallow (Alembic survives it), `chain` makes table i
 * reference table i-1; both give every table one column of each kind. `enums` is issue 24's second schema: 8 columns
 * of mixed types a table, two of them enums of the ten shared types, a `now()` default, and an FK to an earlier table
 * (table i references table (i-1)/2, so the FK graph is a tree of depth log2 N, which Alembic's reflection survives).
 */
export type SchemaLayout = 'star' | 'chain' | 'enums';

/** Column kinds the generated tables use; every table has one of each. */
export type BenchColumnKind = 'serial' | 'integer' | 'bigint' | 'varchar' | 'text' | 'boolean' | 'numeric' | 'timestamptz' | 'jsonb' | 'enum' | 'fk';

/** BenchColumn is one column of a generated table. */
export interface BenchColumn {
  readonly name: string;
  readonly kind: BenchColumnKind;
  readonly notNull: boolean;
  /** An enum column's type, when not its table's `enumName`. */
  readonly enumName?: string;
}

/** BenchTable is one generated table: its columns, the enum it uses, its FK parent, one index and one unique constraint. */
export interface BenchTable {
  readonly name: string;
  readonly columns: readonly BenchColumn[];
  readonly enumName: string;
  /** The referenced table, or null for the first table. */
  readonly parent: string | null;
  readonly fkName: string;
  readonly indexName: string;
  readonly uniqueName: string;
}

/** BenchEnum is one of the shared enum types. */
export interface BenchEnum {
  readonly name: string;
  readonly values: readonly string[];
}

/** BenchSchema is a generated N-table schema. */
export interface BenchSchema {
  readonly enums: readonly BenchEnum[];
  readonly tables: readonly BenchTable[];
}

export const ENUM_COUNT = 10;

/** The shared enums every schema declares. */
export function benchEnums(): BenchEnum[] {
  return Array.from({ length: ENUM_COUNT }, (_, k) => ({ name: `bench_e${k}`, values: ['a', 'b', 'c', `v${k}`] }));
}

/** The parent of table i: star keeps depth at most 5 by pointing at one of the first five tables. */
function parentIndex(i: number, layout: SchemaLayout): number | null {
  if (i === 0) return null;
  if (layout === 'enums') return Math.floor((i - 1) / 2);
  return layout === 'chain' ? i - 1 : (i - 1) % Math.min(i, 5);
}

/** The columns of table i: one of each kind, or issue 24's eight (`enums`: two enum columns of different shared types). */
function tableColumns(i: number, layout: SchemaLayout, hasParent: boolean): BenchColumn[] {
  const fk: BenchColumn[] = hasParent ? [{ name: 'parent_id', kind: 'fk', notNull: false }] : [];
  if (layout === 'enums') {
    return [
      { name: 'id', kind: 'serial', notNull: true },
      { name: 'code', kind: 'integer', notNull: true },
      { name: 'title', kind: 'varchar', notNull: true },
      { name: 'status', kind: 'enum', notNull: true },
      { name: 'kind', kind: 'enum', notNull: false, enumName: `bench_e${(i + 3) % ENUM_COUNT}` },
      { name: 'amount', kind: 'numeric', notNull: false },
      { name: 'created_at', kind: 'timestamptz', notNull: true },
      ...fk,
    ];
  }
  return [
    { name: 'id', kind: 'serial', notNull: true },
    { name: 'code', kind: 'integer', notNull: true },
    { name: 'big', kind: 'bigint', notNull: false },
    { name: 'title', kind: 'varchar', notNull: true },
    { name: 'body', kind: 'text', notNull: false },
    { name: 'active', kind: 'boolean', notNull: false },
    { name: 'amount', kind: 'numeric', notNull: false },
    { name: 'created_at', kind: 'timestamptz', notNull: true },
    { name: 'data', kind: 'jsonb', notNull: false },
    { name: 'status', kind: 'enum', notNull: false },
    ...fk,
  ];
}

/** The table name for index i; zero-padded so files and listings sort as numbers. */
export const tableName = (i: number): string => `t${String(i).padStart(5, '0')}`;

/** Builds an N-table schema with the given layout. */
export function benchSchema(n: number, layout: SchemaLayout): BenchSchema {
  const tables: BenchTable[] = [];
  for (let i = 0; i < n; i++) {
    const name = tableName(i);
    const p = parentIndex(i, layout);
    tables.push({
      name,
      columns: tableColumns(i, layout, p !== null),
      enumName: `bench_e${i % ENUM_COUNT}`,
      parent: p === null ? null : tableName(p),
      fkName: `fk_${name}_parent_id`,
      indexName: `ix_${name}_code`,
      uniqueName: `uq_${name}_title`,
    });
  }
  return { enums: benchEnums(), tables };
}

/** BenchStep is one small revision: create a table, or add a column to the table the previous step created. */
export type BenchStep =
  | { readonly kind: 'createTable'; readonly table: string }
  | { readonly kind: 'addColumn'; readonly table: string; readonly column: string };

/** BenchRevision is one revision of the linear history. */
export interface BenchRevision {
  readonly id: string;
  readonly parent: string | null;
  readonly index: number;
  readonly step: BenchStep;
}

/** A deterministic 12-hex revision id, so reruns produce the same files (and compile caches stay warm). */
export function revisionId(i: number): string {
  return createHash('sha1').update(`bench-revision-${i}`).digest('hex').slice(0, 12);
}

/**
 * What the revisions of a history do. `mixed`: alternately create table r_k (serial key, three
 * columns) and add a column to it, so half the revisions create a table, which costs the server
 * several milliseconds each (files on disk, a sequence, an index). `light`: one table per 50
 * revisions, a column added to it by the others, so the server's share is small and each tool's
 * own cost per revision shows.
 */
export type HistoryKind = 'mixed' | 'light';

/** Builds M linear revisions of the given kind. */
export function benchRevisions(m: number, kind: HistoryKind = 'mixed'): BenchRevision[] {
  const out: BenchRevision[] = [];
  const name = (i: number) => `${kind === 'mixed' ? 'r' : 'l'}${String(i).padStart(5, '0')}`;
  for (let i = 0; i < m; i++) {
    const every = kind === 'mixed' ? 2 : 50;
    const first = i - (i % every);
    const step: BenchStep = i === first ? { kind: 'createTable', table: name(i) } : { kind: 'addColumn', table: name(first), column: kind === 'mixed' ? 'extra' : `c${String(i).padStart(5, '0')}` };
    out.push({ id: revisionId(i), parent: i === 0 ? null : revisionId(i - 1), index: i, step });
  }
  return out;
}
