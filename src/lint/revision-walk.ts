/**
 * What lint knows while it walks one revision's statements in order: the tables, indexes and enum types the
 * revision created (a new table needs none of the online forms: nobody else uses it yet), the NOT NULL checks
 * validated so far, whether a lock_timeout is in force, and what each transaction has done. The checks read it
 * before each statement; `record` updates it after.
 */
import type { CapturedStatement } from './capture.js';
import { fieldsOf, flag, listOf, names, nodeType, rangeVarName, relationName, str, walk, type PgFields, type PgNode } from './pg-ast.js';

/** One parsed statement with where it came from. */
export interface StatementView {
  readonly node: PgNode;
  readonly captured: CapturedStatement;
}

/** Checks pending or validated across revisions: part 1's SET NOT NULL may validate in one revision and set in the next. */
export interface ProjectMemory {
  /** `table.constraint` of a check added NOT VALID and not yet validated → the `table.column`s it proves NOT NULL. */
  readonly pendingNotNull: Map<string, readonly string[]>;
  /** `table.column` with a validated `CHECK (column IS NOT NULL)`. */
  readonly validatedNotNull: Set<string>;
  /** `table.name` of every check added NOT VALID and not yet validated. */
  readonly pendingChecks: Set<string>;
  /** Tables with a validated check (one matching a partition bound lets ATTACH PARTITION skip its scan). */
  readonly checkedTables: Set<string>;
  /**
   * `table.column` → its type as the last statement of this lint run that gave it one wrote it (CREATE TABLE, ADD
   * COLUMN, ALTER COLUMN TYPE), so a later raw ALTER COLUMN TYPE can be told binary-coercible or not.
   */
  readonly columnTypes: Map<string, PgType>;
}

export function newProjectMemory(): ProjectMemory {
  return { pendingNotNull: new Map(), validatedNotNull: new Set(), pendingChecks: new Set(), checkedTables: new Set(), columnTypes: new Map() };
}

/** A column type as the parser gives it: its last name (`varchar`, `int4`, `text`), its numeric modifiers, whether an array. */
export interface PgType {
  readonly name: string;
  readonly mods: readonly number[];
  readonly array: boolean;
}

/** The type of a ColumnDef (a column of CREATE TABLE, ADD COLUMN, or ALTER COLUMN TYPE's target). */
export function columnType(col: PgFields | null): PgType {
  const t = fieldsOf({ t: col?.['typeName'] }, 't');
  const mods = listOf(t, 'typmods').flatMap((m) => {
    const v = fieldsOf({ v: fieldsOf(m, 'A_Const')?.['ival'] }, 'v')?.['ival'];
    return typeof v === 'number' ? [v] : [];
  });
  return { name: names(listOf(t, 'names')).at(-1) ?? '', mods, array: listOf(t, 'arrayBounds').length > 0 };
}

/**
 * Whether PostgreSQL changes a column from `from` to `to` without rewriting the table: the same type, a varchar
 * widened or made unbounded, varchar and text into each other (unbounded), a numeric's precision raised at the same
 * scale or its modifiers dropped. Anything else (integer to text, a narrower varchar, a changed scale) rewrites.
 */
export function pgBinaryCoercible(from: PgType, to: PgType): boolean {
  if (from.array !== to.array) return false;
  if (from.name === to.name && from.mods.join() === to.mods.join()) return true;
  const unboundedText = (t: PgType) => t.name === 'text' || (t.name === 'varchar' && t.mods.length === 0);
  if (from.name === 'varchar' && to.name === 'varchar') return to.mods.length === 0 || (from.mods.length > 0 && to.mods[0]! >= from.mods[0]!);
  if ((from.name === 'varchar' || from.name === 'text') && unboundedText(to)) return true;
  if (from.name === 'numeric' && to.name === 'numeric') {
    if (to.mods.length === 0) return true;
    return from.mods.length > 0 && to.mods[0]! >= from.mods[0]! && (from.mods[1] ?? 0) === (to.mods[1] ?? 0);
  }
  return false;
}

