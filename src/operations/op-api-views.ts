/**
 * The `op` methods for views and materialized views, which OperationRecorder spreads into its `op`.
 */
import { RetortError } from '../errors.js';
import type { IndexIR, ViewIR } from '../ir/ir.js';
import type { SqlExpr } from '../models/dsl.js';
import { indexOptions } from '../models/resolve.js';
import type { Operation } from './operations.js';
import type { ViewColumnChange } from './kinds/replace-view.js';

/** An index of a materialized view, as op.createMaterializedView takes it. */
export interface ViewIndexOptions {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique?: boolean;
  readonly where?: string;
  readonly using?: string;
  readonly include?: readonly string[];
}

/** Options of op.createView / op.replaceView (PostgreSQL's; SQLite ignores them). */
export interface ViewOpOptions {
  readonly securityBarrier?: boolean;
  readonly checkOption?: 'local' | 'cascaded';
}

/** Options of op.createMaterializedView. */
export interface MaterializedViewOpOptions {
  /** false: WITH NO DATA. */
  readonly withData?: boolean;
  readonly indexes?: readonly ViewIndexOptions[];
}

/** Options of op.replaceView. */
export interface ReplaceViewOptions extends ViewOpOptions, MaterializedViewOpOptions {
  /** The view is a materialized one (replaced by a drop and a create). */
  readonly materialized?: boolean;
  /**
   * How the columns change: absent when they stay, `'appended'` when new ones come after them (PostgreSQL replaces
   * both in place), `'changed'` otherwise (the view is dropped and created again).
   */
  readonly columnChange?: ViewColumnChange;
}

/** The view methods of `op`. */
export interface ViewOpApi {
  /** CREATE VIEW name AS query. */
  createView(name: string, query: string | SqlExpr, options?: ViewOpOptions): void;
  dropView(name: string): void;
  /** A new definition for an existing view: CREATE OR REPLACE where the database can, else a drop and a create. */
  replaceView(name: string, query: string | SqlExpr, options?: ReplaceViewOptions): void;
  /** CREATE MATERIALIZED VIEW name AS query [WITH NO DATA], then its indexes (PostgreSQL only). */
  createMaterializedView(name: string, query: string | SqlExpr, options?: MaterializedViewOpOptions): void;
  dropMaterializedView(name: string): void;
  refreshMaterializedView(name: string, options?: { concurrently?: boolean }): void;
  /** ALTER VIEW ... RENAME TO (SQLite, which has no ALTER VIEW: dropped and created again under the new name). */
  renameView(from: string, to: string): void;
  renameMaterializedView(from: string, to: string): void;
}

function viewIR(name: string, query: string, materialized: boolean, o: ViewOpOptions & MaterializedViewOpOptions): ViewIR {
  if (query.trim() === '') throw new RetortError('USAGE', `op: view "${name}" needs a query`, { hint: "write op.createView('name', sql`select ...`)" });
  const indexes = (o.indexes ?? []).map((ix): IndexIR => ({
    name: ix.name, columns: [...ix.columns], unique: ix.unique ?? false, where: ix.where ?? null, ...indexOptions(ix.using, ix.include),
  }));
  return {
    name,
    definition: query.trim(),
    materialized,
    ...(o.securityBarrier === true ? { securityBarrier: true } : {}),
    ...(o.checkOption !== undefined ? { checkOption: o.checkOption } : {}),
    ...(materialized && o.withData === false ? { withData: false } : {}),
    ...(indexes.length > 0 ? { indexes } : {}),
  };
}

/** The view methods over `push`, SQL fragments written by `text`. */
export function viewOpMethods(push: (o: Operation) => void, text: (v: string | SqlExpr) => string): ViewOpApi {
  return {
    createView: (name, query, options = {}) => push({ kind: 'createView', view: viewIR(name, text(query), false, options) }),
    dropView: (name) => push({ kind: 'dropView', name, materialized: false, view: null }),
    replaceView: (name, query, options = {}) => {
      const view = viewIR(name, text(query), options.materialized === true, options);
      push({ kind: 'replaceView', view, from: null, ...(options.columnChange !== undefined ? { columnChange: options.columnChange } : {}) });
    },
    createMaterializedView: (name, query, options = {}) => push({ kind: 'createView', view: viewIR(name, text(query), true, options) }),
    dropMaterializedView: (name) => push({ kind: 'dropView', name, materialized: true, view: null }),
    refreshMaterializedView: (name, options = {}) => push({ kind: 'refreshMaterializedView', name, ...(options.concurrently === true ? { concurrently: true } : {}) }),
    renameView: (from, to) => push({ kind: 'renameView', from, to, materialized: false }),
    renameMaterializedView: (from, to) => push({ kind: 'renameView', from, to, materialized: true }),
  };
}
