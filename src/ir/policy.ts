/**
 * Row-level security in the Schema IR: a table's switches (ENABLE / FORCE ROW LEVEL SECURITY) live on its TableIR;
 * policies are a schema-level list, each naming its table (a policy's name is unique per table). Roles are referenced
 * by name, never created: `public` stands for PUBLIC (every role).
 */

/** The command a policy applies to. */
export type PolicyCommand = 'all' | 'select' | 'insert' | 'update' | 'delete';

/** The policy commands, in the order they are documented. */
export const POLICY_COMMANDS: readonly PolicyCommand[] = ['all', 'select', 'insert', 'update', 'delete'];

/** PolicyIR is one CREATE POLICY: expressions as the server prints them when read back (pg_get_expr). */
export interface PolicyIR {
  readonly name: string;
  readonly table: string;
  readonly command: PolicyCommand;
  /** PERMISSIVE (policies combined with OR) or RESTRICTIVE (AND). */
  readonly permissive: boolean;
  /** Role names, sorted; `['public']` is every role. */
  readonly roles: readonly string[];
  /** USING (rows visible or affected), or null. */
  readonly using: string | null;
  /** WITH CHECK (rows written), or null. */
  readonly withCheck: string | null;
}

/** Whether two policies are the same (name and table aside). */
export function samePolicy(a: PolicyIR, b: PolicyIR): boolean {
  return a.command === b.command && a.permissive === b.permissive && a.using === b.using && a.withCheck === b.withCheck
    && a.roles.length === b.roles.length && a.roles.every((r, i) => r === b.roles[i]);
}

/** Whether ALTER POLICY can turn `from` into `to`: the same command and kind, and no clause taken away (ALTER POLICY only sets them). */
export function alterableInPlace(from: PolicyIR, to: PolicyIR): boolean {
  return from.command === to.command && from.permissive === to.permissive
    && (to.using !== null || from.using === null) && (to.withCheck !== null || from.withCheck === null);
}

/** Policies in a stable order: by table, then name. */
export function sortPolicies(policies: readonly PolicyIR[]): PolicyIR[] {
  const key = (p: PolicyIR) => `${p.table}\u0000${p.name}`;
  return [...policies].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
