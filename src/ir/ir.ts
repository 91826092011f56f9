/**
 * The Schema IR: the one dialect-neutral description of a database schema.
 *
 * Declared models and the introspected live database both become a `SchemaIR`,
 * each normalised by its dialect, and autogenerate compares two of them. Every
 * field is plain readonly data so that IRs can be built, compared, copied and
 * printed without knowing where they came from.
 */

import type { IdentityIR, SequenceIR } from './sequence.js';
import type { FunctionIR, TriggerIR } from './routine.js';
import type { DomainIR, ExtensionIR } from './domain.js';
import type { ExclusionIR, PartitionKeyIR, PartitionOfIR } from './partition.js';
import type { PolicyIR } from './policy.js';

export type { IdentityIR, SequenceIR, SequenceOptionsIR, SequenceOwnerIR, SequenceChanges } from './sequence.js';
export type { AggregateIR, FunctionIR, FunctionUsers, TriggerEvent, TriggerIR, Volatility } from './routine.js';
export type { DomainIR, DomainCheckIR, DomainChanges, ExtensionIR, ExtensionChanges } from './domain.js';
export type { ExclusionElementIR, ExclusionIR, PartitionBoundIR, PartitionKeyIR, PartitionOfIR } from './partition.js';
export type { PolicyIR, PolicyCommand } from './policy.js';

/**
 * The types that take no parameters, each with the DSL builder that declares it (the models' vocabulary, spelled
 * by each dialect's typeSql). A new such type is a line here, its builder in models/column-builders.ts, and each
 * dialect's spelling and reading of it.
 */
export const SIMPLE_TYPES = {
  smallint: 'smallint',
  integer: 'integer',
  bigint: 'bigint',
  boolean: 'boolean',
  text: 'text',
  real: 'real',
  double: 'doublePrecision',
  date: 'date',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'jsonb',
  bytea: 'bytea',
} as const;

/** The kind of a type without parameters. */
export type SimpleTypeKind = keyof typeof SIMPLE_TYPES;

/** Whether a type is one of SIMPLE_TYPES. */
export function isSimpleType(t: ColumnType): t is { readonly kind: SimpleTypeKind } {
  return Object.hasOwn(SIMPLE_TYPES, t.kind);
}

/** ColumnType is a column's SQL type, tagged by `kind`. */
export type ColumnType =
  | { readonly kind: SimpleTypeKind }
  | { readonly kind: 'varchar'; readonly length: number | null }
  | { readonly kind: 'char'; readonly length: number | null }
  | { readonly kind: 'numeric'; readonly precision: number | null; readonly scale: number | null }
  | { readonly kind: 'time'; readonly withTimezone: boolean }
  | { readonly kind: 'timestamp'; readonly withTimezone: boolean }
  | { readonly kind: 'array'; readonly element: ColumnType }
  | { readonly kind: 'enum'; readonly name: string }
  /** A declared domain (PostgreSQL's CREATE DOMAIN), by name. */
  | { readonly kind: 'domain'; readonly name: string }
  /** A type Retort has no builder for, kept verbatim as the database spells it. */
  | { readonly kind: 'custom'; readonly sql: string };

export type ColumnTypeKind = ColumnType['kind'];

/** ColumnIR is one column of a table. */
export interface ColumnIR {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  /** Server default as a SQL expression (`now()`, `'UNDEFINED'`, `1`), or null. */
  readonly serverDefault: string | null;
  /** Filled by the database: `serial` on PostgreSQL, INTEGER PRIMARY KEY AUTOINCREMENT on SQLite (identity is `identity`). */
  readonly autoIncrement: boolean;
  readonly comment: string | null;
  /** GENERATED ... AS IDENTITY with its sequence's options; absent for other columns (serial is autoIncrement). */
  readonly identity?: IdentityIR;
  /** The column's collation where it is not the type's default (`C`, `NOCASE`); absent means the default. */
  readonly collation?: string;
  /**
   * The type's name as declared where the database keeps it and it differs from the dialect's spelling of `type`
   * (SQLite: `DATETIME` for a timestamp, from the table or from `customType('DATETIME')`). Never compared (`type`
   * is); DDL and rendering write it, so a rebuilt or re-created table keeps the name it was declared with.
   */
  readonly spelledAs?: string;
  /**
   * The models' rename hint (`.renamedFrom('old')`): the column's previous name. Only declared schemas carry it; the
   * differ reads it and strips it before comparing, so it never makes two schemas differ.
   */
  readonly renamedFrom?: string;
}

