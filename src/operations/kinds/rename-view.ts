/**
 * renameView: gives a view or a materialized view a new name; the views that read it and its triggers follow
 * (PostgreSQL keeps them by OID). SQLite has no ALTER VIEW: there it is dropped and created again under the new name,
 * with the views and triggers that name it.
 */
import { triggerKey } from '../../ir/routine.js';
import { opCall, quoteString as q } from '../../render/literal.js';
import type { OperationDef } from '../operation-def.js';

export interface RenameViewOp { readonly kind: 'renameView'; readonly from: string; readonly to: string; readonly materialized: boolean }

export const renameView: OperationDef<RenameViewOp> = {
  inverse: (o) => ({ kind: 'renameView', from: o.to, to: o.from, materialized: o.materialized }),
  table: () => null,
  describe: (o) => [`~ ${o.materialized ? 'materialized view' : 'view'} ${o.from} renamed to ${o.to}`],
  render: (o) => opCall(o.materialized ? 'renameMaterializedView' : 'renameView', q(o.from), q(o.to)),
  apply: (s, o) => {
    const v = s.views.get(o.from) ?? s.fail(o, `no view "${o.from}"`);
    if (s.views.has(o.to) || s.tables.has(o.to)) s.fail(o, `a table or view "${o.to}" already exists`);
    s.views.delete(o.from);
    s.views.set(o.to, { ...v, name: o.to });
    for (const [n, x] of s.views) if (x.dependsOn?.includes(o.from)) s.views.set(n, { ...x, dependsOn: x.dependsOn.map((d) => (d === o.from ? o.to : d)) });
    // Its INSTEAD OF triggers follow, as a table's do (SQLite's compiler creates them again on the new name).
    for (const [k, x] of [...s.triggers]) {
      if (x.table !== o.from) continue;
      s.triggers.delete(k);
      s.triggers.set(triggerKey({ ...x, table: o.to }), { ...x, table: o.to });
    }
  },
};
