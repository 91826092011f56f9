/**
 * Row-level security policies in the model DSL:
 * `policy('tenant_isolation', { on: film, for: 'select', to: ['app_user'], using: sql\`tenant_id = current_setting('app.tenant')::int\` })`.
 * The roles a policy names are referenced, never created: they must exist on the server (`'public'` is every role).
 * Switching row-level security on is the table's business: `table(...).enableRls()` (and `.forceRls()`).
 */
import { RetortError } from '../errors.js';
import { POLICY_COMMANDS, type PolicyCommand, type PolicyIR } from '../ir/policy.js';
import { BRAND, isSqlExpr, isTableDecl, sqlText, type SqlExpr, type SqlSpelling, type TableDecl } from './dsl.js';
import { declared } from './declaration-order.js';

/** The options of policy(). */
export interface PolicyOptions {
  /** The table the policy guards: its declaration, or its name. */
  readonly on: TableDecl | string;
  /** The command it applies to; default 'all'. */
  readonly for?: PolicyCommand;
  /** The roles it applies to: role names, or 'public' (the default) for every role. Roles are not created by Retort. */
  readonly to?: readonly string[] | 'public';
  /** USING: which existing rows the command sees or affects. */
  readonly using?: SqlExpr | string;
  /** WITH CHECK: which rows the command may write. */
  readonly withCheck?: SqlExpr | string;
  /** false: RESTRICTIVE (combined with the other policies by AND); default true, PERMISSIVE (by OR). */
  readonly permissive?: boolean;
}

/** A declared policy. */
export interface PolicyDecl {
  readonly [BRAND]: 'policy';
  readonly policyName: string;
  readonly options: PolicyOptions;
}

export function isPolicyDecl(v: unknown): v is PolicyDecl {
  return typeof v === 'object' && v !== null && (v as { [BRAND]?: unknown })[BRAND] === 'policy';
}

/** policy('name', { on, for, to, using, withCheck, permissive }) declares a row-level security policy. */
export function policy(name: string, options: PolicyOptions): PolicyDecl {
  return declared({ [BRAND]: 'policy', policyName: name, options: { ...options } });
}

const modelError = (message: string, hint: string) => new RetortError('MODEL', message, { hint });

/** The table name a policy's `on` names. */
export function policyTable(decl: PolicyDecl): string {
  const on = decl.options.on;
  return isTableDecl(on) ? on.tableName : typeof on === 'string' ? on : '';
}

/** The PolicyIR of `decl` (declared in `file`), checked: a table, a command, roles, and clauses that fit the command. */
export function policyIR(decl: PolicyDecl, file: string, spelling: SqlSpelling): PolicyIR {
  const o = decl.options;
  const table = policyTable(decl);
  const at = `${file}: policy "${decl.policyName}"`;
  if (table === '') throw modelError(`${at} has no table`, "name the table it guards: policy('name', { on: film, ... })");
  const command = o.for ?? 'all';
  if (!POLICY_COMMANDS.includes(command)) throw modelError(`${at} on "${table}": for must be one of ${POLICY_COMMANDS.join(', ')} (got ${JSON.stringify(command)})`, "write for: 'select' (or 'all', 'insert', 'update', 'delete')");
  const to = o.to ?? 'public';
  const roles = to === 'public' ? ['public'] : [...new Set(to)].sort();
  if (roles.length === 0 || roles.some((r) => typeof r !== 'string' || r === '')) throw modelError(`${at} on "${table}": to names no role`, "write to: ['role_name', ...] or to: 'public'");
  const clause = (v: SqlExpr | string | undefined): string | null => {
    if (v === undefined) return null;
    const text = (isSqlExpr(v) ? sqlText(v, spelling) : v).trim();
    return text === '' ? null : text;
  };
  const using = clause(o.using);
  const withCheck = clause(o.withCheck);
  // PostgreSQL's own rules, said before a revision fails on them.
  if (command === 'insert' && using !== null) throw modelError(`${at} on "${table}": a policy for insert has no using clause`, 'write the condition as withCheck');
  if ((command === 'select' || command === 'delete') && withCheck !== null) throw modelError(`${at} on "${table}": a policy for ${command} has no withCheck clause`, 'write the condition as using');
  return { name: decl.policyName, table, command, permissive: o.permissive !== false, roles, using, withCheck };
}
