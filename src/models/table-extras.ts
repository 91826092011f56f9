/**
 * Table-level declarations in models (the `extras` of table()): indexes, unique constraints, checks, composite
 * primary keys and foreign keys. Each returns plain data branded for models/resolve.ts; index and unique
 * declarations carry their options as chained methods (`.where()`, `.using()`, `.nullsNotDistinct()`, `.comment()`),
 * and every named one its rename hint (`.renamedFrom('old')`).
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
  /** COMMENT ON INDEX (PostgreSQL; SQLite keeps none). */
  comment(text: string): IndexExtra;
};

/** A unique constraint declaration; `.nullsNotDistinct()` makes NULLs count as equal (PostgreSQL 15+). */
export type UniqueExtra = Extract<TableExtra, { [BRAND]: 'unique' }> & {
  nullsNotDistinct(): UniqueExtra;
  /** DEFERRABLE INITIALLY IMMEDIATE (the default) or DEFERRED (PostgreSQL; SQLite refuses it at model load). */
  deferrable(initially?: 'immediate' | 'deferred'): UniqueExtra;
  /** COMMENT ON CONSTRAINT (PostgreSQL; SQLite keeps none). */
  comment(text: string): UniqueExtra;
  /** The constraint's previous name: autogenerate renames it (op.renameConstraint) where the database has that one. */
  renamedFrom(oldName: string): UniqueExtra;
};

/**
 * A named constraint declaration (check, primary key, foreign key) with its rename hint: `.renamedFrom('old')` makes
 * autogenerate write op.renameConstraint where the database has the old name and not this one.
 */
export type RenamableExtra<K extends 'check' | 'primaryKey' | 'foreignKey'> = Renamable<Extract<TableExtra, { [BRAND]: K }>>;

/** A composite primary key declaration: renamable, and `.deferrable()` makes it DEFERRABLE (PostgreSQL). */
export type PrimaryKeyExtra = Extract<TableExtra, { [BRAND]: 'primaryKey' }> & {
  renamedFrom(oldName: string): PrimaryKeyExtra;
  /** DEFERRABLE INITIALLY IMMEDIATE (the default) or DEFERRED (PostgreSQL; SQLite refuses it at model load). */
  deferrable(initially?: 'immediate' | 'deferred'): PrimaryKeyExtra;
};

type PrimaryKeySpec = Omit<Extract<TableExtra, { [BRAND]: 'primaryKey' }>, typeof BRAND>;

function primaryKeyExtra(spec: PrimaryKeySpec): PrimaryKeyExtra {
  return {
    [BRAND]: 'primaryKey',
    ...spec,
    renamedFrom: (oldName: string) => primaryKeyExtra({ ...spec, previousName: oldName }),
    deferrable: (initially: 'immediate' | 'deferred' = 'immediate') => primaryKeyExtra({ ...spec, deferral: initially }),
  };
}

type Renamable<E extends TableExtra> = E & { renamedFrom(oldName: string): Renamable<E> };

function renamable<E extends TableExtra>(extra: E): Renamable<E> {
  return { ...extra, renamedFrom: (oldName: string) => renamable({ ...extra, previousName: oldName }) };
}

/**
 * An index declaration as one object with its options' methods on a shared prototype: a model of a thousand tables
 * declares thousands of indexes, and six closures each were most of what they allocated.
 */
class IndexDecl {
  declare readonly [BRAND]: 'index';
  constructor(spec: IndexSpec) {
    this.__retort = 'index';
    Object.assign(this, spec);
  }
  private with(patch: Partial<IndexSpec>): IndexExtra {
    const { [BRAND]: _brand, ...spec } = this as unknown as IndexExtra;
    return indexExtra({ ...(spec as IndexSpec), ...patch });
  }
  renamedFrom(oldName: string): IndexExtra { return this.with({ previousName: oldName }); }
  where(c: SqlExpr): IndexExtra { return this.with({ condition: c }); }
  using(method: string): IndexExtra { return this.with({ method }); }
  include(...columns: ColumnRef[]): IndexExtra { return this.with({ included: columns }); }
  nullsNotDistinct(): IndexExtra { return this.with({ notDistinctNulls: true }); }
  comment(text: string): IndexExtra { return this.with({ commentText: text }); }
}