/**
 * What the revisions before one may still hold when it starts in the same group transaction: the tables they locked
 * against writes and the constraints they added NOT VALID, each with the revision that did it.
 */
export interface CarriedLocks {
  readonly locked: ReadonlyMap<string, string>;
  readonly notValid: ReadonlyMap<string, string>;
}

/** The state of one revision's walk. */
export class RevisionWalk {
  readonly newTables = new Set<string>();
  readonly newIndexes = new Set<string>();
  readonly newEnums = new Set<string>();
  /** Domains this revision created (nothing uses them yet). */
  readonly newDomains = new Set<string>();
  /** Whether lock_timeout is on for the session (SET outside or inside a transaction: it outlives it). */
  private sessionTimeout = false;
  /** Per transaction, what a SET LOCAL (or a SET) in it left lock_timeout at, for the rest of that transaction. */
  private readonly localTimeout = new Map<number, boolean>();
  /** A SET LOCAL in what Retort runs as each transaction opens: it holds in every transaction, until changed in it. */
  private everyTransactionTimeout: boolean | null = null;
  /** Per transaction: whether it has taken a strong lock on an existing table, and changed data. */
  readonly strongLockIn = new Set<number>();
  readonly dataChangeIn = new Set<number>();
  /** Per transaction: the existing tables it holds a lock on that blocks writes (held until it commits). */
  readonly lockedIn = new Map<number, Set<string>>();
  /** Per transaction: `table.constraint` of each constraint it added NOT VALID on an existing table. */
  readonly notValidIn = new Map<number, Set<string>>();

  constructor(
    readonly memory: ProjectMemory,
    /** Statements Retort itself runs before each revision (its session setup, the transaction's opening). */
    preamble: readonly PgNode[],
    /** What earlier revisions of the group transaction this one's transaction 0 may be part of still hold. */
    readonly carried: CarriedLocks | null = null,
  ) {
    for (const node of preamble) this.recordTimeout(node, 'each');
  }

  /** What this revision's transaction 0 leaves held for the next revision of its group transaction, with `label` for its own. */
  carryOut(label: string): CarriedLocks {
    const locked = new Map(this.carried?.locked);
    const notValid = new Map(this.carried?.notValid);
    for (const t of this.lockedIn.get(0) ?? []) if (!locked.has(t)) locked.set(t, label);
    for (const c of this.notValidIn.get(0) ?? []) if (!notValid.has(c)) notValid.set(c, label);
    return { locked, notValid };
  }

  /** Whether `table` existed before this revision (it was not created in it). */
  existing(table: string): boolean {
    return table !== '' && !this.newTables.has(table);
  }

  /** Whether a non-zero lock_timeout is in force for a statement in `transaction`. */
  hasLockTimeout(transaction: number | null): boolean {
    if (transaction === null) return this.sessionTimeout;
    return this.localTimeout.get(transaction) ?? this.everyTransactionTimeout ?? this.sessionTimeout;
  }

