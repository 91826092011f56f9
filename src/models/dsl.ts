/**
 * The model DSL: what users write in their model files and what revision files
 * use to describe columns. Builders are immutable plain objects (every method
 * returns a new builder) and are recognised by a string brand, never by
 * `instanceof`, because a user's files may load a second copy of this module
 * through the TypeScript loader.
 */
import { splitQualified } from '../ir/qualified.js';
import type { ColumnType, ReferentialAction } from '../ir/ir.js';
import { RetortError } from '../errors.js';
import { RLS_OFF, Table } from './table-decl.js';
import { declared } from './declaration-order.js';

export const BRAND = '__retort' as const;
// Objects made per column or fragment spell the brand's key out (`__retort:`): a computed key ([BRAND]) takes an
// object literal off V8's fast path, each of its properties then defined one by one at run time.

/**
 * How SQL written in models is spelled in a database: its quoting. Models are dialect-neutral, so a column put
 * into sql`` stays a name until the models become IR for one dialect, which supplies this (every Dialect is one).
 */
export interface SqlSpelling {
  quoteIdentifier(name: string): string;
  quoteLiteral(value: string): string;
  /**
   * A sequence as nextval() takes it (PostgreSQL: `'"name"'::regclass`, the server's own spelling); absent where
   * the database has no sequences, which makes a model that declares or uses one an error.
   */
  sequenceRef?(name: string): string;
  /** Whether the database has domains, extensions and comments on objects other than tables and columns (PostgreSQL). */
  readonly schemaObjects?: boolean;
}

/** A piece of a sql`` fragment: text as written, a column name, a string value, or a sequence (nextval's argument). */
type SqlPiece = string | { readonly identifier: string } | { readonly relation: string } | { readonly literal: string } | { readonly sequence: string };

/** A declared sequence (models/sequences.ts builds it); recognised by its brand like every declaration. */
export interface SequenceDecl {
  readonly [BRAND]: 'sequence';
  readonly sequenceName: string;
  readonly options: SequenceOptionsInput;
}

/** Sequence options as written in models: integers as numbers, bigints or decimal strings; absent is the default. */
export interface SequenceOptionsInput {
  readonly start?: number | bigint | string;
  readonly increment?: number | bigint | string;
  readonly min?: number | bigint | string;
  readonly max?: number | bigint | string;
  readonly cache?: number | bigint | string;
  readonly cycle?: boolean;
}

export function isSequenceDecl(v: unknown): v is SequenceDecl {
  return typeof v === 'object' && v !== null && (v as { [BRAND]?: unknown })[BRAND] === 'sequence';
}

/** A raw SQL fragment, written with the sql`...` tag; used for server defaults and CHECK expressions. */
export interface SqlExpr {
  readonly [BRAND]: 'sql';
  readonly pieces: readonly SqlPiece[];
}

/**
 * sql`now()` marks a server default or expression as raw SQL, not a string literal. A column put in it
 * (sql`${t.price} > 0`) is its quoted name, as are a declared table, view or function, a sql`` fragment its text, a number or string as written, an array
 * its items separated by commas, strings among them as string literals (`IN (${['a', 'b']})`).
 */
export function sql(strings: TemplateStringsArray | string, ...values: unknown[]): SqlExpr {
  if (typeof strings === 'string') return { __retort: 'sql', pieces: [strings] };
  const pieces: SqlPiece[] = [];
  strings.forEach((s, i) => {
    pieces.push(s);
    if (i < values.length) pieces.push(...sqlPieces(values[i], strings, i));
  });
  return { __retort: 'sql', pieces };
}

