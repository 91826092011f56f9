/** createSequence: a free-standing sequence (PostgreSQL) with its options and, when given, its owner. */
import type { SequenceIR } from '../../ir/ir.js';
import { renderSequenceOp } from '../../render/render-sequences.js';
import { optionsText } from '../describe-sequences.js';
import type { OperationDef } from '../operation-def.js';

export interface CreateSequenceOp { readonly kind: 'createSequence'; readonly sequence: SequenceIR }

export const createSequence: OperationDef<CreateSequenceOp> = {
  inverse: (o) => ({ kind: 'dropSequence', name: o.sequence.name, sequence: o.sequence }),
  table: () => null,
  describe: (o) => [`+ sequence ${o.sequence.name}${optionsText(o.sequence)}`],
  render: (o) => renderSequenceOp(o),
  apply: (s, o) => {
    if (s.sequences.has(o.sequence.name)) s.fail(o, `sequence "${o.sequence.name}" already exists`);
    if (o.sequence.ownedBy !== null) s.checkOwner(o, o.sequence.ownedBy);
    s.sequences.set(o.sequence.name, o.sequence);
  },
};
