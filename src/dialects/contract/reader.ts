/**
 * SchemaReader answers what the database holds: introspection into the Schema IR, normalisation of any IR to
 * the form this database stores, and the server's own spelling of declared expressions.
 */
import type { SchemaIR, TableIR } from '../../ir/ir.js';
import type { Catalog, Connection, Statement } from './connection.js';
import type { Operation } from '../../operations/operations.js';

/** Options for introspection. */
export interface IntrospectOptions {
  /** The schema to read, where the database has schemas (the dialect's default when absent). */
  readonly schema?: string;
  /**
   * The other schemas Retort manages (the config's `schemas`), read in the same queries: their tables, enums and
   * sequences are named `schema.name` (ir/qualified.ts), and those that exist are listed in `SchemaIR.schemas`.
   */
  readonly schemas?: readonly string[];
  /** Tables to leave out entirely: the version and history tables and the config's `exclude`. */
  readonly exclude: (tableName: string) => boolean;
  /** Where the dialect may keep what it read for the next read of the same, unchanged database; absent: nowhere. */
  readonly cache?: SchemaCache;
}

/** A folder for a dialect's cache of what it read, and the Retort version that every entry's key includes. */
export interface SchemaCache {
  readonly dir: string;
  readonly version: string;
}

/** An object the database holds that the Schema IR does not represent (a view, a trigger, a free-standing sequence...). */
export interface UndeclaredObject {
  /** What it is, in words (`view`, `sequence`, `partition of orders`). */
  readonly kind: string;
  readonly name: string;
  /**
   * A table or view the models leave out whole (a virtual table, a view they cannot declare): pull leaves out the
   * views that read it too, so that the baseline builds a fresh database.
   */
  readonly relation?: boolean;
  /**
   * A schema the config does not manage that holds tables (`name` is the schema): nothing in it is read, so pull
   * warns (it is not listed as not declared), and refuses a baseline that would declare no table.
   */
  readonly unmanagedSchema?: boolean;
}

export interface SchemaReader {
  /** Reads the whole schema in a fixed number of queries, normalised. */
  introspect(conn: Connection, options: IntrospectOptions): Promise<SchemaIR>;
  /**
   * A key for what `introspect` would return on this connection now, read in a query or two: equal keys promise equal
   * schemas for equal options (the caller keys `exclude` and the schemas itself). It lets a comparison that found no
   * difference be remembered (runtime/no-difference-memo.ts). Absent, or null, where the database has no cheap key
   * (PostgreSQL: its catalog would have to be read whole).
   */
  liveKey?(conn: Connection, options: { readonly cache: SchemaCache }): Promise<string | null>;
  /** Reads one table, normalised, or null. */
  introspectTable(conn: Connection, name: string, options?: { schema?: string }): Promise<TableIR | null>;
  /** Whether a table exists, in one cheap query (the version and history tables are looked for on every run). */
  tableExists(conn: Connection, name: string, options?: { schema?: string }): Promise<boolean>;
  /** Which of `names` are tables, in one query (Retort's version and history tables, looked for together on a run). */
  existingTables(conn: Connection, names: readonly string[], options?: { schema?: string }): Promise<ReadonlySet<string>>;
  /** Normalises a schema (declared or introspected) to the form this dialect stores, so equal schemas compare equal. */
  normalize(schema: SchemaIR): SchemaIR;
  /**
   * Asks the database how it would store the declared expressions (checks, server defaults,
   * index expressions and predicates) that still differ textually from `live` after
   * normalisation, and returns `declared` with those it merely respells written as in `live`.
   * Leaves the database unchanged. Absent where normalisation is enough.
   */
  canonicalize?(conn: Connection, declared: SchemaIR, live: SchemaIR, options: { readonly schema?: string; readonly renames?: readonly Operation[] }): Promise<SchemaIR>;
  /**
   * `live` with the SQL its views, policies and triggers keep as the database would hold it once `renames` (the
   * models' rename hints) have run, under the names before them: PostgreSQL keeps parsed trees that follow a rename,
   * SQLite rewrites their text. Leaves the database unchanged.
   */
  followRenames?(conn: Connection, live: SchemaIR, renames: readonly Operation[], options: { readonly schema?: string; readonly schemas?: readonly string[] }): Promise<SchemaIR>;
  /**
   * Statements that make unqualified names mean `schema` for the rest of the session (PostgreSQL:
   * search_path, after checking that the schema exists). Run after connecting, and printed first by --sql.
   */
  schemaSetup?(schema: string): Statement[];
  /**
   * The objects of the managed schemas (`schema` and `schemas`) the IR cannot hold (foreign tables, rules, range
   * types...), in one cheap catalog query whatever their number: `retort pull` lists them as not declared. Absent:
   * none are found.
   */
  undeclaredObjects?(conn: Connection, options: { readonly schema?: string; readonly schemas?: readonly string[] }): Promise<UndeclaredObject[]>;
  /**
   * The introspected schema as models would declare it, where the database stores a model's construct as another
   * (SQLite: an enum column is TEXT with a CHECK of its values, turned back into the enum). Absent: as read.
   */
  declarableSchema?(live: SchemaIR): SchemaIR;
  /**
   * Indexes the database keeps but does not use because their build failed (PostgreSQL: a CREATE INDEX
   * CONCURRENTLY that failed or was interrupted leaves the index INVALID), each with the statement that drops it
   * without blocking writes. Absent where a failed build leaves nothing behind.
   */
  invalidIndexes?(conn: Connection, options: { readonly schema?: string }): Promise<readonly InvalidIndex[]>;
}

/** InvalidIndex is an index a failed build left behind, and how to drop it. */
export interface InvalidIndex {
  readonly name: string;
  readonly table: string;
  readonly dropSql: string;
}

/** A Catalog that reads through a connection. */
export function liveCatalog(reader: SchemaReader, conn: Connection, schema?: string): Catalog {
  return {
    table: (name) => reader.introspectTable(conn, name, schema === undefined ? {} : { schema }),
    query: <R = Record<string, unknown>>(sql: string, params?: readonly unknown[]) => conn.query<R>(sql, params),
  };
}