function sqlPieces(v: unknown, strings: TemplateStringsArray, i: number): SqlPiece[] {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return [String(v)];
  if (isColumnRef(v)) return [{ identifier: v.column }];
  if (isSqlExpr(v)) return [...v.pieces];
  // A sequence is nextval()'s argument: sql`nextval(${orderNumbers})`.
  if (isSequenceDecl(v)) return [{ sequence: v.sequenceName }];
  // A declared table or view (in a view's query) is its name.
  if (isTableDecl(v)) return [{ relation: v.tableName }];
  if (typeof v === 'object' && v !== null && (v as { [BRAND]?: unknown })[BRAND] === 'view') return [{ relation: (v as unknown as { viewName: string }).viewName }];
  // A declared function is its name, qualified where it lives in a named schema: sql`${billingTotal}(id)`.
  if (typeof v === 'object' && v !== null && (v as { [BRAND]?: unknown })[BRAND] === 'function') return [{ relation: (v as unknown as { functionName: string }).functionName }];
  // An array is a list: `IN (${['draft', 'published']})`, its strings as string literals.
  if (Array.isArray(v)) return v.flatMap((x, k) => [...(k > 0 ? [', '] : []), ...(typeof x === 'string' ? [{ literal: x }] : sqlPieces(x, strings, i))]);
  // The text just before the value, so the message points at the place.
  const before = strings.slice(0, i + 1).join('${…}').slice(-30);
  const what = v === undefined ? 'undefined (a column that does not exist?)' : v === null ? 'null' : `a ${typeof v}`;
  throw new RetortError('MODEL', `sql\`…${before}\${…}\`: the value put there is ${what}, which cannot be written into SQL`, {
    hint: 'put in a column (t.price), another sql`` fragment, a number or a string',
  });
}

export function isSqlExpr(v: unknown): v is SqlExpr {
  return typeof v === 'object' && v !== null && (v as { [BRAND]?: unknown })[BRAND] === 'sql';
}

/** The text of a sql`` fragment (or of SQL given as a string) in one dialect's spelling. */
export function sqlText(v: SqlExpr | string, spelling: SqlSpelling): string {
  if (typeof v === 'string') return v;
  const pieces = v.pieces;
  // Most fragments are one piece of text (sql`now()`).
  if (pieces.length === 1 && typeof pieces[0] === 'string') return pieces[0];
  let text = '';
  for (const p of pieces) text += typeof p === 'string' ? p : 'identifier' in p ? spelling.quoteIdentifier(p.identifier) : 'relation' in p ? relationText(p.relation, spelling) : 'literal' in p ? spelling.quoteLiteral(p.literal) : sequenceRef(p.sequence, spelling);
  return text;
}

/** A table or view by its identity (ir/qualified.ts): `"billing"."invoices"` for one of a named schema, each part quoted by the dialect. */
function relationText(name: string, spelling: SqlSpelling): string {
  const { schema, name: bare } = splitQualified(name);
  return schema === undefined ? spelling.quoteIdentifier(bare) : `${spelling.quoteIdentifier(schema)}.${spelling.quoteIdentifier(bare)}`;
}

function sequenceRef(name: string, spelling: SqlSpelling): string {
  if (spelling.sequenceRef === undefined) {
    throw new RetortError('MODEL', `sequence "${name}" is used in SQL (nextval), but this database has no sequences`, { hint: 'use serial() for a column numbered by the database, or remove the sequence' });
  }
  return spelling.sequenceRef(name);
}

/** The string a fragment stands for when it is exactly one string literal (`serverDefault('draft')`), else null. */
export function literalValue(v: SqlExpr | null): string | null {
  const only = v?.pieces.length === 1 ? v.pieces[0] : undefined;
  return only !== undefined && typeof only !== 'string' && 'literal' in only ? only.literal : null;
}

/** A default value written in the DSL as the SQL expression it stands for (a string is a string literal). */
export function defaultToSql(v: string | number | bigint | boolean | SqlExpr | SequenceDecl | null): SqlExpr | null {
  if (v === null) return null;
  if (isSqlExpr(v)) return v;
  // A sequence as a default is its next value.
  if (isSequenceDecl(v)) return { __retort: 'sql', pieces: ['nextval(', { sequence: v.sequenceName }, ')'] };
  if (typeof v === 'string') return { __retort: 'sql', pieces: [{ literal: v }] };
  if (typeof v === 'boolean') return sql(v ? 'true' : 'false');
  // A bigint is written whole (a number past 2^53 would not be).
  if (typeof v === 'bigint') return sql(String(v));
  if (typeof v !== 'number') {
    // From JavaScript, or past a cast: an object (a JSON value), undefined, a function.
    const shown = Array.isArray(v) ? 'an array' : v === undefined ? 'undefined' : `a${typeof v === 'object' ? 'n object' : ` ${typeof v}`}`;
    throw new TypeError(`serverDefault() takes a string, a number, a bigint, a boolean, sql\`...\` or a sequence, not ${shown}; for a JSON default write serverDefault(JSON.stringify(value)), or sql\`'{...}'::jsonb\``);
  }
  if (!Number.isFinite(v)) throw new TypeError(`serverDefault(${v}): only finite numbers can be defaults`);
  return sql(String(v));
}