/** When a DEFERRABLE constraint is checked by default: at each statement (`immediate`) or at commit (`deferred`). */
export type Deferral = 'immediate' | 'deferred';

export type ReferentialAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

/** PrimaryKeyIR is a table's primary key; `name` is null where the database names it itself. */
export interface PrimaryKeyIR {
  readonly name: string | null;
  readonly columns: readonly string[];
  /** DEFERRABLE INITIALLY IMMEDIATE or DEFERRED (PostgreSQL), as on UniqueIR; absent: NOT DEFERRABLE. */
  readonly deferrable?: Deferral;
  /**
   * Declared without a name (`.unique()`, `index().on(...)`): `name` is the naming convention's, and the differ
   * matches it to the database's constraint or index of the same definition whatever the database calls it. Only
   * declared schemas carry it; the differ strips it before comparing, as it does `renamedFrom`.
   */
  readonly autoNamed?: boolean;
  /** COMMENT ON ...; absent means none. */
  readonly comment?: string;
  /** The models' rename hint (`.renamedFrom('old')` on a named declaration): its previous name, as on ColumnIR. */
  readonly renamedFrom?: string;
}

/** UniqueIR is a UNIQUE constraint. */
export interface UniqueIR {
  readonly name: string;
  readonly columns: readonly string[];
  /** NULLS NOT DISTINCT (PostgreSQL 15+): two NULLs count as equal; absent means the default, distinct. */
  readonly nullsNotDistinct?: boolean;
  /**
   * DEFERRABLE INITIALLY IMMEDIATE or DEFERRED (PostgreSQL), as on ForeignKeyIR; absent: NOT DEFERRABLE, checked at
   * each row. PostgreSQL cannot ALTER it on a unique constraint: a change is a drop and an add.
   */
  readonly deferrable?: Deferral;
  /**
   * Declared without a name (`.unique()`, `index().on(...)`): `name` is the naming convention's, and the differ
   * matches it to the database's constraint or index of the same definition whatever the database calls it. Only
   * declared schemas carry it; the differ strips it before comparing, as it does `renamedFrom`.
   */
  readonly autoNamed?: boolean;
  /** COMMENT ON ...; absent means none. */
  readonly comment?: string;
  /** The models' rename hint (`.renamedFrom('old')` on a named declaration): its previous name, as on ColumnIR. */
  readonly renamedFrom?: string;
}

/**
 * IndexIR is an index; `columns` holds column names or, for expression indexes, SQL expressions,
 * either one followed by its key options where it has any (`title DESC`, `name text_pattern_ops`).
 */
export interface IndexIR {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
  /** The WHERE clause of a partial index, or null. */
  readonly where: string | null;
  /** The index method where it is not the default (PostgreSQL: `gin`, `gist`, `hash`, ...); absent means btree. */
  readonly method?: string;
  /** Non-key columns stored in the index (PostgreSQL `INCLUDE (...)`); absent means none. */
  readonly include?: readonly string[];
  /** A unique index with NULLS NOT DISTINCT (PostgreSQL 15+); absent means the default, distinct. */
  readonly nullsNotDistinct?: boolean;
  /**
   * The database's index is INVALID (PostgreSQL `pg_index.indisvalid`: a CREATE INDEX CONCURRENTLY that failed or was
   * interrupted): queries do not use it, every write still updates it, and `IF NOT EXISTS` passes over it. Only live
   * schemas carry it (no model declares it), so such an index differs from its declaration.
   */
  readonly invalid?: true;
  /**
   * Declared without a name (`.unique()`, `index().on(...)`): `name` is the naming convention's, and the differ
   * matches it to the database's constraint or index of the same definition whatever the database calls it. Only
   * declared schemas carry it; the differ strips it before comparing, as it does `renamedFrom`.
   */
  readonly autoNamed?: boolean;
  /** COMMENT ON ...; absent means none. */
  readonly comment?: string;
  /** The models' rename hint (`.renamedFrom('old')` on a named declaration): its previous name, as on ColumnIR. */
  readonly renamedFrom?: string;
}

