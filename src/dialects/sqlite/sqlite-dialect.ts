/**
 * The SQLite dialect: the five parts of the contract, each built from this folder's modules, composed.
 */
import type { CompilerPart, Dialect, DriverPart, SchemaReader, SqlSpellingPart } from '../dialect.js';
import { inlinePlaceholders } from '../placeholders.js';
import { compileSqlite } from './sqlite-compiler.js';
import { connectSqlite, lockSqlite, openMemory, readSnapshotSqlite } from './sqlite-driver.js';
import { sqliteEnumPlanner } from './sqlite-enum-planner.js';
import { explainSqliteFailure, guardedWrite } from './sqlite-failures.js';
import { canonicalizeSqlite } from './sqlite-canonicalize.js';
import { followRenamesSqlite } from './sqlite-follow-renames.js';
import { introspectSqlite, introspectSqliteTable } from './sqlite-introspector.js';
import { undeclaredSqlite } from './sqlite-undeclared.js';
import { liftEnums } from './sqlite-enums.js';
import { literalSql } from './sqlite-literal.js';
import { normalizeSchema, quoteId, quoteLit, typeSql } from './sqlite-normalize.js';
import { sqliteRunPolicy } from './sqlite-run-policy.js';
import { createSqliteScratch } from './sqlite-scratch.js';
import { sqliteSyntax } from './sqlite-sql-text.js';
import { inListValues } from '../allowed-values.js';

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
  // SQLite stores all JSON as text: json to jsonb changes nothing stored.
  keepsValues: (from, to) => from.kind === 'json' && to.kind === 'jsonb',
  allowedValues: (expression) => inListValues(expression, sqliteSyntax),
};

const driver: DriverPart = {
  connect: connectSqlite,
  openScratch: async () => openMemory(),
  createScratchDatabase: createSqliteScratch,
  lock: lockSqlite,
  readSnapshot: readSnapshotSqlite,
};

const reader: SchemaReader = {
  introspect: introspectSqlite,
  introspectTable: (conn, name) => introspectSqliteTable(conn, name),
  tableExists: async (conn, name) => (await conn.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, [name])).length > 0,
  normalize: normalizeSchema,
  undeclaredObjects: (conn) => undeclaredSqlite(conn),
  declarableSchema: liftEnums,
  // Only views and triggers: their stored text is compared by an evened-out spelling (sqlite-canonicalize.ts).
  canonicalize: canonicalizeSqlite,
  followRenames: followRenamesSqlite,
};

const compiler: CompilerPart = {
  compile: compileSqlite,
  enumPlanner: sqliteEnumPlanner,
  guardedWrite,
  explainFailure: explainSqliteFailure,
};

/** The SQLite dialect. */
export const sqliteDialect: Dialect = { ...spelling, ...driver, ...reader, ...compiler, ...sqliteRunPolicy };
