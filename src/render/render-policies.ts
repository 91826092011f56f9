/** The policy operations as `op` calls: `op.createPolicy('name', { on, for, to, using, withCheck, permissive })`. */
import type { PolicyIR } from '../ir/ir.js';
import { objectLiteral, quoteString as q, sqlTemplate, stringArray } from './literal.js';
import type { Imports } from './render-column.js';

/** The options object of a policy (its table first, as `on` writes it: a name in revision files, a variable in models; defaults left out). */
export function policyOptionsLiteral(p: PolicyIR, imports: Imports, on = q(p.table)): string {
  const entries: [string, string][] = [['on', on]];
  if (p.command !== 'all') entries.push(['for', q(p.command)]);
  if (!(p.roles.length === 1 && p.roles[0] === 'public')) entries.push(['to', stringArray(p.roles)]);
  if (p.using !== null) entries.push(['using', sqlTemplate(p.using)]);
  if (p.withCheck !== null) entries.push(['withCheck', sqlTemplate(p.withCheck)]);
  if (!p.permissive) entries.push(['permissive', 'false']);
  if (p.using !== null || p.withCheck !== null) imports.add('sql');
  return objectLiteral(entries);
}

/** `op.createPolicy(...)` or `op.alterPolicy(...)` for `p`. */
export function renderPolicyCall(method: 'createPolicy' | 'alterPolicy', p: PolicyIR, imports: Imports): string {
  return `op.${method}(${q(p.name)}, ${policyOptionsLiteral(p, imports)});`;
}
