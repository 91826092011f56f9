/**
 * retort-migrate: the public API. Config files import `defineConfig`; model
 * files import the DSL; revision files import the column builders and the
 * `Op` / `MigrationContext` types (all in dsl-api.ts); programs (a test runner's
 * global set-up, an application's start-up, a deploy script) call the commands:
 * `upgrade`, `current`, `checkDatabase`, ... each returning a typed report
 * (src/commands/).
 */
export * from './dsl-api.js';
export * from './commands/index.js';
