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
 * `objects` is star's N tables plus the other object kinds of the whole-schema issues (issue 24's fourth case): per
 * 1000 tables 100 views, 50 functions, 50 triggers, 100 sequences and 20 partitioned tables of 5 partitions each,
 * beside the N (see benchObjects).
 */
export type SchemaLayout = 'star' | 'chain' | 'enums' | 'objects';

/** Every layout, in the order the bench runs them. */
export const LAYOUTS: readonly SchemaLayout[] = ['star', 'chain', 'enums', 'objects'];

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

/** BenchView is a view over one table, a join of a table and its FK parent, or a view over an earlier view. */
export interface BenchView {
  readonly name: string;
  /** The query, written as a user would (lower case, unqualified): PostgreSQL prints it back its own way. */
  readonly query: string;
  /** The earlier view the query reads, if any (the Retort writer puts it into the query as a reference). */
  readonly over: string | null;
}

/** BenchFunction is a SQL function of one integer, or a plpgsql trigger function (PostgreSQL only). */
export interface BenchFunction {
  readonly name: string;
  readonly kind: 'sql' | 'trigger';
  readonly body: string;
}

/**
 * BenchTrigger is a row trigger on one table: on PostgreSQL BEFORE INSERT OR UPDATE executing `fn`; on SQLite
 * (which has one event a trigger and no functions) AFTER INSERT running `sqliteBody`.
 */
export interface BenchTrigger {
  readonly name: string;
  readonly table: string;
  readonly fn: string;
  readonly sqliteBody: string;
}

/** BenchSequence is a free-standing sequence (PostgreSQL only), some with options, some OWNED BY a column. */
export interface BenchSequence {
  readonly name: string;
  readonly start: number | null;
  readonly increment: number | null;
  /** 'table.column', or null. */
  readonly ownedBy: string | null;
}

/** BenchPartition is one partition of a partitioned table, with its bound as the DSL writes it. */
export interface BenchPartition {
  readonly name: string;
  /** RANGE: [from, to) of a date; LIST: the region codes. */
  readonly bound: { readonly from: string; readonly to: string } | { readonly in: readonly string[] };
}

/**
 * BenchPartitioned is a partitioned table (PostgreSQL only): id bigint, region text, created_on date, amount
 * numeric(12,2), a primary key of id and the partition key, an index on amount; by RANGE of created_on or by LIST
 * of region.
 */
export interface BenchPartitioned {
  readonly name: string;
  readonly strategy: 'range' | 'list';
  readonly key: 'created_on' | 'region';
  readonly partitions: readonly BenchPartition[];
}

/** The object kinds beside the tables (the `objects` layout); the writers leave out what a dialect lacks. */
export interface BenchObjects {
  readonly views: readonly BenchView[];
  readonly functions: readonly BenchFunction[];
  readonly triggers: readonly BenchTrigger[];
  readonly sequences: readonly BenchSequence[];
  readonly partitioned: readonly BenchPartitioned[];
}

/** BenchSchema is a generated N-table schema. */
export interface BenchSchema {
  readonly enums: readonly BenchEnum[];
  readonly tables: readonly BenchTable[];
  /** The `objects` layout's other kinds. */
  readonly objects?: BenchObjects;
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
  // objects keeps star's tables, so the two layouts differ only by the other kinds.
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
  return layout === 'objects' ? { enums: benchEnums(), tables, objects: benchObjects(tables) } : { enums: benchEnums(), tables };
}

/** What the objects layout has per 1000 tables; smaller N scale down (at least one of each). */
const PER_1000 = { views: 100, functions: 50, triggers: 50, sequences: 100, partitioned: 20 } as const;
const PARTITIONS = 5;

const scaled = (n: number, per1000: number): number => Math.max(1, Math.round((n * per1000) / 1000));
const objectName = (prefix: string, k: number): string => `${prefix}${String(k).padStart(4, '0')}`;

/**
 * Views: every tenth view reads an earlier view (v_k over v_(k-5)), every fifth other one joins a table to its FK
 * parent, the rest read one table. Tables are spread over the schema (table k * N / views).
 */
