/**
 * Random schema pairs for the database round-trip property test. A schema is
 * first a plain, printable spec (tables, typed columns, indexes, uniques,
 * foreign keys, enums), turned into real DSL declarations and collected with
 * collectModels, exactly as a user's model files are. B is derived from A by a
 * few random mutations, so each pair looks like one step of a real project.
 *
 * Randomness comes from a list of numbers (fast-check shrinks it towards
 * zeros, and choice 0 is always the simplest), read by a Chooser.
 */
import * as dsl from '../../src/models/builders.js';
import { collectModels } from '../../src/models/collect.js';
import type { SchemaIR } from '../../src/ir/ir.js';
import type { ModelTarget } from '../../src/models/collect.js';
import { MODEL_TARGET } from './models.js';
import { describeKinds, kindExports, mutateKinds, randomKinds, randomTableKinds, repairKinds, SQLITE_KINDS, withRls, type KindOptions, type SequenceSpec, type TableKinds, type ViewSpec } from './random-schema-kinds.js';
export type { KindOptions } from './random-schema-kinds.js';

/** The column kinds the generator uses, one per DSL builder. */
export type ColKind =
  | 'smallint' | 'integer' | 'bigint' | 'boolean' | 'text' | 'varchar' | 'char' | 'numeric' | 'real' | 'double'
  | 'date' | 'time' | 'timestamp' | 'uuid' | 'json' | 'jsonb' | 'bytea' | 'textArray' | 'intArray' | 'enum' | 'enumArray';

/** One column. `param` is the length of varchar/char, the precision of numeric (0: none), or the time zone flag (1) of time/timestamp. */
export interface ColSpec {
  name: string;
  kind: ColKind;
  param: number;
  enumName: string | null;
  notNull: boolean;
  /** Index into defaultChoices(kind), or null for no default. */
  dflt: number | null;
  ref: { table: string; onDelete: 'cascade' | 'set null' | 'restrict' | 'no action' | 'set default'; onUpdate?: 'cascade' | 'restrict' } | null;
  comment?: string | null;
  /** A CHECK on this column that every generated value and default passes. */
  check?: boolean;
}

/** One table; `pk` says how its key is declared: serial id, plain integer id, composite (id, k), or an identity id (PostgreSQL: BY DEFAULT, so rows may give ids). */
export interface TableSpec extends TableKinds {
  name: string;
  pk: 'serial' | 'integer' | 'composite' | 'identity';
  columns: ColSpec[];
  indexes: { cols: string[]; named: boolean }[];
  uniques: { cols: string[]; columnLevel: boolean }[];
  comment?: string | null;
}

export interface EnumSpec { name: string; values: string[] }
export interface SchemaSpec { enums: EnumSpec[]; tables: TableSpec[]; views?: ViewSpec[]; sequences?: SequenceSpec[] }

const TABLE_NAMES = ['users', 'posts', 'Order Items', 'select', 'tags'];
const COLUMN_NAMES = ['title', 'Mixed Case', 'order', "it's", 'n', 'flag', 'at', 'data', 'x', 'y', 'Ünï'];
const ENUM_NAMES = ['mood', 'Status Type'];
/** 'a' and 'b' are in every version of every enum: rows hold them, so removing a value never meets data. */
const ENUM_EXTRA = ['c', "it's", 'dé', 'e'];
const KINDS: ColKind[] = ['smallint', 'integer', 'bigint', 'boolean', 'text', 'varchar', 'char', 'numeric', 'real', 'double',
  'date', 'time', 'timestamp', 'uuid', 'json', 'jsonb', 'bytea', 'textArray', 'intArray', 'enum', 'enumArray'];
/** PostgreSQL has no btree operator class for json: such columns are never indexed (nor made unique). */
const UNINDEXABLE = new Set<ColKind>(['json']);

