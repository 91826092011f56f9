/**
 * Free-standing sequences in models, `sequence('order_numbers', { start: 1000, ownedBy: () => orders.columns.number })`,
 * and the conversion of sequence options (a sequence's, an identity column's) from what models write to the IR.
 */
import type { SequenceIR } from '../ir/ir.js';
import { BRAND, type ColumnRef, type SequenceDecl, type SequenceOptionsInput } from './dsl.js';
import { resolveTarget } from './resolve.js';
import { sequenceOptionsIR } from './sequence-options.js';
import { declared } from './declaration-order.js';

/** The options of sequence(): those of any sequence, and the column it belongs to. */
export interface SequenceDeclOptions extends SequenceOptionsInput {
  /**
   * The column the sequence belongs to (OWNED BY): dropping the column or its table drops the sequence.
   * `'table.column'`, a column (`orders.columns.number`), or an arrow returning one.
   */
  readonly ownedBy?: string | ColumnRef | (() => ColumnRef);
  /** COMMENT ON SEQUENCE. */
  readonly comment?: string;
  /** The sequence's previous name: where the database has that one and not this, autogenerate writes op.renameSequence. */
  readonly renamedFrom?: string;
}

/** A declared sequence with its owner, as sequence() returns it. */
export interface SequenceDeclaration extends SequenceDecl {
  readonly options: SequenceDeclOptions;
}

/** sequence('order_numbers', { start, increment, min, max, cache, cycle, ownedBy }) declares a free-standing sequence. */
export function sequence(name: string, options: SequenceDeclOptions = {}): SequenceDeclaration {
  return declared({ [BRAND]: 'sequence', sequenceName: name, options: { ...options } });
}

/** The IR of a declared sequence. */
export function sequenceIR(decl: SequenceDecl): SequenceIR {
  const where = `sequence "${decl.sequenceName}"`;
  const { ownedBy: owner, renamedFrom } = decl.options as SequenceDeclOptions;
  const ownedBy = owner === undefined ? null : resolveTarget(owner, `${where}: ownedBy`);
  const comment = (decl.options as SequenceDeclOptions).comment;
  return {
    name: decl.sequenceName, ...sequenceOptionsIR(decl.options, where), ownedBy,
    ...(typeof comment === 'string' && comment !== '' ? { comment } : {}),
    ...(renamedFrom !== undefined && renamedFrom !== decl.sequenceName ? { renamedFrom } : {}),
  };
}