  /** Updates the state with a statement that has been checked. */
  record(view: StatementView): void {
    const { node } = view;
    const tx = view.captured.transaction;
    this.recordTimeout(node, tx);
    const create = fieldsOf(node, 'CreateStmt') ?? fieldsOf(node, 'CreateTableAsStmt');
    // CREATE TABLE AS and CREATE MATERIALIZED VIEW name their relation in `into` (an IntoClause's fields, unwrapped).
    if (create) this.newTables.add(relationName(create) || relationName(create['into'] as PgFields | null, 'rel'));
    const index = fieldsOf(node, 'IndexStmt');
    if (index && str(index, 'idxname')) this.newIndexes.add(str(index, 'idxname'));
    const domain = fieldsOf(node, 'CreateDomainStmt');
    if (domain) this.newDomains.add(names(listOf(domain, 'domainname')).at(-1) ?? '');
    const en = fieldsOf(node, 'CreateEnumStmt');
    if (en) this.newEnums.add(names(listOf(en, 'typeName')).at(-1) ?? '');
    const rename = fieldsOf(node, 'RenameStmt');
    if (rename && str(rename, 'renameType') === 'OBJECT_TABLE' && this.newTables.has(relationName(rename))) this.newTables.add(str(rename, 'newname'));
    if (rename && str(rename, 'renameType') === 'OBJECT_TYPE' && this.newEnums.has(names(listOf(fieldsOf(rename['object'], 'List'), 'items')).at(-1) ?? '')) this.newEnums.add(str(rename, 'newname'));
    const alter = fieldsOf(node, 'AlterTableStmt');
    if (alter) this.recordChecks(relationName(alter), alter);
    this.recordColumnTypes(node);
    if (tx !== null) {
      const locked = strongLockTarget(node, this);
      if (locked !== null) {
        this.strongLockIn.add(tx);
        entry(this.lockedIn, tx).add(locked);
      }
      if (isDataChange(node)) this.dataChangeIn.add(tx);
      if (alter && this.existing(relationName(alter))) {
        for (const cmd of alterCommands(alter)) {
          const c = str(cmd, 'subtype') === 'AT_AddConstraint' ? fieldsOf(cmd['def'], 'Constraint') : null;
          if (flag(c, 'skip_validation')) entry(this.notValidIn, tx).add(`${relationName(alter)}.${str(c, 'conname')}`);
        }
      }
    }
  }

  /**
   * A SET, SET LOCAL or RESET of lock_timeout (RESET ALL too). SET LOCAL holds to the end of its transaction (outside
   * one it does nothing); SET holds for the session and, inside a transaction, at once for the rest of it. A RESET or
   * SET ... TO DEFAULT is taken as off: the server's default is 0.
   */
  private recordTimeout(node: PgNode, tx: number | null | 'each'): void {
    const set = fieldsOf(node, 'VariableSetStmt');
    const kind = str(set, 'kind');
    if (!set || (str(set, 'name') !== 'lock_timeout' && kind !== 'VAR_RESET_ALL')) return;
    const on = kind === 'VAR_SET_VALUE' && settingIsNonZero(listOf(set, 'args')[0]);
    if (tx === 'each') {
      if (flag(set, 'is_local')) this.everyTransactionTimeout = on;
      else this.sessionTimeout = on;
      return;
    }
    if (!flag(set, 'is_local')) this.sessionTimeout = on;
    if (tx !== null) this.localTimeout.set(tx, on);
  }

  /** Tracks the type each column was given (and its renames), for a later ALTER COLUMN TYPE. */
  private recordColumnTypes(node: PgNode): void {
    const types = this.memory.columnTypes;
    const create = fieldsOf(node, 'CreateStmt');
    if (create) {
      for (const e of listOf(create, 'tableElts')) {
        const col = fieldsOf(e, 'ColumnDef');
        if (col) types.set(`${relationName(create)}.${str(col, 'colname')}`, columnType(col));
      }
    }
    const alter = fieldsOf(node, 'AlterTableStmt');
    for (const cmd of alter ? alterCommands(alter) : []) {
      const sub = str(cmd, 'subtype');
      const col = fieldsOf(cmd['def'], 'ColumnDef');
      if (sub === 'AT_AddColumn' && col) types.set(`${relationName(alter)}.${str(col, 'colname')}`, columnType(col));
      if (sub === 'AT_AlterColumnType' && col) types.set(`${relationName(alter)}.${str(cmd, 'name')}`, columnType(col));
      if (sub === 'AT_DropColumn') types.delete(`${relationName(alter)}.${str(cmd, 'name')}`);
    }
    const rename = fieldsOf(node, 'RenameStmt');
    const type = str(rename, 'renameType');
    if (rename && type === 'OBJECT_COLUMN') {
      const from = `${relationName(rename)}.${str(rename, 'subname')}`;
      const known = types.get(from);
      types.delete(from);
      if (known) types.set(`${relationName(rename)}.${str(rename, 'newname')}`, known);
    }
    if (rename && type === 'OBJECT_TABLE') {
      const prefix = `${relationName(rename)}.`;
      for (const [key, t] of [...types]) {
        if (!key.startsWith(prefix)) continue;
        types.delete(key);
        types.set(`${str(rename, 'newname')}.${key.slice(prefix.length)}`, t);
      }
    }
  }

