/**
 * The config's typed filter (`include: (object) => boolean`, Alembic's include_object), applied to a Schema IR:
 * every table, column, key, constraint, index, enum, sequence, view, domain, extension, function (procedures and
 * aggregates too), trigger and policy is offered to it, and what it refuses is left out; a refused table takes its
 * triggers and policies with it. Autogenerate and check apply it to both sides where they apply `exclude` (the live schema
 * as read, the models as collected), so an object it refuses is neither created, altered nor dropped.
 */
import { bareName, schemaOf } from './qualified.js';
import type { SchemaIR, TableIR } from './ir.js';

/** The kinds of object the filter is asked about. */
export type IncludeKind = 'table' | 'column' | 'primaryKey' | 'unique' | 'index' | 'foreignKey' | 'check' | 'enum' | 'sequence' | 'view' | 'domain' | 'extension' | 'function' | 'trigger' | 'policy';

/** One object offered to the config's `include`. */
export interface IncludeObject {
  readonly kind: IncludeKind;
  /** The schema Retort manages (PostgreSQL), or null where the database has none (SQLite). */
  readonly schema: string | null;
  /** The table a column, key, constraint, index, trigger or policy belongs to (a trigger's view, for INSTEAD OF); null for the others. */
  readonly table: string | null;
  readonly name: string;
  /** True for an object read from the database; false for one the models declare. */
  readonly reflected: boolean;
  /** True for an object the models declare (the opposite of `reflected`). */
  readonly declared: boolean;
}

/** The config's filter: true keeps the object. */
export type IncludeFilter = (object: IncludeObject) => boolean;

/** `schema` without what `include` refuses; `reflected` says which side it is. */
export function filterSchema(schema: SchemaIR, include: IncludeFilter, reflected: boolean, schemaName: string | null): SchemaIR {
  // An object of a named schema (`billing.invoices`, ir/qualified.ts) is given as its schema and its own name, as Alembic does.
  const keep = (kind: IncludeKind, name: string, table: string | null = null) => {
    const named = schema.schemas === undefined ? undefined : schemaOf(table ?? name);
    const where = named !== undefined && schema.schemas!.includes(named) ? { schema: named, table: table === null ? null : bareName(table), name: table === null ? bareName(name) : name } : { schema: schemaName, table, name };
    return include({ kind, ...where, reflected, declared: !reflected }) !== false;
  };
  const table = (t: TableIR): TableIR => ({
    ...t,
    columns: t.columns.filter((c) => keep('column', c.name, t.name)),
    primaryKey: t.primaryKey !== null && keep('primaryKey', t.primaryKey.name ?? `${t.name}_pkey`, t.name) ? t.primaryKey : null,
    uniques: t.uniques.filter((u) => keep('unique', u.name, t.name)),
    indexes: t.indexes.filter((ix) => keep('index', ix.name, t.name)),
    foreignKeys: t.foreignKeys.filter((fk) => keep('foreignKey', fk.name, t.name)),
    checks: t.checks.filter((c) => keep('check', c.name, t.name)),
  });
  const { sequences, views, domains, extensions, functions, triggers, policies, ...rest } = schema;
  const tables = schema.tables.filter((t) => keep('table', t.name));
  // A trigger or policy of a refused table goes with it (a trigger on a view is the view's).
  const refused = new Set(schema.tables.filter((t) => !tables.includes(t)).map((t) => t.name));
  return {
    ...rest,
    tables: tables.map(table),
    enums: schema.enums.filter((e) => keep('enum', e.name)),
    ...(sequences !== undefined ? { sequences: sequences.filter((s) => keep('sequence', s.name)) } : {}),
    ...(views !== undefined ? { views: views.filter((v) => keep('view', v.name)) } : {}),
    ...(domains !== undefined ? { domains: domains.filter((d) => keep('domain', d.name)) } : {}),
    ...(extensions !== undefined ? { extensions: extensions.filter((e) => keep('extension', e.name)) } : {}),
    ...(functions !== undefined ? { functions: functions.filter((f) => keep('function', f.name)) } : {}),
    ...(triggers !== undefined ? { triggers: triggers.filter((t) => !refused.has(t.table) && keep('trigger', t.name, t.table)) } : {}),
    ...(policies !== undefined ? { policies: policies.filter((p) => !refused.has(p.table) && keep('policy', p.name, p.table)) } : {}),
  };
}
