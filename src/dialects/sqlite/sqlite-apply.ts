/**
 * SQLite's use of the shared IR applier (operations/apply-table.ts): the
 * compiler keeps the schema as the batch changes it this way, and the table
 * rebuild creates the table as it stands after all of a run of operations.
 * What is SQLite's own is here: its ApplyPolicy (enums are TEXT with a CHECK,
 * no comments, an unnamed primary key, dependents dropped with their column)
 * and `origins`, which tracks which old column each new column's values come
 * from, through renames.
 */
import { RetortError } from '../../errors.js';
import type { ApplyPolicy, ApplyRefusal } from '../../operations/apply-policy.js';
import type { TableOperation } from '../../operations/table-ir.js';
import type { Operation, OperationOf } from '../../operations/operations.js';
import { enumNameOf } from '../../ir/ir.js';
import type { CheckIR, ColumnIR, TableIR } from '../../ir/ir.js';
import { sqliteNames } from './sqlite-names.js';
import { collatedType, declaredSpelling, enumCheck, enumCheckName, normalizeDefault, normalizeType, quoteId } from './sqlite-normalize.js';

/** Where a column of the rebuilt table gets its values: the old column, and an expression when `using` was given. */
export interface Origin {
  readonly from: string;
  readonly using: string | null;
  /** True when the type changed, so values must convert. */
  readonly typeChanged: boolean;
}

function refusal(o: Operation, why: ApplyRefusal): RetortError {
  switch (why.reason) {
    case 'missing':
      return new RetortError('NOT_FOUND', `${why.what} "${why.name}" does not exist on table "${why.table}"`, { hint: 'check the revision file against the schema (retort current, retort check)' });
    case 'exists':
      return new RetortError('MIGRATION_FAILED', why.what === 'column' ? `column "${why.table}"."${why.name}" already exists` : `${why.what} "${why.name}" already exists`);
    case 'primaryKeyExists':
      return new RetortError('MIGRATION_FAILED', `table "${why.table}" already has a primary key`, { hint: 'drop it first with op.dropConstraint()' });
    case 'columnInUse':
      // Not reached: SQLite's policy drops what uses a column along with it.
      return new RetortError('MIGRATION_FAILED', `${o.kind}: column "${why.table}"."${why.name}" is still in use`);
  }
}

/** SQLite's ApplyPolicy; `enums` supplies the values of enum-typed columns (it may grow while the batch compiles). */
export function sqliteApplyPolicy(enums: ReadonlyMap<string, readonly string[]>): ApplyPolicy {
  const enumValues = (name: string) => {
    const v = enums.get(name);
    if (!v) throw new RetortError('UNSUPPORTED', `the values of enum "${name}" are not known on SQLite`, { hint: 'create it with op.createEnum() in the same revision, or use text() with a check constraint' });
    return v;
  };
  return {
    // As PostgreSQL does: indexes and constraints that use the dropped column go with it.
    dropColumnRemovesDependents: true,
    // SQLite does not hold constraint names to be distinct, so neither does the rebuild.
    uniqueConstraintNames: false,
    // A primary key written without CONSTRAINT <name> has none: the key is found under any name.
    namedPrimaryKey: false,
    // AUTOINCREMENT exists only on INTEGER PRIMARY KEY.
    autoIncrementNeedsPrimaryKey: true,
    // SQLite has no comments.
    tableComments: false,
    sqlNames: sqliteNames,
    addedColumn: ({ collation, ...c }) => {
      const type = normalizeType(collation === undefined ? c.type : collatedType(c.type, collation), c.autoIncrement);
      const spelledAs = c.autoIncrement ? undefined : declaredSpelling(c.type.kind === 'custom' ? c.type.sql : undefined, type);
      return { ...c, type, comment: null, ...(spelledAs !== undefined ? { spelledAs } : {}) };
    },
    alteredColumn,
    checksAfter: (t, checks, o) => (o.kind === 'addColumn' ? addedChecks(t, checks, o.column, enumValues) : alteredChecks(t, checks, o, enumValues)),
    refuse: refusal,
  };
}

