/**
 * The function and trigger comparator, and the placing of their operations around everything else.
 *
 * Functions are known by name and identity arguments (overloads apart). A changed function is replaced with CREATE
 * OR REPLACE where PostgreSQL allows it (the same kind, result type and argument list: names and defaults are part
 * of it), else dropped and created again (`recreate`). Triggers are known by table and name; a changed trigger is
 * dropped and created again.
 *
 * Order: triggers dropped first (removed, changed, or in the way), then the views' drops; functions that go are
 * dropped after those and before the table changes (a function can return a table's row type); functions are
 * created and replaced after the table changes (a SQL function's body is checked against the tables when it is
 * created), dependencies first, and before the views; triggers are created last, after their tables, views and
 * functions. In the way means: on a table whose columns change type or go (a trigger's UPDATE OF or WHEN names
 * columns, and PostgreSQL refuses those changes under it; SQLite's table rebuild would re-create it as it was),
 * executing a function that is dropped and created again, or on a view that is dropped and created again (its
 * INSTEAD OF triggers go with it). Those triggers are created again from their declared
 * definitions at the end, in the same revision.
 */
import type { FunctionIR, SchemaIR, TriggerIR } from '../ir/ir.js';
import { functionKey, functionOrder, functionsDiffer, triggerKey } from '../ir/routine.js';
import { sameIR } from '../ir/ir-util.js';
import type { Operation } from '../operations/operations.js';

/** Whether replacing `from` by `to` needs a drop and a create: CREATE OR REPLACE keeps the kind, result and argument list. */
export function needsRecreate(from: FunctionIR, to: FunctionIR): boolean {
  return from.kind !== to.kind || from.returns !== to.returns || from.args !== to.args;
}

/** Tables whose columns an operation changes in a way PostgreSQL refuses under a trigger that names them. */
function blockedTables(ops: readonly Operation[]): Set<string> {
  const out = new Set<string>();
  for (const o of ops) {
    if (o.kind === 'dropColumn' || (o.kind === 'alterColumn' && (o.to.type !== undefined || o.to.name !== undefined))) out.add(o.table);
  }
  return out;
}

const dropTrigger = (t: TriggerIR): Operation => ({ kind: 'dropTrigger', name: t.name, on: t.table, trigger: t });

/**
 * The operations that turn `from`'s functions and triggers into `to`'s around `inner` (the views' placing of the
 * table changes: view drops, table and enum changes, view creates), in runnable order.
 */
export function placeRoutines(from: SchemaIR, to: SchemaIR, tableOps: readonly Operation[], placeViews: (ops: readonly Operation[]) => Operation[]): Operation[] {
  const liveF = from.functions ?? [];
  const declaredF = to.functions ?? [];
  const liveT = from.triggers ?? [];
  const declaredT = to.triggers ?? [];
  if (liveF.length === 0 && declaredF.length === 0 && liveT.length === 0 && declaredT.length === 0) return placeViews(tableOps);

  const liveFByKey = new Map(liveF.map((f) => [functionKey(f), f]));
  const declaredFByKey = new Map(declaredF.map((f) => [functionKey(f), f]));
  const removedF = liveF.filter((f) => !declaredFByKey.has(functionKey(f)));
  const fnOps: Operation[] = [];
  const recreated = new Set<string>(removedF.map((f) => f.name));
  for (const f of functionOrder(declaredF)) {
    const old = liveFByKey.get(functionKey(f));
    if (old === undefined) fnOps.push({ kind: 'createFunction', function: f });
    else if (functionsDiffer(old, f)) {
      const recreate = needsRecreate(old, f);
      if (recreate) recreated.add(f.name);
      fnOps.push({ kind: 'replaceFunction', function: f, from: old, ...(recreate ? { recreate: true } : {}) });
    }
  }
  const fnDrops: Operation[] = functionOrder(removedF).reverse().map((f) => ({ kind: 'dropFunction', name: f.name, args: f.identity ?? f.args, function: f }));

  const inner = placeViews([...fnDrops, ...tableOps, ...fnOps]);
  // A view dropped (and perhaps created again) takes its INSTEAD OF triggers with it.
  const droppedViews = new Set(inner.flatMap((o) => (o.kind === 'dropView' ? [o.name] : o.kind === 'replaceView' && o.columnChange === 'changed' ? [o.view.name] : [])));
  const liveTByKey = new Map(liveT.map((t) => [triggerKey(t), t]));
  const declaredTByKey = new Map(declaredT.map((t) => [triggerKey(t), t]));
  const blocked = blockedTables(tableOps);
  const inTheWay = (t: TriggerIR) => (blocked.has(t.table) && (t.updateOf !== undefined || t.when !== undefined)) || (t.execute !== undefined && recreated.has(t.execute)) || droppedViews.has(t.table);
  const goes = liveT.filter((t) => {
    const d = declaredTByKey.get(triggerKey(t));
    return d === undefined || !sameIR(t, d) || inTheWay(t) || inTheWay(d);
  });
  const goneKeys = new Set(goes.map(triggerKey));
  const comes = declaredT.filter((t) => !liveTByKey.has(triggerKey(t)) || goneKeys.has(triggerKey(t)));
  return [...goes.map(dropTrigger), ...inner, ...comes.map((t): Operation => ({ kind: 'createTrigger', trigger: t }))];
}
