/** setTableComment: sets or clears a table's comment. */
import { opCall, quoteString as q } from '../../render/literal.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** `from` is the comment before, when known (autogenerate). */
export interface SetTableCommentOp { readonly kind: 'setTableComment'; readonly table: string; readonly comment: string | null; readonly from?: string | null }

export const setTableComment: OperationDef<SetTableCommentOp> = {
  inverse: (o) => {
    if (o.from === undefined) throw new IrreversibleOperationError(o, `the previous comment of "${o.table}" is not known`);
    return { kind: 'setTableComment', table: o.table, comment: o.from, from: o.comment };
  },
  table: (o) => o.table,
  describe: (o) => [`~ table ${o.table}: comment ${JSON.stringify(o.comment)}`],
  render: (o) => opCall('setTableComment', q(o.table), o.comment === null ? 'null' : q(o.comment)),
  applyTable: (t, o, p) => (p.tableComments ? { ...t, comment: o.comment } : t),
  check: (s, o, t) => {
    if (s.strict && o.from !== undefined && o.from !== t.comment) s.fail(o, `the recorded comment of "${o.table}" differs`);
  },
};
