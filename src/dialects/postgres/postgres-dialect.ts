/**
 * The PostgreSQL dialect: the five parts of the contract, each built from this folder's modules, composed.
 */
import { splitQualified } from '../../ir/qualified.js';
import { postgresOnlineForms } from './postgres-online.js';
import { postgresInvalidIndexes } from './postgres-invalid-indexes.js';
import type { CompilerPart, Dialect, DriverPart, SchemaReader, SqlSpellingPart } from '../dialect.js';
import { quoteLiteral as standardLiteral } from '../sql-quote.js';
import { inlinePlaceholders } from '../placeholders.js';
import { canonicalizePostgres } from './postgres-canonicalize.js';
import { compilePostgres } from './postgres-compiler.js';
import { connectPostgres, STANDARD_STRINGS_SQL } from './postgres-driver.js';
import { postgresEnumPlanner } from './postgres-enum-planner.js';
import { explainPostgresFailure, postgresBigTransactionWarning } from './postgres-failures.js';
import { introspectPostgres, introspectPostgresTable } from './postgres-introspector.js';
import { literalSql } from './postgres-literal.js';
import { guardedWritePostgres, lockPostgres, readSnapshotPostgres } from './postgres-lock.js';
import { normalizeSchema } from './postgres-normalize.js';
import { postgresRunPolicy } from './postgres-run-policy.js';
import { DEFAULT_SCHEMA, postgresSchemaSetup, postgresTableExists } from './postgres-schema.js';
import { createPostgresScratch } from './postgres-scratch.js';
import { conditionSql, postgresSyntax, quoteIdentifier, quoteLiteral, typeSql } from './postgres-sql.js';
import { identifierText } from './postgres-index.js';
import { inListValues } from '../allowed-values.js';
import { undeclaredPostgres } from './postgres-undeclared.js';

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
};

const driver: DriverPart = {
  connect: connectPostgres,
  openScratch: async () => null,
  createScratchDatabase: createPostgresScratch,
  sessionSetup: [{ sql: STANDARD_STRINGS_SQL }],
  lock: lockPostgres,
  readSnapshot: readSnapshotPostgres,
};

const reader: SchemaReader = {
  introspect: introspectPostgres,
  introspectTable: introspectPostgresTable,
  tableExists: postgresTableExists,
  normalize: normalizeSchema,
  canonicalize: canonicalizePostgres,
  schemaSetup: postgresSchemaSetup,
  undeclaredObjects: undeclaredPostgres,
  invalidIndexes: postgresInvalidIndexes,
};

const compiler: CompilerPart = {
  // PostgreSQL alters everything in place: the catalog is never read.
  compile: async (ops) => compilePostgres(ops),
  enumPlanner: postgresEnumPlanner,
  guardedWrite: guardedWritePostgres,
  explainFailure: explainPostgresFailure,
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
