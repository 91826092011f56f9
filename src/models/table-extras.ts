/**
 * Table-level declarations of the model DSL (`extras` of table()): indexes and constraints over several columns, each
 * with its rename hint where it is named (`.renamedFrom('old')`). Kept apart from dsl.ts, which defines what they are.
 */
import { RetortError } from '../errors.js';
import { BRAND, isSqlExpr, sql, type ColumnOrExpr, type ColumnRef, type ReferenceOptions, type ReferenceTarget, type SqlExpr, type TableExtra } from './dsl.js';

type IndexSpec = Omit<Extract<TableExtra, { [BRAND]: 'index' }>, typeof BRAND>;

/**
 * An index declaration: `.where(sql\`...\`)` makes it partial, `.using('gin')` picks the method and
 * `.include(t.a)` adds non-key columns (both PostgreSQL's; on SQLite the index is a plain one over its keys).
 */
export type IndexExtra = Extract<TableExtra, { [BRAND]: 'index' }> & {
  /** The index's previous name: autogenerate renames it (op.renameIndex) where the database has that one. */
  renamedFrom(oldName: string): IndexExtra;
  where(condition: SqlExpr): IndexExtra;
  using(method: string): IndexExtra;
  include(...columns: ColumnRef[]): IndexExtra;
  /** NULLS NOT DISTINCT on a unique index (PostgreSQL 15+). */
  nullsNotDistinct(): IndexExtra;
};

/** A unique constraint declaration; `.nullsNotDistinct()` makes NULLs count as equal (PostgreSQL 15+). */
export type UniqueExtra = Extract<TableExtra, { [BRAND]: 'unique' }> & { nullsNotDistinct(): UniqueExtra; renamedFrom(oldName: string): UniqueExtra };

/**
 * A named constraint declaration (check, primary key, foreign key) with its rename hint: `.renamedFrom('old')` makes
 * autogenerate write op.renameConstraint where the database has the old name and not this one.
 */
export type RenamableExtra<K extends 'check' | 'primaryKey' | 'foreignKey'> = Renamable<Extract<TableExtra, { [BRAND]: K }>>;

type Renamable<E extends TableExtra> = E & { renamedFrom(oldName: string): Renamable<E> };

function renamable<E extends TableExtra>(extra: E): Renamable<E> {
  return { ...extra, renamedFrom: (oldName: string) => renamable({ ...extra, previousName: oldName }) };
}

function indexExtra(spec: IndexSpec): IndexExtra {
  return {
    [BRAND]: 'index',
    ...spec,
    renamedFrom: (oldName: string) => indexExtra({ ...spec, previousName: oldName }),
    where: (c: SqlExpr) => indexExtra({ ...spec, condition: c }),
    using: (method: string) => indexExtra({ ...spec, method }),
    include: (...columns: ColumnRef[]) => indexExtra({ ...spec, included: columns }),
    nullsNotDistinct: () => indexExtra({ ...spec, notDistinctNulls: true }),
  };
}

/** index('ix_name').on(t.a, t.b), optionally .where(sql`...`) for a partial index, .using('gin'), .include(t.c). */
export function index(name?: string) {
  return { on: (...columns: ColumnOrExpr[]) => indexExtra({ name: name ?? null, columns, isUnique: false, condition: null, method: null, included: [] }) };
}

/** uniqueIndex('ux_name').on(t.a): a unique index (use unique() for a UNIQUE constraint). */
export function uniqueIndex(name?: string) {
  return { on: (...columns: ColumnOrExpr[]) => indexExtra({ name: name ?? null, columns, isUnique: true, condition: null, method: null, included: [] }) };
}

/** unique('uq_name').on(t.a, t.b). */
export function unique(name?: string) {
  const make = (columns: readonly ColumnRef[], nullsNotDistinct: boolean, previousName: string | null): UniqueExtra => ({
    [BRAND]: 'unique', name: name ?? null, columns, ...(nullsNotDistinct ? { notDistinctNulls: true } : {}), previousName,
    nullsNotDistinct: () => make(columns, true, previousName),
    renamedFrom: (oldName: string) => make(columns, nullsNotDistinct, oldName),
  });
  return { on: (...columns: ColumnRef[]): UniqueExtra => make(columns, false, null) };
}

/**
 * check('ck_positive', sql`price > 0`), or check(sql`price > 0`) unnamed: named by the naming convention
 * (PostgreSQL's `<table>_<column>_check` by default) and matched to the database's check by its expression.
 */
export function check(nameOrExpression: string | SqlExpr, expression?: SqlExpr | string): RenamableExtra<'check'> {
  if (expression === undefined) {
    if (!isSqlExpr(nameOrExpression)) throw new RetortError('MODEL', `check('${nameOrExpression}'): the expression is missing`, { hint: "write check('name', sql`...`) or check(sql`...`)" });
    return renamable({ [BRAND]: 'check', name: null, expression: nameOrExpression });
  }
  if (typeof nameOrExpression !== 'string') throw new RetortError('MODEL', 'check(sql`...`, ...): the name comes first', { hint: "write check('name', sql`...`)" });
  return renamable({ [BRAND]: 'check', name: nameOrExpression, expression: typeof expression === 'string' ? sql(expression) : expression });
}

/** primaryKey().on(t.a, t.b): a composite primary key. */
export function primaryKey(name?: string) {
  return { on: (...columns: ColumnRef[]): RenamableExtra<'primaryKey'> => renamable({ [BRAND]: 'primaryKey', name: name ?? null, columns }) };
}

/** foreignKey('fk_name').on(t.a, t.b).references(() => [other.columns.x, other.columns.y], { onDelete: 'cascade' }). */
export function foreignKey(name?: string) {
  return {
    on: (...columns: ColumnRef[]) => ({
      // One target column may be given without an array (`.references(() => users.columns.id)`, `'users.id'`).
      references: (target: ReferenceTarget | ReferenceTarget[] | (() => ColumnRef | ColumnRef[]), options: ReferenceOptions = {}): RenamableExtra<'foreignKey'> => renamable({
        [BRAND]: 'foreignKey',
        name: name ?? null,
        columns,
        target:
          typeof target === 'function'
            ? columns.map((_, i) => () => {
                const r = target();
                return (Array.isArray(r) ? r : [r])[i]!;
              })
            : Array.isArray(target)
              ? target
              : [target],
        options,
      }),
    }),
  };
}
