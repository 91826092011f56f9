/**
 * The order a SQLite batch compiles its operations in, where another order of the same operations does the same with
 * fewer table rebuilds, or keeps a column's rename out of a rebuild, so that SQLite itself rewrites the views and
 * triggers that name the column.
 */
import type { Operation } from '../../operations/operations.js';
import { isTableOperation, type TableOperation } from '../../operations/apply-table.js';

/**
 * Puts the table-level operations that follow one another at `from` in order of table (each table's own
 * operations keep their order; tables come in the order they first appear), so that each table is rebuilt
 * once: autogenerate writes all constraint drops before all adds (an enum value added to a type two
 * tables use: drop both CHECKs, add both back), which would otherwise rebuild each table twice, and on
 * a large schema each rebuild's RENAME costs a scan of the whole schema. Operations on different tables
 * commute here: SQLite checks no reference at DDL time, and foreign keys are checked before COMMIT. Not
 * when a column is renamed, which rewrites other tables' references: then the order is kept.
 */
export function groupByTable(queue: Operation[], from: number): void {
  let to = from;
  while (to < queue.length && isTableOperation(queue[to]!)) to++;
  const segment = queue.slice(from, to) as TableOperation[];
  if (segment.some(renamesColumn)) return;
  const order: string[] = [];
  const byTable = new Map<string, TableOperation[]>();
  for (const o of segment) {
    const list = byTable.get(o.table);
    if (list) list.push(o);
    else {
      byTable.set(o.table, [o]);
      order.push(o.table);
    }
  }
  if (order.length < 2) return;
  queue.splice(from, segment.length, ...order.flatMap((t) => byTable.get(t)!));
}

const renamesColumn = (o: Operation) => o.kind === 'alterColumn' && o.to.name !== undefined && o.to.name !== o.column;

/**
 * Moves the drops of triggers and views that sit between two runs of one table's operations, the first of which
 * renames a column, to before the first run (a revision written with the rename before the drop and the type change
 * after it, as autogenerate did before it placed the renames after those drops): the two runs become one, which
 * rebuilds under the old name and renames natively after, so SQLite rewrites the views and triggers that stay. A run
 * renamed natively and then rebuilt would restore them from the text they had before the batch. Dropping earlier
 * changes nothing else: table operations fire no trigger and read no view. True when it moved any.
 */
export function hoistDrops(queue: Operation[], from: number): boolean {
  const table = (queue[from] as TableOperation).table;
  const onTable = (o: Operation | undefined) => o !== undefined && isTableOperation(o) && o.table === table;
  let j = from;
  while (onTable(queue[j])) j++;
  if (!queue.slice(from, j).some(renamesColumn)) return false;
  let k = j;
  while (k < queue.length && (queue[k]!.kind === 'dropTrigger' || queue[k]!.kind === 'dropView')) k++;
  if (k === j || !onTable(queue[k])) return false;
  queue.splice(from, 0, ...queue.splice(j, k - j));
  return true;
}
