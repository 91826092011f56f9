/**
 * The `op` methods for sequences (createSequence, alterSequence, dropSequence), kept apart from op-api.ts, which
 * spreads them into the op object. Options are written as models write them; ownedBy as `'table.column'`.
 */
import { RetortError } from '../errors.js';
import type { SequenceOptionsInput } from '../models/dsl.js';
import { ownerOf, sequenceChangesIR, sequenceOptionsIR, type SequenceChangesInput } from '../models/sequence-options.js';
import type { Operation } from './operations.js';

/** op.createSequence's options: the sequence's and, as `'table.column'`, its owner. */
export interface CreateSequenceOptions extends SequenceOptionsInput {
  readonly ownedBy?: string;
}

/** op.alterSequence's changes (null: back to the default) and, as `existing`, the same options as they were. */
export type AlterSequenceOptions = SequenceChangesInput & { readonly existing?: SequenceChangesInput };

/** The sequence methods of Op. */
export interface SequenceOps {
  /** CREATE SEQUENCE (PostgreSQL). */
  createSequence(name: string, options?: CreateSequenceOptions): void;
  /** ALTER SEQUENCE: options changed in place, the current value kept. */
  alterSequence(name: string, changes: AlterSequenceOptions): void;
  dropSequence(name: string): void;
  /** ALTER SEQUENCE ... RENAME TO: the position and options stay. */
  renameSequence(from: string, to: string): void;
}

/** The sequence methods, appending to the queue through `push`. */
export function sequenceOps(push: (o: Operation) => void): SequenceOps {
  return {
    createSequence: (name, options = {}) => {
      const where = `op.createSequence('${name}')`;
      push({ kind: 'createSequence', sequence: { name, ...sequenceOptionsIR(options, where), ownedBy: options.ownedBy === undefined ? null : ownerOf(options.ownedBy, where) } });
    },
    alterSequence: (name, changes) => {
      const where = `op.alterSequence('${name}')`;
      const { existing, ...rest } = changes;
      const to = sequenceChangesIR(rest, where);
      if (Object.keys(to).length === 0) throw new RetortError('USAGE', `${where}: say what changes (start, increment, min, max, cache, cycle or ownedBy)`);
      push(existing ? { kind: 'alterSequence', name, to, from: sequenceChangesIR(existing, where) } : { kind: 'alterSequence', name, to });
    },
    dropSequence: (name) => push({ kind: 'dropSequence', name, sequence: null }),
    renameSequence: (from, to) => push({ kind: 'renameSequence', from, to }),
  };
}
