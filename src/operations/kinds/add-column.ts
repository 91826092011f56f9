/** addColumn: a new column on an existing table. */
import type { ColumnIR } from '../../ir/ir.js';
import { typeText } from '../../ir/ir-util.js';
import { opCall, quoteString as q, runLiteral } from '../../render/literal.js';
import { renderColumn } from '../../render/render-column.js';
import { dflt } from '../describe-text.js';
import type { OperationDef } from '../operation-def.js';

export interface AddColumnOp { readonly kind: 'addColumn'; readonly table: string; readonly column: ColumnIR }

export const addColumn: OperationDef<AddColumnOp> = {
  inverse: (o) => ({ kind: 'dropColumn', table: o.table, name: o.column.name, column: o.column }),
  table: (o) => o.table,
  describe: (o) => {
    const c = o.column;
    return [`+ column ${o.table}.${c.name} ${typeText(c.type)}${c.nullable ? '' : ' not null'}${c.serverDefault === null ? '' : ` ${dflt(c.serverDefault)}`}`];
  },
  render: (o, { imports }) => {
    const c = renderColumn(o.column, imports);
    return c === null ? runLiteral(o) : opCall('addColumn', q(o.table), q(o.column.name), c);
  },
  applyTable: (t, o, p) => {
    if (t.columns.some((c) => c.name === o.column.name)) throw p.refuse(o, { reason: 'exists', what: 'column', name: o.column.name, table: t.name });
    const next = { ...t, columns: [...t.columns, p.addedColumn ? p.addedColumn(o.column) : o.column] };
    return p.checksAfter ? { ...next, checks: p.checksAfter(t, t.checks, o) } : next;
  },
  check: (s, o) => s.checkType(o, o.column.type),
};