function alteredColumn(old: ColumnIR, to: OperationOf<'alterColumn'>['to']): ColumnIR {
  // Switching AUTOINCREMENT on makes the key INTEGER PRIMARY KEY AUTOINCREMENT (the only column SQLite allows it on).
  const autoIncrement = to.autoIncrement ?? old.autoIncrement;
  const retyped = to.type === undefined ? (autoIncrement && !old.autoIncrement ? normalizeType(old.type, true) : old.type) : normalizeType(to.type, autoIncrement);
  // A collation is a COLLATE clause in the type here (sqlite-normalize.ts).
  const type = to.collation === undefined ? retyped : collatedType(retyped, to.collation);
  const serverDefault = to.serverDefault === undefined ? old.serverDefault : normalizeDefault(to.serverDefault, type);
  // A new type is spelled as declared now: the old name (DATETIME) goes with the old type.
  const { spelledAs: _old, ...kept } = old;
  const spelledAs = to.type === undefined && to.collation === undefined ? old.spelledAs : declaredSpelling(to.type?.kind === 'custom' ? to.type.sql : undefined, type);
  return { ...kept, ...(spelledAs !== undefined ? { spelledAs } : {}), name: to.name ?? old.name, type, nullable: to.nullable ?? old.nullable, serverDefault: autoIncrement ? null : serverDefault, autoIncrement };
}

// SQLite has no enum types: a CHECK on the column stands in for one (see sqlite-enums.ts).
function addedChecks(t: TableIR, checks: readonly CheckIR[], c: ColumnIR, enumValues: (n: string) => readonly string[]): readonly CheckIR[] {
  return c.type.kind === 'enum' ? [...checks, enumCheck(t.name, c.name, c.type.name, enumValues(c.type.name))] : checks;
}

function alteredChecks(t: TableIR, checks: readonly CheckIR[], o: OperationOf<'alterColumn'>, enumValues: (n: string) => readonly string[]): readonly CheckIR[] {
  const newName = o.to.name ?? o.column;
  const oldPrefix = enumCheckName(t.name, o.column, '');
  // The CHECK standing in for an enum follows the column's type, and its name the column's name.
  if (o.to.type !== undefined) {
    const kept = checks.filter((k) => !k.name.startsWith(oldPrefix));
    return o.to.type.kind === 'enum' ? [...kept, enumCheck(t.name, newName, o.to.type.name, enumValues(o.to.type.name))] : kept;
  }
  if (newName === o.column) return checks;
  return checks.map((k) => (k.name.startsWith(oldPrefix) ? { ...k, name: enumCheckName(t.name, newName, k.name.slice(oldPrefix.length)) } : k));
}

let applyTableOperation: typeof import('../../operations/apply-table.js').applyTableOperation | null = null;

/**
 * Loads the shared table applier (the operation registry with every kind and its renderer, about 60 modules). The
 * compiler awaits it before the first applyAlter of a run: a batch of plain ADD COLUMNs, most revisions, never
 * needs it, and loading it cost every SQLite command (upgrade, current) about 60 modules at start-up.
 */
export async function loadTableApplier(): Promise<void> {
  applyTableOperation ??= (await import('../../operations/apply-table.js')).applyTableOperation;
}

/** Applies one table-level operation with SQLite's `policy`, and follows its columns' values in `origins` (after loadTableApplier). */
export function applyAlter(t: TableIR, o: TableOperation, policy: ApplyPolicy, origins: Map<string, Origin>): TableIR {
  if (!applyTableOperation) throw new Error('internal: applyAlter before loadTableApplier()');
  const next = applyTableOperation(t, o, policy);
  if (o.kind === 'addColumn') origins.delete(o.column.name);
  else if (o.kind === 'dropColumn') origins.delete(o.name);
  else if (o.kind === 'alterColumn') followAlter(t, next, o, origins);
  return next;
}

function followAlter(before: TableIR, after: TableIR, o: OperationOf<'alterColumn'>, origins: Map<string, Origin>): void {
  const prev = origins.get(o.column);
  if (!prev) return;
  const at = before.columns.findIndex((c) => c.name === o.column);
  const old = before.columns[at]!;
  const next = after.columns[at]!;
  origins.delete(o.column);
  // An enum is TEXT here: a USING written for PostgreSQL's enum casts (`{col}::text::"e"`) has nothing to convert.
  const toEnum = o.to.type !== undefined && enumNameOf(o.to.type) !== null;
  const using = o.to.using === undefined || toEnum ? prev.using : o.to.using.split('{col}').join(prev.using ?? quoteId(prev.from));
  origins.set(next.name, { from: prev.from, using, typeChanged: prev.typeChanged || JSON.stringify(next.type) !== JSON.stringify(old.type) });
}
