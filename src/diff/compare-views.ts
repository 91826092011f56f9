/**
 * The view comparator, and the placing of view operations around the table changes.
 *
 * Views go around everything else: drops first (dependents before what they read), creates and replacements
 * last (what they read first), so a view's query always finds the tables and columns it names. A view in the
 * way of a table change is moved out of the way: dropped before and created again after, from its declared
 * definition, in the same revision (and so, where DDL is transactional, the same transaction). In the way means
 * it reads (through other views too) a table whose column types change or whose columns come or go (either way:
 * the downgrade drops what the upgrade adds), or a view that is dropped or whose columns change, or it calls a
 * function that is dropped (and perhaps created again: `forced`, from compare-routines.ts). A materialized
 * view is created again with its data (the revision says so).
 *
 * The downgrade of an added enum value rebuilds the type (the value's `undo`), which PostgreSQL refuses under a
 * view: the views that read a table using the type are dropped and created again inside that undo, as they stand
 * when it runs (their definitions before this revision).
 */
import type { SchemaIR, TableIR, ViewIR } from '../ir/ir.js';
import type { Operation } from '../operations/operations.js';
import type { ViewColumnChange } from '../operations/kinds/replace-view.js';
import { enumNameOf } from '../ir/ir.js';
import { sameIR } from '../ir/ir-util.js';

/** Whether two views differ in what is compared: the query, the kind, the options and the indexes (not withData, dependencies or columns). */
export function viewsDiffer(a: ViewIR, b: ViewIR): boolean {
  const key = (v: ViewIR) => [v.definition, v.materialized, v.securityBarrier ?? false, v.checkOption ?? null, v.indexes ?? []];
  return !sameIR(key(a), key(b));
}

/** How `to`'s columns relate to `from`'s: the same (undefined), appended, or changed (also when either is not known). */
export function columnChange(from: ViewIR, to: ViewIR): ViewColumnChange | undefined {
  const a = from.columns;
  const b = to.columns;
  if (a === undefined || b === undefined || b.length < a.length || a.length === 0) return 'changed';
  if (!a.every((c, i) => c.name === b[i]!.name && c.type === b[i]!.type)) return 'changed';
  return b.length === a.length ? undefined : 'appended';
}

/** Names in an order where each comes after the names it depends on (a cycle keeps the given order). */
function dependencyOrder(views: readonly ViewIR[]): ViewIR[] {
  const byName = new Map(views.map((v) => [v.name, v]));
  const out: ViewIR[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (v: ViewIR) => {
    if (state.has(v.name)) return;
    state.set(v.name, 'visiting');
    for (const d of v.dependsOn ?? []) {
      const dep = byName.get(d);
      if (dep !== undefined) visit(dep);
    }
    state.set(v.name, 'done');
    out.push(v);
  };
  for (const v of views) visit(v);
  return out;
}

/** The names of `views` that read any of `relations`, directly or through other views of `views`. */
function readers(views: readonly ViewIR[], relations: ReadonlySet<string>, deps: (v: ViewIR) => readonly string[]): Set<string> {
  const found = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const v of views) {
      if (found.has(v.name)) continue;
      if (deps(v).some((d) => relations.has(d) || found.has(d))) {
        found.add(v.name);
        grew = true;
      }
    }
  }
  return found;
}

/**
 * Tables whose columns an operation changes in a way the database refuses under a view, in one direction or the
 * other; an added column only where `addKeeps` is false (the dialect's viewsKeepThroughAddColumn).
 */
function blockedTables(ops: readonly Operation[], addKeeps: boolean): Set<string> {
  const out = new Set<string>();
  for (const o of ops) {
    if (o.kind === 'dropTable') out.add(o.name);
    else if ((o.kind === 'addColumn' && !addKeeps) || o.kind === 'dropColumn') out.add(o.table);
    else if (o.kind === 'alterColumn' && o.to.type !== undefined) out.add(o.table);
  }
  return out;
}

const drop = (v: ViewIR): Operation => ({ kind: 'dropView', name: v.name, materialized: v.materialized, view: v });
const create = (v: ViewIR): Operation => ({ kind: 'createView', view: v });

/**
 * The operations that turn `from`'s views into `to`'s around `tableOps` (the table and enum changes between the
 * same two schemas, views left out), in runnable order.
 */
