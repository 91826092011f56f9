/**
 * Domains and extensions in models (PostgreSQL): `domain('us_postal_code', text(), { checks: [sql`VALUE ~ '^\d{5}$'`] })`,
 * called to declare a column of it (`zip: usPostalCode()`), and `extension('pgcrypto', { schema: 'public' })`. Both are
 * recognised by their brand, as every declaration is, and become IR when the models are collected for one dialect
 * (models/collect-domains.ts), which spells their SQL.
 */
import { RetortError } from '../errors.js';
import type { DomainCheckIR, DomainIR, ExtensionIR } from '../ir/ir.js';
import { BRAND, columnOf, defaultToSql, isSqlExpr, sqlText, type ColumnBuilder, type SqlExpr, type SqlSpelling } from './dsl.js';
import { declared } from './declaration-order.js';

/** The options of domain(): NOT NULL, a default, checks over VALUE (a list, named by the database's rule, or by name), a comment. */
export interface DomainOptions {
  readonly notNull?: boolean;
  readonly default?: string | number | boolean | SqlExpr | null;
  /** `[sql\`VALUE > 0\`]` (named `<domain>_check`, `<domain>_check1`... as PostgreSQL names them) or `{ positive: sql\`VALUE > 0\` }`. */
  readonly checks?: readonly SqlExpr[] | Readonly<Record<string, SqlExpr>>;
  /** COMMENT ON DOMAIN. */
  readonly comment?: string;
}

/** A declared domain; call it for a column of the domain. */
export interface DomainType {
  (): ColumnBuilder;
  readonly [BRAND]: 'domain';
  readonly domainName: string;
  readonly base: ColumnBuilder;
  readonly options: DomainOptions;
}

export function isDomainType(v: unknown): v is DomainType {
  return typeof v === 'function' && (v as unknown as { [BRAND]?: unknown })[BRAND] === 'domain';
}

/**
 * domain('us_postal_code', text(), { notNull, default, checks, comment }) declares a domain (PostgreSQL's CREATE DOMAIN);
 * the base's `.collate('C')` is the domain's COLLATE.
 */
export function domain(name: string, base: ColumnBuilder, options: DomainOptions = {}): DomainType {
  if (typeof name !== 'string' || name === '') throw new RetortError('MODEL', 'domain(): the name is missing', { hint: "write domain('us_postal_code', text(), { ... })" });
  if (typeof base !== 'object' || base === null || !('spec' in base)) throw new RetortError('MODEL', `domain('${name}'): the base type is missing`, { hint: `write domain('${name}', text(), { ... })` });
  const fn = () => columnOf({ kind: 'domain', name });
  return declared(Object.assign(fn, { [BRAND]: 'domain' as const, domainName: name, base, options: { ...options } }));
}

/** The options of extension(): the schema its objects go into, and its version; each compared only when given. */
export interface ExtensionOptions {
  readonly schema?: string;
  readonly version?: string;
}

/** A declared extension. */
export interface ExtensionDecl {
  readonly [BRAND]: 'extension';
  readonly extensionName: string;
  readonly options: ExtensionOptions;
}

export function isExtensionDecl(v: unknown): v is ExtensionDecl {
  return typeof v === 'object' && v !== null && (v as { [BRAND]?: unknown })[BRAND] === 'extension';
}

/** extension('pgcrypto', { schema, version }) declares an extension (CREATE EXTENSION), created before the tables and dropped after them. */
export function extension(name: string, options: ExtensionOptions = {}): ExtensionDecl {
  if (typeof name !== 'string' || name === '') throw new RetortError('MODEL', 'extension(): the name is missing', { hint: "write extension('pgcrypto')" });
  return declared({ [BRAND]: 'extension', extensionName: name, options: { ...options } });
}

/** The IR of a declared domain in one dialect's spelling. */
export function domainIR(d: DomainType, spelling: SqlSpelling): DomainIR {
  const where = `domain "${d.domainName}"`;
  const type = d.base.spec.type;
  if (type.kind === 'domain') throw new RetortError('MODEL', `${where} is over another domain ("${type.name}")`, { hint: 'declare it over a base type (text(), integer(), ...)' });
  const given = d.options.checks ?? [];
  const entries: [string | null, SqlExpr][] = Array.isArray(given) ? given.map((e) => [null, e]) : Object.entries(given as Record<string, SqlExpr>);
  let auto = 0;
  const checks: DomainCheckIR[] = entries.map(([name, expr]) => {
    if (!isSqlExpr(expr)) throw new RetortError('MODEL', `${where}: a check is not a sql\`\` expression`, { hint: "write checks: [sql`VALUE ~ '^[0-9]{5}$'`]" });
    // PostgreSQL's own names for unnamed domain checks: <domain>_check, then <domain>_check1, ...
    const named = name ?? `${d.domainName}_check${auto++ === 0 ? '' : auto - 1}`;
    return { name: named, expression: sqlText(expr, spelling) };
  });
  const def = d.options.default === undefined ? null : defaultToSql(d.options.default);
  return {
    name: d.domainName,
    type,
    ...(d.base.spec.collation !== undefined ? { collation: d.base.spec.collation } : {}),
    notNull: d.options.notNull === true,
    default: def === null ? null : sqlText(def, spelling),
    checks: checks.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    ...(d.options.comment !== undefined && d.options.comment !== null ? { comment: d.options.comment } : {}),
  };
}

/** The IR of a declared extension. */
export function extensionIR(e: ExtensionDecl): ExtensionIR {
  return { name: e.extensionName, ...(e.options.schema !== undefined ? { schema: e.options.schema } : {}), ...(e.options.version !== undefined ? { version: e.options.version } : {}) };
}
