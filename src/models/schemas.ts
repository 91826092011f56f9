/**
 * Named schemas in models: `const billing = schema('billing'); billing.table('invoices', {...})`.
 *
 * A schema handle declares objects whose identity is `billing.invoices` (ir/qualified.ts): the same builders as
 * table(), enumType(), sequence(), view(), materializedView(), domain(), fn(), procedure() and aggregate(), with the name
 * qualified, so foreign keys, enum columns and calls that point into another schema need nothing more. A trigger lives
 * in its table's schema: trigger('name', { on: billingTable, ... }) needs no handle. Calling schema() declares the schema itself (CREATE SCHEMA), even before it holds
 * anything when exported, as every declaration is; which schemas a project may declare is the config's `schemas`
 * (checked when the models are collected).
 */
import { RetortError } from '../errors.js';
import { qualifiedName } from '../ir/qualified.js';
import { hintInSchema } from './rename-hints.js';
import { BRAND, enumType, table, type ColumnBuilder, type ColumnRef, type EnumType, type TableDecl, type TableExtra } from './dsl.js';
import { sequence, type SequenceDeclaration, type SequenceDeclOptions } from './sequences.js';
import { materializedView, view } from './views.js';
import { domain } from './domains.js';
import { aggregate, fn, procedure } from './routines.js';
import { declared } from './declaration-order.js';

/** A declared schema: builders for the objects that live in it. */
export interface SchemaDecl {
  readonly [BRAND]: 'schema';
  readonly schemaName: string;
  /** table() in this schema. */
  table<C extends Record<string, ColumnBuilder>>(name: string, columns: C, extras?: (t: { readonly [K in keyof C]: ColumnRef }) => readonly TableExtra[]): TableDecl<C>;
  /** enumType() in this schema. */
  enumType(name: string, values: readonly string[], options?: Parameters<typeof enumType>[2]): EnumType;
  /** sequence() in this schema. */
  sequence(name: string, options?: SequenceDeclOptions): SequenceDeclaration;
  /** domain() in this schema. */
  domain: typeof domain;
  /** view() in this schema. */
  view: typeof view;
  /** materializedView() in this schema. */
  materializedView: typeof materializedView;
  /** fn() in this schema: `billing.fn('total', {...}, sql\`...\`)` is the function billing.total. */
  fn: typeof fn;
  /** procedure() in this schema. */
  procedure: typeof procedure;
  /** aggregate() in this schema. */
  aggregate: typeof aggregate;
}

/**
 * The schemas schema() was ever called for in this process: a dotted name counts as qualified only when its schema
 * is one of them (table('a.b') alone stays a name). A global, as dsl.ts's table names are: a model file loaded
 * through the TypeScript loader may get a second copy of this module.
 */
const DECLARED = Symbol.for('retort-migrate.declaredSchemas');
type Holder = { [DECLARED]?: Set<string> };

/** The schema names schema() has declared in this process. */
export function declaredSchemaNames(): ReadonlySet<string> {
  return (globalThis as Holder)[DECLARED] ?? new Set();
}

// A hint given as an option (`renamedFrom: 'old'`), in the schema of the object it renames.
const optionHint = (schemaName: string, kind: string, objectName: string, oldName: string): string =>
  hintInSchema(schemaName, `${kind} "${qualifiedName(schemaName, objectName)}"`, oldName, (n) => `renamedFrom: '${n}'`);

/** An enum type whose renamedFrom() names its previous name in the same schema. */
function inSchemaEnum(e: EnumType, schemaName: string, enumName: string): EnumType {
  const renamedFrom = e.renamedFrom;
  return Object.assign(e, { renamedFrom: (oldName: string) => inSchemaEnum(renamedFrom(hintInSchema(schemaName, `enum "${qualifiedName(schemaName, enumName)}"`, oldName, (n) => `.renamedFrom('${n}')`)), schemaName, enumName) });
}

export function isSchemaDecl(v: unknown): v is SchemaDecl {
  return typeof v === 'object' && v !== null && (v as { [BRAND]?: unknown })[BRAND] === 'schema';
}

/** schema('billing') declares a named schema and returns builders for the objects that live in it. */
export function schema(name: string): SchemaDecl {
  if (typeof name !== 'string' || name === '' || name.includes('.')) {
    throw new RetortError('MODEL', `schema(${JSON.stringify(name)}): a schema is a non-empty name without a dot`, { hint: "write e.g. const billing = schema('billing')" });
  }
  const holder = globalThis as Holder;
  (holder[DECLARED] ??= new Set()).add(name);
  return declared({
    [BRAND]: 'schema',
    schemaName: name,
    table: (tableName, columns, extras) => table(qualifiedName(name, tableName), columns, extras),
    enumType: (enumName, values, options) => inSchemaEnum(enumType(qualifiedName(name, enumName), values, options), name, enumName),
    // A rename hint names the previous name in the same schema, as table().renamedFrom() does (models/resolve.ts).
    domain: (domainName, base, options) => domain(qualifiedName(name, domainName), base, options),
    view: (viewName, query, options = {}) => view(qualifiedName(name, viewName), query, options.renamedFrom === undefined ? options : { ...options, renamedFrom: optionHint(name, 'view', viewName, options.renamedFrom) }),
    materializedView: (viewName, query, options = {}, indexes) =>
      materializedView(qualifiedName(name, viewName), query, options.renamedFrom === undefined ? options : { ...options, renamedFrom: optionHint(name, 'materialized view', viewName, options.renamedFrom) }, indexes),
    fn: (fnName, options, body) => fn(qualifiedName(name, fnName), options, body),
    procedure: (procName, options, body) => procedure(qualifiedName(name, procName), options, body),
    aggregate: (aggName, options) => aggregate(qualifiedName(name, aggName), options),
    sequence: (sequenceName, options = {}) => sequence(qualifiedName(name, sequenceName), options.renamedFrom === undefined ? options : { ...options, renamedFrom: optionHint(name, 'sequence', sequenceName, options.renamedFrom) }),
  });
}