/** ForeignKeyIR is a FOREIGN KEY constraint. */
export interface ForeignKeyIR {
  readonly name: string;
  readonly columns: readonly string[];
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
  /** DEFERRABLE INITIALLY IMMEDIATE or DEFERRED; absent: NOT DEFERRABLE, checked at each statement. */
  readonly deferrable?: Deferral;
  /** The database's constraint is NOT VALID (see CheckIR.notValid); only live schemas carry it. */
  readonly notValid?: true;
  /**
   * Declared without a name (`.unique()`, `index().on(...)`): `name` is the naming convention's, and the differ
   * matches it to the database's constraint or index of the same definition whatever the database calls it. Only
   * declared schemas carry it; the differ strips it before comparing, as it does `renamedFrom`.
   */
  readonly autoNamed?: boolean;
  /** COMMENT ON ...; absent means none. */
  readonly comment?: string;
  /** The models' rename hint (`.renamedFrom('old')` on a named declaration): its previous name, as on ColumnIR. */
  readonly renamedFrom?: string;
}

/** CheckIR is a CHECK constraint; `expression` is the SQL inside the parentheses. */
export interface CheckIR {
  readonly name: string;
  readonly expression: string;
  /**
   * The database's constraint is NOT VALID (PostgreSQL `pg_constraint.convalidated` false: added NOT VALID and never
   * validated, or its validation failed): the rows already there were not checked. Only live schemas carry it; the
   * differ answers it with a validateConstraint, never a drop and add.
   */
  readonly notValid?: true;
  /**
   * Declared without a name (`.unique()`, `index().on(...)`): `name` is the naming convention's, and the differ
   * matches it to the database's constraint or index of the same definition whatever the database calls it. Only
   * declared schemas carry it; the differ strips it before comparing, as it does `renamedFrom`.
   */
  readonly autoNamed?: boolean;
  /** COMMENT ON ...; absent means none. */
  readonly comment?: string;
  /** The models' rename hint (`.renamedFrom('old')` on a named declaration): its previous name, as on ColumnIR. */
  readonly renamedFrom?: string;
}

/** TableIR is one table with everything that hangs off it. */
export interface TableIR {
  readonly name: string;
  readonly columns: readonly ColumnIR[];
  readonly primaryKey: PrimaryKeyIR | null;
  readonly uniques: readonly UniqueIR[];
  readonly indexes: readonly IndexIR[];
  readonly foreignKeys: readonly ForeignKeyIR[];
  readonly checks: readonly CheckIR[];
  readonly comment: string | null;
  /** ENABLE ROW LEVEL SECURITY (PostgreSQL); absent means off. */
  readonly rlsEnabled?: true;
  /** FORCE ROW LEVEL SECURITY: the table's owner is held to its policies too; absent means off. */
  readonly rlsForced?: true;
  /** The models' rename hint (`table(...).renamedFrom('old')`), as on ColumnIR. */
  readonly renamedFrom?: string;
  /** EXCLUDE constraints (PostgreSQL); absent means none. */
  readonly excludes?: readonly ExclusionIR[];
  /** A partitioned table's key (PARTITION BY); absent for a plain table. */
  readonly partitionBy?: PartitionKeyIR;
  /** A partition's parent and bound; absent for a table that is no partition. Its `columns` are then empty: they are the parent's. */
  readonly partitionOf?: PartitionOfIR;
}

/** EnumIR is a named enum type with its values in order. */
export interface EnumIR {
  readonly name: string;
  readonly values: readonly string[];
  /** The models' value rename hints, new value to old (`enumType(..., { renamedFrom: { glad: 'happy' } })`), as on ColumnIR. */
  readonly renamedValues?: Readonly<Record<string, string>>;
  /** COMMENT ON ...; absent means none. */
  readonly comment?: string;
  /** The models' rename hint for the type itself (`enumType(...).renamedFrom('old')`), as on ColumnIR. */
  readonly renamedFrom?: string;
}

/**
 * ViewIR is a view or a materialized view. `definition` is its query: as the database prints it when read back
 * (PostgreSQL's pg_get_viewdef, SQLite's stored text), as written when declared, until the dialect's canonicaliser
 * gives the server's spelling of it.
 */
export interface ViewIR {
  readonly name: string;
  readonly definition: string;
  readonly materialized: boolean;
  /** PostgreSQL's security_barrier option (plain views); absent means off. */
  readonly securityBarrier?: boolean;
  /** WITH LOCAL / CASCADED CHECK OPTION (plain views); absent means none. */
  readonly checkOption?: 'local' | 'cascaded';
  /** A materialized view created WITH NO DATA says false; absent means WITH DATA. */
  readonly withData?: boolean;
  /** Indexes of a materialized view. */
  readonly indexes?: readonly IndexIR[];
  /**
   * The tables and views the view reads, by name: from the catalog when read back, from the names its text mentions
   * when declared (filled by the dialect's normalisation). Orders creates and drops; never compared.
   */
  readonly dependsOn?: readonly string[];
  /** The view's columns (name and type as the database spells it), when known: says whether CREATE OR REPLACE can keep them. Never compared. */
  readonly columns?: readonly { readonly name: string; readonly type: string }[];
  /** COMMENT ON ...; absent means none. */
  readonly comment?: string;
  /** The models' rename hint (`view(...).renamedFrom('old')`), as on ColumnIR. */
  readonly renamedFrom?: string;
}

