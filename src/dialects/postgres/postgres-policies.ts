/**
 * Row-level security in PostgreSQL DDL: a table's switches and its policies. A role is written as an identifier
 * (`public` as the keyword PUBLIC); the roles are the server's, never created here.
 */
import type { PolicyIR } from '../../ir/ir.js';
import type { OperationOf } from '../../operations/operations.js';
import { conditionSql, quoteIdentifier as q, quoteQualified as qn } from './postgres-sql.js';

type PolicyOperation = OperationOf<'alterRls' | 'createPolicy' | 'dropPolicy' | 'alterPolicy'>;

const SWITCH = { enable: 'ENABLE', disable: 'DISABLE', force: 'FORCE', noForce: 'NO FORCE' } as const;

function rolesSql(roles: readonly string[]): string {
  return roles.map((r) => (r === 'public' ? 'PUBLIC' : q(r))).join(', ');
}

function clauses(p: PolicyIR): string {
  return `${p.using !== null ? ` USING (${conditionSql(p.using)})` : ''}${p.withCheck !== null ? ` WITH CHECK (${conditionSql(p.withCheck)})` : ''}`;
}

/** CREATE POLICY for `p`, on `table` (its own table unless given: the canonicaliser names a scratch copy). */
export function createPolicySql(p: PolicyIR, table = qn(p.table)): string {
  const kind = p.permissive ? '' : ' AS RESTRICTIVE';
  return `CREATE POLICY ${q(p.name)} ON ${table}${kind} FOR ${p.command.toUpperCase()} TO ${rolesSql(p.roles)}${clauses(p)}`;
}

/** The statements of one row-level security operation. */
export function compilePolicyOperation(o: PolicyOperation): string[] {
  switch (o.kind) {
    case 'alterRls':
      return [`ALTER TABLE ${qn(o.table)} ${SWITCH[o.setting]} ROW LEVEL SECURITY`];
    case 'createPolicy':
      return [createPolicySql(o.policy)];
    case 'dropPolicy':
      return [`DROP POLICY ${q(o.name)} ON ${qn(o.on)}`];
    case 'alterPolicy':
      return [`ALTER POLICY ${q(o.policy.name)} ON ${qn(o.policy.table)} TO ${rolesSql(o.policy.roles)}${clauses(o.policy)}`];
  }
}