  /** Tracks `CHECK (col IS NOT NULL)` constraints added and validated, for SET NOT NULL. */
  private recordChecks(table: string, alter: PgFields): void {
    for (const cmd of alterCommands(alter)) {
      const sub = str(cmd, 'subtype');
      if (sub === 'AT_AddConstraint') {
        const c = fieldsOf(cmd['def'], 'Constraint');
        if (str(c, 'contype') !== 'CONSTR_CHECK') continue;
        if (flag(c, 'skip_validation')) this.memory.pendingChecks.add(`${table}.${str(c, 'conname')}`);
        else this.memory.checkedTables.add(table);
        const keys = notNullColumns(c?.['raw_expr']).map((column) => `${table}.${column}`);
        if (keys.length === 0) continue;
        if (flag(c, 'skip_validation')) this.memory.pendingNotNull.set(`${table}.${str(c, 'conname')}`, keys);
        else for (const key of keys) this.memory.validatedNotNull.add(key);
      } else if (sub === 'AT_ValidateConstraint') {
        if (this.memory.pendingChecks.has(`${table}.${str(cmd, 'name')}`)) this.memory.checkedTables.add(table);
        for (const key of this.memory.pendingNotNull.get(`${table}.${str(cmd, 'name')}`) ?? []) this.memory.validatedNotNull.add(key);
      }
    }
  }
}

/** The set kept under `key`, made empty the first time. */
function entry<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

/** The AlterTableCmd fields of an ALTER TABLE. */
export function alterCommands(alter: PgFields): PgFields[] {
  return listOf(alter, 'cmds').flatMap((c) => {
    const f = fieldsOf(c, 'AlterTableCmd');
    return f ? [f] : [];
  });
}

/**
 * The columns `expr` proves NOT NULL: `column IS NOT NULL`, alone or as a term of a top-level AND (PostgreSQL's
 * SET NOT NULL finds such a validated check sufficient too, and skips its scan).
 */
function notNullColumns(expr: unknown): string[] {
  const and = fieldsOf(expr, 'BoolExpr');
  if (and) return str(and, 'boolop') === 'AND_EXPR' ? listOf(and, 'args').flatMap(notNullColumns) : [];
  const test = fieldsOf(expr, 'NullTest');
  if (!test || str(test, 'nulltesttype') !== 'IS_NOT_NULL') return [];
  const column = names(listOf(fieldsOf(test['arg'], 'ColumnRef'), 'fields')).at(-1);
  return column === undefined ? [] : [column];
}

/** Whether a SET's value turns the timeout on: 0 (or '0', '0s') turns it off. */
export function settingIsNonZero(arg: PgNode | undefined): boolean {
  const c = fieldsOf(arg, 'A_Const');
  if (!c) return false;
  const i = fieldsOf({ v: c['ival'] }, 'v');
  if (i) return typeof i['ival'] === 'number' && i['ival'] !== 0;
  const s = fieldsOf({ v: c['sval'] }, 'v');
  return s ? Number.parseFloat(str(s, 'sval')) !== 0 : false;
}

/**
 * The existing table (or index) a statement takes a lock on that blocks writes or reads, else null: ALTER TABLE
 * (but VALIDATE CONSTRAINT alone, which lets writes through), CREATE INDEX without CONCURRENTLY, renames, drops,
 * TRUNCATE, and REINDEX, VACUUM FULL, CLUSTER and LOCK TABLE (tableLockStatement). Statements on a table this
 * revision created lock nobody out.
 */
