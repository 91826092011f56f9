/**
 * What `current` needs of PostgreSQL: connecting, the schema's search path and the version table's check, without
 * the compiler, the planners or the catalog readers the whole dialect (postgres-dialect.ts) composes.
 */
import type { DialectConnector } from '../registry-entry.js';
import { connectPostgres } from './postgres-driver.js';
import { DEFAULT_SCHEMA, postgresExistingTables, postgresSchemaSetup, postgresTableExists } from './postgres-schema.js';
import { quoteIdentifier } from './postgres-sql.js';

/** postgresConnector is the part of the PostgreSQL dialect that reads the version table. */
export const postgresConnector: DialectConnector = {
  displayName: 'PostgreSQL',
  defaultSchema: DEFAULT_SCHEMA,
  quoteIdentifier,
  connect: connectPostgres,
  schemaSetup: postgresSchemaSetup,
  tableExists: postgresTableExists,
  existingTables: postgresExistingTables,
};
