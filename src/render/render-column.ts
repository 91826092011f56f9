/**
 * Column types, server defaults and column builders rendered back to the DSL
 * (`varchar(80).notNull().serverDefault(sql\`now()\`)`). Each function returns
 * null for what the DSL cannot express, and the caller falls back to op.run().
 */
import { SIMPLE_TYPES, isSimpleType, type ColumnIR, type ColumnType, type Deferral } from '../ir/ir.js';
import { quoteString, sqlTemplate } from './literal.js';
import { identityCall } from './render-sequences.js';

/** Names the generated code imports from `retort-migrate`. */
export type Imports = Set<string>;

const SERIAL: Partial<Record<ColumnType['kind'], string>> = { smallint: 'smallserial', integer: 'serial', bigint: 'bigserial' };

/** The builder call for a type (`varchar(80)`, `array(text())`), or null when the DSL has none. */
export function renderType(t: ColumnType, imports: Imports, autoIncrement = false, enumBuilder?: (name: string) => string, domainBuilder?: (name: string) => string): string | null {
  const use = (name: string, args = '') => { imports.add(name); return `${name}(${args})`; };
  if (autoIncrement) {
    const s = SERIAL[t.kind];
    return s === undefined ? null : use(s);
  }
  switch (t.kind) {
    case 'varchar':
    case 'char':
      return use(t.kind, t.length === null ? '' : String(t.length));
    case 'numeric':
      // numeric(p) means scale 0 and numeric() means neither, so a scale without precision has no spelling.
      if (t.precision === null) return t.scale === null ? use('numeric') : null;
      if (t.scale === null) return null;
      return use('numeric', t.scale === 0 ? String(t.precision) : `${t.precision}, ${t.scale}`);
    case 'time':
    case 'timestamp':
      return use(t.kind, t.withTimezone ? '{ withTimezone: true }' : '');
    case 'array': {
      const el = renderType(t.element, imports, false, enumBuilder, domainBuilder);
      return el === null ? null : use('array', el);
    }
    case 'enum':
      return enumBuilder ? enumBuilder(t.name) : use('enumColumn', quoteString(t.name));
    case 'domain':
      return domainBuilder ? domainBuilder(t.name) : use('domainColumn', quoteString(t.name));
    case 'custom':
      return use('customType', quoteString(t.sql));
    default:
      return isSimpleType(t) ? use(SIMPLE_TYPES[t.kind]) : null;
  }
}

/** A server default as the DSL value that produces it: `'UNDEFINED'`, `1`, `true`, `sql\`now()\``, `null`. */
export function renderDefault(sqlText: string | null, imports: Imports): string {
  if (sqlText === null) return 'null';
  const literal = /^'((?:[^']|'')*)'$/s.exec(sqlText);
  if (literal) return quoteString(literal[1]!.replace(/''/g, "'"));
  if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(sqlText) && String(Number(sqlText)) === sqlText) return sqlText;
  if (sqlText === 'true' || sqlText === 'false') return sqlText;
  imports.add('sql');
  return sqlTemplate(sqlText);
}

/** Column-level extras rendered inline after the builder. */
export interface InlineParts {
  readonly primaryKey?: boolean;
  /** The inline primary key's DEFERRABLE (`.primaryKey({ deferrable: 'deferred' })`); absent for NOT DEFERRABLE. */
  readonly primaryKeyDeferrable?: Deferral | undefined;
  /** Method calls such as `.unique()` or `.references('users.id')`, already rendered. */
  readonly calls?: readonly string[];
  /** The builder call of an enum column (a model's `mood()`); `enumColumn('mood')` without it. */
  readonly enumBuilder?: (name: string) => string;
  /** The builder call of a domain column (a model's `usPostalCode()`); `domainColumn('us_postal_code')` without it. */
  readonly domainBuilder?: (name: string) => string;
  /** The argument of `.serverDefault(...)` for a default's SQL text (a model's sequence variable for its nextval()), or null for the usual spelling. */
  readonly serverDefault?: (sqlText: string) => string | null;
}

/** The builder chain of a column, or null when its type has no DSL spelling. */
export function renderColumn(c: ColumnIR, imports: Imports, parts: InlineParts = {}): string | null {
  // A type declared under another name (DATETIME) is re-created under that name.
  const base = c.spelledAs !== undefined && !c.autoIncrement ? renderType({ kind: 'custom', sql: c.spelledAs }, imports, false) : renderType(c.type, imports, c.autoIncrement, parts.enumBuilder, parts.domainBuilder);
  if (base === null) return null;
  let out = base;
  if (parts.primaryKey) out += parts.primaryKeyDeferrable === undefined ? '.primaryKey()' : `.primaryKey({ deferrable: ${quoteString(parts.primaryKeyDeferrable)} })`;
  else if (!c.nullable && c.identity === undefined) out += '.notNull()';
  if (c.identity !== undefined) out += identityCall(c.identity);
  if (c.serverDefault !== null) out += `.serverDefault(${parts.serverDefault?.(c.serverDefault) ?? renderDefault(c.serverDefault, imports)})`;
  if (c.comment !== null) out += `.comment(${quoteString(c.comment)})`;
  if (c.collation !== undefined) out += `.collate(${quoteString(c.collation)})`;
  for (const call of parts.calls ?? []) out += call;
  return out;
}
