/**
 * Turns declarations written with the DSL (tables, column builders, enums)
 * into Schema IR: binds column names, resolves foreign-key targets and names
 * every unnamed constraint and index by the naming convention.
 */
import { messageOf, RetortError } from '../errors.js';
import { isColumnRef, isSqlExpr, sqlText, type ColumnOrExpr, type ColumnRef, type ColumnSpec, type ReferenceOptions, type ReferenceTarget, type SqlExpr, type SqlSpelling, type TableDecl } from './dsl.js';
import type { ColumnIR, Deferral, ForeignKeyIR, IndexIR, ReferentialAction, TableIR, UniqueIR, CheckIR, PrimaryKeyIR } from '../ir/ir.js';
import { bareName, qualifiedName, schemaOf } from '../ir/qualified.js';
import { applyNaming, defaultNaming, type NamingConvention } from './naming.js';
import { hintInSchema } from './rename-hints.js';
import { identityIR } from './sequence-options.js';
import { exclusionIR, partitionBoundIR, partitionKeyIR } from './partitions.js';
import type { ExclusionIR, PartitionKeyIR } from '../ir/ir.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The column IR a spec describes, its SQL in `spelling`. */
export function columnFromSpec(name: string, spec: ColumnSpec, spelling: SqlSpelling): ColumnIR {
  // Optional fields written in, not spread: this runs once per declared column (tens of thousands on big models).
  const col: Mutable<ColumnIR> = {
    name,
    type: spec.type,
    nullable: !spec.notNull && !spec.primaryKey,
    serverDefault: spec.serverDefault === null ? null : sqlText(spec.serverDefault, spelling),
    autoIncrement: spec.autoIncrement,
    comment: spec.comment,
  };
  if (spec.identity) col.identity = identityIR(spec.identity, `column "${name}"`);
  if (spec.collation !== undefined) col.collation = spec.collation;
  return col;
}

/** Resolves a reference target to `{ table, column }`. */
export function resolveTarget(target: ReferenceTarget, where: string): { table: string; column: string } {
  let ref: ColumnRef | string;
  try {
    ref = typeof target === 'function' ? target() : target;
  } catch (e) {
    // Most often a table misspelled inside the arrow (`() => user.columns.id`): the user's mistake, not Retort's.
    throw new RetortError('MODEL', `${where}: references(() => …) threw: ${messageOf(e)}`, {
      hint: 'check the table named in the arrow function: declared, spelled as its variable, and imported in this file',
      cause: e,
    });
  }
  if (isColumnRef(ref)) return { table: ref.table, column: ref.column };
  if (typeof ref === 'string') {
    const dot = ref.lastIndexOf('.');
    if (dot <= 0 || dot === ref.length - 1) throw new RetortError('MODEL', `${where}: references('${ref}') must name a column as "table.column"`);
    return { table: ref.slice(0, dot), column: ref.slice(dot + 1) };
  }
  throw new RetortError('MODEL', `${where}: references() needs "table.column" or a column like () => users.columns.id (got ${String(ref)}${ref === undefined && typeof target === 'function' ? ': no such column on that table?' : ''})`);
}

/** An index's method and INCLUDE columns as the IR holds them: b-tree, the default, is no method; no INCLUDE is none. */
export function indexOptions(method: string | undefined, include: readonly string[] | undefined): Pick<IndexIR, 'method' | 'include'> {
  const m = method?.trim().toLowerCase();
  return {
    ...(m !== undefined && m !== '' && m !== 'btree' ? { method: m } : {}),
    ...(include !== undefined && include.length > 0 ? { include: [...include] } : {}),
  };
}

/** The IR's `deferrable` for a foreign key's, unique constraint's or primary key's option: nothing for NOT DEFERRABLE. */
export function deferrability(v: ReferenceOptions['deferrable'], where: string): Pick<ForeignKeyIR, 'deferrable'> {
  if (v === undefined || v === false) return {};
  if (v === true || v === 'immediate') return { deferrable: 'immediate' };
  if (v === 'deferred') return { deferrable: 'deferred' };
  throw new RetortError('MODEL', `${where}: unknown deferrable ${JSON.stringify(v)} (use 'deferred', 'immediate', true or false)`);
}

