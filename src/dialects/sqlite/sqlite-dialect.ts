/**
 * The SQLite dialect: the five parts of the contract, each built from this folder's modules, composed.
 */
import type { CompilerPart, Dialect, DriverPart, SchemaReader, SqlSpellingPart } from '../dialect.js';
import { inlinePlaceholders } from '../placeholders.js';
import { connectSqlite, lockSqlite, openMemory, readSnapshotSqlite } from './sqlite-driver.js';
import { sqliteConnector, sqliteExistingTables } from './sqlite-connector.js';
import { sqliteEnumPlanner } from './sqlite-enum-planner.js';
import { explainSqliteFailure, guardedWrite } from './sqlite-failures.js';
import { introspectSqlite, introspectSqliteTable, sqliteLiveKey } from './sqlite-introspector.js';
import { liftEnums } from './sqlite-enums.js';
import { literalSql } from './sqlite-literal.js';
import { normalizeSchema, quoteId, quoteLit, typeSql } from './sqlite-normalize.js';
import { sqliteRunPolicy } from './sqlite-run-policy.js';
import { sqliteSyntax } from './sqlite-sql-text.js';
import { inListValues } from '../allowed-values.js';
import { namesIn } from '../view-dependencies.js';

export { explainSqliteFailure } from './sqlite-failures.js';

const spelling: SqlSpellingPart = {
  displayName: 'SQLite',
  defaultSchema: null,
  quoteIdentifier: quoteId,
  quoteLiteral: quoteLit,
  sqlSpelling: { quoteIdentifier: quoteId, quoteLiteral: quoteLit },
  literalSql,
  inlineParams: inlinePlaceholders,
  typeSql,
  // SQLite stores all JSON as text: json to jsonb changes nothing stored. It enforces no length, precision or range:
  // a change within one type affinity (text to varchar(40), bigint to smallint, real to numeric(10,2)) keeps every
  // value as it was stored.
  // (An enum's values are bounded by its CHECK: not a matter of storage.)
  keepsValues: (from, to) => (from.kind === 'json' && to.kind === 'jsonb') || (from.kind !== 'enum' && to.kind !== 'enum' && sameStorage(affinityOf(typeSql(from)), affinityOf(typeSql(to)))),
  allowedValues: (expression) => inListValues(expression, sqliteSyntax),
  // A CONSTRAINT name is text in its table's CREATE statement; the index behind it is sqlite_autoindex_<table>_N.
  keyNamesSchemaWide: false,
};

const driver: DriverPart = {
  connect: connectSqlite,
  openScratch: async () => openMemory(),
  // The scratch database, the undeclared-object query and the canonicaliser are imported on first use: upgrade and
  // current never need them.
  createScratchDatabase: async () => (await import('./sqlite-scratch.js')).createSqliteScratch(),
  lock: lockSqlite,
  readSnapshot: readSnapshotSqlite,
};

const reader: SchemaReader = {
  introspect: introspectSqlite,
  introspectTable: (conn, name) => introspectSqliteTable(conn, name),
  liveKey: (conn, { cache }) => sqliteLiveKey(conn, cache),
  tableExists: sqliteConnector.tableExists,
  existingTables: sqliteExistingTables,
  normalize: normalizeSchema,
  undeclaredObjects: async (conn) => (await import('./sqlite-undeclared.js')).undeclaredSqlite(conn),
  declarableSchema: liftEnums,
  // Only views and triggers: their stored text is compared by an evened-out spelling (sqlite-canonicalize.ts).
  // Nothing to even out without views or triggers on both sides (most schemas): the module is not loaded then.
  canonicalize: async (conn, declared, live) => (declared.views === undefined || live.views === undefined) && (declared.triggers === undefined || live.triggers === undefined)
    ? declared
    : (await import('./sqlite-canonicalize.js')).canonicalizeSqlite(conn, declared, live),
  followRenames: async (conn, live, renames) => (await import('./sqlite-follow-renames.js')).followRenamesSqlite(conn, live, renames),
};

// Kept once loaded: an import() per call would resolve the module again for every revision of a run.
let compilerModule: typeof import('./sqlite-compiler.js') | null = null;

const compiler: CompilerPart = {
  // The compiler (with the table rebuild and the operation registry it needs) loads on first compile: a no-op
  // autogenerate or check compiles nothing.
  compile: async (ops, catalog) => (compilerModule ??= await import('./sqlite-compiler.js')).compileSqlite(ops, catalog),
  // SQLite says so in the message alone (SQLITE_ERROR): "no such table: x", "no such column: x", "no such index: x".
  isNotFound: (e) => e instanceof Error && /^no such (table|column|index|view|trigger)\b/.test(e.message),
  enumPlanner: sqliteEnumPlanner,
  // A type change rebuilds the table, generated columns and all: nothing is pinned.
  generatedColumns: { pinInputs: false, names: (sql) => namesIn(sql, sqliteSyntax, (w) => w.toLowerCase()) },
  guardedWrite,
  explainFailure: explainSqliteFailure,
};

/** The SQLite dialect. */
export const sqliteDialect: Dialect = { ...spelling, ...driver, ...reader, ...compiler, ...sqliteRunPolicy };

/** SQLite's type affinity of a declared type, by its rules (datatype3.html, "Determination Of Column Affinity"). */
function affinityOf(declared: string): 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC' {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t.includes('BLOB') || t.trim() === '') return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

/** Whether a column of affinity `to` stores the values a column of affinity `from` holds as they are. */
function sameStorage(from: string, to: string): boolean {
  return from === to || (to === 'NUMERIC' && (from === 'INTEGER' || from === 'REAL'));
}