export type ReferenceTarget = string | ColumnRef | (() => ColumnRef);

/** Options of a column's unique constraint. */
export interface UniqueOptions {
  readonly name?: string;
  /** NULLS NOT DISTINCT (PostgreSQL 15+): at most one row may hold NULL. SQLite refuses it at model load. */
  readonly nullsNotDistinct?: boolean;
  /**
   * DEFERRABLE (PostgreSQL), as a foreign key's option: checked at commit (`'deferred'`) or at each statement unless a
   * transaction says SET CONSTRAINTS ... DEFERRED (`'immediate'`, or `true`). SQLite refuses it at model load.
   */
  readonly deferrable?: boolean | 'immediate' | 'deferred';
}

/** Options of a column's primary key. */
export interface PrimaryKeyOptions {
  /** DEFERRABLE (PostgreSQL), as a unique constraint's option. SQLite refuses it at model load. */
  readonly deferrable?: boolean | 'immediate' | 'deferred';
}

export interface ReferenceOptions {
  readonly name?: string;
  readonly onDelete?: Lowercaseable<ReferentialAction>;
  readonly onUpdate?: Lowercaseable<ReferentialAction>;
  /**
   * DEFERRABLE, checked at commit (`'deferred'`, what Django declares) or at each statement unless a transaction
   * says SET CONSTRAINTS ... DEFERRED (`'immediate'`, or `true`). On SQLite only `'deferred'` defers a check.
   */
  readonly deferrable?: boolean | 'immediate' | 'deferred';
  /** COMMENT ON CONSTRAINT (PostgreSQL; SQLite keeps none). */
  readonly comment?: string;
}
type Lowercaseable<T extends string> = T | Lowercase<T>;

/** Everything a column declaration says, before it is bound to a table and a name. */
export interface ColumnSpec {
  readonly type: ColumnType;
  readonly notNull: boolean;
  readonly primaryKey: boolean;
  readonly autoIncrement: boolean;
  readonly serverDefault: SqlExpr | null;
  readonly comment: string | null;
  /** `true` for an unnamed unique constraint, a string for a named one. */
  readonly unique: boolean | string;
  /** The column's unique constraint treats NULLs as equal (`.unique({ nullsNotDistinct: true })`, PostgreSQL 15+). */
  readonly uniqueNullsNotDistinct?: boolean;
  /** The column's unique constraint is DEFERRABLE (`.unique({ deferrable })`), as the option says. */
  readonly uniqueDeferrable?: boolean | 'immediate' | 'deferred';
  /** The column's primary key is DEFERRABLE (`.primaryKey({ deferrable })`), as the option says. */
  readonly primaryKeyDeferrable?: boolean | 'immediate' | 'deferred';
  /** The column's collation (`.collate('C')`), or absent for the type's default. */
  readonly collation?: string;
  readonly index: boolean | string;
  readonly references: { readonly target: ReferenceTarget; readonly options: ReferenceOptions } | null;
  /** The column's previous name (`.renamedFrom('old')`): autogenerate renames it instead of dropping and adding. */
  readonly renamedFrom?: string | null;
  /** A column the database has of itself (`xmin`): declared for the code that reads it, never added nor compared. */
  readonly system?: boolean;
  /** GENERATED ALWAYS (`always`) or BY DEFAULT AS IDENTITY with its sequence options; absent or null for none. */
  readonly identity?: { readonly always: boolean; readonly options: SequenceOptionsInput } | null;
}

