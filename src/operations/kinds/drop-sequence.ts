/** dropSequence: removes a free-standing sequence, and the position it had reached. */
import type { SequenceIR } from '../../ir/ir.js';
import { renderSequenceOp } from '../../render/render-sequences.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** `sequence` is the full definition when known (autogenerate), or null (hand-written). */
export interface DropSequenceOp { readonly kind: 'dropSequence'; readonly name: string; readonly sequence: SequenceIR | null }

export const dropSequence: OperationDef<DropSequenceOp> = {
  inverse: (o) => {
    if (!o.sequence) throw new IrreversibleOperationError(o, `the options of sequence "${o.name}" are not known`);
    return { kind: 'createSequence', sequence: o.sequence };
  },
  table: () => null,
  describe: (o) => [`- sequence ${o.name}`],
  render: (o) => renderSequenceOp(o),
  apply: (s, o) => {
    s.sameAs(o, `sequence "${o.name}"`, o.sequence, s.sequence(o, o.name));
    s.sequences.delete(o.name);
  },
};
