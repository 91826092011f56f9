/** renameSequence: gives a free-standing sequence a new name; its position and options stay (PostgreSQL). */
import { opCall, quoteString as q } from '../../render/literal.js';
import type { OperationDef } from '../operation-def.js';

export interface RenameSequenceOp { readonly kind: 'renameSequence'; readonly from: string; readonly to: string }

export const renameSequence: OperationDef<RenameSequenceOp> = {
  inverse: (o) => ({ kind: 'renameSequence', from: o.to, to: o.from }),
  table: () => null,
  describe: (o) => [`~ sequence ${o.from} renamed to ${o.to}`],
  render: (o) => opCall('renameSequence', q(o.from), q(o.to)),
  apply: (s, o) => {
    const x = s.sequence(o, o.from);
    if (s.sequences.has(o.to)) s.fail(o, `sequence "${o.to}" already exists`);
    s.sequences.delete(o.from);
    s.sequences.set(o.to, { ...x, name: o.to });
  },
};
