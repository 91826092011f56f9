/**
 * The `op` methods for domains and extensions (PostgreSQL), kept apart from op-api.ts, which spreads them into the op
 * object. A domain's options are written as domain() takes them in models (a string default is a value, sql`` is SQL);
 * its checks by name.
 */
import { RetortError } from '../errors.js';
import type { DomainChanges, DomainCheckIR } from '../ir/ir.js';
import type { CommentTarget } from '../ir/comments.js';
import { defaultToSql, sqlText, type ColumnBuilder, type SqlExpr, type SqlSpelling } from '../models/dsl.js';
import type { Operation } from './operations.js';

type DefaultValue = string | number | boolean | SqlExpr | null;

/** A domain's facets as op.createDomain and op.alterDomain take them. */
export interface DomainOpOptions {
  readonly notNull?: boolean;
  readonly default?: DefaultValue;
  /** Checks by name: `{ zip_check: sql\`VALUE ~ '^[0-9]{5}$'\` }`. */
  readonly checks?: Readonly<Record<string, SqlExpr | string>>;
  readonly comment?: string | null;
}

/**
 * op.alterDomain's changes and, as `existing`, the same facets as they were (needed to drop checks, and to undo);
 * `notValid: true` adds its checks NOT VALID (validate them with op.validateDomainCheck after the commit).
 */
export type AlterDomainOptions = DomainOpOptions & { readonly existing?: DomainOpOptions; readonly notValid?: boolean };

/** op.createExtension's and op.alterExtension's options. */
export interface ExtensionOpOptions {
  readonly schema?: string;
  readonly version?: string;
}

/** The domain and extension methods of Op. */
export interface DomainOps {
  /** CREATE DOMAIN name AS type (PostgreSQL). */
  createDomain(name: string, type: ColumnBuilder, options?: DomainOpOptions): void;
  /** ALTER DOMAIN: default, NOT NULL, checks (added and dropped by name against `existing.checks`) and comment, in place. */
  alterDomain(name: string, changes: AlterDomainOptions): void;
  dropDomain(name: string): void;
  /** ALTER DOMAIN ... VALIDATE CONSTRAINT: the stored values checked against a check added NOT VALID (writes go on). */
  validateDomainCheck(domain: string, check: string): void;
  /** CREATE EXTENSION (PostgreSQL). */
  createExtension(name: string, options?: ExtensionOpOptions): void;
  /** ALTER EXTENSION UPDATE TO version / SET SCHEMA. */
  alterExtension(name: string, changes: ExtensionOpOptions & { readonly existing?: ExtensionOpOptions }): void;
  dropExtension(name: string): void;
  /** CREATE SCHEMA (PostgreSQL): before the objects named `name.table` in it. */
  createSchema(name: string): void;
  /** DROP SCHEMA, never CASCADE: after everything in it is gone. */
  dropSchema(name: string): void;
  /**
   * COMMENT ON an enum, sequence, view, materialized view, index or constraint (`table` names an index's or a
   * constraint's table); null clears it. `existing`: the comment before, for the downgrade. SQLite: nothing to do.
   */
  setComment(kind: CommentTarget['kind'], name: string, comment: string | null, options?: { readonly table?: string; readonly existing?: string | null }): void;
}

function changes(o: DomainOpOptions, spelling: SqlSpelling): DomainChanges {
  const out: { -readonly [K in keyof DomainChanges]: DomainChanges[K] } = {};
  if (o.notNull !== undefined) out.notNull = o.notNull;
  if (o.default !== undefined) {
    const d = defaultToSql(o.default);
    out.default = d === null ? null : sqlText(d, spelling);
  }
  if (o.checks !== undefined) {
    out.checks = Object.entries(o.checks).map(([name, e]): DomainCheckIR => ({ name, expression: sqlText(e, spelling) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  if (o.comment !== undefined) out.comment = o.comment;
  return out;
}

const extensionChanges = (o: ExtensionOpOptions) => ({ ...(o.schema !== undefined ? { schema: o.schema } : {}), ...(o.version !== undefined ? { version: o.version } : {}) });

/** The domain and extension methods, appending to the queue through `push`. */
export function domainOps(push: (o: Operation) => void, spelling: SqlSpelling): DomainOps {
  return {
    createDomain: (name, type, options = {}) => {
      const c = changes(options, spelling);
      push({
        kind: 'createDomain',
        domain: { name, type: type.spec.type, ...(type.spec.collation !== undefined ? { collation: type.spec.collation } : {}), notNull: c.notNull ?? false, default: c.default ?? null, checks: c.checks ?? [], ...(typeof c.comment === 'string' ? { comment: c.comment } : {}) },
      });
    },
    alterDomain: (name, options) => {
      const { existing, notValid, ...rest } = options;
      const to = changes(rest, spelling);
      if (Object.keys(to).length === 0) throw new RetortError('USAGE', `op.alterDomain('${name}'): say what changes (notNull, default, checks or comment)`);
      const flag = notValid === true ? { notValid: true as const } : {};
      push(existing ? { kind: 'alterDomain', name, to, from: changes(existing, spelling), ...flag } : { kind: 'alterDomain', name, to, ...flag });
    },
    dropDomain: (name) => push({ kind: 'dropDomain', name, domain: null }),
    validateDomainCheck: (domain, check) => push({ kind: 'validateDomainCheck', domain, name: check }),
    createExtension: (name, options = {}) => push({ kind: 'createExtension', extension: { name, ...extensionChanges(options) } }),
    alterExtension: (name, options) => {
      const { existing, ...rest } = options;
      const to = extensionChanges(rest);
      if (Object.keys(to).length === 0) throw new RetortError('USAGE', `op.alterExtension('${name}'): say what changes (version or schema)`);
      push(existing ? { kind: 'alterExtension', name, to, from: extensionChanges(existing) } : { kind: 'alterExtension', name, to });
    },
    dropExtension: (name) => push({ kind: 'dropExtension', name, extension: null }),
    createSchema: (name) => push({ kind: 'createSchema', name }),
    dropSchema: (name) => push({ kind: 'dropSchema', name }),
    setComment: (kind, name, comment, options = {}) => {
      const target: CommentTarget = { kind, name, ...(options.table !== undefined ? { table: options.table } : {}) };
      if ((kind === 'index' || kind === 'constraint') && options.table === undefined) throw new RetortError('USAGE', `op.setComment('${kind}', '${name}'): say which table (options.table)`);
      push({ kind: 'setComment', target, comment, ...(options.existing !== undefined ? { from: options.existing } : {}) });
    },
  };
}
