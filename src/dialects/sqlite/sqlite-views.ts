/**
 * Views in SQLite DDL. SQLite has no materialized views, no view options (security_barrier, CHECK OPTION: it
 * ignores them, as its normalisation does) and no CREATE OR REPLACE VIEW: a replacement is a drop and a create.
 */
import { RetortError } from '../../errors.js';
import type { ViewIR } from '../../ir/ir.js';
import type { OperationOf } from '../../operations/operations.js';

import { quoteIdentifier as quoteId } from '../sql-quote.js';
import type { SchemaObject } from './sqlite-rebuild.js';
import { mentions, renameRelationInSql } from './sqlite-names.js';
import { objectKey } from './sqlite-triggers.js';

type ViewOperation = OperationOf<'createView' | 'dropView' | 'replaceView' | 'refreshMaterializedView'>;

export function noMaterializedViews(name: string): RetortError {
  return new RetortError('UNSUPPORTED', `materialized view "${name}": SQLite has no materialized views`, {
    hint: 'declare a view() instead, or keep the materialized view out of models used with SQLite',
  });
}

/** The CREATE VIEW text SQLite stores for `v`. */
export function createViewSql(v: ViewIR): string {
  if (v.materialized) throw noMaterializedViews(v.name);
  return `CREATE VIEW ${quoteId(v.name)} AS\n${v.definition}`;
}

/** A stored CREATE VIEW text with the view's own name changed to `to` (its query is left as it is). */
export function renamedViewSql(sql: string, to: string): string {
  return sql.replace(/^(\s*CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?)("(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|[^\s(]+)/i, (_m, head: string) => `${head}${quoteId(to)}`);
}

/** The statements of one view operation. */
export function compileViewOperation(o: ViewOperation): string[] {
  switch (o.kind) {
    case 'createView':
      return [createViewSql(o.view)];
    case 'dropView':
      if (o.materialized) throw noMaterializedViews(o.name);
      return [`DROP VIEW ${quoteId(o.name)}`];
    case 'replaceView':
      return [`DROP VIEW ${quoteId(o.view.name)}`, createViewSql(o.view)];
    case 'refreshMaterializedView':
      throw noMaterializedViews(o.name);
  }
}

/**
 * The statements that rename view `from` to `to` among `objects` (the database's views and triggers as the batch has
 * left them, in creation order), and the objects they leave, by objectKey (null: dropped). SQLite has no ALTER VIEW:
 * the view is dropped and created again from its stored text under the new name, and the other views that read it are
 * created again reading the new name (PostgreSQL keeps them by OID). Triggers go with their views: those on the view
 * or on a view that reads it (INSTEAD OF), and those whose text names the view, are dropped first and created again
 * after with the name replaced.
 */
export function renamedViewPlan(objects: readonly SchemaObject[], from: string, to: string): { statements: string[]; objects: [string, SchemaObject | null][] } {
  const lower = (n: string) => n.toLowerCase();
  const views = objects.filter((v) => v.type === 'view');
  const own = views.find((v) => lower(v.name) === lower(from));
  if (!own) throw new RetortError('NOT_FOUND', `view "${from}" does not exist`, { hint: 'check the view name in the revision file' });
  const readers = views.filter((v) => v !== own && mentions(v.sql, from));
  const dropped = new Set([own, ...readers].map((v) => lower(v.name)));
  const triggers = objects.filter((t) => t.type === 'trigger' && (dropped.has(lower(t.tbl_name)) || renameRelationInSql(t.sql, from, to) !== t.sql));
  const created = { ...own, name: to, tbl_name: to, sql: renamedViewSql(own.sql, to) };
  const statements = [...triggers.map((t) => `DROP TRIGGER ${quoteId(t.name)}`), ...readers.map((v) => `DROP VIEW ${quoteId(v.name)}`), `DROP VIEW ${quoteId(from)}`, created.sql];
  const left: [string, SchemaObject | null][] = [[objectKey('view', from), null], [objectKey('view', to), created]];
  for (const o of [...readers, ...triggers]) {
    const sql = renameRelationInSql(o.sql, from, to);
    statements.push(sql);
    left.push([objectKey(o.type, o.name), { ...o, sql, tbl_name: lower(o.tbl_name) === lower(from) ? to : o.tbl_name }]);
  }
  return { statements, objects: left };
}