export function strongLockTarget(node: PgNode, walk: RevisionWalk): string | null {
  const alter = fieldsOf(node, 'AlterTableStmt');
  if (alter) {
    const table = relationName(alter);
    const weakOnly = alterCommands(alter).every((c) => str(c, 'subtype') === 'AT_ValidateConstraint');
    return walk.existing(table) && !weakOnly ? table : null;
  }
  const index = fieldsOf(node, 'IndexStmt');
  if (index) return !flag(index, 'concurrent') && walk.existing(relationName(index)) ? relationName(index) : null;
  const rename = fieldsOf(node, 'RenameStmt');
  if (rename && relationName(rename)) return walk.existing(relationName(rename)) ? relationName(rename) : null;
  const drop = fieldsOf(node, 'DropStmt');
  if (drop && !flag(drop, 'concurrent')) {
    const type = str(drop, 'removeType');
    const objects = dropNames(drop);
    if (type === 'OBJECT_TABLE') return objects.find((t) => walk.existing(t)) ?? null;
    if (type === 'OBJECT_INDEX') return objects.find((i) => !walk.newIndexes.has(i)) ?? null;
  }
  // CREATE TRIGGER takes SHARE ROW EXCLUSIVE on its table (writes wait), DROP TRIGGER ACCESS EXCLUSIVE.
  const trigger = fieldsOf(node, 'CreateTrigStmt');
  if (trigger) return walk.existing(relationName(trigger)) ? relationName(trigger) : null;
  if (drop && str(drop, 'removeType') === 'OBJECT_TRIGGER') {
    const table = listOf(drop, 'objects').map((o) => names(listOf(fieldsOf(o, 'List'), 'items')).at(-2) ?? '').find((t) => walk.existing(t));
    return table ?? null;
  }
  // CREATE / ALTER / DROP POLICY take ACCESS EXCLUSIVE on the policy's table, as ALTER TABLE does.
  const policy = fieldsOf(node, 'CreatePolicyStmt') ?? fieldsOf(node, 'AlterPolicyStmt');
  if (policy) return walk.existing(relationName(policy, 'table')) ? relationName(policy, 'table') : null;
  if (drop && str(drop, 'removeType') === 'OBJECT_POLICY') {
    return listOf(drop, 'objects').map((o) => names(listOf(fieldsOf(o, 'List'), 'items')).at(-2) ?? '').find((t) => walk.existing(t)) ?? null;
  }
  const truncate = fieldsOf(node, 'TruncateStmt');
  if (truncate) return listOf(truncate, 'relations').map((r) => rangeVarName(r)).find((t) => walk.existing(t)) ?? null;
  // REINDEX, VACUUM FULL, CLUSTER and LOCK TABLE in SHARE mode or stronger (see tableLockStatement).
  return tableLockStatement(node, walk)?.tables[0] ?? null;
}

/** PostgreSQL's lock modes as LOCK TABLE's parse tree numbers them (lockdefs.h); SHARE (5) and above block writes. */
export const LOCK_MODES = ['', 'ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'];

/** A statement that takes a lock blocking writes on whole existing tables (not DDL that changes them), with what it does. */
export interface TableLockStatement {
  readonly kind: 'reindex' | 'vacuum-full' | 'cluster' | 'lock';
  /** The existing tables (or, for REINDEX INDEX, indexes) it names; `(every table)` when it names none (VACUUM FULL, CLUSTER, REINDEX SCHEMA). */
  readonly tables: readonly string[];
  /** LOCK TABLE's mode, else ''. */
  readonly mode: string;
}

/**
 * REINDEX without CONCURRENTLY (SHARE on the table, ACCESS EXCLUSIVE on each index rebuilt), VACUUM FULL and CLUSTER
 * (ACCESS EXCLUSIVE while the table is rewritten), LOCK TABLE in SHARE mode or stronger (held to the end of the
 * transaction); null for anything else, or when every table it names was created in this revision.
 */