export function referentialAction(v: ReferenceOptions['onDelete'], where: string): ReferentialAction {
  if (v === undefined) return 'NO ACTION';
  const up = v.toUpperCase();
  if (up === 'NO ACTION' || up === 'RESTRICT' || up === 'CASCADE' || up === 'SET NULL' || up === 'SET DEFAULT') return up;
  throw new RetortError('MODEL', `${where}: unknown referential action "${v}" (use cascade, restrict, set null, set default or no action)`);
}

/** indexOptions written into an index being built, from the declaration's method and INCLUDE columns. */
function setIndexOptions(ix: Mutable<IndexIR>, method: string | undefined, included: readonly ColumnRef[]): void {
  const m = method?.trim().toLowerCase();
  if (m !== undefined && m !== '' && m !== 'btree') ix.method = m;
  if (included.length > 0) ix.include = included.map((c) => c.column);
}

/** A declared comment (COMMENT ON the constraint or index) written into it; none for an empty one. */
function setComment(x: { comment?: string }, text: string | undefined): void {
  if (typeof text === 'string' && text !== '') x.comment = text;
}
/** deferrability() written into a foreign key, unique constraint or primary key being built. */
function setDeferrable(x: { deferrable?: Deferral }, v: ReferenceOptions['deferrable'], where: string): void {
  if (v !== undefined && v !== false) x.deferrable = deferrability(v, where).deferrable!;
}

function exprOrColumn(c: ColumnOrExpr, spelling: SqlSpelling): string {
  return isSqlExpr(c) ? sqlText(c, spelling) : c.column;
}

/**
 * The TableIR a declared table stands for, its SQL (defaults, checks, index expressions) in `spelling`. With
 * `markAutoNamed` (models, not revision files), what the declaration left unnamed says so (`autoNamed`).
 */