/** A column under construction; each method returns a new builder. */
export interface ColumnBuilder {
  readonly [BRAND]: 'column';
  readonly spec: ColumnSpec;
  notNull(): ColumnBuilder;
  nullable(): ColumnBuilder;
  /** The primary key, on this column alone; `{ deferrable }` makes it DEFERRABLE (PostgreSQL). */
  primaryKey(options?: PrimaryKeyOptions): ColumnBuilder;
  /** A unique constraint on the column: unnamed, named, or with options (`{ name, nullsNotDistinct, deferrable }`). */
  unique(nameOrOptions?: string | UniqueOptions): ColumnBuilder;
  index(name?: string): ColumnBuilder;
  /** The column's collation (`text().collate('C')`; SQLite: BINARY, NOCASE, RTRIM). */
  collate(collation: string): ColumnBuilder;
  /** The default: a value, sql`...`, or a declared sequence (its nextval()). */
  serverDefault(value: string | number | bigint | boolean | SqlExpr | SequenceDecl | null): ColumnBuilder;
  comment(text: string | null): ColumnBuilder;
  /** GENERATED ALWAYS AS IDENTITY (integer types; implies NOT NULL): the database numbers rows and refuses explicit values. */
  generatedAlwaysAsIdentity(options?: SequenceOptionsInput): ColumnBuilder;
  /** GENERATED BY DEFAULT AS IDENTITY (integer types; implies NOT NULL): the database numbers rows unless a value is given. */
  generatedByDefaultAsIdentity(options?: SequenceOptionsInput): ColumnBuilder;
  references(target: ReferenceTarget, options?: ReferenceOptions): ColumnBuilder;
  /**
   * The name the column had before: where the database has `oldName` and not this column, autogenerate writes a
   * rename (data kept) instead of a drop and an add. Inert once the database has the new name.
   */
  renamedFrom(oldName: string): ColumnBuilder;
  /** A system column the database has of itself (PostgreSQL's `xmin`, `ctid`): never added, dropped or compared. */
  system(): ColumnBuilder;
}

export function isColumnBuilder(v: unknown): v is ColumnBuilder {
  return typeof v === 'object' && v !== null && (v as { [BRAND]?: unknown })[BRAND] === 'column';
}

// A class, not an object of closures: models of thousands of tables make tens of thousands of builders, and
// their eight closures each were 11 of the 73 MB autogenerate allocated on 1000 tables.
class Column implements ColumnBuilder {
  // Fields assigned in the constructor, not declared with initialisers: those run as a second function per object.
  declare readonly [BRAND]: 'column';
  declare readonly spec: ColumnSpec;
  constructor(spec: ColumnSpec) {
    this.__retort = 'column';
    this.spec = spec;
  }
  // A copy of the spec with its changes written in: no patch object and no second spread per chained call (a model
  // of 5000 tables chains some 80,000 of them). Keys keep their order, a new one goes last, as a spread puts it.
  private copy(): { -readonly [K in keyof ColumnSpec]: ColumnSpec[K] } {
    return { ...this.spec };
  }
  notNull(): ColumnBuilder { const s = this.copy(); s.notNull = true; return new Column(s); }
  nullable(): ColumnBuilder { const s = this.copy(); s.notNull = false; return new Column(s); }
  primaryKey(options?: PrimaryKeyOptions): ColumnBuilder {
    const s = this.copy(); s.primaryKey = true; s.notNull = true;
    if (options?.deferrable !== undefined) s.primaryKeyDeferrable = options.deferrable;
    return new Column(s);
  }
  unique(nameOrOptions?: string | UniqueOptions): ColumnBuilder {
    const o = typeof nameOrOptions === 'object' && nameOrOptions !== null ? nameOrOptions : { name: nameOrOptions };
    const s = this.copy(); s.unique = o.name ?? true; s.uniqueNullsNotDistinct = o.nullsNotDistinct === true;
    if (o.deferrable !== undefined) s.uniqueDeferrable = o.deferrable;
    return new Column(s);
  }
  collate(collation: string): ColumnBuilder {
    if (typeof collation !== 'string' || collation.trim() === '') throw new RetortError('MODEL', `collate(${JSON.stringify(collation)}): a collation is a non-empty name`, { hint: "write e.g. text().collate('C')" });
    const s = this.copy(); s.collation = collation.trim(); return new Column(s);
  }
  index(name?: string): ColumnBuilder { const s = this.copy(); s.index = name ?? true; return new Column(s); }
  serverDefault(value: string | number | bigint | boolean | SqlExpr | SequenceDecl | null): ColumnBuilder { const s = this.copy(); s.serverDefault = defaultToSql(value); return new Column(s); }
  generatedAlwaysAsIdentity(options: SequenceOptionsInput = {}): ColumnBuilder { const s = this.copy(); s.identity = { always: true, options }; s.notNull = true; return new Column(s); }
  generatedByDefaultAsIdentity(options: SequenceOptionsInput = {}): ColumnBuilder { const s = this.copy(); s.identity = { always: false, options }; s.notNull = true; return new Column(s); }
  comment(text: string | null): ColumnBuilder { const s = this.copy(); s.comment = text; return new Column(s); }
  references(target: ReferenceTarget, options: ReferenceOptions = {}): ColumnBuilder { const s = this.copy(); s.references = { target, options }; return new Column(s); }
  renamedFrom(oldName: string): ColumnBuilder { const s = this.copy(); s.renamedFrom = oldName; return new Column(s); }
  system(): ColumnBuilder { const s = this.copy(); s.system = true; return new Column(s); }
}

