/**
 * Whether declared models carry any rename hint (`.renamedFrom(...)`, an enum's renamed values): without one there is
 * no rename to plan, the differ's rename planner (with the operation registry it needs) is not loaded, and the models' hint checks are skipped.
 */
import type { SchemaIR, TableIR } from './ir.js';

export type Hinted = { readonly name: string; readonly renamedFrom?: string };

export const hasHint = (x: Hinted) => x.renamedFrom !== undefined && x.renamedFrom !== x.name;

/** A table's named indexes and constraints. */
export function tableItems(t: TableIR): Hinted[] {
  return [...(t.primaryKey?.name ? [t.primaryKey as Hinted] : []), ...t.uniques, ...t.indexes, ...t.foreignKeys, ...t.checks];
}

/** Whether `to` carries any rename hint. */
export function hasRenameHints(to: SchemaIR): boolean {
  return (to.enumHints?.length ?? 0) > 0 ||
    to.enums.some((e) => e.renamedValues !== undefined || hasHint(e)) ||
    (to.sequences ?? []).some(hasHint) || (to.views ?? []).some(hasHint) ||
    to.tables.some((t) => hasHint(t) || t.columns.some(hasHint) || t.uniques.some(hasHint) || t.indexes.some(hasHint) || t.foreignKeys.some(hasHint) || t.checks.some(hasHint) || (t.primaryKey?.name ? hasHint(t.primaryKey as Hinted) : false));
}
