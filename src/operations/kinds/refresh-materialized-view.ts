/** refreshMaterializedView: runs a materialized view's query again. Its own inverse (the data is derived). */
import { opCall, quoteString as q } from '../../render/literal.js';
import type { OperationDef } from '../operation-def.js';

export interface RefreshMaterializedViewOp { readonly kind: 'refreshMaterializedView'; readonly name: string; readonly concurrently?: boolean }

export const refreshMaterializedView: OperationDef<RefreshMaterializedViewOp> = {
  inverse: (o) => o,
  table: () => null,
  describe: (o) => [`~ materialized view ${o.name}: refreshed`],
  render: (o) => opCall('refreshMaterializedView', q(o.name), ...(o.concurrently === true ? ['{ concurrently: true }'] : [])),
  apply: (s, o) => {
    const v = s.views.get(o.name) ?? s.fail(o, `no view "${o.name}"`);
    if (!v.materialized) s.fail(o, `"${o.name}" is not a materialized view`);
  },
};