/** A column builder of the given type, nullable and without default. */
export function columnOf(type: ColumnType, autoIncrement = false): ColumnBuilder {
  return new Column({ type, notNull: false, primaryKey: false, autoIncrement, serverDefault: null, comment: null, unique: false, index: false, references: null });
}


/** An enum type; call it to declare a column of that type. */
export interface EnumType {
  (): ColumnBuilder;
  readonly [BRAND]: 'enum';
  readonly enumName: string;
  readonly values: readonly string[];
  /** Value rename hints, new value to old: autogenerate writes op.renameEnumValue where the database has the old one. */
  readonly renamedValues: Readonly<Record<string, string>>;
  /** COMMENT ON TYPE (PostgreSQL; SQLite keeps none). */
  readonly comment?: string;
  /** The type's previous name, or null (see renamedFrom()). */
  readonly previousName?: string | null;
  /**
   * Returns the same enum with its previous name: where the database has `oldName` and not this type, autogenerate
   * writes op.renameEnum (the columns of the type follow) instead of a new type. Inert once the database has the new name.
   */
  renamedFrom(oldName: string): EnumType;
}

export function isEnumType(v: unknown): v is EnumType {
  return typeof v === 'function' && (v as unknown as { [BRAND]?: unknown })[BRAND] === 'enum';
}

/** enumType('genderenum', ['MALE', 'FEMALE']) declares a named enum type. */
export function enumType(name: string, values: readonly string[], options: { readonly renamedFrom?: Readonly<Record<string, string>>; readonly comment?: string } = {}): EnumType {
  const comment = options.comment !== undefined ? { comment: options.comment } : {};
  const type = { kind: 'enum', name } as const;
  const make = (previousName: string | null): EnumType => {
    const fn = () => columnOf(type);
    return declared(Object.assign(fn, {
      [BRAND]: 'enum' as const, enumName: name, values: Object.freeze([...values]), renamedValues: Object.freeze({ ...options.renamedFrom }), previousName,
      renamedFrom: (oldName: string) => make(oldName),
      ...comment,
    }));
  };
  return make(null);
}

/** A reference to a declared column: `users.columns.id`. */
export interface ColumnRef {
  readonly [BRAND]: 'columnRef';
  readonly table: string;
  readonly column: string;
}

export function isColumnRef(v: unknown): v is ColumnRef {
  return typeof v === 'object' && v !== null && (v as { [BRAND]?: unknown })[BRAND] === 'columnRef';
}

