/**
 * The view operations: their shapes, inverses and summary lines, kept together so the shared switches
 * (operations.ts, describe.ts) each hand views over in one line.
 *
 * A replaced view keeps its columns (`columnChange` absent), appends some (`'appended'`) or changes them
 * (`'changed'`): PostgreSQL's CREATE OR REPLACE VIEW does the first two in place, the third needs a drop and a
 * create. The way back from appended columns removes them, so its inverse says `'changed'`.
 */
import type { ViewIR } from '../ir/ir.js';

/** How a replacement changes a view's columns: absent for none. */
export type ViewColumnChange = 'appended' | 'changed';

export type ViewOperation =
  /** Creates a view or materialized view (with its indexes). */
  | { readonly kind: 'createView'; readonly view: ViewIR }
  /** `view` is the full definition when known (autogenerate), or null (hand-written). */
  | { readonly kind: 'dropView'; readonly name: string; readonly materialized: boolean; readonly view: ViewIR | null }
  /** Gives view `view.name` a new definition; `from` is the old one when known. */
  | { readonly kind: 'replaceView'; readonly view: ViewIR; readonly from: ViewIR | null; readonly columnChange?: ViewColumnChange }
  /** REFRESH MATERIALIZED VIEW: runs its query again. Its own inverse (the data is derived). */
  | { readonly kind: 'refreshMaterializedView'; readonly name: string; readonly concurrently?: boolean };

export type ViewOperationKind = ViewOperation['kind'];

/** The operation that undoes `o`, or a reason it cannot be known. */
export function inverseView(o: ViewOperation): ViewOperation | string {
  switch (o.kind) {
    case 'createView':
      return { kind: 'dropView', name: o.view.name, materialized: o.view.materialized, view: o.view };
    case 'dropView':
      return o.view === null ? `the definition of view "${o.name}" is not known` : { kind: 'createView', view: o.view };
    case 'replaceView':
      if (o.from === null) return `the previous definition of view "${o.view.name}" is not known`;
      return { kind: 'replaceView', view: o.from, from: o.view, ...(o.columnChange !== undefined ? { columnChange: 'changed' as const } : {}) };
    case 'refreshMaterializedView':
      return o;
  }
}

const what = (materialized: boolean) => (materialized ? 'materialized view' : 'view');

/** One readable line for `retort check` and the autogenerate summary. */
export function describeView(o: ViewOperation): string {
  switch (o.kind) {
    case 'createView': return `+ ${what(o.view.materialized)} ${o.view.name}`;
    case 'dropView': return `- ${what(o.materialized)} ${o.name}`;
    case 'replaceView': return `~ ${what(o.view.materialized)} ${o.view.name}: definition${o.columnChange === 'changed' ? ' and columns' : ''} changed`;
    case 'refreshMaterializedView': return `~ materialized view ${o.name}: refreshed`;
  }
}
