/**
 * What PostgreSQL's lock-safe plans depend on (diff/online-plan.ts): the check that lets SET NOT NULL skip its
 * scan, and which type changes rewrite the table. A change is free when the new type is binary-coercible from the
 * old and at least as wide (ALTER COLUMN TYPE then only updates the catalog); anything else rewrites every row,
 * and every index, under ACCESS EXCLUSIVE.
 */
import type { ColumnType } from '../../ir/ir.js';
import type { OnlineForms } from '../../diff/online-plan.js';
import { quoteIdentifier } from './postgres-sql.js';

/** True when `to` can hold every `from` value as it is stored: a varchar or numeric widened, or made unbounded. */
function binaryCoercible(from: ColumnType, to: ColumnType): boolean {
  if (from.kind === 'varchar' && to.kind === 'text') return true;
  if (from.kind === 'varchar' && to.kind === 'varchar') return to.length === null || (from.length !== null && to.length >= from.length);
  // Unbounded varchar is text under another name.
  if (from.kind === 'text' && to.kind === 'varchar') return to.length === null;
  if (from.kind === 'numeric' && to.kind === 'numeric') {
    if (to.precision === null) return true;
    return from.precision !== null && from.scale === to.scale && to.precision >= from.precision;
  }
  return JSON.stringify(from) === JSON.stringify(to);
}

export const postgresOnlineForms: OnlineForms = {
  notNullCheck: (column) => `${quoteIdentifier(column)} IS NOT NULL`,
  rewritesTable: (from, to) => !binaryCoercible(from, to),
  identifierLimit: 63,
};