/** Reads choices from a list of numbers; past its end every choice is 0. */
export class Chooser {
  private i = 0;
  constructor(private readonly xs: readonly number[]) {}
  /** A number in [0, n). */
  int(n: number): number {
    const x = this.xs[this.i++] ?? 0;
    return n <= 1 ? 0 : x % n;
  }
  /** True with probability about 1/n (choice 0 means false). */
  chance(n: number): boolean {
    return this.int(n) === n - 1;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

/** The server defaults that make sense for a kind, as DSL values. */
export function defaultChoices(kind: ColKind, param: number, enumValues: readonly string[]): (string | number | boolean | dsl.SqlExpr)[] {
  switch (kind) {
    case 'smallint': case 'integer': case 'bigint': return [0, 7, -3];
    case 'numeric': return [1.5, 0, 42];
    case 'real': case 'double': return [1.5, -0.25];
    case 'boolean': return [true, false];
    case 'text': return ['x', "it's", ''];
    case 'varchar': return ['x', "it's"];
    case 'char': return param >= 4 ? ['x', "it's"] : ['x'];
    case 'date': return [dsl.sql`CURRENT_DATE`, '2024-01-02'];
    // PostgreSQL stores a literal default of a type with time zone converted to the session's zone: only now() is stable.
    case 'time': return param === 1 ? [] : ['12:34:56'];
    case 'timestamp': return param === 1 ? [dsl.sql`now()`, dsl.sql`CURRENT_TIMESTAMP`] : [dsl.sql`now()`, dsl.sql`CURRENT_TIMESTAMP`, '2024-01-02 03:04:05'];
    case 'uuid': return ['00000000-0000-0000-0000-000000000001'];
    case 'json': case 'jsonb': return ['{}', '{"k": [1, 2]}'];
    case 'enum': return [...enumValues];
    case 'bytea': case 'textArray': case 'intArray': case 'enumArray': return [];
  }
}

function enumValues(s: SchemaSpec, name: string | null): string[] {
  return s.enums.find((e) => e.name === name)?.values ?? [];
}

function randomParam(c: Chooser, kind: ColKind): number {
  switch (kind) {
    case 'varchar': return c.pick([20, 80, 255]);
    case 'char': return c.pick([4, 8]);
    case 'numeric': return c.pick([0, 10, 12]);
    case 'time': case 'timestamp': return c.int(2);
    default: return 0;
  }
}

function randomColumn(c: Chooser, s: SchemaSpec, name: string, opts: { mustHaveDefaultIfNotNull: boolean }): ColSpec {
  let kind = c.pick(KINDS);
  if ((kind === 'enum' || kind === 'enumArray') && s.enums.length === 0) kind = 'text';
  const enumName = kind === 'enum' || kind === 'enumArray' ? c.pick(s.enums).name : null;
  const param = randomParam(c, kind);
  const choices = defaultChoices(kind, param, enumValues(s, enumName));
  let dflt = choices.length > 0 && c.chance(2) ? c.int(choices.length) : null;
  const notNull = c.chance(3);
  if (notNull && opts.mustHaveDefaultIfNotNull && dflt === null) {
    if (choices.length === 0) return { name, kind, param, enumName, notNull: false, dflt: null, ref: null };
    dflt = 0;
  }
  return { name, kind, param, enumName, notNull, dflt, ref: null, comment: c.chance(4) ? c.pick(COMMENTS) : null, check: CHECKS[kind] !== undefined && c.chance(4) };
}

const COMMENTS = ['a note', "it's\nmultiline", 'Ünï'];

/** CHECK conditions every generated row and default passes, per kind ({c} is the quoted column). */
const CHECKS: Partial<Record<ColKind, string>> = {
  smallint: '{c} > -100', integer: '{c} > -100', bigint: '{c} >= -100', numeric: '{c} > -100.5', real: '{c} > -100',
  double: '{c} <> 99', text: "{c} <> 'zzz'", varchar: "length({c}) < 50", char: "{c} <> 'zzz'", date: "{c} > '2000-01-01'",
  enum: "{c} <> 'a' OR {c} IS NOT NULL",
};

function checkName(table: string, column: string): string {
  return `ck_${table}_${column}`;
}

function indexable(t: TableSpec): string[] {
  return ['id', ...t.columns.filter((x) => !UNINDEXABLE.has(x.kind)).map((x) => x.name)];
}

function randomIndexes(c: Chooser, t: TableSpec): void {
  const cols = indexable(t);
  for (let k = c.int(3); k > 0; k--) addIndexLike(c, t, cols, 'index');
  for (let k = c.int(3); k > 0; k--) addIndexLike(c, t, cols, 'unique');
}

function addIndexLike(c: Chooser, t: TableSpec, cols: readonly string[], what: 'index' | 'unique'): void {
  const first = c.pick(cols);
  const second = c.chance(2) ? c.pick(cols) : first;
  const set = first === second ? [first] : [first, second];
  const key = set.join('\u0000');
  if (what === 'index') {
    if (!t.indexes.some((i) => i.cols.join('\u0000') === key)) t.indexes.push({ cols: set, named: c.chance(3) });
  } else if (!t.uniques.some((u) => u.cols.join('\u0000') === key)) {
    t.uniques.push({ cols: set, columnLevel: set.length === 1 && set[0] !== 'id' && c.chance(2) });
  }
}

const ACTIONS = ['no action', 'cascade', 'set null', 'restrict', 'set default'] as const;

function randomRef(c: Chooser, table: string): NonNullable<ColSpec['ref']> {
  const onDelete = c.pick(ACTIONS);
  return c.chance(3) ? { table, onDelete, onUpdate: c.pick(['cascade', 'restrict'] as const) } : { table, onDelete };
}

function randomTable(c: Chooser, s: SchemaSpec, name: string, targets: readonly string[], mustHaveDefaultIfNotNull: boolean, o: KindOptions): TableSpec {
  const pk = c.pick(o.postgres ? (['serial', 'serial', 'integer', 'composite', 'identity'] as const) : (['serial', 'serial', 'integer', 'composite'] as const));
  const names = COLUMN_NAMES.filter(() => c.chance(3));
  const t: TableSpec = { name, pk, columns: names.map((n) => randomColumn(c, s, n, { mustHaveDefaultIfNotNull })), indexes: [], uniques: [], comment: c.chance(4) ? c.pick(COMMENTS) : null };
  for (const target of targets) {
    if (!c.chance(2)) continue;
    t.columns.push({ name: `${target}_id`, kind: 'integer', param: 0, enumName: null, notNull: c.chance(3), dflt: null, ref: randomRef(c, target) });
  }
  randomIndexes(c, t);
  if (o.postgres) randomTableKinds(c, t);
  return t;
}

/** A random schema: tables reference only tables before them, so rows can be inserted in order. */
export function randomSchema(c: Chooser, o: KindOptions = SQLITE_KINDS): SchemaSpec {
  const s: SchemaSpec = { enums: [], tables: [] };
  for (const name of ENUM_NAMES) if (c.chance(2)) s.enums.push({ name, values: randomEnumValues(c) });
  const tableNames = TABLE_NAMES.filter(() => !c.chance(3));
  for (const name of tableNames.length > 0 ? tableNames : ['users']) {
    s.tables.push(randomTable(c, s, name, s.tables.filter((t) => t.pk !== 'composite').map((t) => t.name), false, o));
  }
  randomKinds(c, s, o);
  return s;
}

function randomEnumValues(c: Chooser): string[] {
  const values = ['a', 'b', ...ENUM_EXTRA.filter(() => c.chance(2))];
  for (let i = values.length - 1; i > 0; i--) {
    const j = c.int(i + 1);
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}

/** Column kinds a column may change to with its rows kept both ways (values that fit both types). */
const TYPE_CHANGES: Partial<Record<ColKind, ColKind[]>> = {
  smallint: ['integer', 'bigint'],
  integer: ['smallint', 'bigint', 'numeric'],
  bigint: ['integer'],
  numeric: ['integer', 'numeric'],
  real: ['double'],
  double: ['real'],
  text: ['varchar'],
  varchar: ['text', 'varchar'],
  char: ['char', 'varchar'],
  time: ['time'],
  timestamp: ['timestamp'],
  json: ['jsonb'],
  jsonb: ['json'],
  enum: ['text'],
};

/** Copies a spec deeply, so mutations never touch A. */
export function cloneSpec(s: SchemaSpec): SchemaSpec {
  return JSON.parse(JSON.stringify(s)) as SchemaSpec;
}

/** B: A after one to four random mutations. Every mutation keeps the schema valid and the rows of A upgradable and downgradable. */
export function mutate(c: Chooser, a: SchemaSpec, o: KindOptions = SQLITE_KINDS): SchemaSpec {
  const s = cloneSpec(a);
  const aTables = new Set(a.tables.map((t) => t.name));
  for (let n = 2 + c.int(5); n > 0; n--) {
    const t = s.tables.length > 0 ? c.pick(s.tables) : null;
    switch (c.int(21)) {
      case 0: { // add a table
        const name = TABLE_NAMES.find((x) => !s.tables.some((y) => y.name === x) && !aTables.has(x));
        if (name) s.tables.push(randomTable(c, s, name, s.tables.filter((x) => x.pk !== 'composite').map((x) => x.name), false, o));
        break;
      }
      case 19: mutateKinds(c, s, o); break;
      case 20: // serial <-> identity (PostgreSQL): the sequence's position is kept
        if (o.postgres && t && (t.pk === 'serial' || t.pk === 'identity')) t.pk = t.pk === 'serial' ? 'identity' : 'serial';
        else mutateKinds(c, s, o);
        break;
      case 1: // drop a table no table of A references: the downgrade brings it back empty, and rows pointing into it would break their foreign keys
        if (t && s.tables.length > 1 && !a.tables.some((x) => x.columns.some((col) => col.ref?.table === t.name))) {
          s.tables = s.tables.filter((x) => x !== t);
          for (const x of s.tables) for (const col of x.columns) if (col.ref?.table === t.name) col.ref = null;
        }
        break;
      case 2: { // add a column; on a table with rows, NOT NULL needs a default. A name A had is not reused: autogenerate would see a type change, not a new column
        const old = t && a.tables.find((x) => x.name === t.name);
        const name = t && COLUMN_NAMES.find((x) => !t.columns.some((y) => y.name === x) && !old?.columns.some((y) => y.name === x) && c.chance(2));
        if (t && name) t.columns.push(randomColumn(c, s, name, { mustHaveDefaultIfNotNull: aTables.has(t.name) }));
        break;
      }
      case 3: { // drop a column; the downgrade adds it back to a table with rows, so NOT NULL needs a default
        const col = t && t.columns.length > 0 ? c.pick(t.columns) : null;
        if (t && col && (!col.notNull || col.dflt !== null)) dropColumn(t, col.name);
        break;
      }
      case 4: { // change a type compatibly
        const col = t && t.columns.length > 0 ? c.pick(t.columns) : null;
        const options = col && col.ref === null ? TYPE_CHANGES[col.kind] : undefined;
        if (!t || !col || !options) break;
        const kind = c.pick(options);
        const param = kind === 'numeric' ? c.pick([10, 12]) : kind === 'varchar' ? c.pick([20, 80]) : kind === 'char' ? c.pick([4, 8]) : randomParam(c, kind);
        if (kind === col.kind && param === col.param) break;
        if (UNINDEXABLE.has(kind) && [...t.indexes, ...t.uniques].some((i) => i.cols.includes(col.name))) break;
        col.kind = kind;
        col.param = param;
        col.enumName = null;
        // The CHECK is written for the old type: it goes (a CHECK change of its own is another mutation).
        col.check = false;
        const choices = defaultChoices(kind, param, []);
        col.dflt = col.dflt !== null && choices.length > 0 ? c.int(choices.length) : null;
        break;
      }
      case 5: { // toggle nullability (rows of A never hold NULL)
        const col = t && t.columns.length > 0 ? c.pick(t.columns) : null;
        if (col) col.notNull = !col.notNull;
        break;
      }
      case 6: { // change the default
        const col = t && t.columns.length > 0 ? c.pick(t.columns) : null;
        if (!col) break;
        const choices = defaultChoices(col.kind, col.param, enumValues(s, col.enumName));
        col.dflt = choices.length > 0 && c.int(3) > 0 ? c.int(choices.length) : null;
        break;
      }
      case 7: if (t) addIndexLike(c, t, indexable(t), 'index'); break;
      case 8: if (t && t.indexes.length > 0) t.indexes.splice(c.int(t.indexes.length), 1); break;
      case 9: if (t) addIndexLike(c, t, indexable(t), 'unique'); break;
      case 10: if (t && t.uniques.length > 0) t.uniques.splice(c.int(t.uniques.length), 1); break;
      case 11: { // add, drop or change a foreign key; on a column with rows, only to a table of A (rows 1 and 2 exist there)
        if (!t) break;
        const targets = s.tables.filter((x) => x.pk !== 'composite' && aTables.has(x.name));
        // Rows of A hold 1 or 2 in integer columns; a column B adds holds its default, which references nothing.
        const old = a.tables.find((x) => x.name === t.name);
        const col = t.columns.find((x) => x.kind === 'integer' && (x.dflt === null || old?.columns.some((y) => y.name === x.name)) && c.chance(2));
        if (col) col.ref = col.ref && c.chance(2) ? null : targets.length > 0 ? randomRef(c, c.pick(targets).name) : null;
        else {
          // A new nullable column holds NULL in every row: it may reference any table.
          const target = c.pick(s.tables.filter((x) => x.pk !== 'composite'));
          const name = target ? `${target.name}_id` : undefined;
          if (target && name && !t.columns.some((x) => x.name === name) && !old?.columns.some((x) => x.name === name)) {
            t.columns.push({ name, kind: 'integer', param: 0, enumName: null, notNull: false, dflt: null, ref: randomRef(c, target.name) });
          }
        }
        break;
      }
      case 12: case 14: case 15: case 16: mutateEnum(c, s); break;
      case 17: { // change a table or column comment
        const col = t && t.columns.length > 0 && c.chance(2) ? c.pick(t.columns) : null;
        const next = c.chance(3) ? null : c.pick(COMMENTS);
        if (col) col.comment = next;
        else if (t) t.comment = next;
        break;
      }
      case 18: { // add or drop a CHECK
        const col = t && t.columns.length > 0 ? c.pick(t.columns) : null;
        if (col && CHECKS[col.kind] !== undefined) col.check = !col.check;
        break;
      }
      case 13: { // an enum type appears or goes away
        const name = ENUM_NAMES.find((x) => !s.enums.some((e) => e.name === x));
        if (name && c.chance(2)) s.enums.push({ name, values: randomEnumValues(c) });
        else if (s.enums.length > 0) {
          const e = c.pick(s.enums);
          // Its columns become text (an enum -> text change), so no NOT NULL column without default goes away.
          for (const x of s.tables) for (const col of x.columns) if (col.enumName === e.name) Object.assign(col, { kind: col.kind === 'enum' ? 'text' : 'textArray', enumName: null, dflt: null, check: false });
          s.enums = s.enums.filter((x) => x !== e);
        }
        break;
      }
    }
  }
  repair(a, s);
  repairKinds(s);
  return s;
}

/**
 * Undoes what mutations combined into a pair no migration could run with A's rows in place
 * (each is a documented limit of autogenerate, not a bug): a NOT NULL column without default
 * added to a table with rows (or dropped from one: the downgrade adds it back), and a unique
 * constraint over a column that the upgrade (or the downgrade) fills with one default in every row.
 */
function repair(a: SchemaSpec, b: SchemaSpec): void {
  for (const t of b.tables) {
    const old = a.tables.find((x) => x.name === t.name);
    if (!old) continue;
    const added = new Set<string>();
    for (const col of t.columns) {
      const before = old.columns.find((x) => x.name === col.name);
      if (before) continue;
      added.add(col.name);
      if (col.notNull && col.dflt === null) col.notNull = false;
    }
    for (const col of old.columns) {
      // The downgrade adds a dropped column back with its default (or NULL) in every row: it must be allowed to be NULL, and its default must not meet a unique constraint.
      const refilled = (col.notNull && col.dflt === null) || (col.dflt !== null && old.uniques.some((u) => u.cols.includes(col.name) && !u.cols.includes('id')));
      if (refilled && !t.columns.some((x) => x.name === col.name)) t.columns.push({ ...col, ref: col.ref && b.tables.some((x) => x.name === col.ref!.table) ? col.ref : null });
    }
    t.uniques = t.uniques.filter((u) => u.cols.includes('id') || !u.cols.some((c) => added.has(c) && t.columns.find((x) => x.name === c)!.dflt !== null));
  }
}

function dropColumn(t: TableSpec, name: string): void {
  t.columns = t.columns.filter((x) => x.name !== name);
  t.indexes = t.indexes.filter((i) => !i.cols.includes(name));
  t.uniques = t.uniques.filter((u) => !u.cols.includes(name));
}

function mutateEnum(c: Chooser, s: SchemaSpec): void {
  if (s.enums.length === 0) return;
  const e = c.pick(s.enums);
  const old = [...e.values];
  switch (c.int(3)) {
    case 0: { // add a value somewhere
      const v = ENUM_EXTRA.find((x) => !e.values.includes(x));
      if (v) e.values.splice(c.int(e.values.length + 1), 0, v);
      break;
    }
    case 1: { // remove a value that is neither 'a' nor 'b'
      const removable = e.values.filter((v) => v !== 'a' && v !== 'b');
      if (removable.length > 0) e.values = e.values.filter((v) => v !== c.pick(removable));
      break;
    }
    case 2: { // move one value
      const [v] = e.values.splice(c.int(e.values.length), 1);
      e.values.splice(c.int(e.values.length + 1), 0, v!);
      break;
    }
  }
  // Defaults are indexes into the values: keep each column's default value where it still exists.
  for (const t of s.tables) {
    for (const col of t.columns) {
      if (col.enumName !== e.name || col.dflt === null) continue;
      const value = old[col.dflt];
      const at = value === undefined ? -1 : e.values.indexOf(value);
      col.dflt = at >= 0 ? at : e.values.indexOf('a');
    }
  }
}

function builderOf(col: ColSpec, enums: ReadonlyMap<string, dsl.EnumType>): dsl.ColumnBuilder {
  switch (col.kind) {
    case 'smallint': return dsl.smallint();
    case 'integer': return dsl.integer();
    case 'bigint': return dsl.bigint();
    case 'boolean': return dsl.boolean();
    case 'text': return dsl.text();
    case 'varchar': return dsl.varchar(col.param);
    case 'char': return dsl.char(col.param);
    case 'numeric': return col.param === 0 ? dsl.numeric() : dsl.numeric(col.param, 2);
    case 'real': return dsl.real();
    case 'double': return dsl.doublePrecision();
    case 'date': return dsl.date();
    case 'time': return dsl.time({ withTimezone: col.param === 1 });
    case 'timestamp': return dsl.timestamp({ withTimezone: col.param === 1 });
    case 'uuid': return dsl.uuid();
    case 'json': return dsl.json();
    case 'jsonb': return dsl.jsonb();
    case 'bytea': return dsl.bytea();
    case 'textArray': return dsl.array(dsl.text());
    case 'enumArray': return dsl.array(enums.get(col.enumName!)!());
    case 'intArray': return dsl.array(dsl.integer());
    case 'enum': return enums.get(col.enumName!)!();
  }
}

/** The DSL declarations a spec stands for, as the exports of one model file. */
export function toModelExports(s: SchemaSpec): Record<string, unknown> {
  const enums = new Map(s.enums.map((e) => [e.name, dsl.enumType(e.name, e.values)]));
  const exports: Record<string, unknown> = {};
  const tables = new Map<string, dsl.TableDecl>();
  s.enums.forEach((e, i) => { exports[`enum${i}`] = enums.get(e.name); });
  s.tables.forEach((t, i) => {
    const cols: Record<string, dsl.ColumnBuilder> = {};
    cols.id = t.pk === 'serial' ? dsl.serial().primaryKey() : t.pk === 'integer' ? dsl.integer().primaryKey()
      : t.pk === 'identity' ? dsl.integer().generatedByDefaultAsIdentity().primaryKey() : dsl.integer().notNull();
    if (t.pk === 'composite') cols.k = dsl.integer().notNull();
    for (const col of t.columns) {
      let b = builderOf(col, enums);
      if (col.notNull) b = b.notNull();
      if (col.dflt !== null) b = b.serverDefault(defaultChoices(col.kind, col.param, enumValues(s, col.enumName))[col.dflt]!);
      if (col.ref) b = b.references(`${col.ref.table}.id`, { onDelete: col.ref.onDelete, ...(col.ref.onUpdate ? { onUpdate: col.ref.onUpdate } : {}) });
      if (col.comment) b = b.comment(col.comment);
      const u = t.uniques.find((x) => x.columnLevel && x.cols[0] === col.name);
      if (u) b = b.unique();
      cols[col.name] = b;
    }
    const decl = dsl.table(t.name, cols, (r) => [
      ...(t.pk === 'composite' ? [dsl.primaryKey().on(r.id!, r.k!)] : []),
      ...t.columns.filter((col) => col.check && CHECKS[col.kind]).map((col) => dsl.check(checkName(t.name, col.name), CHECKS[col.kind]!.split('{c}').join(`"${col.name.replace(/"/g, '""')}"`))),
      ...t.indexes.map((ix) => dsl.index(ix.named ? `ix_named_${i}_${ix.cols.length}_${t.indexes.indexOf(ix)}` : undefined).on(...ix.cols.map((c) => r[c]!))),
      ...t.uniques.filter((u) => !u.columnLevel).map((u) => dsl.unique().on(...u.cols.map((c) => r[c]!))),
    ]);
    exports[`table${i}`] = withRls(t.comment ? decl.withComment(t.comment) : decl, t);
    tables.set(t.name, exports[`table${i}`] as dsl.TableDecl);
  });
  kindExports(s, tables, exports);
  return exports;
}

/** The Schema IR a spec declares, through collectModels as for a user's model files (`target`: a dialect's, for sequences). */
export function toSchemaIR(s: SchemaSpec, target: ModelTarget = MODEL_TARGET): SchemaIR {
  return collectModels([{ file: 'models.ts', exports: toModelExports(s) }], target);
}

/** A readable one-table-per-line description of a spec, for failure messages. */
export function describeSpec(s: SchemaSpec): string {
  const lines = s.enums.map((e) => `enum ${JSON.stringify(e.name)}: ${e.values.map((v) => JSON.stringify(v)).join(', ')}`);
  for (const t of s.tables) {
    const cols = t.columns.map((c) => {
      const type = c.kind === 'enum' || c.kind === 'enumArray' ? `${c.kind}(${c.enumName})` : c.param ? `${c.kind}(${c.param})` : c.kind;
      const dflt = c.dflt === null ? '' : ` default ${JSON.stringify(defaultChoices(c.kind, c.param, enumValues(s, c.enumName))[c.dflt])}`;
      const ref = c.ref ? ` -> ${c.ref.table} on delete ${c.ref.onDelete}${c.ref.onUpdate ? ` on update ${c.ref.onUpdate}` : ''}` : '';
      return `${JSON.stringify(c.name)} ${type}${c.notNull ? ' not null' : ''}${dflt}${ref}${c.check ? ' check' : ''}${c.comment ? ` comment ${JSON.stringify(c.comment)}` : ''}`;
    });
    const ix = t.indexes.map((i) => `index(${i.cols.join(', ')})`);
    const uq = t.uniques.map((u) => `unique(${u.cols.join(', ')})`);
    lines.push(`table ${JSON.stringify(t.name)} [pk ${t.pk}]${t.comment ? ` comment ${JSON.stringify(t.comment)}` : ''}: ${[...cols, ...ix, ...uq].join('; ')}`);
  }
  lines.push(...describeKinds(s));
  return lines.join('\n');
}
