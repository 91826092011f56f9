/** createView: creates a view or a materialized view (with its indexes). */
import type { ViewIR } from '../../ir/ir.js';
import { renderViewCall } from '../../render/render-views.js';
import type { OperationDef } from '../operation-def.js';

export interface CreateViewOp { readonly kind: 'createView'; readonly view: ViewIR }

const what = (materialized: boolean) => (materialized ? 'materialized view' : 'view');

export const createView: OperationDef<CreateViewOp> = {
  inverse: (o) => ({ kind: 'dropView', name: o.view.name, materialized: o.view.materialized, view: o.view }),
  table: () => null,
  describe: (o) => [`+ ${what(o.view.materialized)} ${o.view.name}`],
  render: (o, ctx) => renderViewCall('createView', o.view, ctx.imports),
  apply: (s, o) => {
    const v = o.view;
    if (s.views.has(v.name) || s.tables.has(v.name)) s.fail(o, `a view or table "${v.name}" already exists`);
    for (const d of v.dependsOn ?? []) if (!s.views.has(d) && !s.tables.has(d)) s.fail(o, `view "${v.name}" reads "${d}", which does not exist`);
    s.views.set(v.name, v);
  },
};
