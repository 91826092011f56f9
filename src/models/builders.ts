/**
 * The public model DSL, as `retort-migrate` exports it: the column type builders (one line per type) and the
 * declarations of models/dsl.ts. A new column type is a builder here (and a kind in ir/ir.ts).
 */
import { columnOf, type ColumnBuilder } from './dsl.js';
import { RetortError } from '../errors.js';
import { SIMPLE_TYPES, type ColumnType, type SimpleTypeKind } from '../ir/ir.js';
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
export { index, uniqueIndex, unique, check, primaryKey, foreignKey, type IndexExtra, type UniqueExtra, type RenamableExtra, type PrimaryKeyExtra } from './table-extras.js';
export { sequence, type SequenceDeclaration, type SequenceDeclOptions } from './sequences.js';
export { schema, type SchemaDecl } from './schemas.js';
export { domain, extension, type DomainType, type DomainOptions, type ExtensionDecl, type ExtensionOptions } from './domains.js';
export { partitionBy, partitionOf, exclude, MINVALUE, MAXVALUE, type ExcludeBuilder, type ExcludeExtra } from './partitions.js';
export type { PartitionBoundInput, PartitionValue } from './dsl.js';

// One type object per parameterless type, shared by every column of it: types are readonly data, and a model of
// thousands of tables made one per column.
const SIMPLE = Object.fromEntries(Object.keys(SIMPLE_TYPES).map((kind) => [kind, { kind }])) as { readonly [K in SimpleTypeKind]: { readonly kind: K } };

export const smallint = () => columnOf(SIMPLE.smallint);
export const integer = () => columnOf(SIMPLE.integer);
export const bigint = () => columnOf(SIMPLE.bigint);
/** An auto-incrementing integer (PostgreSQL `serial`, SQLite `INTEGER PRIMARY KEY AUTOINCREMENT`). */
export const serial = () => columnOf(SIMPLE.integer, true);
export const smallserial = () => columnOf(SIMPLE.smallint, true);
export const bigserial = () => columnOf(SIMPLE.bigint, true);
export const boolean = () => columnOf(SIMPLE.boolean);
export const text = () => columnOf(SIMPLE.text);
export const varchar = (length?: number) => columnOf({ kind: 'varchar', length: whole('varchar', 'length', length, 1, 10485760) });
export const char = (length?: number) => columnOf({ kind: 'char', length: whole('char', 'length', length, 1, 10485760) });
export const numeric = (precision?: number, scale?: number) =>
  columnOf({ kind: 'numeric', precision: whole('numeric', 'precision', precision, 1, 1000), scale: precision === undefined ? null : (whole('numeric', 'scale', scale, -1000, 1000) ?? 0) });

/**
 * A type modifier as given, checked: a whole number in PostgreSQL's range, or left out. TypeScript's types are only
 * stripped when models load, so `varchar(n)` with a string `n` (or `-5`) would reach a revision file, and SQLite
 * would take it where PostgreSQL then refuses: a model error at load instead.
 */
function whole(type: string, what: string, value: number | undefined, min: number, max: number): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RetortError('MODEL', `${type}(${typeof value === 'string' ? JSON.stringify(value) : String(value)}): the ${what} must be a whole number from ${min} to ${max}`, {
      hint: `write e.g. ${type === 'numeric' ? 'numeric(12, 2)' : `${type}(255)`}, or ${type}() without a ${what}`,
    });
  }
  return value;
}
export const real = () => columnOf(SIMPLE.real);
export const doublePrecision = () => columnOf(SIMPLE.double);
export const date = () => columnOf(SIMPLE.date);
// Shared as SIMPLE's are, for the two settings of withTimezone (anything else a JavaScript caller passes is kept as given).
const TIME = { false: { kind: 'time', withTimezone: false }, true: { kind: 'time', withTimezone: true } } as const;
const TIMESTAMP = { false: { kind: 'timestamp', withTimezone: false }, true: { kind: 'timestamp', withTimezone: true } } as const;
const zoned = (shared: typeof TIME | typeof TIMESTAMP, tz: boolean) =>
  columnOf(tz === true ? shared.true : tz === false ? shared.false : ({ kind: shared.true.kind, withTimezone: tz } as ColumnType));
export const time = (opts: { withTimezone?: boolean } = {}) => zoned(TIME, opts.withTimezone ?? false);
export const timestamp = (opts: { withTimezone?: boolean } = {}) => zoned(TIMESTAMP, opts.withTimezone ?? false);
export const uuid = () => columnOf(SIMPLE.uuid);
export const json = () => columnOf(SIMPLE.json);
export const jsonb = () => columnOf(SIMPLE.jsonb);
export const bytea = () => columnOf(SIMPLE.bytea);
/** An array of another column type: `array(text())`. */
export const array = (element: ColumnBuilder) => columnOf({ kind: 'array', element: element.spec.type });
/** A column of a named enum type, for revision files: `enumColumn('genderenum')` (models call the enumType instead). */
export const enumColumn = (enumName: string) => columnOf({ kind: 'enum', name: enumName });
/** A column of a domain, for revision files: `domainColumn('us_postal_code')` (models call the domain instead). */
export const domainColumn = (domainName: string) => columnOf({ kind: 'domain', name: domainName });
/** A type Retort has no builder for, spelled as the database spells it: `customType('tsvector')`. */
export const customType = (sqlType: string) => columnOf({ kind: 'custom', sql: sqlType });

