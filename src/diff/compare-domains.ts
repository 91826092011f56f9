/**
 * Domains and extensions compared. Phased by compare.ts: extensions are created first (a domain or a column may use
 * their types), then domains (after new enum types, which a domain may be over), both before any table; domains are
 * dropped after the tables and columns that used them, extensions last. A domain is altered in place (default, NOT
 * NULL, checks, comment); only a new base type or collation, which ALTER DOMAIN cannot change, drops and creates it again
 * (PostgreSQL refuses while a column uses it). An extension's version and schema are compared only where the models
 * declare them.
 */
import type { DomainChanges, DomainIR, ExtensionChanges, SchemaIR } from '../ir/ir.js';
import type { Operation } from '../operations/operations.js';
import { byName, sameIR } from '../ir/ir-util.js';

/** The domain and extension operations, by phase. */
export interface DomainPlan {
  /** New extensions and extensions updated: first of all. */
  readonly extensions: Operation[];
  /** New domains and domains altered: before the tables. */
  readonly early: Operation[];
  /** Domains no longer declared: after the tables (and before the enums they may be over). */
  readonly drops: Operation[];
  /** Extensions no longer declared: last. */
  readonly extensionDrops: Operation[];
}

/** The changes between two versions of a domain, or null when there are none. */
export function domainChanges(from: DomainIR, to: DomainIR): { to: DomainChanges; from: DomainChanges } | null {
  const next: Record<string, unknown> = {};
  const prev: Record<string, unknown> = {};
  if (from.notNull !== to.notNull) { next.notNull = to.notNull; prev.notNull = from.notNull; }
  if (from.default !== to.default) { next.default = to.default; prev.default = from.default; }
  if (!sameIR(from.checks, to.checks)) { next.checks = to.checks; prev.checks = from.checks; }
  if ((from.comment ?? null) !== (to.comment ?? null)) { next.comment = to.comment ?? null; prev.comment = from.comment ?? null; }
  return Object.keys(next).length === 0 ? null : { to: next as DomainChanges, from: prev as DomainChanges };
}

/** The operations that take the domains and extensions of `from` to those of `to`. */
export function planDomains(from: SchemaIR, to: SchemaIR): DomainPlan {
  const plan: DomainPlan = { extensions: [], early: [], drops: [], extensionDrops: [] };
  const liveExt = byName(from.extensions ?? []);
  const declaredExt = byName(to.extensions ?? []);
  for (const e of declaredExt.values()) {
    const old = liveExt.get(e.name);
    if (old === undefined) {
      plan.extensions.push({ kind: 'createExtension', extension: e });
      continue;
    }
    const next: { -readonly [K in keyof ExtensionChanges]: ExtensionChanges[K] } = {};
    const prev: { -readonly [K in keyof ExtensionChanges]: ExtensionChanges[K] } = {};
    if (e.version !== undefined && e.version !== old.version) { next.version = e.version; if (old.version !== undefined) prev.version = old.version; }
    if (e.schema !== undefined && e.schema !== old.schema) { next.schema = e.schema; if (old.schema !== undefined) prev.schema = old.schema; }
    if (Object.keys(next).length > 0) plan.extensions.push({ kind: 'alterExtension', name: e.name, to: next, from: prev });
  }
  for (const old of liveExt.values()) if (!declaredExt.has(old.name)) plan.extensionDrops.push({ kind: 'dropExtension', name: old.name, extension: old });

  const before = byName(from.domains ?? []);
  const after = byName(to.domains ?? []);
  for (const d of after.values()) {
    const old = before.get(d.name);
    if (old === undefined) plan.early.push({ kind: 'createDomain', domain: d });
    else if (!sameIR(old.type, d.type) || old.collation !== d.collation) plan.early.push({ kind: 'dropDomain', name: old.name, domain: old }, { kind: 'createDomain', domain: d });
    else {
      const change = domainChanges(old, d);
      if (change !== null) plan.early.push({ kind: 'alterDomain', name: d.name, to: change.to, from: change.from });
    }
  }
  for (const old of before.values()) if (!after.has(old.name)) plan.drops.push({ kind: 'dropDomain', name: old.name, domain: old });
  return plan;
}
