/**
 * validateConstraint: checks the rows already in a table against a constraint added NOT VALID (PostgreSQL
 * VALIDATE CONSTRAINT, under SHARE UPDATE EXCLUSIVE, which lets reads and writes go on). The schema does not
 * change; undoing it takes nothing, since the inverse of the add before it drops the constraint.
 */
import { opCall, quoteString as q } from '../../render/literal.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

export interface ValidateConstraintOp { readonly kind: 'validateConstraint'; readonly table: string; readonly name: string }

export const validateConstraint: OperationDef<ValidateConstraintOp> = {
  inverse: (o) => { throw new IrreversibleOperationError(o, 'validating a constraint has nothing to undo; drop the constraint instead'); },
  // Nothing to run on the way back: inverseAll leaves it out.
  undo: () => [],
  table: (o) => o.table,
  describe: (o) => [`~ validate constraint ${o.name} on ${o.table}`],
  render: (o) => opCall('validateConstraint', q(o.name), q(o.table)),
  applyTable: (t) => t,
};
