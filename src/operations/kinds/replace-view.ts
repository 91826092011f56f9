/**
 * replaceView: gives a view a new definition. It keeps its columns (`columnChange` absent), appends some
 * (`'appended'`) or changes them (`'changed'`): PostgreSQL's CREATE OR REPLACE VIEW does the first two in place, the
 * third needs a drop and a create. The way back from appended columns removes them, so its inverse says `'changed'`.
 */
import type { ViewIR } from '../../ir/ir.js';
import { quoteString as q } from '../../render/literal.js';
import { renderViewCall } from '../../render/render-views.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** How a replacement changes a view's columns: absent for none. */
export type ViewColumnChange = 'appended' | 'changed';

/** `from` is the old definition when known. */
export interface ReplaceViewOp { readonly kind: 'replaceView'; readonly view: ViewIR; readonly from: ViewIR | null; readonly columnChange?: ViewColumnChange }

export const replaceView: OperationDef<ReplaceViewOp> = {
  inverse: (o) => {
    if (o.from === null) throw new IrreversibleOperationError(o, `the previous definition of view "${o.view.name}" is not known`);
    return { kind: 'replaceView', view: o.from, from: o.view, ...(o.columnChange !== undefined ? { columnChange: 'changed' as const } : {}) };
  },
  table: () => null,
  describe: (o) => [`~ ${o.view.materialized ? 'materialized view' : 'view'} ${o.view.name}: definition${o.columnChange === 'changed' ? ' and columns' : ''} changed`],
  render: (o, ctx) => renderViewCall('replaceView', o.view, ctx.imports, o.columnChange !== undefined ? [['columnChange', q(o.columnChange)]] : []),
  apply: (s, o) => {
    const v = s.views.get(o.view.name) ?? s.fail(o, `no view "${o.view.name}"`);
    s.sameAs(o, `view "${o.view.name}"`, o.from, v);
    s.views.set(o.view.name, o.view);
  },
};
