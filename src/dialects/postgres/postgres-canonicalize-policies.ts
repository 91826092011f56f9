/**
 * A declared policy's clauses in PostgreSQL's own spelling: the server stores USING and WITH CHECK parsed and prints
 * them back with pg_get_expr (casts written out, parentheses its own), so the text a user writes rarely reads back as
 * written. For each declared policy whose clauses differ from the live one, and only those, this copies its table's
 * columns into a temporary table (CREATE TEMPORARY TABLE ... (LIKE ...), which locks the live table no more than a
 * read) inside a transaction that is always rolled back, creates the policy there, and reads back its clauses: where
 * they equal the live ones, the live text is adopted (formatting is no change); otherwise the declared text stays.
 *
 * The roles a policy names are the server's, never created by Retort: a declared role that does not exist is
 * refused here, before any revision is written, with one line naming it.
 */
import { RetortError } from '../../errors.js';
import type { Connection } from '../dialect.js';
import { inRolledBack, inSavepoint } from '../read-transaction.js';
import type { PolicyIR, SchemaIR } from '../../ir/ir.js';
import { samePolicy } from '../../ir/policy.js';
import { quoteIdentifier as q, quoteLiteral, quoteQualified } from './postgres-sql.js';
import { createPolicySql } from './postgres-policies.js';
import { buildPolicy, POLICY_JSON, type PolicyRow } from './postgres-policies-read.js';

const key = (p: PolicyIR) => `${p.table}\u0000${p.name}`;

/** `declared`'s policies, each in the live spelling where the server spells it the same; undefined when it has none. */
export async function canonicalPolicies(conn: Connection, declared: SchemaIR, live: SchemaIR, prelude: readonly string[] = []): Promise<readonly PolicyIR[] | undefined> {
  if (declared.policies === undefined || declared.policies.length === 0) return undefined;
  await checkRoles(conn, declared.policies);
  const liveByKey = new Map((live.policies ?? []).map((p) => [key(p), p]));
  const liveTables = new Set(live.tables.map((t) => t.name));
  const differing = declared.policies.filter((p) => {
    const l = liveByKey.get(key(p));
    return l !== undefined && liveTables.has(p.table) && !samePolicy(p, l) && (l.using !== p.using || l.withCheck !== p.withCheck);
  });
  if (differing.length === 0) return declared.policies;
  const scratch = await scratchPolicies(conn, differing, prelude);
  return declared.policies.map((p) => {
    const s = scratch.get(key(p));
    const l = liveByKey.get(key(p));
    if (s === undefined || l === undefined) return p;
    return {
      ...p,
      ...(s.using === l.using ? { using: l.using } : {}),
      ...(s.withCheck === l.withCheck ? { withCheck: l.withCheck } : {}),
    };
  });
}

async function checkRoles(conn: Connection, policies: readonly PolicyIR[]): Promise<void> {
  const named = [...new Set(policies.flatMap((p) => p.roles).filter((r) => r !== 'public'))];
  if (named.length === 0) return;
  const rows = await conn.query<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE rolname IN (${named.map(quoteLiteral).join(', ')})`);
  const existing = new Set(rows.map((r) => r.rolname));
  const missing = named.find((r) => !existing.has(r));
  if (missing === undefined) return;
  const p = policies.find((x) => x.roles.includes(missing))!;
  throw new RetortError('MODEL', `policy "${p.name}" on "${p.table}" names role "${missing}", which does not exist on the server`, {
    hint: `create the role first (CREATE ROLE ${q(missing)}): Retort references roles, it does not create them`,
  });
}

async function scratchPolicies(conn: Connection, policies: readonly PolicyIR[], prelude: readonly string[]): Promise<Map<string, PolicyIR>> {
  const out = new Map<string, PolicyIR>();
  // A failure keeps what was read before it; the rest keep their declared text.
  await inRolledBack(conn, async () => {
    // The declared renames first, so LIKE copies the columns by their new names (postgres-follow-renames.ts).
    for (const s of prelude) await conn.query(s);
    const tables = [...new Set(policies.map((p) => p.table))];
    for (const [i, t] of tables.entries()) {
      const scratch = `retort_policy_${i}`;
      // One savepoint each: a clause PostgreSQL refuses leaves out only its policy, which keeps its declared text.
      if (!(await attempt(conn, `CREATE TEMPORARY TABLE ${q(scratch)} (LIKE ${quoteQualified(t)})`))) continue;
      for (const p of policies.filter((x) => x.table === t)) {
        if (!(await attempt(conn, createPolicySql(p, `pg_temp.${q(scratch)}`)))) continue;
        const [row] = await conn.query<{ policy: PolicyRow }>(`SELECT ${POLICY_JSON('p')} AS policy FROM pg_policy p WHERE p.polrelid = ${quoteLiteral(`pg_temp.${q(scratch)}`)}::regclass AND p.polname = ${quoteLiteral(p.name)}`);
        if (row !== undefined) out.set(key(p), buildPolicy(p.table, row.policy));
      }
    }
  });
  return out;
}

const attempt = (conn: Connection, sql: string) => inSavepoint(conn, 'retort_policy', sql);