function benchViews(tables: readonly BenchTable[], count: number): BenchView[] {
  const out: BenchView[] = [];
  for (let k = 0; k < count; k++) {
    const name = objectName('v', k);
    const t = tables[Math.floor((k * tables.length) / count)]!;
    if (k % 10 === 9 && k >= 5) {
      const over = out[k - 5]!.name;
      out.push({ name, query: `select id, code from ${over} where code > ${k}`, over });
    } else if (k % 5 === 4 && t.parent) {
      out.push({ name, query: `select a.id, a.code, b.title as parent_title from ${t.name} a join ${t.parent} b on b.id = a.parent_id`, over: null });
    } else {
      out.push({ name, query: `select id, code, title from ${t.name} where code > ${k}`, over: null });
    }
  }
  return out;
}

/** Functions: the first half plpgsql trigger functions (each used by two triggers), the rest SQL functions. */
function benchFunctions(count: number): BenchFunction[] {
  const triggerFns = Math.ceil(count / 2);
  return Array.from({ length: count }, (_, k) =>
    k < triggerFns
      ? { name: objectName('f_touch', k), kind: 'trigger' as const, body: `BEGIN NEW.big := coalesce(NEW.big, 0) + ${k}; RETURN NEW; END` }
      : { name: objectName('f_add', k), kind: 'sql' as const, body: `SELECT x + ${k}` });
}

/** Triggers on tables spread over the schema; trigger k executes trigger function k / 2 (k mod the count of them). */
function benchTriggers(tables: readonly BenchTable[], fns: readonly BenchFunction[], count: number): BenchTrigger[] {
  const touch = fns.filter((f) => f.kind === 'trigger');
  return Array.from({ length: count }, (_, k) => {
    const t = tables[Math.floor((k * tables.length) / count)]!;
    return {
      name: objectName('trg', k),
      table: t.name,
      fn: touch[Math.floor(k / 2) % touch.length]!.name,
      sqliteBody: `UPDATE ${t.name} SET big = coalesce(NEW.big, 0) + ${k} WHERE id = NEW.id;`,
    };
  });
}

/** Sequences: every other one with a start and an increment, every fourth OWNED BY a table's `big` column. */
function benchSequences(tables: readonly BenchTable[], count: number): BenchSequence[] {
  return Array.from({ length: count }, (_, k) => ({
    name: objectName('s', k),
    start: k % 2 === 0 ? 100 + k : null,
    increment: k % 2 === 0 ? 1 + (k % 7) : null,
    ownedBy: k % 4 === 0 ? `${tables[Math.floor((k * tables.length) / count)]!.name}.big` : null,
  }));
}

/** Partitioned tables: even ones by RANGE of created_on (a year a partition), odd ones by LIST of region. */
function benchPartitioned(count: number): BenchPartitioned[] {
  return Array.from({ length: count }, (_, k) => {
    const name = objectName('p', k);
    const byRange = k % 2 === 0;
    const partitions = Array.from({ length: PARTITIONS }, (_, j): BenchPartition => ({
      name: `${name}_${j}`,
      bound: byRange ? { from: `${2020 + j}-01-01`, to: `${2021 + j}-01-01` } : { in: [`r${2 * j}`, `r${2 * j + 1}`] },
    }));
    return { name, strategy: byRange ? 'range' : 'list', key: byRange ? 'created_on' : 'region', partitions };
  });
}

/** The other kinds of the objects layout for `tables`, counted per 1000 tables (PER_1000). */
export function benchObjects(tables: readonly BenchTable[]): BenchObjects {
  const n = tables.length;
  const functions = benchFunctions(scaled(n, PER_1000.functions));
  return {
    views: benchViews(tables, scaled(n, PER_1000.views)),
    functions,
    triggers: benchTriggers(tables, functions, scaled(n, PER_1000.triggers)),
    sequences: benchSequences(tables, scaled(n, PER_1000.sequences)),
    partitioned: benchPartitioned(scaled(n, PER_1000.partitioned)),
  };
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