export function resolveTable(decl: TableDecl, spelling: SqlSpelling, naming: NamingConvention = defaultNaming, markAutoNamed = false): TableIR {
  // Optional fields are written into fresh objects rather than spread from small ones: a model of thousands of tables
  // made several short-lived objects per column and constraint here. `autoNamed`, then a named declaration's rename
  // hint (only a model's: revision files' builders carry none), come last, as the spreads put them.
  const t = decl.tableName;
  const named = <T extends { autoNamed?: boolean; renamedFrom?: string; name: string | null }>(x: T, unnamed: boolean, extra?: { readonly previousName?: string | null }): T => {
    if (markAutoNamed && unnamed) x.autoNamed = true;
    // An index's or constraint's name is bare (its table's schema holds it): a hint qualified with that schema is the same name.
    if (markAutoNamed && typeof extra?.previousName === 'string') x.renamedFrom = bareName(hintInSchema(schemaOf(t), `"${x.name ?? ''}" of table "${t}"`, extra.previousName, (n) => `.renamedFrom('${n}')`));
    return x;
  };
  const columns: ColumnIR[] = [];
  const pkColumns: string[] = [];
  const uniques: UniqueIR[] = [];
  const indexes: IndexIR[] = [];
  const foreignKeys: ForeignKeyIR[] = [];
  const checks: CheckIR[] = [];
  let excludes: ExclusionIR[] | undefined;
  let partitionBy: PartitionKeyIR | undefined;
  let primaryKey: PrimaryKeyIR | null = null;
  let pkDeferrable: ReferenceOptions['deferrable'];

  const specs = decl.columnSpecs;
  for (const name of Object.keys(specs)) {
    const spec = specs[name]!;
    // A system column (xmin) is the database's own: declared for the code that reads it, never part of the schema.
    if (spec.system === true) continue;
    const col = columnFromSpec(name, spec, spelling) as Mutable<ColumnIR>;
    // Only a model's table carries the rename hint (op.addColumn's builders never reach here).
    if (spec.renamedFrom) col.renamedFrom = spec.renamedFrom;
    columns.push(col);
    if (spec.primaryKey) {
      pkColumns.push(name);
      if (spec.primaryKeyDeferrable !== undefined) pkDeferrable = spec.primaryKeyDeferrable;
    }
    if (spec.unique !== false) {
      const u: Mutable<UniqueIR> = { name: typeof spec.unique === 'string' ? spec.unique : applyNaming(naming.unique, { table: t, columns: [name] }), columns: [name] };
      if (spec.uniqueNullsNotDistinct) u.nullsNotDistinct = true;
      setDeferrable(u, spec.uniqueDeferrable, `${t}.${name}`);
      uniques.push(named(u, typeof spec.unique !== 'string'));
    }
    if (spec.index !== false) {
      const name_ = typeof spec.index === 'string' ? spec.index : applyNaming(naming.index, { table: t, columns: [name] });
      indexes.push(named<Mutable<IndexIR>>({ name: name_, columns: [name], unique: false, where: null }, typeof spec.index !== 'string'));
    }
    if (spec.references) {
      const where = `${t}.${name}`;
      const target = resolveTarget(spec.references.target, where);
      const opts = spec.references.options;
      const fk: Mutable<ForeignKeyIR> = {
        name: opts.name ?? applyNaming(naming.foreignKey, { table: t, columns: [name], refTable: target.table }),
        columns: [name],
        refTable: target.table,
        refColumns: [target.column],
        onDelete: referentialAction(opts.onDelete, where),
        onUpdate: referentialAction(opts.onUpdate, where),
      };
      setDeferrable(fk, opts.deferrable, where);
      setComment(fk, opts.comment);
      foreignKeys.push(named(fk, opts.name === undefined));
    }
  }
  if (pkColumns.length > 0) {
    const pkName = applyNaming(naming.pk, { table: t, columns: pkColumns });
    // autoNamed in the literal: added afterwards it would cost the key an out-of-object property store of its own.
    primaryKey = markAutoNamed ? { name: pkName, columns: pkColumns, autoNamed: true } : { name: pkName, columns: pkColumns };
    if (pkDeferrable !== undefined && pkDeferrable !== false) primaryKey = { ...primaryKey, ...deferrability(pkDeferrable, `${t} primary key`) };
  }
  let pkFromExtras = false;

  for (const extra of decl.extras) {
    switch (extra.__retort) {
      case 'index': {
        const cols = extra.columns.map((c) => exprOrColumn(c, spelling));
        const ix: Mutable<IndexIR> = {
          name: extra.name ?? applyNaming(naming.index, { table: t, columns: extra.columns.map((c) => (isSqlExpr(c) ? 'expr' : c.column)) }),
          columns: cols,
          unique: extra.isUnique,
          where: extra.condition === null ? null : sqlText(extra.condition, spelling),
        };
        setIndexOptions(ix, extra.method ?? undefined, extra.included);
        if (extra.notDistinctNulls === true) ix.nullsNotDistinct = true;
        setComment(ix, extra.commentText);
        indexes.push(named(ix, extra.name === null, extra));
        break;
      }
      case 'unique': {
        const cols = extra.columns.map((c) => c.column);
        const u: Mutable<UniqueIR> = { name: extra.name ?? applyNaming(naming.unique, { table: t, columns: cols }), columns: cols };
        if (extra.notDistinctNulls === true) u.nullsNotDistinct = true;
        setDeferrable(u, extra.deferral, `${t}.${u.name}`);
        setComment(u, extra.commentText);
        uniques.push(named(u, extra.name === null, extra));
        break;
      }
      case 'check': {
        const c: Mutable<CheckIR> = { name: applyNaming(naming.check, { table: t, columns: [], name: extra.name ?? uncheckedName(t, extra.expression, checks) }), expression: sqlText(extra.expression, spelling) };
        setComment(c, extra.commentText);
        checks.push(named(c, extra.name === null, extra));
        break;
      }
      case 'primaryKey': {
        if (primaryKey) throw new RetortError('MODEL', `table "${t}": the primary key is declared twice (on a column and with primaryKey().on(...)); keep one`);
        const cols = extra.columns.map((c) => c.column);
        const pk: Mutable<PrimaryKeyIR> = { name: extra.name ?? applyNaming(naming.pk, { table: t, columns: cols }), columns: cols };
        setDeferrable(pk, extra.deferral, `${t} primary key`);
        primaryKey = named(pk, extra.name === null, extra);
        pkFromExtras = true;
        break;
      }
      case 'partitionBy':
        if (partitionBy !== undefined) throw new RetortError('MODEL', `table "${t}": partitionBy() is declared twice; keep one`);
        partitionBy = partitionKeyIR(extra, spelling);
        break;
      case 'exclude':
        (excludes ??= []).push(exclusionIR(extra, t, spelling, markAutoNamed));
        break;
      case 'foreignKey': {
        const cols = extra.columns.map((c) => c.column);
        const where = `${t}(${cols.join(', ')})`;
        const targets = extra.target.map((x) => resolveTarget(x, where));
        const refTable = targets[0]?.table ?? '';
        if (targets.some((x) => x.table !== refTable)) throw new RetortError('MODEL', `${where}: a foreign key must reference columns of one table`);
        const fk: Mutable<ForeignKeyIR> = {
          name: extra.name ?? applyNaming(naming.foreignKey, { table: t, columns: cols, refTable }),
          columns: cols,
          refTable,
          refColumns: targets.map((x) => x.column),
          onDelete: referentialAction(extra.options.onDelete, where),
          onUpdate: referentialAction(extra.options.onUpdate, where),
        };
        setDeferrable(fk, extra.options.deferrable, where);
        setComment(fk, extra.options.comment);
        foreignKeys.push(named(fk, extra.name === null, extra));
        break;
      }
    }
  }
  // Columns of a primary key are NOT NULL whichever way the key was declared (a column's own primaryKey() already is).
  if (pkFromExtras && primaryKey !== null) {
    const pk = primaryKey.columns;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      if (c.nullable && pk.includes(c.name)) columns[i] = { ...c, nullable: false };
    }
  }
  const ir: Mutable<TableIR> = { name: t, columns, primaryKey, uniques, indexes, foreignKeys, checks, comment: decl.comment };
  // A hint without a schema names the table's previous name in its own schema; one with another schema is refused.
  if (decl.previousName) ir.renamedFrom = hintInSchema(schemaOf(t), `table "${t}"`, decl.previousName, (n) => `renamedFrom('${n}')`);
  if (excludes !== undefined) ir.excludes = excludes;
  if (partitionBy !== undefined) ir.partitionBy = partitionBy;
  if (decl.partition !== undefined) ir.partitionOf = { parent: decl.partition.parent, bound: partitionBoundIR(decl.partition.bound, spelling, `partition "${t}"`) };
  if (decl.rls?.enabled === true) ir.rlsEnabled = true;
  if (decl.rls?.forced === true) ir.rlsForced = true;
  return ir;
}

/**
 * The name PostgreSQL gives an unnamed CHECK: `<table>_<column>_check` when the expression names exactly one
 * column, `<table>_check` otherwise, numbered when taken (the SQLite introspector names unnamed checks the same way).
 */
function uncheckedName(table: string, expression: SqlExpr, taken: readonly CheckIR[]): string {
  const used = [...new Set(expression.pieces.flatMap((p) => (typeof p !== 'string' && 'identifier' in p ? [p.identifier] : [])))];
  const base = used.length === 1 ? `${bareName(table)}_${used[0]}_check` : `${bareName(table)}_check`;
  let name = base;
  for (let i = 1; taken.some((c) => c.name === name); i++) name = `${base}${i}`;
  return name;
}