export function tableLockStatement(node: PgNode, walk: RevisionWalk): TableLockStatement | null {
  const all = ['(every table)'];
  const reindex = fieldsOf(node, 'ReindexStmt');
  if (reindex) {
    if (listOf(reindex, 'params').some((p) => str(fieldsOf(p, 'DefElem'), 'defname') === 'concurrently')) return null;
    const name = relationName(reindex);
    if (name === '') return { kind: 'reindex', tables: [str(reindex, 'name') ? `schema or database ${str(reindex, 'name')}` : all[0]!], mode: '' };
    const index = str(reindex, 'kind') === 'REINDEX_OBJECT_INDEX';
    return (index ? !walk.newIndexes.has(name) : walk.existing(name)) ? { kind: 'reindex', tables: [name], mode: '' } : null;
  }
  const vacuum = fieldsOf(node, 'VacuumStmt');
  if (vacuum && flag(vacuum, 'is_vacuumcmd') && listOf(vacuum, 'options').some((o) => str(fieldsOf(o, 'DefElem'), 'defname') === 'full')) {
    const rels = listOf(vacuum, 'rels').map((r) => relationName(fieldsOf(r, 'VacuumRelation')));
    const tables = rels.length === 0 ? all : rels.filter((t) => walk.existing(t));
    return tables.length > 0 ? { kind: 'vacuum-full', tables, mode: '' } : null;
  }
  const cluster = fieldsOf(node, 'ClusterStmt');
  if (cluster) {
    const table = relationName(cluster);
    if (table === '') return { kind: 'cluster', tables: all, mode: '' };
    return walk.existing(table) ? { kind: 'cluster', tables: [table], mode: '' } : null;
  }
  const lock = fieldsOf(node, 'LockStmt');
  if (lock) {
    const mode = typeof lock['mode'] === 'number' ? lock['mode'] : 0;
    const tables = listOf(lock, 'relations').map((r) => rangeVarName(r)).filter((t) => walk.existing(t));
    return mode >= 5 && tables.length > 0 ? { kind: 'lock', tables, mode: LOCK_MODES[mode] ?? String(mode) } : null;
  }
  return null;
}

/** The last name of each object a DROP names (`DROP TABLE a, s.b` → a, b). */
export function dropNames(drop: PgFields): string[] {
  return listOf(drop, 'objects').map((o) => names(listOf(fieldsOf(o, 'List'), 'items')).at(-1) ?? names([o]).at(-1) ?? '');
}

/** UPDATE, DELETE, INSERT ... SELECT (not INSERT ... VALUES): statements that take as long as the rows they touch. */
export function isDataChange(node: PgNode): boolean {
  const type = nodeType(node);
  // Retort's own notes of a view's or a re-created function's grants (temporary tables, postgres-views.ts and
  // postgres-routines.ts) change no data of the revision's.
  const target = type === 'UpdateStmt' || type === 'DeleteStmt' || type === 'InsertStmt' || type === 'MergeStmt' ? relationName(fieldsOf(node, type)) : '';
  if (target === 'retort_view_grants' || target === 'retort_function_grants') return false;
  if (type === 'UpdateStmt' || type === 'DeleteStmt' || type === 'MergeStmt') return true;
  const insert = fieldsOf(node, 'InsertStmt');
  if (!insert) return false;
  const select = fieldsOf(insert['selectStmt'], 'SelectStmt');
  return select !== null && listOf(select, 'valuesLists').length === 0;
}

/** Function calls anywhere in an expression, by their last name. */
export function functionsIn(expr: unknown): string[] {
  const out: string[] = [];
  for (const [type, fields] of walk(expr)) if (type === 'FuncCall') out.push(names(listOf(fields, 'funcname')).at(-1) ?? '');
  return out;
}
