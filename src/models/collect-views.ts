/**
 * The IR of a declared view, checked: a name no table has, options that fit its kind, a query that is not empty.
 */
import { isRetortError, RetortError } from '../errors.js';
import type { ViewIR } from '../ir/ir.js';
import { sqlText, type SqlSpelling } from './dsl.js';
import type { NamingConvention } from './naming.js';
import { resolveTable } from './resolve.js';
import { viewAsTable, type ViewDecl } from './views.js';

const modelError = (message: string, hint: string) => new RetortError('MODEL', message, { hint });

/** The ViewIR of `decl` (declared in `file`); `tableFile` says where a table of that name is declared, if one is. */
export function viewIR(decl: ViewDecl, file: string, spelling: SqlSpelling, naming: NamingConvention, tableFile: (name: string) => string | null): ViewIR {
  const at = `${file}: view "${decl.viewName}"`;
  const other = tableFile(decl.viewName);
  if (other !== null) throw modelError(`${at}: a table of that name is declared too (${other})`, 'tables and views share one namespace: rename one of them');
  // A trailing semicolon would end the CREATE VIEW statement early (WITH CHECK OPTION follows the query).
  const definition = sqlText(decl.query, spelling).trim().replace(/;\s*$/, '').trim();
  if (definition === '') throw modelError(`${at}: the query is empty`, "write the view's query: view('name', sql`select ...`)");
  const o = decl.options;
  if (decl.materialized && (o.securityBarrier !== undefined || o.checkOption !== undefined)) {
    throw modelError(`${at}: securityBarrier and checkOption are options of plain views`, 'remove them, or declare a view() instead of a materializedView()');
  }
  if (o.checkOption !== undefined && o.checkOption !== 'local' && o.checkOption !== 'cascaded') {
    throw modelError(`${at}: checkOption must be 'local' or 'cascaded' (got ${JSON.stringify(o.checkOption)})`, "write checkOption: 'local' or checkOption: 'cascaded'");
  }
  let indexes;
  try {
    indexes = resolveTable(viewAsTable(decl), spelling, naming).indexes;
  } catch (e) {
    if (isRetortError(e)) throw modelError(`${at}: ${e.message}`, e.hint ?? 'fix the index declarations of the view');
    throw e;
  }
  return {
    name: decl.viewName,
    definition,
    materialized: decl.materialized,
    ...(o.securityBarrier === true ? { securityBarrier: true } : {}),
    ...(o.checkOption !== undefined ? { checkOption: o.checkOption } : {}),
    ...(decl.materialized && o.withData === false ? { withData: false } : {}),
    ...(decl.materialized && indexes.length > 0 ? { indexes } : {}),
    ...(typeof o.comment === 'string' && o.comment !== '' ? { comment: o.comment } : {}),
    ...(o.renamedFrom !== undefined && o.renamedFrom !== decl.viewName ? { renamedFrom: o.renamedFrom } : {}),
  };
}
