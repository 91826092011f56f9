/**
 * The PostgreSQL dialect: the five parts of the contract, each built from this folder's modules, composed.
 */
import { splitQualified } from '../../ir/qualified.js';
import { postgresOnlineForms } from './postgres-online.js';
import { postgresInvalidIndexes } from './postgres-invalid-indexes.js';
import type { CompilerPart, Dialect, DriverPart, SchemaReader, SqlSpellingPart } from '../dialect.js';
import { quoteLiteral as standardLiteral } from '../sql-quote.js';
import { inlinePlaceholders } from '../placeholders.js';
import { connectPostgres, STANDARD_STRINGS_SQL } from './postgres-driver.js';
import { postgresEnumPlanner } from './postgres-enum-planner.js';
import { explainPostgresFailure, postgresBigTransactionWarning } from './postgres-failures.js';
import { literalSql } from './postgres-literal.js';
import { guardedWritePostgres, lockPostgres, readSnapshotPostgres } from './postgres-lock.js';
import { normalizeSchema } from './postgres-normalize.js';
import { postgresRunPolicy } from './postgres-run-policy.js';
import { DEFAULT_SCHEMA, postgresSchemaSetup, postgresTableExists, postgresExistingTables } from './postgres-schema.js';
import { conditionSql, postgresSyntax, quoteIdentifier, quoteLiteral, typeSql } from './postgres-sql.js';
import { identifierText } from './postgres-index.js';
import { inListValues } from '../allowed-values.js';
import { namesIn } from '../view-dependencies.js';

// The catalog reader (and its readers of views, routines, domains, policies), the canonicaliser, the undeclared-object
// query and the scratch database are imported on first use: upgrade, downgrade, stamp and current never read the
// schema, and these 12 modules were a third of what the PostgreSQL dialect loaded for them.
let introspector: Promise<typeof import('./postgres-introspector.js')> | null = null;
const introspectorModule = () => (introspector ??= import('./postgres-introspector.js'));

const spelling: SqlSpellingPart = {
  displayName: 'PostgreSQL',
  defaultSchema: DEFAULT_SCHEMA,
  quoteIdentifier,
  quoteLiteral,
  // Stored expressions are spelled with plain standard literals (Retort's sessions set standard_conforming_strings).
  // nextval()'s argument as the server prints it back in a default: the name quoted only where it must be.
  sqlSpelling: { quoteIdentifier, quoteLiteral: standardLiteral, sequenceRef: (name) => `${standardLiteral(sequenceText(name))}::regclass`, schemaObjects: true },
  literalSql,
  inlineParams: inlinePlaceholders,
  typeSql,
  // jsonb takes every json value (what it drops, whitespace, key order and duplicate keys, is only json's text).
  keepsValues: (from, to) => from.kind === 'json' && to.kind === 'jsonb',
  allowedValues: (expression) => inListValues(conditionSql(expression), postgresSyntax),
  // A key's constraint and its index share the name, and indexes are relations: unique in the schema.
  keyNamesSchemaWide: true,
};

const driver: DriverPart = {
  connect: connectPostgres,
  openScratch: async () => null,
  createScratchDatabase: async (url, opts) => (await import('./postgres-scratch.js')).createPostgresScratch(url, opts),
  sessionSetup: [{ sql: STANDARD_STRINGS_SQL }],
  lock: lockPostgres,
  readSnapshot: readSnapshotPostgres,
};

const reader: SchemaReader = {
  introspect: async (conn, options) => (await introspectorModule()).introspectPostgres(conn, options),
  introspectTable: async (conn, name, options) => (await introspectorModule()).introspectPostgresTable(conn, name, options),
  tableExists: postgresTableExists,
  existingTables: postgresExistingTables,
  normalize: normalizeSchema,
  canonicalize: async (conn, declared, live, options) => (await import('./postgres-canonicalize.js')).canonicalizePostgres(conn, declared, live, options),
  followRenames: async (conn, live, renames, options) => (await import('./postgres-follow-renames.js')).followRenamesPostgres(conn, live, renames, options),
  schemaSetup: postgresSchemaSetup,
  undeclaredObjects: async (conn, options) => (await import('./postgres-undeclared.js')).undeclaredPostgres(conn, options),
  invalidIndexes: postgresInvalidIndexes,
};

// Kept once loaded: an import() per call (a revision's run compiles at least once) resolved the module again each
// time, about 10-20 us each, 1000 times in a 1000-revision upgrade.
let compilerModule: typeof import('./postgres-compiler.js') | null = null;

const compiler: CompilerPart = {
  // PostgreSQL alters everything in place: the catalog is never read. The compiler (and the ten modules of SQL it
  // uses) is loaded on first use: a no-op autogenerate or check compiles nothing.
  compile: async (ops) => (compilerModule ??= await import('./postgres-compiler.js')).compilePostgres(ops),
  enumPlanner: postgresEnumPlanner,
  // PostgreSQL refuses a type change of a column a generated column reads (drop it and add it again around it).
  generatedColumns: { pinInputs: true, names: (sql) => namesIn(sql, postgresSyntax, (w) => w.toLowerCase()) },
  viewsKeepThroughAddColumn: true,
  guardedWrite: guardedWritePostgres,
  explainFailure: explainPostgresFailure,
  // undefined_table, undefined_column, undefined_object (an index, a constraint, a type)
  isNotFound: (e) => ['42P01', '42703', '42704'].includes(String((e as { code?: unknown } | null)?.code)),
  bigTransactionWarning: postgresBigTransactionWarning,
  online: postgresOnlineForms,
};

/** postgresDialect is Retort's PostgreSQL support. */
/** A sequence as nextval()'s text names it, as the server prints it: `billing.numbers` for one of a named schema. */
function sequenceText(identity: string): string {
  const { schema, name } = splitQualified(identity);
  return schema === undefined ? identifierText(name) : `${identifierText(schema)}.${identifierText(name)}`;
}

export const postgresDialect: Dialect = { ...spelling, ...driver, ...reader, ...compiler, ...postgresRunPolicy };
