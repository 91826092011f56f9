/**
 * compareSchemas: the autogenerate differ. Both schemas must already be
 * normalised by the dialect. Each comparator (tables, columns, constraints,
 * enums) returns operations; this file only decides the order, which is what
 * makes the list runnable and its inverse runnable too:
 *
 *  0. renames the models declare (`renamedFrom`): enum types and values, tables, indexes and constraints,
 *     sequences and views; then the comments cleared before the changes (compare-comments.ts), the drops of the
 *     triggers, policies, views and functions that go or are moved out of the way, and only then the columns' renames
 *     (placeRenames, compare-renames.ts). Unnamed declarations take the database's name for the same definition
 *     (match-unnamed.ts); partitions detached (compare-partitions.ts)
 *  1. new extensions and extensions updated; new enum types, enums whose values were only added; new domains and
 *     domains altered in place (compare-domains.ts); new sequences, sequence options changed
 *  2. sequence owners taken away (an owned sequence goes with its table or column); foreign keys that go away
 *     or change (they may point into anything below)
 *  3. removed tables (foreign keys between them first)
 *  4. per remaining table: constraints and indexes removed or changed, columns removed
 *  5. enums whose values were removed or reordered, once no dropped column can hold a removed value
 *  6. per remaining table: table comment, columns altered and added, constraints and indexes added
 *  7. new tables in foreign-key order (partitions after their parent); partitions attached
 *  8. foreign keys added, including those a cycle between new tables forced out
 *  9. domains no longer declared, then enum types no longer used; sequence owners set (after 7), sequences no
 *     longer declared; extensions no longer declared, last
 *
 * and named schemas around everything (compare-schemas.ts): created first, dropped last.
 *
 * and views around all of it (compare-views.ts): their drops first, their creates and replacements last; and
 * functions and triggers around that (compare-routines.ts): triggers dropped first and created last, functions
 * dropped before the table changes and created after them, but those a table's default or check (or a domain) calls,
 * created after the new extensions, enum values and sequences of step 1 and dropped before the enums, sequences
 * and extensions of step 9 go.
 *
 * How an enum changes (values added in place, the type rebuilt) is the dialect's
 * EnumPlanner's to say; this file only says when.
 */
import type { IndexIR, SchemaIR, TableIR } from '../ir/ir.js';
import { RetortError } from '../errors.js';
import type { Operation } from '../operations/operations.js';
import { applyOperations } from '../operations/apply.js';
import { compareColumns } from './compare-columns.js';
import { generatedMoves, mentionedColumn, type GeneratedColumnRules } from './generated-moves.js';
import { compareConstraints, droppedKeys, keyOf, type ConstraintDiff } from './compare-constraints.js';
import { planEnums } from './compare-enums.js';
import type { AlterEnum, EnumPlanner } from './enum-change.js';
import { creationPlan, removalPlan } from './compare-tables.js';
import { placeRenames, planRenames, type RenameOptions } from './compare-renames.js';
import { planSequences } from './compare-sequences.js';
import { planDomains } from './compare-domains.js';
import { planPartitions } from './compare-partitions.js';
import { adoptLiveNames } from './match-unnamed.js';
import { planComments } from './compare-comments.js';
import { withoutComments } from '../ir/comments.js';
import { byCodePoint, byName, findTable, sameIR } from '../ir/ir-util.js';
import { placeViews, withDeclaredViewOptions } from './compare-views.js';
import { placeRoutines } from './compare-routines.js';
import { planSchemas } from './compare-schemas.js';
import { placePolicies, rlsChanges, withoutRls } from './compare-policies.js';

const NO_CONSTRAINT_CHANGES: ConstraintDiff = { drops: [], adds: [], fkDrops: [], fkAdds: [] };

/** How compareSchemas places the renames the models' hints ask for. */
/** With RenameOptions: the dialect's keyNamesSchemaWide and the config's naming convention (compare-renames.ts). */
export interface CompareOptions extends RenameOptions {
  /**
   * True when the views, policies, triggers and table expressions of `from` were read as the database keeps them once
   * the renames have run (the dialect's `followRenames`): their SQL names the new names, so every operation on them
   * comes after the renames, and in the downgrade before the renames back; the renames go first. Otherwise their
   * SQL names the old names, and column renames go after the drops that move them out of the way (placeRenames).
   */
  readonly liveFollowsRenames?: boolean;
  /** The dialect's rules for moving generated columns around a change (generated-moves.ts); without them, none are moved. */
  readonly generatedColumns?: GeneratedColumnRules;
  /** The dialect's viewsKeepThroughAddColumn (compare-views.ts): views over a table stay put when a column is added. */
  readonly viewsKeepThroughAddColumn?: boolean;
}