/** SchemaIR is a whole schema: tables, enum types, free-standing sequences and views, each sorted by name. */
export interface SchemaIR {
  readonly tables: readonly TableIR[];
  readonly enums: readonly EnumIR[];
  /** Free-standing sequences; absent is none (a dialect without sequences never has any). */
  readonly sequences?: readonly SequenceIR[];
  /** Views and materialized views; absent means none. */
  readonly views?: readonly ViewIR[];
  /** Functions, procedures and aggregates, sorted by name and identity; absent means none. */
  readonly functions?: readonly FunctionIR[];
  /** Triggers, sorted by table and name; absent means none. */
  readonly triggers?: readonly TriggerIR[];
  /** Domains (PostgreSQL); absent means none. */
  readonly domains?: readonly DomainIR[];
  /** Extensions (PostgreSQL); absent means none. */
  readonly extensions?: readonly ExtensionIR[];
  /**
   * The declared enums that carry rename hints, where the dialect has no enum types and its normalisation turns
   * enums into something else (SQLite: CHECKs), so that the differ can still read the hints. Only declared schemas
   * carry it; absent elsewhere.
   */
  readonly enumHints?: readonly EnumIR[];
  /** Row-level security policies, sorted by table and name; absent means none. */
  readonly policies?: readonly PolicyIR[];
  /**
   * The named schemas besides the default one (CREATE SCHEMA), sorted; absent means none. Objects in them are named
   * `schema.name` (ir/qualified.ts). Declared: every schema the models put an object in or export; read: those of
   * the config's `schemas` that exist.
   */
  readonly schemas?: readonly string[];
}

export const emptySchema: SchemaIR = { tables: [], enums: [] };

/** Builds a ColumnIR with the defaults a bare column has. */
export function column(name: string, type: ColumnType, extra: Partial<Omit<ColumnIR, 'name' | 'type'>> = {}): ColumnIR {
  return {
    name,
    type,
    nullable: extra.nullable ?? true,
    serverDefault: extra.serverDefault ?? null,
    autoIncrement: extra.autoIncrement ?? false,
    comment: extra.comment ?? null,
    ...(extra.identity !== undefined ? { identity: extra.identity } : {}),
  };
}

/** Builds a TableIR with empty constraint lists for whatever is not given. */
export function tableIR(name: string, columns: readonly ColumnIR[], extra: Partial<Omit<TableIR, 'name' | 'columns'>> = {}): TableIR {
  return {
    name,
    columns,
    primaryKey: extra.primaryKey ?? null,
    uniques: extra.uniques ?? [],
    indexes: extra.indexes ?? [],
    foreignKeys: extra.foreignKeys ?? [],
    checks: extra.checks ?? [],
    comment: extra.comment ?? null,
  };
}

/**
 * True for a generated column's type: both dialects carry the generation clause in a custom type
 * (`numeric GENERATED ALWAYS AS (a * b) STORED`).
 */
export function isGeneratedType(type: ColumnType): boolean {
  return type.kind === 'custom' && /\bGENERATED\s+ALWAYS\s+AS\b/i.test(type.sql);
}

/** Whether a column holds numbers (integers, fixed or floating point), whose defaults compare by value. */
export function isNumberKind(type: ColumnType): boolean {
  return NUMBER_KINDS.has(type.kind);
}

const NUMBER_KINDS: ReadonlySet<ColumnType['kind']> = new Set(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double']);

/** Whether a type is one of the integer types a sequence can number (serial, identity). */
export function isIntegerType(t: ColumnType): boolean {
  return t.kind === 'smallint' || t.kind === 'integer' || t.kind === 'bigint';
}

/** The domain a column type names, looking inside arrays. */
export function domainNameOf(type: ColumnType): string | null {
  if (type.kind === 'domain') return type.name;
  if (type.kind === 'array') return domainNameOf(type.element);
  return null;
}

/** Enum names a column type uses, looking inside arrays. */
export function enumNameOf(type: ColumnType): string | null {
  if (type.kind === 'enum') return type.name;
  if (type.kind === 'array') return enumNameOf(type.element);
  return null;
}
