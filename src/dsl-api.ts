/**
 * What model, revision and config files use from 'retort-migrate': `defineConfig`, the models DSL, the types of
 * `op` and `ctx`, and the error class. Retort loads such files itself and binds 'retort-migrate' to this module
 * (runtime/module-loader.ts), so they load without the command layer; programs import the whole package
 * (src/index.ts), which adds the commands.
 */
export { defineConfig, type RetortConfig } from './config/config.js';
export * from './models/builders.js';
export type { Op, AlterColumnOptions, IndexOptions, ExistingColumn } from './operations/op-api.js';
export type { Operation } from './operations/operations.js';
export type { MigrationContext } from './runtime/migration-context.js';
export type { ColumnType, ColumnIR, TableIR, SchemaIR, EnumIR } from './ir/ir.js';
export { RetortError, isRetortError, type ErrorCode } from './errors.js';
