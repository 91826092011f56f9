/**
 * Views and materialized views in PostgreSQL DDL. Options go in the WITH (...) list before AS (check_option is
 * the reloption form of WITH CHECK OPTION), so nothing follows the user's query on its line: a trailing comment
 * in it cannot swallow a clause.
 */
import type { ViewIR } from '../../ir/ir.js';
import type { OperationOf } from '../../operations/operations.js';

type ViewOperation = OperationOf<'createView' | 'dropView' | 'replaceView' | 'refreshMaterializedView'>;
import { quoteQualified as q } from './postgres-sql.js';

/** The statements that create `v`; `createIndex` compiles each index of a materialized view. */
export function createViewSql(v: ViewIR, createIndex: (table: string, ix: NonNullable<ViewIR['indexes']>[number]) => string[], orReplace = false): string[] {
  if (v.materialized) {
    const data = v.withData === false ? 'WITH NO DATA' : 'WITH DATA';
    return [`CREATE MATERIALIZED VIEW ${q(v.name)} AS\n${v.definition}\n${data}`, ...(v.indexes ?? []).flatMap((ix) => createIndex(v.name, ix))];
  }
  const options = [...(v.checkOption !== undefined ? [`check_option = ${v.checkOption}`] : []), ...(v.securityBarrier === true ? ['security_barrier = true'] : [])];
  return [`CREATE ${orReplace ? 'OR REPLACE ' : ''}VIEW ${q(v.name)}${options.length > 0 ? ` WITH (${options.join(', ')})` : ''} AS\n${v.definition}`];
}

function dropViewSql(name: string, materialized: boolean): string {
  return `DROP ${materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${q(name)}`;
}

/** The statements of one view operation. */
export function compileViewOperation(o: ViewOperation, createIndex: (table: string, ix: NonNullable<ViewIR['indexes']>[number]) => string[]): string[] {
  switch (o.kind) {
    case 'createView':
      return createViewSql(o.view, createIndex);
    case 'dropView':
      return [dropViewSql(o.name, o.materialized)];
    case 'replaceView': {
      // CREATE OR REPLACE keeps a plain view's columns and may append some; anything else is a drop and a create.
      const inPlace = !o.view.materialized && o.from?.materialized !== true && o.columnChange !== 'changed';
      if (inPlace) return createViewSql(o.view, createIndex, true);
      return [dropViewSql(o.view.name, o.from?.materialized ?? o.view.materialized), ...createViewSql(o.view, createIndex)];
    }
    case 'refreshMaterializedView':
      return [`REFRESH MATERIALIZED VIEW ${o.concurrently === true ? 'CONCURRENTLY ' : ''}${q(o.name)}`];
  }
}
