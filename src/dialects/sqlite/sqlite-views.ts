/**
 * Views in SQLite DDL. SQLite has no materialized views, no view options (security_barrier, CHECK OPTION: it
 * ignores them, as its normalisation does) and no CREATE OR REPLACE VIEW: a replacement is a drop and a create.
 */
import { RetortError } from '../../errors.js';
import type { ViewIR } from '../../ir/ir.js';
import type { OperationOf } from '../../operations/operations.js';

type ViewOperation = OperationOf<'createView' | 'dropView' | 'replaceView' | 'refreshMaterializedView'>;
import { quoteIdentifier as quoteId } from '../sql-quote.js';

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