export function placeViews(from: SchemaIR, to: SchemaIR, tableOps: readonly Operation[], forced: ReadonlySet<string> = new Set(), addKeeps = false): Operation[] {
  const live = from.views ?? [];
  const declared = to.views ?? [];
  if (live.length === 0 && declared.length === 0) return [...tableOps];
  const declaredByName = new Map(declared.map((v) => [v.name, v]));
  const liveByName = new Map(live.map((v) => [v.name, v]));
  const removed = live.filter((v) => !declaredByName.has(v.name));
  const kept = live.filter((v) => declaredByName.has(v.name));
  const changed = new Map(kept.filter((v) => viewsDiffer(v, declaredByName.get(v.name)!)).map((v) => [v.name, columnChangeOf(v, declaredByName.get(v.name)!)]));

  // What forces a view out of the way: a blocked table, a removed view, a view whose columns change, or a view
  // `forced` names (it calls a function dropped and created again), and the views over those.
  const forcedKept = kept.filter((v) => forced.has(v.name)).map((v) => v.name);
  const blocking = new Set([...blockedTables(tableOps, addKeeps), ...removed.map((v) => v.name), ...[...changed].filter(([, c]) => c !== undefined).map(([n]) => n), ...forcedKept]);
  const deps = (v: ViewIR) => [...(v.dependsOn ?? []), ...(declaredByName.get(v.name)?.dependsOn ?? [])];
  const moved = readers(kept, blocking, deps);
  for (const name of forcedKept) moved.add(name);
  // A changed view whose columns change otherwise than by appending (or a materialized one) is dropped and created too.
  for (const [name, c] of changed) if (c === 'changed') moved.add(name);

  const drops = dependencyOrder([...removed, ...kept.filter((v) => moved.has(v.name))]).reverse().map(drop);
  const after = dependencyOrder(declared.filter((v) => !liveByName.has(v.name) || moved.has(v.name) || changed.has(v.name))).map((v): Operation => {
    const old = liveByName.get(v.name);
    if (old === undefined || moved.has(v.name)) return create(v);
    const c = changed.get(v.name);
    return { kind: 'replaceView', view: v, from: old, ...(c !== undefined ? { columnChange: c } : {}) };
  });
  const staying = kept.filter((v) => !moved.has(v.name));
  return [...drops, ...tableOps.map((o) => withViewsAroundUndo(o, staying, from.tables)), ...after];
}

/** A materialized view cannot be replaced in place: its change is always one of columns. */
function columnChangeOf(from: ViewIR, to: ViewIR): ViewColumnChange | undefined {
  return from.materialized || to.materialized ? 'changed' : columnChange(from, to);
}

/** An added enum value's undo (the type rebuilt), with the views that read its columns' tables dropped and created around it. */
function withViewsAroundUndo(o: Operation, views: readonly ViewIR[], tables: readonly TableIR[]): Operation {
  if (o.kind !== 'addEnumValue' || o.undo === undefined || views.length === 0) return o;
  const using = new Set([
    ...blockedTables(o.undo, false),
    ...tables.filter((t) => t.columns.some((c) => enumNameOf(c.type) === o.name)).map((t) => t.name),
  ]);
  const around = readers(views, using, (v) => v.dependsOn ?? []);
  if (around.size === 0) return o;
  const ordered = dependencyOrder(views.filter((v) => around.has(v.name)));
  return { ...o, undo: [...[...ordered].reverse().map(drop), ...o.undo, ...ordered.map(create)] };
}

/**
 * The operations that create or replace a view, with the options and indexes the models declare where the
 * dialect's normalised schema left them out (SQLite has no view options): a revision generated against SQLite then
 * also builds the declared view on PostgreSQL, and SQLite, running it, ignores them.
 */
export function withDeclaredViewOptions(ops: readonly Operation[], declared: SchemaIR): Operation[] {
  const byName = new Map((declared.views ?? []).map((v) => [v.name, v]));
  if (byName.size === 0) return [...ops];
  const restore = (v: ViewIR): ViewIR => {
    const d = byName.get(v.name);
    if (d === undefined) return v;
    const { dependsOn: _d, columns: _c, definition: _q, ...options } = d;
    return { ...v, ...options };
  };
  return ops.map((o) => (o.kind === 'createView' ? { ...o, view: restore(o.view) } : o.kind === 'replaceView' ? { ...o, view: restore(o.view) } : o));
}
