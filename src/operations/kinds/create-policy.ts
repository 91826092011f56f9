/** createPolicy: a row-level security policy on a table (CREATE POLICY). */
import type { PolicyIR } from '../../ir/ir.js';
import { renderPolicyCall } from '../../render/render-policies.js';
import type { OperationDef } from '../operation-def.js';

export interface CreatePolicyOp { readonly kind: 'createPolicy'; readonly policy: PolicyIR }

export const createPolicy: OperationDef<CreatePolicyOp> = {
  inverse: (o) => ({ kind: 'dropPolicy', name: o.policy.name, on: o.policy.table, policy: o.policy }),
  table: () => null,
  describe: (o) => [`+ policy ${o.policy.name} on ${o.policy.table}`],
  render: (o, ctx) => renderPolicyCall('createPolicy', o.policy, ctx.imports),
  apply: (s, o) => {
    s.table(o, o.policy.table);
    if (s.policies.has(s.policyKey(o.policy.table, o.policy.name))) s.fail(o, `policy "${o.policy.name}" already exists on "${o.policy.table}"`);
    s.policies.set(s.policyKey(o.policy.table, o.policy.name), o.policy);
  },
};
