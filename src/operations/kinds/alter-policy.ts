/**
 * alterPolicy: changes a policy in place (ALTER POLICY: its roles, USING and WITH CHECK). Its command and kind
 * (permissive or restrictive) cannot change in place, nor can a clause be taken away: autogenerate drops and creates
 * the policy for those. The undo of an alter that adds a clause would take it away, so it is a drop of the policy as
 * altered and a create of the policy before (`undo`); any other undo is an ALTER POLICY back.
 */
import type { PolicyIR } from '../../ir/ir.js';
import { alterableInPlace } from '../../ir/policy.js';
import { renderPolicyCall } from '../../render/render-policies.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** `from` is the policy before, when known (autogenerate). */
export interface AlterPolicyOp { readonly kind: 'alterPolicy'; readonly policy: PolicyIR; readonly from: PolicyIR | null }

export const alterPolicy: OperationDef<AlterPolicyOp> = {
  inverse: (o) => {
    if (o.from === null) throw new IrreversibleOperationError(o, `the previous definition of policy "${o.policy.name}" on "${o.policy.table}" is not known`);
    if (!alterableInPlace(o.policy, o.from)) throw new IrreversibleOperationError(o, `ALTER POLICY cannot take back the change of policy "${o.policy.name}" on "${o.policy.table}"`);
    return { kind: 'alterPolicy', policy: o.from, from: o.policy };
  },
  undo: (o) => {
    if (o.from === null || alterableInPlace(o.policy, o.from)) return null;
    return [{ kind: 'dropPolicy', name: o.policy.name, on: o.policy.table, policy: o.policy }, { kind: 'createPolicy', policy: o.from }];
  },
  table: () => null,
  describe: (o) => [`~ policy ${o.policy.name} on ${o.policy.table}: changed`],
  render: (o, ctx) => renderPolicyCall('alterPolicy', o.policy, ctx.imports),
  apply: (s, o) => {
    const key = s.policyKey(o.policy.table, o.policy.name);
    const p = s.policies.get(key) ?? s.fail(o, `no policy "${o.policy.name}" on "${o.policy.table}"`);
    s.sameAs(o, `policy "${o.policy.name}"`, o.from, p);
    if (!alterableInPlace(p, o.policy)) s.fail(o, `policy "${o.policy.name}" cannot change its command, its kind or lose a clause in place`);
    s.policies.set(key, o.policy);
  },
};