/** Table-level declarations: indexes and constraints over several columns. */
export type TableExtra =
  | {
      readonly [BRAND]: 'index';
      readonly name: string | null;
      /** The index's previous name (`.renamedFrom('old')`), or absent. */
      readonly previousName?: string | null;
      readonly columns: readonly ColumnOrExpr[];
      readonly isUnique: boolean;
      readonly condition: SqlExpr | null;
      /** The index method (PostgreSQL: `gin`, `gist`, `brin`, `hash`...); null for the default b-tree. */
      readonly method: string | null;
      /** Non-key columns stored in the index (PostgreSQL's INCLUDE). */
      readonly included: readonly ColumnRef[];
      /** A unique index with NULLS NOT DISTINCT (PostgreSQL 15+), set by `.nullsNotDistinct()`. */
      readonly notDistinctNulls?: boolean;
      /** COMMENT ON INDEX, set by `.comment()`. */
      readonly commentText?: string;
    }
  | { readonly [BRAND]: 'unique'; readonly name: string | null; readonly columns: readonly ColumnRef[]; readonly notDistinctNulls?: boolean; readonly deferral?: boolean | 'immediate' | 'deferred'; readonly commentText?: string; readonly previousName?: string | null }
  | { readonly [BRAND]: 'check'; readonly name: string | null; readonly expression: SqlExpr; readonly commentText?: string; readonly previousName?: string | null }
  /** PARTITION BY (models/partitions.ts): the table is partitioned over these columns or expressions. */
  | { readonly [BRAND]: 'partitionBy'; readonly name: null; readonly strategy: 'range' | 'list' | 'hash'; readonly keys: readonly ColumnOrExpr[] }
  /** An EXCLUDE constraint (models/partitions.ts): each element a column or expression with its operator. */
  | {
      readonly [BRAND]: 'exclude';
      readonly name: string | null;
      readonly method: string;
      readonly elements: readonly (readonly [ColumnOrExpr, string])[];
      readonly condition: SqlExpr | null;
    }
  | { readonly [BRAND]: 'primaryKey'; readonly name: string | null; readonly columns: readonly ColumnRef[]; readonly deferral?: boolean | 'immediate' | 'deferred'; readonly previousName?: string | null }
  | {
      readonly [BRAND]: 'foreignKey';
      readonly name: string | null;
      readonly previousName?: string | null;
      readonly columns: readonly ColumnRef[];
      readonly target: readonly ReferenceTarget[];
      readonly options: ReferenceOptions;
    };

export type ColumnOrExpr = ColumnRef | SqlExpr;

/** A value in a partition bound: a string (a string literal), a number, a boolean, null, or SQL (sql`MINVALUE`). */
export type PartitionValue = string | number | bigint | boolean | null | SqlExpr;

/**
 * A partition's bound: `{ from, to }` (RANGE; one value or one per key column, `to` excluded), `{ in: [...] }` (LIST),
 * `{ modulus, remainder }` (HASH), or `'default'` (the rows no other partition takes).
 */
export type PartitionBoundInput =
  | { readonly from: PartitionValue | readonly PartitionValue[]; readonly to: PartitionValue | readonly PartitionValue[] }
  | { readonly in: readonly PartitionValue[] }
  | { readonly modulus: number; readonly remainder: number }
  | 'default';

/** A declared table: its name, its column builders, and references to its columns for constraints and foreign keys. */
export interface TableDecl<C extends Record<string, ColumnBuilder> = Record<string, ColumnBuilder>> {
  readonly [BRAND]: 'table';
  readonly tableName: string;
  readonly columnSpecs: { readonly [K in keyof C]: ColumnSpec };
  readonly columns: { readonly [K in keyof C]: ColumnRef };
  readonly extras: readonly TableExtra[];
  readonly comment: string | null;
  /** The table's previous name, or null (see renamedFrom()). */
  readonly previousName: string | null;
  /** A partition's parent and bound (partitionOf()); absent for a table that is no partition. */
  readonly partition?: { readonly parent: string; readonly bound: PartitionBoundInput };
  /** Row-level security switches (enableRls(), forceRls()); absent on tables made by older copies of the DSL. */
  readonly rls?: { readonly enabled: boolean; readonly forced: boolean };
  /** Returns the same table with a comment. */
  withComment(text: string): TableDecl<C>;
  /** Returns the same table with row-level security enabled (PostgreSQL ENABLE ROW LEVEL SECURITY). */
  enableRls(): TableDecl<C>;
  /** Returns the same table with RLS forced on its owner too (FORCE ROW LEVEL SECURITY; acts only where RLS is enabled). */
  forceRls(): TableDecl<C>;
  /**
   * Returns the same table with its previous name: where the database has `oldName` and not this table, autogenerate
   * writes op.renameTable (rows kept) instead of a drop and a create. Inert once the database has the new name.
   */
  renamedFrom(oldName: string): TableDecl<C>;
}

