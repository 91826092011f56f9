/** createTable: a new table, whole (columns, keys, indexes, constraints, comment). */
import type { TableIR } from '../../ir/ir.js';
import { runLiteral } from '../../render/literal.js';
import { renderCreateTable } from '../../render/render-table.js';
import type { OperationDef } from '../operation-def.js';

export interface CreateTableOp { readonly kind: 'createTable'; readonly table: TableIR }

export const createTable: OperationDef<CreateTableOp> = {
  inverse: (o) => ({ kind: 'dropTable', name: o.table.name, table: o.table }),
  table: (o) => o.table.name,
  describe: (o) => [`+ table ${o.table.name}`],
  render: (o, { naming, imports }) => renderCreateTable(o.table, naming, imports) ?? runLiteral(o),
  apply: (s, o) => {
    if (s.tables.has(o.table.name)) s.fail(o, `table "${o.table.name}" already exists`);
    for (const c of o.table.columns) s.checkType(o, c.type);
    for (const fk of o.table.foreignKeys) s.checkFk(o, o.table, fk);
    s.tables.set(o.table.name, o.table);
  },
};
