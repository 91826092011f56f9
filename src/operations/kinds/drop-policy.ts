/** dropPolicy: drops a row-level security policy (DROP POLICY name ON table). */
import type { PolicyIR } from '../../ir/ir.js';
import { opCall, quoteString as q } from '../../render/literal.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** `policy` is the full definition when known (autogenerate), or null (hand-written). */
export interface DropPolicyOp { readonly kind: 'dropPolicy'; readonly name: string; readonly on: string; readonly policy: PolicyIR | null }

export const dropPolicy: OperationDef<DropPolicyOp> = {
  inverse: (o) => {
    if (o.policy === null) throw new IrreversibleOperationError(o, `the definition of policy "${o.name}" on "${o.on}" is not known`);
    return { kind: 'createPolicy', policy: o.policy };
  },
  table: () => null,
  describe: (o) => [`- policy ${o.name} on ${o.on}`],
  render: (o) => opCall('dropPolicy', q(o.name), q(o.on)),
  apply: (s, o) => {
    const key = s.policyKey(o.on, o.name);
    const p = s.policies.get(key) ?? s.fail(o, `no policy "${o.name}" on "${o.on}"`);
    s.sameAs(o, `policy "${o.name}"`, o.policy, p);
    s.policies.delete(key);
  },
};
