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

/**
 * Whether `to` carries any rename hint. Plain loops without a closure per table: it reads every column and constraint
 * of the models twice per autogenerate (model collection, then the normalized schema), and finds none on most runs.
 */
export function hasRenameHints(to: SchemaIR): boolean {
  if ((to.enumHints?.length ?? 0) > 0) return true;
  for (const e of to.enums) if (e.renamedValues !== undefined || hasHint(e)) return true;
  if (anyHint(to.sequences) || anyHint(to.views)) return true;
  const tables = to.tables;
  for (let i = 0; i < tables.length; i++) {
    const t = tables[i]!;
    if (hasHint(t) || anyHint(t.columns) || anyHint(t.uniques) || anyHint(t.indexes) || anyHint(t.foreignKeys) || anyHint(t.checks)) return true;
    if (t.primaryKey?.name && hasHint(t.primaryKey as Hinted)) return true;
  }
  return false;
}

function anyHint(xs: readonly Hinted[] | undefined): boolean {
  if (xs === undefined) return false;
  for (let i = 0; i < xs.length; i++) if (hasHint(xs[i]!)) return true;
  return false;
}
