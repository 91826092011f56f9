/** alterSequence: a sequence's options or owner changed in place (ALTER SEQUENCE: its current value is kept). */
import type { SequenceChanges, SequenceIR } from '../../ir/ir.js';
import { sameIR } from '../../ir/ir-util.js';
import { renderSequenceOp } from '../../render/render-sequences.js';
import { changesText } from '../describe-sequences.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** `from` holds the old values of whatever `to` changes, when known. */
export interface AlterSequenceOp { readonly kind: 'alterSequence'; readonly name: string; readonly to: SequenceChanges; readonly from?: SequenceChanges }

export const alterSequence: OperationDef<AlterSequenceOp> = {
  inverse: (o) => {
    const from = o.from;
    const missing = Object.keys(o.to).find((k) => from === undefined || !(k in from));
    if (from === undefined || missing !== undefined) throw new IrreversibleOperationError(o, `the previous ${missing ?? 'options'} of sequence "${o.name}" ${missing ? 'is' : 'are'} not known`);
    return { kind: 'alterSequence', name: o.name, to: from, from: o.to };
  },
  table: () => null,
  describe: (o) => [`~ sequence ${o.name}: ${changesText(o.from)} -> ${changesText(o.to)}`],
  render: (o) => renderSequenceOp(o),
  apply: (s, o) => {
    const before = s.sequence(o, o.name);
    if (s.strict && o.from) for (const [k, v] of Object.entries(o.from)) if (!sameIR(v, before[k as keyof SequenceIR])) s.fail(o, `the recorded previous ${k} of sequence "${o.name}" differs from the schema as it stands`);
    if (o.to.ownedBy) s.checkOwner(o, o.to.ownedBy);
    s.sequences.set(o.name, { ...before, ...o.to });
  },
};