/**
 * The operations that turn schema `from` into schema `to`, enum changes planned by `planner` (the dialect's
 * enumPlanner); `inverseAll` of the result turns `to` back into `from`.
 */
export function compareSchemas(from: SchemaIR, to: SchemaIR, planner: EnumPlanner, options: CompareOptions = {}): Operation[] {
  // Named schemas are created before everything and dropped after it (compare-schemas.ts).
  const schemas = planSchemas(from, to);
  const ops = compareObjects(from, to, planner, options.liveFollowsRenames === true, options);
  return schemas.creates.length === 0 && schemas.drops.length === 0 ? ops : [...schemas.creates, ...ops, ...schemas.drops];
}

function compareObjects(from: SchemaIR, to: SchemaIR, planner: EnumPlanner, renamesFirst: boolean, renameOptions: CompareOptions): Operation[] {
  const place = (renames: readonly Operation[], rest: readonly Operation[]) => (renamesFirst ? [...renames, ...rest] : placeRenames(renames, rest));
  // Renames the models declare come first; everything below compares the schema they leave, by the new names.
  const renames = planRenames(from, to, planner.enumTypes, renameOptions);
  // Comments on enums, sequences, views, indexes and constraints are compared apart (compare-comments.ts): the rest
  // compares the objects without them.
  const bareFrom = withoutComments(renames.from);
  const bareTo = withoutComments(renames.to);
  // Views go around the rest (compare-views.ts), which compares tables and enums alone; constraints and indexes
  // declared without a name take the database's name for the same definition.
  // Policies go around the views in turn (compare-policies.ts), by the tables' new names.
  // Functions and triggers go around all of it (compare-routines.ts), by the tables' new names.
  const { views: _from, functions: _ff, triggers: _ft, policies: _fp, ...fromTables } = bareFrom;
  const { views: _to, functions: _tf, triggers: _tt, policies: _tp, ...toTables } = bareTo;
  const tableOps = compareRenamed(fromTables, adoptLiveNames(fromTables, toTables), planner, renameOptions.generatedColumns);
  const routinesFrom = { ...bareFrom, functions: from.functions ?? [], triggers: bareFrom.triggers ?? from.triggers ?? [] };
  const renameReaders = columnRenameReaders(bareFrom, bareTo, renames.ops);
  const ops = placeRoutines(routinesFrom, to, tableOps, (o, moves) =>
    placePolicies(bareFrom, bareTo, placeViews(bareFrom, bareTo, o, renameReaders.size === 0 ? moves.views : new Set([...moves.views, ...renameReaders]), renameOptions.viewsKeepThroughAddColumn === true), moves.policies));
  if (bareFrom === renames.from && bareTo === renames.to) return place(renames.ops, ops);
  const comments = planComments(renames.from, adoptLiveNames(renames.from, renames.to), ops);
  return place(renames.ops, [...comments.before, ...ops, ...comments.after]);
}

/**
 * Refuses models that drop a column but keep a CHECK naming it: the database drops the CHECK with the column, so the
 * revision would leave the models' CHECK missing, its downgrade would not bring it back, and the next revision would
 * add a CHECK on a column that is not there. Names are matched, not parsed (`names`: the dialect's scanner).
 */
