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
 * functions. The exception is decided by dependencies: a function that a table's column default, generated column,
 * check, index or exclusion constraint, or a domain, calls (`usedBy`, which the dialect fills from the names their
 * SQL mentions) is created, or dropped and created again, before the table changes (after the extensions, enum
 * values and sequences that make the types a signature names), with the functions it calls; one that goes is
 * dropped after the table changes (before the enums, sequences and extensions that go). So the downgrade drops it
 * after the table changes are undone, and creates it before they are redone. Views and policies that call a
 * function dropped, or dropped and created again, are moved out of its way as for a column type change
 * (compare-views.ts, compare-policies.ts); the column defaults and checks that call one dropped and created again
 * before the table changes, around it (routine-user-moves.ts).
 *
 * A trigger in the way is dropped first and created again last, from its declared definition, in the same revision.
 * In the way means: on a table whose columns change type or go (a trigger's UPDATE OF or WHEN names columns, and
 * PostgreSQL refuses those changes under it; SQLite's table rebuild would re-create it as it was), executing a
 * function that is dropped and created again, or on a view that is dropped and created again (its INSTEAD OF
 * triggers go with it). The same triggers are moved around an added enum value's undo, which rebuilds the type.
 */
import type { FunctionIR, SchemaIR, TriggerIR } from '../ir/ir.js';
import { functionKey, functionOrder, functionsDiffer, triggerKey } from '../ir/routine.js';
import { sameIR } from '../ir/ir-util.js';
import type { Operation } from '../operations/operations.js';
import { tableUsersAround } from './routine-user-moves.js';

/** Whether replacing `from` by `to` needs a drop and a create: CREATE OR REPLACE keeps the kind, result and argument list. */
export function needsRecreate(from: FunctionIR, to: FunctionIR): boolean {
  if (from.kind !== to.kind || from.returns !== to.returns || from.args !== to.args) return true;
  // An aggregate's result type is its final function's, else its state type: CREATE OR REPLACE AGGREGATE refuses a
  // new one, which either change may bring.
  return to.kind === 'aggregate' && (from.aggregate?.stype !== to.aggregate?.stype || from.aggregate?.finalfunc !== to.aggregate?.finalfunc);
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

/** Views and policies a function change forces out of the way: dropped before, created again after, from their declared definitions. */
export interface RoutineMoves {
  readonly views: ReadonlySet<string>;
  /** Policies by `table` and `name`, joined by a NUL. */
  readonly policies: ReadonlySet<string>;
}

/** Whether a table's or a domain's SQL calls the function. */
const calledByTables = (f: FunctionIR) => (f.usedBy?.tables.length ?? 0) + (f.usedBy?.domains.length ?? 0) > 0;

/** The functions of `functions` that `seeds` call, directly or through others, with the seeds. */
function withCallees(seeds: readonly FunctionIR[], functions: readonly FunctionIR[]): Set<string> {
  const out = new Set<string>();
  const byName = new Map<string, FunctionIR[]>();
  for (const f of functions) byName.set(f.name, [...(byName.get(f.name) ?? []), f]);
  const visit = (f: FunctionIR) => {
    if (out.has(functionKey(f))) return;
    out.add(functionKey(f));
    for (const d of f.dependsOn ?? []) for (const g of byName.get(d) ?? []) visit(g);
  };
  seeds.forEach(visit);
  return out;
}

/** Operation kinds that make the types a function's arguments and result can name: they stay before the functions created early. */
const TYPE_MAKERS: ReadonlySet<Operation['kind']> = new Set(['detachPartition', 'createExtension', 'alterExtension', 'createEnum', 'addEnumValue', 'createSequence', 'alterSequence']);
/** And those that take such types away, at the end of the table changes: they stay after the functions dropped late. */
const TYPE_TAKERS: ReadonlySet<Operation['kind']> = new Set(['dropEnum', 'alterSequence', 'dropSequence', 'dropExtension']);

/**
 * The operations that turn `from`'s functions and triggers into `to`'s around `inner` (the views' placing of the
 * table changes: view drops, table and enum changes, view creates), in runnable order. `placeViews` is given the
 * views and policies the function changes force out of the way.
 */
export function placeRoutines(from: SchemaIR, to: SchemaIR, tableOps: readonly Operation[], placeViews: (ops: readonly Operation[], moves: RoutineMoves) => Operation[]): Operation[] {
  const liveF = from.functions ?? [];
  const declaredF = to.functions ?? [];
  const liveT = from.triggers ?? [];
  const declaredT = to.triggers ?? [];
  const none: RoutineMoves = { views: new Set(), policies: new Set() };
  if (liveF.length === 0 && declaredF.length === 0 && liveT.length === 0 && declaredT.length === 0) return placeViews(tableOps, none);

  const liveFByKey = new Map(liveF.map((f) => [functionKey(f), f]));
  const declaredFByKey = new Map(declaredF.map((f) => [functionKey(f), f]));
  const removedF = liveF.filter((f) => !declaredFByKey.has(functionKey(f)));
  const recreated = new Set<string>(removedF.map((f) => f.name));
  // Functions a table's default or check (or a domain's) calls: created (or created again) before the table changes,
  // with the functions they call; dropped after them.
  const early = withCallees(declaredF.filter(calledByTables), declaredF);
  const lateDrops = withCallees(removedF.filter(calledByTables), removedF);
  const earlyOps: Operation[] = [];
  const fnOps: Operation[] = [];
  // The live functions dropped and created again before the table changes: the defaults and checks that call them move.
  const earlyRecreated: FunctionIR[] = [];
  // Views and policies that call a function dropped (and perhaps created again) are moved out of its way.
  const movedViews = new Set<string>();
  const movedPolicies = new Set<string>();
  const moveUsers = (f: FunctionIR | undefined) => {
    for (const v of f?.usedBy?.views ?? []) movedViews.add(v);
    for (const p of f?.usedBy?.policies ?? []) movedPolicies.add(`${p.table}\u0000${p.name}`);
  };
  for (const f of functionOrder(declaredF)) {
    const old = liveFByKey.get(functionKey(f));
    const into = early.has(functionKey(f)) ? earlyOps : fnOps;
    if (old === undefined) into.push({ kind: 'createFunction', function: f });
    else if (functionsDiffer(old, f)) {
      const recreate = needsRecreate(old, f);
      if (recreate) {
        recreated.add(f.name);
        moveUsers(old);
        moveUsers(f);
      }
      (recreate ? into : fnOps).push({ kind: 'replaceFunction', function: f, from: old, ...(recreate ? { recreate: true } : {}) });
      if (recreate && into === earlyOps) earlyRecreated.push(old);
    }
  }
  const users = tableUsersAround(earlyRecreated, from);
  earlyOps.unshift(...users.before);
  earlyOps.push(...users.after);
  removedF.forEach(moveUsers);
  const dropOf = (f: FunctionIR): Operation => ({ kind: 'dropFunction', name: f.name, args: f.identity ?? f.args, function: f });
  const dropOrder = functionOrder(removedF).reverse();
  const fnDrops = dropOrder.filter((f) => !lateDrops.has(functionKey(f))).map(dropOf);
  const fnLateDrops = dropOrder.filter((f) => lateDrops.has(functionKey(f))).map(dropOf);
  const split = tableOps.findIndex((o) => !TYPE_MAKERS.has(o.kind));
  const at = split === -1 ? tableOps.length : split;
  let end = tableOps.length;
  while (end > at && TYPE_TAKERS.has(tableOps[end - 1]!.kind)) end--;

  const middle = [...tableOps.slice(0, at), ...earlyOps, ...tableOps.slice(at, end), ...fnLateDrops, ...tableOps.slice(end)];
  const inner = placeViews([...fnDrops, ...middle, ...fnOps], { views: movedViews, policies: movedPolicies });
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
  const staying = declaredT.filter((t) => liveTByKey.has(triggerKey(t)) && !goneKeys.has(triggerKey(t)));
  return [...goes.map(dropTrigger), ...inner.map((o) => withTriggersAroundUndo(o, staying)), ...comes.map((t): Operation => ({ kind: 'createTrigger', trigger: t }))];
}

/**
 * An added enum value's undo (the type rebuilt, its columns' types changed), with the triggers in its way dropped and
 * created around it: those whose UPDATE OF or WHEN names a column of a table it changes (PostgreSQL: "cannot alter type
 * of a column used in a trigger definition"), and the INSTEAD OF triggers of the views it drops and creates again.
 */
function withTriggersAroundUndo(o: Operation, triggers: readonly TriggerIR[]): Operation {
  if (o.kind !== 'addEnumValue' || o.undo === undefined || triggers.length === 0) return o;
  const blocked = blockedTables(o.undo);
  const views = new Set(o.undo.flatMap((u) => (u.kind === 'dropView' ? [u.name] : [])));
  const around = triggers.filter((t) => (blocked.has(t.table) && (t.updateOf !== undefined || t.when !== undefined)) || views.has(t.table));
  if (around.length === 0) return o;
  return { ...o, undo: [...around.map(dropTrigger), ...o.undo, ...around.map((t): Operation => ({ kind: 'createTrigger', trigger: t }))] };
}
