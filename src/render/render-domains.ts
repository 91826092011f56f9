/**
 * Domains and extensions rendered as `op` calls in a revision: `op.createDomain('zip', text(), { notNull: true,
 * checks: { zip_check: sql`VALUE ~ '^\d{5}$'` } })`, `op.alterDomain(...)` with the changed facets and, as `existing`,
 * what they were, `op.createExtension('pgcrypto', { schema: 'public' })`.
 */
import type { DomainChanges, DomainCheckIR, DomainIR, ExtensionChanges, ExtensionIR } from '../ir/ir.js';
import type { OperationOf } from '../operations/operations.js';
import { objectLiteral, opCall, quoteString, sqlTemplate } from './literal.js';
import { renderDefault, renderType, type Imports } from './render-column.js';

/** `.collate('C')` on a domain's base type where it has a COLLATE of its own. */
export function collateCall(d: DomainIR): string {
  return d.collation === undefined ? '' : `.collate(${quoteString(d.collation)})`;
}

function checksLiteral(checks: readonly DomainCheckIR[], imports: Imports): string {
  if (checks.length > 0) imports.add('sql');
  return objectLiteral(checks.map((c) => [c.name, sqlTemplate(c.expression)]));
}

/** The entries of a domain's options (or changes) away from their defaults; `all` writes every facet a change names. */
function domainEntries(d: DomainChanges, imports: Imports, all: boolean): [string, string][] {
  const out: [string, string][] = [];
  if (d.notNull !== undefined && (all || d.notNull)) out.push(['notNull', String(d.notNull)]);
  if (d.default !== undefined && (all || d.default !== null)) out.push(['default', renderDefault(d.default, imports)]);
  if (d.checks !== undefined && (all || d.checks.length > 0)) out.push(['checks', checksLiteral(d.checks, imports)]);
  if (d.comment !== undefined && (all || d.comment !== null)) out.push(['comment', d.comment === null ? 'null' : quoteString(d.comment)]);
  return out;
}

/** The op call of a domain operation; a base type the DSL cannot spell is written as customType(). */
export function renderDomainOp(o: OperationOf<'createDomain' | 'alterDomain' | 'dropDomain'>, imports: Imports): string {
  switch (o.kind) {
    case 'createDomain': {
      const d: DomainIR = o.domain;
      const type = `${renderType(d.type, imports) ?? (imports.add('customType'), `customType(${quoteString(String((d.type as { sql?: string }).sql ?? d.type.kind))})`)}${collateCall(d)}`;
      const entries = domainEntries({ notNull: d.notNull, default: d.default, checks: d.checks, ...(d.comment !== undefined ? { comment: d.comment } : {}) }, imports, false);
      return opCall('createDomain', quoteString(d.name), type, ...(entries.length > 0 ? [objectLiteral(entries)] : []));
    }
    case 'alterDomain': {
      const entries = domainEntries(o.to, imports, true);
      if (o.from !== undefined) entries.push(['existing', objectLiteral(domainEntries(o.from, imports, true))]);
      if (o.notValid) entries.push(['notValid', 'true']);
      return opCall('alterDomain', quoteString(o.name), objectLiteral(entries));
    }
    case 'dropDomain':
      return opCall('dropDomain', quoteString(o.name));
  }
}

function extensionEntries(e: ExtensionChanges): [string, string][] {
  return [...(e.schema !== undefined ? [['schema', quoteString(e.schema)] as [string, string]] : []), ...(e.version !== undefined ? [['version', quoteString(e.version)] as [string, string]] : [])];
}

/** The op call of an extension operation. */
export function renderExtensionOp(o: OperationOf<'createExtension' | 'alterExtension' | 'dropExtension'>): string {
  switch (o.kind) {
    case 'createExtension': {
      const e: ExtensionIR = o.extension;
      const entries = extensionEntries(e);
      return opCall('createExtension', quoteString(e.name), ...(entries.length > 0 ? [objectLiteral(entries)] : []));
    }
    case 'alterExtension': {
      const entries = extensionEntries(o.to);
      if (o.from !== undefined) entries.push(['existing', objectLiteral(extensionEntries(o.from))]);
      return opCall('alterExtension', quoteString(o.name), objectLiteral(entries));
    }
    case 'dropExtension':
      return opCall('dropExtension', quoteString(o.name));
  }
}
