/**
 * retort-migrate: the public API. Config files import `defineConfig`; model
 * files import the DSL; revision files import the column builders and the
 * `Op` / `MigrationContext` types; programs (a test runner's global set-up, an
 * application's start-up, a deploy script) call the commands: `upgrade`,
 * `current`, `check`, ... each returning a typed report (src/commands/).
 */
export { defineConfig, type RetortConfig } from './config/config.js';
export * from './models/builders.js';
export type { Op, AlterColumnOptions, IndexOptions, ExistingColumn } from './operations/op-api.js';
export type { Operation } from './operations/operations.js';
export type { MigrationContext } from './runtime/migration-context.js';
export type { ColumnType, ColumnIR, TableIR, SchemaIR, EnumIR } from './ir/ir.js';
export { RetortError, isRetortError, type ErrorCode } from './errors.js';
export * from './commands/index.js';
