/**
 * The policy half of model collection: each declared policy's IR, on a declared table, once per (table, name).
 */
import { RetortError } from '../errors.js';
import { sortPolicies, type PolicyIR } from '../ir/policy.js';
import type { SqlSpelling } from './dsl.js';
import { policyIR, type PolicyDecl } from './policies.js';

const modelError = (message: string, hint: string) => new RetortError('MODEL', message, { hint });

/** The policies, sorted by table and name; `tableFile` says where a table is declared (null: nowhere). */
export function collectPolicies(decls: readonly { decl: PolicyDecl; file: string }[], spelling: SqlSpelling, tableFile: (name: string) => string | null): PolicyIR[] {
  const seen = new Map<string, { decl: PolicyDecl; file: string }>();
  const out: PolicyIR[] = [];
  for (const { decl, file } of decls) {
    const ir = policyIR(decl, file, spelling);
    const key = `${ir.table}\u0000${ir.name}`;
    const prior = seen.get(key);
    if (prior?.decl === decl) continue;
    if (prior) throw modelError(`policy "${ir.name}" on "${ir.table}" is declared twice: in ${prior.file} and ${file}`, 'rename one of them or delete the copy');
    if (tableFile(ir.table) === null) throw modelError(`${file}: policy "${ir.name}" is on table "${ir.table}", which no model file declares`, 'declare and export the table, or fix the policy\'s on:');
    seen.set(key, { decl, file });
    out.push(ir);
  }
  return sortPolicies(out);
}
