/**
 * Lets PostgreSQL spell declared expressions and custom types its own way.
 * PostgreSQL rewrites what it stores (`x IN ('a','b')` becomes
 * `x::text = ANY (ARRAY[...])`, `interval '30 days'` becomes
 * `'30 days'::interval`, `lower('A')` becomes `lower('A'::text)`, a column
 * declared `timestamptz(3)` reads back `timestamp(3) with time zone`, `float`
 * reads back `double precision`), so no textual normaliser can be complete. For the
 * declared tables whose expressions still differ from the live ones after
 * normalisation, and only those, this creates the declared enum types and
 * tables as temporary objects inside a transaction that is always rolled back,
 * reads them back with the introspector, and uses the server's spelling
 * wherever it matches the live one. A matching schema pays nothing.
 */
import type { Connection } from '../dialect.js';
import type { SchemaIR } from '../../ir/ir.js';
import { hasExpressionMismatch } from './postgres-expression-match.js';
import type { Operation } from '../../operations/operations.js';

/** Options for canonicalizePostgres. */
export interface CanonicalizeOptions {
  /** The schema `live` was read from (for messages only: the scratch objects live in the session's temporary schema). */
  readonly schema?: string;
  /** The models' renames, run first where a scratch object reads the real tables (views, policies, trigger conditions). */
  readonly renames?: readonly Operation[];
}

/** canonicalizePostgres returns `declared` with each expression PostgreSQL merely respells replaced by the live spelling. */
export async function canonicalizePostgres(conn: Connection, declared: SchemaIR, live: SchemaIR, options: CanonicalizeOptions = {}): Promise<SchemaIR> {
  const tables = await canonicalTables(conn, declared, live, options);
  // Each kind's canonicaliser (and the compiler the rename prelude needs) is loaded only where the models declare it.
  const prelude = (options.renames ?? []).length === 0 ? [] : (await import('./postgres-follow-renames.js')).renamePrelude(options.renames!);
  const views = declared.views === undefined ? undefined : await (await import('./postgres-canonicalize-views.js')).canonicalViews(conn, declared, live, prelude);
  const routines = declared.functions === undefined && declared.triggers === undefined ? {} : await (await import('./postgres-canonicalize-routines.js')).canonicalRoutines(conn, declared, live, prelude);
  const domains = declared.domains === undefined ? undefined : await (await import('./postgres-canonicalize-domains.js')).canonicalDomains(conn, declared, live);
  const policies = declared.policies === undefined || declared.policies.length === 0 ? undefined : await (await import('./postgres-canonicalize-policies.js')).canonicalPolicies(conn, declared, live, prelude);
  // Nothing that needed the server: the declared schema itself, as it came.
  if (views === undefined && domains === undefined && policies === undefined && Object.keys(routines).length === 0) return tables;
  return { ...tables, ...(views !== undefined ? { views } : {}), ...routines, ...(domains !== undefined ? { domains } : {}), ...(policies !== undefined ? { policies } : {}) };
}

async function canonicalTables(conn: Connection, declared: SchemaIR, live: SchemaIR, _options: CanonicalizeOptions): Promise<SchemaIR> {
  const liveTables = new Map(live.tables.map((t) => [t.name, t]));
  const affected = declared.tables.filter((t) => {
    const l = liveTables.get(t.name);
    return l !== undefined && hasExpressionMismatch(t, l);
  });
  if (affected.length === 0) return declared;
  // A partition is built in the scratch under a scratch copy of its parent (a temporary table cannot be a partition of a permanent one).
  const names = new Set(affected.map((t) => t.name));
  const parents = declared.tables.filter((p) => !names.has(p.name) && affected.some((t) => t.partitionOf?.parent === p.name));
  const { serverSpelling, adoptLiveSpelling } = await import('./postgres-canonicalize-tables.js');
  const canonical = await serverSpelling(conn, [...parents, ...affected].sort((a, b) => Number(a.partitionOf !== undefined) - Number(b.partitionOf !== undefined)), declared.enums);
  if (canonical === null) return declared;
  return {
    ...declared,
    enums: declared.enums,
    tables: declared.tables.map((t) => {
      const c = canonical.get(t.name);
      const l = liveTables.get(t.name);
      return c && l ? adoptLiveSpelling(t, c, l) : t;
    }),
  };
}

export { hasExpressionMismatch };
