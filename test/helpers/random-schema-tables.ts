/**
 * The tables of a random schema (random-schema.ts): column kinds and their defaults and checks, keys, indexes,
 * uniques, foreign keys and enums, as plain printable specs; their random generation; and their DSL builders.
 * Randomness comes from a list of numbers (fast-check shrinks it towards zeros, and choice 0 is always the
 * simplest), read by a Chooser.
 */
import * as dsl from '../../src/models/builders.js';
import type { KindOptions, SequenceSpec, TableKinds, ViewSpec } from './random-schema-kinds.js';
import { randomTableKinds } from './random-schema-kinds.js';
import type { ObjectSpecs } from './random-schema-pg.js';
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
  /** PostgreSQL: the column is of this domain (random-schema-pg.ts), whose base type is `kind`. */
  domain?: string | null;
  notNull: boolean;
  /** Index into defaultChoices(kind), or null for no default. */
  dflt: number | null;
  ref: { table: string; onDelete: 'cascade' | 'set null' | 'restrict' | 'no action' | 'set default'; onUpdate?: 'cascade' | 'restrict' } | null;
  comment?: string | null;
  /** A CHECK on this column that every generated value and default passes. */
  check?: boolean;
  /** PostgreSQL: COMMENT ON CONSTRAINT of that CHECK. */
  checkComment?: string | null;
}

/** One table; `pk` says how its key is declared: serial id, plain integer id, composite (id, k), or an identity id (PostgreSQL: BY DEFAULT, so rows may give ids). */
export interface TableSpec extends TableKinds {
  name: string;
  pk: 'serial' | 'integer' | 'composite' | 'identity';
  columns: ColSpec[];
  indexes: { cols: string[]; named: boolean; comment?: string | null }[];
  uniques: { cols: string[]; columnLevel: boolean; comment?: string | null }[];
  comment?: string | null;
}

export interface EnumSpec { name: string; values: string[]; comment?: string | null }
export interface SchemaSpec extends ObjectSpecs { enums: EnumSpec[]; tables: TableSpec[]; views?: ViewSpec[]; sequences?: SequenceSpec[] }

export const TABLE_NAMES = ['users', 'posts', 'Order Items', 'select', 'tags'];
export const COLUMN_NAMES = ['title', 'Mixed Case', 'order', "it's", 'n', 'flag', 'at', 'data', 'x', 'y', 'Ünï'];
export const ENUM_NAMES = ['mood', 'Status Type'];
/** 'a' and 'b' are in every version of every enum: rows hold them, so removing a value never meets data. */
export const ENUM_EXTRA = ['c', "it's", 'dé', 'e'];
export const KINDS: ColKind[] = ['smallint', 'integer', 'bigint', 'boolean', 'text', 'varchar', 'char', 'numeric', 'real', 'double',
  'date', 'time', 'timestamp', 'uuid', 'json', 'jsonb', 'bytea', 'textArray', 'intArray', 'enum', 'enumArray'];
/** PostgreSQL has no btree operator class for json: such columns are never indexed (nor made unique). */
export const UNINDEXABLE = new Set<ColKind>(['json']);

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

export function enumValues(s: SchemaSpec, name: string | null): string[] {
  return s.enums.find((e) => e.name === name)?.values ?? [];
}

export function randomParam(c: Chooser, kind: ColKind): number {
  switch (kind) {
    case 'varchar': return c.pick([20, 80, 255]);
    case 'char': return c.pick([4, 8]);
    case 'numeric': return c.pick([0, 10, 12]);
    case 'time': case 'timestamp': return c.int(2);
    default: return 0;
  }
}

export function randomColumn(c: Chooser, s: SchemaSpec, name: string, opts: { mustHaveDefaultIfNotNull: boolean }): ColSpec {
  let kind = c.pick(KINDS);
  if ((kind === 'enum' || kind === 'enumArray') && s.enums.length === 0) kind = 'text';
  // PostgreSQL: sometimes a column of a domain, whose base type is the column's kind.
  const d = s.domains && s.domains.length > 0 && c.chance(4) ? c.pick(s.domains) : null;
  if (d) kind = d.base;
  const enumName = kind === 'enum' || kind === 'enumArray' ? c.pick(s.enums).name : null;
  const param = randomParam(c, kind);
  const choices = defaultChoices(kind, param, enumValues(s, enumName));
  let dflt = choices.length > 0 && c.chance(2) ? c.int(choices.length) : null;
  const notNull = c.chance(3);
  if (notNull && opts.mustHaveDefaultIfNotNull && dflt === null) {
    if (choices.length === 0) return { name, kind, param, enumName, notNull: false, dflt: null, ref: null };
    dflt = 0;
  }
  return { name, kind, param, enumName, notNull, dflt, ref: null, comment: c.chance(4) ? c.pick(COMMENTS) : null, check: CHECKS[kind] !== undefined && c.chance(4), ...(d ? { domain: d.name } : {}) };
}

export const COMMENTS = ['a note', "it's\nmultiline", 'Ünï'];

/** CHECK conditions every generated row and default passes, per kind ({c} is the quoted column). */
export const CHECKS: Partial<Record<ColKind, string>> = {
  smallint: '{c} > -100', integer: '{c} > -100', bigint: '{c} >= -100', numeric: '{c} > -100.5', real: '{c} > -100',
  double: '{c} <> 99', text: "{c} <> 'zzz'", varchar: "length({c}) < 50", char: "{c} <> 'zzz'", date: "{c} > '2000-01-01'",
  enum: "{c} <> 'a' OR {c} IS NOT NULL",
};

export function checkName(table: string, column: string): string {
  return `ck_${table}_${column}`;
}

export function indexable(t: TableSpec): string[] {
  return ['id', ...t.columns.filter((x) => !UNINDEXABLE.has(x.kind)).map((x) => x.name)];
}

export function randomIndexes(c: Chooser, t: TableSpec): void {
  const cols = indexable(t);
  for (let k = c.int(3); k > 0; k--) addIndexLike(c, t, cols, 'index');
  for (let k = c.int(3); k > 0; k--) addIndexLike(c, t, cols, 'unique');
}

export function addIndexLike(c: Chooser, t: TableSpec, cols: readonly string[], what: 'index' | 'unique'): void {
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

export const ACTIONS = ['no action', 'cascade', 'set null', 'restrict', 'set default'] as const;

export function randomRef(c: Chooser, table: string): NonNullable<ColSpec['ref']> {
  const onDelete = c.pick(ACTIONS);
  return c.chance(3) ? { table, onDelete, onUpdate: c.pick(['cascade', 'restrict'] as const) } : { table, onDelete };
}

export function randomTable(c: Chooser, s: SchemaSpec, name: string, targets: readonly string[], mustHaveDefaultIfNotNull: boolean, o: KindOptions): TableSpec {
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
export function randomEnumValues(c: Chooser): string[] {
  const values = ['a', 'b', ...ENUM_EXTRA.filter(() => c.chance(2))];
  for (let i = values.length - 1; i > 0; i--) {
    const j = c.int(i + 1);
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}

/** The enum and domain declarations columns use, by name. */
export interface TypeDecls { enums: ReadonlyMap<string, dsl.EnumType>; domains: ReadonlyMap<string, dsl.DomainType> }

export function builderOf(col: ColSpec, { enums, domains }: TypeDecls): dsl.ColumnBuilder {
  if (col.domain) return domains.get(col.domain)!();
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
