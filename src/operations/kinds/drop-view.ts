/** dropView: drops a view or a materialized view. */
import type { ViewIR } from '../../ir/ir.js';
import { opCall, quoteString as q } from '../../render/literal.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** `view` is the full definition when known (autogenerate), or null (hand-written). */
export interface DropViewOp { readonly kind: 'dropView'; readonly name: string; readonly materialized: boolean; readonly view: ViewIR | null }

export const dropView: OperationDef<DropViewOp> = {
  inverse: (o) => {
    if (o.view === null) throw new IrreversibleOperationError(o, `the definition of view "${o.name}" is not known`);
    return { kind: 'createView', view: o.view };
  },
  table: () => null,
  describe: (o) => [`- ${o.materialized ? 'materialized view' : 'view'} ${o.name}`],
  render: (o) => opCall(o.materialized ? 'dropMaterializedView' : 'dropView', q(o.name)),
  apply: (s, o) => {
    const v = s.views.get(o.name) ?? s.fail(o, `no view "${o.name}"`);
    s.notUnderView(o, o.name);
    s.sameAs(o, `view "${o.name}"`, o.view, v);
    s.views.delete(o.name);
  },
};
