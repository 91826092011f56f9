/**
 * The one IR applier for operations that act on one existing table: what an
 * operation does to a TableIR is its kind's `applyTable` (kinds/*.ts). The
 * symbolic oracle (apply.ts) runs it on every table of a schema, SQLite's
 * compiler on the table it is about to rebuild; where their databases differ,
 * the ApplyPolicy each passes decides (apply-policy.ts).
 */
import type { TableIR } from '../ir/ir.js';
import type { ApplyPolicy } from './apply-policy.js';
import type { TableApply } from './operation-def.js';
import { operationDefs } from './operations.js';
import type { TableOperation } from './table-ir.js';

export { alterColumnIR, entryUses, findConstraint, isTableOperation, type TableOperation } from './table-ir.js';

/** The table after `o`, as `policy` says its database leaves it; refusals are thrown as the policy words them. */
export function applyTableOperation(t: TableIR, o: TableOperation, policy: ApplyPolicy): TableIR {
  return (operationDefs[o.kind] as unknown as TableApply<TableOperation>).applyTable(t, o, policy);
}
