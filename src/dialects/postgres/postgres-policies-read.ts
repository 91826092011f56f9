/**
 * Reading row-level security from pg_catalog inside the tables query of the introspector's batch (so the number of
 * queries stays the same whatever the number of tables): a table's relrowsecurity / relforcerowsecurity, and its
 * policies from pg_policy as JSON, expressions as pg_get_expr prints them (the spelling declared ones are compared in,
 * see postgres-canonicalize-policies.ts).
 */
import type { PolicyCommand, PolicyIR } from '../../ir/ir.js';

/** pg_get_expr of a policy's clauses, as the live read and the canonicaliser's scratch read both spell them. */
export const POLICY_JSON = (policy: string) => `json_build_object('name', ${policy}.polname, 'cmd', ${policy}.polcmd, 'permissive', ${policy}.polpermissive,
    'roles', ARRAY(SELECT CASE WHEN r.oid = 0 THEN 'public' ELSE (SELECT rolname FROM pg_roles WHERE oid = r.oid) END FROM unnest(${policy}.polroles) r(oid)),
    'using', pg_get_expr(${policy}.polqual, ${policy}.polrelid, true), 'check', pg_get_expr(${policy}.polwithcheck, ${policy}.polrelid, true))`;

/**
 * The columns the tables query adds for a table `c`; no table is probed where the database has no policy at all (one test for the query).
 * The flags are true or NULL, not false: a NULL field costs the driver nothing to read.
 */
export const RLS_COLUMNS = `CASE WHEN c.relrowsecurity THEN true END AS rls_enabled, CASE WHEN c.relforcerowsecurity THEN true END AS rls_forced,
  CASE WHEN EXISTS (SELECT 1 FROM pg_policy) AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)
    THEN (SELECT json_agg(${POLICY_JSON('p')} ORDER BY p.polname) FROM pg_policy p WHERE p.polrelid = c.oid) END AS policies`;

/** A policy as POLICY_JSON builds it. */
export interface PolicyRow { name: string; cmd: string; permissive: boolean; roles: (string | null)[]; using: string | null; check: string | null }

const COMMANDS: Record<string, PolicyCommand> = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' };

/** The PolicyIR of a row of table `table`. */
export function buildPolicy(table: string, r: PolicyRow): PolicyIR {
  return {
    name: r.name,
    table,
    command: COMMANDS[r.cmd] ?? 'all',
    permissive: r.permissive,
    // A role dropped since has no name (PostgreSQL keeps no dangling oids, but read defensively).
    roles: r.roles.filter((x): x is string => x !== null).sort(),
    using: r.using,
    withCheck: r.check,
  };
}
