/**
 * The public model DSL, as `retort-migrate` exports it: the column type builders (one line per type) and the
 * declarations of models/dsl.ts. A new column type is a builder here (and a kind in ir/ir.ts).
 */
import { columnOf, type ColumnBuilder } from './dsl.js';
export { view, materializedView, type ViewDecl, type ViewOptions, type MaterializedViewOptions } from './views.js';
export { fn, procedure, aggregate, trigger, type FunctionDecl, type TriggerDecl, type FunctionOptions, type ProcedureOptions, type AggregateOptions, type TriggerOptions } from './routines.js';
export { policy, type PolicyDecl, type PolicyOptions } from './policies.js';

export {
  sql,
  enumType,
  table,
  type ColumnBuilder,
  type EnumType,
  type TableDecl,
  type ColumnRef,
  type SqlExpr,
  type SequenceOptionsInput,
} from './dsl.js';
export { index, uniqueIndex, unique, check, primaryKey, foreignKey, type IndexExtra, type UniqueExtra, type RenamableExtra } from './table-extras.js';
export { sequence, type SequenceDeclaration, type SequenceDeclOptions } from './sequences.js';
export { schema, type SchemaDecl } from './schemas.js';
export { domain, extension, type DomainType, type DomainOptions, type ExtensionDecl, type ExtensionOptions } from './domains.js';
export { partitionBy, partitionOf, exclude, MINVALUE, MAXVALUE, type ExcludeBuilder, type ExcludeExtra } from './partitions.js';
export type { PartitionBoundInput, PartitionValue } from './dsl.js';

export const smallint = () => columnOf({ kind: 'smallint' });
export const integer = () => columnOf({ kind: 'integer' });
export const bigint = () => columnOf({ kind: 'bigint' });
/** An auto-incrementing integer (PostgreSQL `serial`, SQLite `INTEGER PRIMARY KEY AUTOINCREMENT`). */
export const serial = () => columnOf({ kind: 'integer' }, true);
export const smallserial = () => columnOf({ kind: 'smallint' }, true);
export const bigserial = () => columnOf({ kind: 'bigint' }, true);
export const boolean = () => columnOf({ kind: 'boolean' });
export const text = () => columnOf({ kind: 'text' });
export const varchar = (length?: number) => columnOf({ kind: 'varchar', length: length ?? null });
export const char = (length?: number) => columnOf({ kind: 'char', length: length ?? null });
export const numeric = (precision?: number, scale?: number) => columnOf({ kind: 'numeric', precision: precision ?? null, scale: precision === undefined ? null : (scale ?? 0) });
export const real = () => columnOf({ kind: 'real' });
export const doublePrecision = () => columnOf({ kind: 'double' });
export const date = () => columnOf({ kind: 'date' });
export const time = (opts: { withTimezone?: boolean } = {}) => columnOf({ kind: 'time', withTimezone: opts.withTimezone ?? false });
export const timestamp = (opts: { withTimezone?: boolean } = {}) => columnOf({ kind: 'timestamp', withTimezone: opts.withTimezone ?? false });
export const uuid = () => columnOf({ kind: 'uuid' });
export const json = () => columnOf({ kind: 'json' });
export const jsonb = () => columnOf({ kind: 'jsonb' });
export const bytea = () => columnOf({ kind: 'bytea' });
/** An array of another column type: `array(text())`. */
export const array = (element: ColumnBuilder) => columnOf({ kind: 'array', element: element.spec.type });
/** A column of a named enum type, for revision files: `enumColumn('genderenum')` (models call the enumType instead). */
export const enumColumn = (enumName: string) => columnOf({ kind: 'enum', name: enumName });
/** A column of a domain, for revision files: `domainColumn('us_postal_code')` (models call the domain instead). */
export const domainColumn = (domainName: string) => columnOf({ kind: 'domain', name: domainName });
/** A type Retort has no builder for, spelled as the database spells it: `customType('tsvector')`. */
export const customType = (sqlType: string) => columnOf({ kind: 'custom', sql: sqlType });

