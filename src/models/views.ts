/**
 * Views and materialized views in the model DSL: `view('film_list', sql\`select ...\`)`. A view's query is SQL as
 * the user writes it; a declared table or view put into it (`sql\`select * from ${film}\``) is its quoted name.
 * Materialized views take indexes, declared as a table's are: `(m) => [uniqueIndex().on(m.film_id)]`, where `m.x`
 * stands for the view's column `x` (the DSL cannot know a query's columns, so any name is accepted; the database
 * checks it).
 */
import { BRAND, isSqlExpr, sql, type ColumnRef, type SqlExpr, type TableDecl, type TableExtra } from './dsl.js';
import { declared } from './declaration-order.js';

/** Options of a plain view (PostgreSQL's; SQLite has neither and ignores them). */
export interface ViewOptions {
  /** WITH (security_barrier): the planner keeps the view's conditions ahead of the caller's functions. */
  readonly securityBarrier?: boolean;
  /** WITH LOCAL / CASCADED CHECK OPTION: rows written through the view must satisfy its WHERE. */
  readonly checkOption?: 'local' | 'cascaded';
  /** COMMENT ON VIEW (PostgreSQL; SQLite keeps none). */
  readonly comment?: string;
  /** The view's previous name: where the database has that one and not this, autogenerate writes op.renameView. */
  readonly renamedFrom?: string;
}

/** Options of a materialized view (PostgreSQL only). */
export interface MaterializedViewOptions {
  /** false: created WITH NO DATA (empty and unreadable until REFRESH MATERIALIZED VIEW). Default true. */
  readonly withData?: boolean;
  /** COMMENT ON MATERIALIZED VIEW. */
  readonly comment?: string;
  /** The materialized view's previous name, as for view(). */
  readonly renamedFrom?: string;
}

/** A declared view or materialized view. */
export interface ViewDecl {
  readonly [BRAND]: 'view';
  readonly viewName: string;
  readonly query: SqlExpr;
  readonly materialized: boolean;
  readonly options: ViewOptions & MaterializedViewOptions;
  /** Index declarations of a materialized view, as table() takes them. */
  readonly extras: readonly TableExtra[];
}

export function isViewDecl(v: unknown): v is ViewDecl {
  return typeof v === 'object' && v !== null && (v as { [BRAND]?: unknown })[BRAND] === 'view';
}

/** view('film_list', sql`select ...`, { securityBarrier, checkOption }) declares a view. */
export function view(name: string, query: SqlExpr | string, options: ViewOptions = {}): ViewDecl {
  return declared({ [BRAND]: 'view', viewName: name, query: asSql(query), materialized: false, options: { ...options }, extras: [] });
}

/**
 * materializedView('rental_stats', sql`select ...`, { withData }, (m) => [uniqueIndex().on(m.film_id)]) declares a
 * materialized view with its indexes.
 */
export function materializedView(
  name: string,
  query: SqlExpr | string,
  options: MaterializedViewOptions = {},
  indexes?: (m: Readonly<Record<string, ColumnRef>>) => readonly TableExtra[],
): ViewDecl {
  const columns = new Proxy({} as Record<string, ColumnRef>, {
    get: (_t, key) => (typeof key === 'string' ? { [BRAND]: 'columnRef', table: name, column: key } : undefined),
  });
  return declared({ [BRAND]: 'view', viewName: name, query: asSql(query), materialized: true, options: { ...options }, extras: indexes ? indexes(columns) : [] });
}

function asSql(query: SqlExpr | string): SqlExpr {
  return isSqlExpr(query) ? query : sql(query);
}

/** A view's indexes as a table declaration with no columns, so the table resolver names and resolves them. */
export function viewAsTable(v: ViewDecl): TableDecl {
  const make = (): TableDecl => ({
    [BRAND]: 'table', tableName: v.viewName, columnSpecs: {}, columns: {}, extras: v.extras, comment: null, previousName: null,
    withComment: make, renamedFrom: make, enableRls: make, forceRls: make,
  });
  return make();
}