function refuseChecksOnDroppedColumns(live: TableIR, declared: TableIR, names: (sql: string) => ReadonlySet<string>): void {
  const kept = new Set(declared.columns.map((c) => c.name));
  const dropped = live.columns.filter((c) => !kept.has(c.name)).map((c) => c.name);
  if (dropped.length === 0) return;
  for (const k of declared.checks) {
    // A function the check calls is no column: `length(name)` does not name a column `length`.
    const gone = mentionedColumn(names(k.expression.replace(/[A-Za-z_][A-Za-z0-9_$]*\s*\(/g, '(')), dropped);
    if (gone === undefined) continue;
    throw new RetortError('MODEL', `table "${declared.name}": check "${k.name}" names column "${gone}", which the models drop (the database would drop the check with it)`, {
      hint: `remove the check from the models, or keep the column "${gone}"`,
    });
  }
}

/**
 * The views that read a column the renames rename (a table they depend on has a column renamed, and their text names
 * the column's new name, as the database left it after following the rename), and whose columns the models name
 * otherwise than the database does (or either is not known, as on SQLite). They are dropped and created again from
 * their declared definitions after the renames, on every database: PostgreSQL keeps a renamed column's old name as
 * the view's column (`p.stock_code AS sku`) where SQLite's rewrite gives the new one, so a revision generated against
 * either must re-create such a view for both to end as declared. A view that keeps its column names (`heading AS
 * title`) follows the rename alike on both, and is left alone.
 */
function columnRenameReaders(live: SchemaIR, declared: SchemaIR, renames: readonly Operation[]): Set<string> {
  const renamed = new Map<string, string[]>();
  const tableWas = new Map<string, string>();
  for (const o of renames) {
    if (o.kind === 'renameTable') tableWas.set(o.to, o.from);
    if (o.kind === 'alterColumn' && o.to.name !== undefined) renamed.set(o.table, [...(renamed.get(o.table) ?? []), o.to.name.toLowerCase()]);
  }
  const out = new Set<string>();
  if (renamed.size === 0) return out;
  const declaredViews = new Map((declared.views ?? []).map((v) => [v.name, v]));
  const names = (v: { readonly columns?: readonly { readonly name: string }[] } | undefined) => (v?.columns !== undefined && v.columns.length > 0 ? v.columns.map((c) => c.name).join('\u0000') : null);
  for (const v of live.views ?? []) {
    const d = declaredViews.get(v.name);
    const was = names(v);
    if (d === undefined || (was !== null && was === names(d))) continue;
    const text = v.definition.toLowerCase();
    for (const [table, columns] of renamed) {
      const reads = (v.dependsOn ?? []).some((d) => d === table || d === tableWas.get(table));
      if (reads && columns.some((c) => text.includes(c))) out.add(v.name);
    }
  }
  return out;
}

function compareRenamed(live: SchemaIR, to: SchemaIR, planner: EnumPlanner, generated: GeneratedColumnRules | undefined): Operation[] {
  // Partitions attached and detached: `from` is the schema they leave (compare-partitions.ts).
  const partitions = planPartitions(live, to);
  const from = partitions.from;
  const before = new Map(byName(from.tables));
  const after = byName(to.tables);
  const staying = [...to.tables].filter((t) => before.has(t.name)).sort((a, b) => byCodePoint(a.name, b.name));
  // Generated columns dropped before the table changes and added again after them, with their indexes and
  // constraints (generated-moves.ts): the rest compares each such table as those drops leave it.
  const generatedDrops = new Map<string, readonly Operation[]>();
  if (generated !== undefined) {
    for (const t of staying) {
      refuseChecksOnDroppedColumns(before.get(t.name)!, t, generated.names);
      const moves = generatedMoves(before.get(t.name)!, t, generated);
      if (moves === null) continue;
      generatedDrops.set(t.name, moves.drops);
      before.set(t.name, moves.table);
    }
  }
  const added = to.tables.filter((t) => !before.has(t.name));
  const removed = from.tables.filter((t) => !after.has(t.name));
  const enums = planEnums(from, to);
  const sequences = planSequences(from, to);
  const domains = planDomains(from, to);

  const ops: Operation[] = [...partitions.detaches, ...domains.extensions, ...enums.creates, ...domains.early, ...sequences.early];
  if (enums.widened.length > 0) planEach(planner, enums.widened, applyOperations(from, ops), ops);

  // Tables that did not change at all (most of them, on a large schema) need no comparator.
  const unchanged = staying.map((t) => sameIR(before.get(t.name)!, t));
  // A foreign key that stays still depends on the key it references: if that key is dropped, drop and re-add the foreign key around it.
  const firstPass = staying.map((t, i) => (unchanged[i] ? NO_CONSTRAINT_CHANGES : compareConstraints(before.get(t.name)!, t)));
  // A moved generated column's unique key counts as lost too: a foreign key of another table referencing it goes and comes back around it.
  const lostKeys = droppedKeys([...firstPass.flatMap((d) => d.drops), ...[...generatedDrops.values()].flat()]);
  const constraints = staying.map((t, i) =>
    unchanged[i] && lostKeys.size === 0 ? NO_CONSTRAINT_CHANGES : compareConstraints(before.get(t.name)!, t, (fk) => lostKeys.has(keyOf(fk.refTable, fk.refColumns))),
  );

  ops.push(...sequences.unowned);
  for (const d of constraints) ops.push(...d.fkDrops);
  // Row-level security switched off before a table goes, so that its way back (its creation) switches it on again.
  ops.push(...removed.flatMap((t) => rlsChanges(t.name, t, null)), ...removalPlan(removed.map(withoutRls)));
  staying.forEach((t, i) => {
    ops.push(...(generatedDrops.get(t.name) ?? []), ...constraints[i]!.drops, ...(unchanged[i] ? [] : compareColumns(before.get(t.name)!, t).drops));
  });

  if (enums.reshaped.length > 0) {
    // The planner may have changed columns (a type rebuild drops their server defaults): compare columns against the schema as it now stands.
    const now = planEach(planner, enums.reshaped, applyOperations(from, ops), ops);
    staying.forEach((t, i) => pushTableChanges(ops, findTable(now, t.name)!, t, constraints[i]!.adds));
  } else {
    staying.forEach((t, i) => (unchanged[i] ? ops.push(...constraints[i]!.adds) : pushTableChanges(ops, before.get(t.name)!, t, constraints[i]!.adds)));
  }

  const creation = creationPlan(added.map(withoutRls));
  ops.push(...creation.filter((o) => o.kind === 'createTable'), ...added.flatMap((t) => rlsChanges(t.name, null, t)));
  ops.push(...partitions.attaches);
  for (const d of constraints) ops.push(...d.fkAdds);
  ops.push(...creation.filter((o) => o.kind !== 'createTable'));
  ops.push(...domains.drops, ...enums.drops, ...sequences.owned, ...sequences.drops, ...domains.extensionDrops);
  return ops;
}

/** Appends the planned operations of each change to `ops`, each planned on the schema its predecessors left; returns the schema after the last. */
function planEach(planner: EnumPlanner, changes: readonly AlterEnum[], start: SchemaIR, ops: Operation[]): SchemaIR {
  let current = start;
  for (const change of changes) {
    const planned = planner.planEnumChange(change, current);
    ops.push(...planned);
    current = applyOperations(current, planned);
  }
  return current;
}

/** Appends one remaining table's comment, column changes and new constraints, grouped together. */
function pushTableChanges(ops: Operation[], current: TableIR, target: TableIR, constraintAdds: readonly Operation[]): void {
  if (current.comment !== target.comment) ops.push({ kind: 'setTableComment', table: target.name, comment: target.comment, from: current.comment });
  ops.push(...rlsChanges(target.name, current, target));
  const columns = compareColumns(current, target);
  ops.push(...columns.alters, ...columns.adds, ...constraintAdds);
}

/**
 * The operations that create an index, with its method, INCLUDE columns and keys as the models declare them where
 * the dialect's normalised schema left the method and INCLUDE out (SQLite has neither, nor operator classes): a
 * revision generated against SQLite then also builds the declared index on PostgreSQL, and SQLite, running it,
 * makes a plain index as before.
 */
export function withDeclaredIndexOptions(ops: readonly Operation[], declared: SchemaIR): Operation[] {
  return withDeclaredViewOptions(withDeclaredTableIndexOptions(ops, declared), declared);
}

function withDeclaredTableIndexOptions(ops: readonly Operation[], declared: SchemaIR): Operation[] {
  const options = new Map<string, IndexIR>();
  for (const t of declared.tables) for (const ix of t.indexes) if (ix.method !== undefined || ix.include !== undefined) options.set(`${t.name}\u0000${ix.name}`, ix);
  if (options.size === 0) return [...ops];
  const restore = (table: string, ix: IndexIR): IndexIR => {
    const d = options.get(`${table}\u0000${ix.name}`);
    if (d === undefined || ix.method !== undefined || ix.include !== undefined || d.columns.length !== ix.columns.length) return ix;
    // The keys as declared too: a key's operator class belongs with the index method it was declared for.
    return { ...ix, columns: d.columns, ...(d.method !== undefined ? { method: d.method } : {}), ...(d.include !== undefined ? { include: d.include } : {}) };
  };
  return ops.map((o) => {
    if (o.kind === 'createIndex') return { ...o, index: restore(o.table, o.index) };
    if (o.kind === 'createTable') return { ...o, table: { ...o.table, indexes: o.table.indexes.map((ix) => restore(o.table.name, ix)) } };
    return o;
  });
}