function indexExtra(spec: IndexSpec): IndexExtra {
  return new IndexDecl(spec) as unknown as IndexExtra;
}

/** index('ix_name').on(t.a, t.b), optionally .where(sql`...`) for a partial index, .using('gin'), .include(t.c). */
export function index(name?: string) {
  return { on: (...columns: ColumnOrExpr[]) => indexExtra({ name: name ?? null, columns, isUnique: false, condition: null, method: null, included: [] }) };
}

/** uniqueIndex('ux_name').on(t.a): a unique index (use unique() for a UNIQUE constraint). */
export function uniqueIndex(name?: string) {
  return { on: (...columns: ColumnOrExpr[]) => indexExtra({ name: name ?? null, columns, isUnique: true, condition: null, method: null, included: [] }) };
}

/** A unique constraint declaration, its options' methods on a shared prototype as IndexDecl's are. */
type UniqueSpec = Omit<Extract<TableExtra, { [BRAND]: 'unique' }>, typeof BRAND>;

class UniqueDecl {
  declare readonly [BRAND]: 'unique';
  constructor(spec: UniqueSpec) {
    this.__retort = 'unique';
    Object.assign(this, spec);
  }
  private with(patch: Partial<UniqueSpec>): UniqueExtra {
    const { [BRAND]: _brand, ...spec } = this as unknown as UniqueExtra;
    return uniqueExtra({ ...(spec as UniqueSpec), ...patch });
  }
  nullsNotDistinct(): UniqueExtra { return this.with({ notDistinctNulls: true }); }
  deferrable(initially: 'immediate' | 'deferred' = 'immediate'): UniqueExtra { return this.with({ deferral: initially }); }
  comment(text: string): UniqueExtra { return this.with({ commentText: text }); }
  renamedFrom(oldName: string): UniqueExtra { return this.with({ previousName: oldName }); }
}

function uniqueExtra(spec: UniqueSpec): UniqueExtra {
  return new UniqueDecl(spec) as unknown as UniqueExtra;
}

/** unique('uq_name').on(t.a, t.b). */
export function unique(name?: string) {
  return { on: (...columns: ColumnRef[]): UniqueExtra => uniqueExtra({ name: name ?? null, columns, previousName: null }) };
}

/**
 * check('ck_positive', sql`price > 0`), or check(sql`price > 0`) unnamed: named by the naming convention
 * (PostgreSQL's `<table>_<column>_check` by default) and matched to the database's check by its expression.
 */
export function check(nameOrExpression: string | SqlExpr, expression?: SqlExpr | string, options: { readonly comment?: string } = {}): RenamableExtra<'check'> {
  const commentText = options.comment !== undefined ? { commentText: options.comment } : {};
  if (expression === undefined) {
    if (!isSqlExpr(nameOrExpression)) throw new RetortError('MODEL', `check('${nameOrExpression}'): the expression is missing`, { hint: "write check('name', sql`...`) or check(sql`...`)" });
    return renamable({ [BRAND]: 'check', name: null, expression: nameOrExpression, ...commentText });
  }
  if (typeof nameOrExpression !== 'string') throw new RetortError('MODEL', 'check(sql`...`, ...): the name comes first', { hint: "write check('name', sql`...`)" });
  return renamable({ [BRAND]: 'check', name: nameOrExpression, expression: typeof expression === 'string' ? sql(expression) : expression, ...commentText });
}

/** primaryKey().on(t.a, t.b): a composite primary key. */
export function primaryKey(name?: string) {
  return { on: (...columns: ColumnRef[]): PrimaryKeyExtra => primaryKeyExtra({ name: name ?? null, columns }) };
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