export function isTableDecl(v: unknown): v is TableDecl {
  return typeof v === 'object' && v !== null && (v as { [BRAND]?: unknown })[BRAND] === 'table';
}

/**
 * The names given to table() while model files load (see recordDeclaredTables), so that a table declared and not
 * exported can be told apart from no table at all. A global, not a module variable: a model file loaded through the
 * TypeScript loader may get a second copy of this module, whose table() must record into the same list.
 */
const DECLARED = Symbol.for('retort-migrate.declaredTables');
type DeclaredHolder = { [DECLARED]?: string[] | undefined };

/** Starts recording the names table() is called with (model collection begins): a fresh list, returned by the stop function. */
export function recordDeclaredTables(): () => readonly string[] {
  const names: string[] = [];
  const holder = globalThis as DeclaredHolder;
  holder[DECLARED] = names;
  return () => {
    if (holder[DECLARED] === names) holder[DECLARED] = undefined;
    return names;
  };
}

/** table('users', { id: serial().primaryKey(), ... }, (t) => [index().on(t.email)]). */
export function table<C extends Record<string, ColumnBuilder>>(
  name: string,
  columns: C,
  extras?: (t: { readonly [K in keyof C]: ColumnRef }) => readonly TableExtra[],
): TableDecl<C> {
  // A named schema's table('') arrives as `app.`: its own name is what must not be empty.
  if (typeof name !== 'string' || name.trim() === '' || name.endsWith('.') || /\.\s+$/.test(name)) {
    throw new RetortError('MODEL', `table(${JSON.stringify(name) ?? String(name)}): a table needs a name`, { hint: "write e.g. table('users', { id: serial().primaryKey() })" });
  }
  recordTableName(name);
  return declareTable(name, columns, extras);
}

/** Records a model table's name while models load (table(), partitionOf()). */
export function recordTableName(name: string): void {
  // One push per model table while models load, nothing otherwise: no stack is captured.
  (globalThis as DeclaredHolder)[DECLARED]?.push(name);
}

/** table() without the bookkeeping: what op.createTable and op.addColumn use, which declare no model. */
export function declareTable<C extends Record<string, ColumnBuilder>>(
  name: string,
  columns: C,
  extras?: (t: { readonly [K in keyof C]: ColumnRef }) => readonly TableExtra[],
): TableDecl<C> {
  // Copies of the columns object with each value replaced: the copies take the shape of the user's object literal,
  // where objects filled key by key from {} went through a hidden class and a larger property store per key.
  const refs = { ...columns } as unknown as { [K in keyof C]: ColumnRef };
  const specs = { ...columns } as unknown as { [K in keyof C]: ColumnSpec };
  for (const key of Object.keys(columns) as (keyof C & string)[]) {
    const b = columns[key];
    if (!isColumnBuilder(b)) throw new TypeError(`table "${name}": column "${key}" is not a column builder (write e.g. ${key}: integer())`);
    if (key.trim() === '') throw new RetortError('MODEL', `table "${name}": a column needs a name (the key ${JSON.stringify(key)})`, { hint: 'write e.g. { id: serial().primaryKey(), email: text() }' });
    specs[key] = b.spec;
    refs[key] = { __retort: 'columnRef', table: name, column: key };
  }
  return tableDecl(name, specs, refs, extras ? extras(refs) : [], undefined);
}

/** A TableDecl of resolved parts (declareTable, partitionOf()); its methods keep every part. */
export function tableDecl<C extends Record<string, ColumnBuilder>>(
  name: string,
  specs: { readonly [K in keyof C]: ColumnSpec },
  refs: { readonly [K in keyof C]: ColumnRef },
  made: readonly TableExtra[],
  partition: TableDecl['partition'],
): TableDecl<C> {
  return new Table(name, specs, refs, made, null, null, partition, RLS_OFF) as unknown as TableDecl<C>;
}
