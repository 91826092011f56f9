/**
 * validateDomainCheck: checks the values already stored in every column that uses a domain against a check added to
 * the domain NOT VALID (PostgreSQL ALTER DOMAIN ... VALIDATE CONSTRAINT, which lets writes go on). The schema does
 * not change; undoing it takes nothing, since the inverse of the change before it drops the check.
 */
import { opCall, quoteString as q } from '../../render/literal.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

export interface ValidateDomainCheckOp { readonly kind: 'validateDomainCheck'; readonly domain: string; readonly name: string }

export const validateDomainCheck: OperationDef<ValidateDomainCheckOp> = {
  inverse: (o) => { throw new IrreversibleOperationError(o, 'validating a check has nothing to undo; drop the check instead'); },
  // Nothing to run on the way back: inverseAll leaves it out.
  undo: () => [],
  table: () => null,
  describe: (o) => [`~ validate check ${o.name} of domain ${o.domain}`],
  render: (o) => opCall('validateDomainCheck', q(o.domain), q(o.name)),
  apply: (s, o) => {
    const d = s.domains.get(o.domain) ?? s.fail(o, `no domain "${o.domain}"`);
    if (!d.checks.some((c) => c.name === o.name)) s.fail(o, `domain "${o.domain}" has no check "${o.name}"`);
  },
};
