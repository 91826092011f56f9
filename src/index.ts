/**
 * retort-migrate: the public API. Config files import `defineConfig`; model
 * files import the DSL; revision files import the column builders and the
 * `Op` / `MigrationContext` types.
 */
export { defineConfig, type RetortConfig } from './config/config.js';
export {
  sql,
  smallint,
  integer,
  bigint,
  serial,
  smallserial,
  bigserial,
  boolean,
  text,
  varchar,
  char,
  numeric,
  real,
  doublePrecision,
  date,
  time,
  timestamp,
  uuid,
  json,
  jsonb,
  bytea,
  array,
  customType,
  enumColumn,
  enumType,
  table,
  index,
  uniqueIndex,
  unique,
  check,
  primaryKey,
  foreignKey,
  type ColumnBuilder,
  type EnumType,
  type TableDecl,
  type ColumnRef,
  type SqlExpr,
} from './models/dsl.js';
export type { Op, AlterColumnOptions, IndexOptions, ExistingColumn } from './operations/op-api.js';
export type { Operation } from './operations/operations.js';
export type { MigrationContext } from './runtime/migration-context.js';
export type { ColumnType, ColumnIR, TableIR, SchemaIR, EnumIR } from './ir/ir.js';
export { RetortError } from './errors.js';
