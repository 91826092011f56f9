/** Types and small predicates the collection files share (kept apart so they import no collection file). */
import type { ColumnType } from '../ir/ir.js';

export type { SchemaIR, SequenceIR } from '../ir/ir.js';
export type { TableDecl } from './dsl.js';

/** Whether a type is one of the integer types that can be serial or an identity. */
export function isIntegerType(t: ColumnType): boolean {
  return t.kind === 'smallint' || t.kind === 'integer' || t.kind === 'bigint';
}
