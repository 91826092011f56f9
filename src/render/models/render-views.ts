/**
 * Views and materialized views written back as model declarations for `retort pull`:
 * `export const filmList = view('film_list', sql\`...\`)` with the query as the database prints it (PostgreSQL's
 * pg_get_viewdef, SQLite's stored text), its options, and a materialized view's indexes as `(m) => [index(...)...]`
 * with their names written out. A view that reads a table the models leave out is left out too (a fresh database
 * built from the models could not create it), and so is a view over such a view.
 */
import type { IndexIR, ViewIR } from '../../ir/ir.js';
import { member, objectLiteral, quoteString, sqlTemplate } from '../literal.js';
import type { Imports } from '../render-column.js';

/** A view's declaration: its code and the DSL names it imports. */
export interface RenderedView {
  readonly code: string;
  readonly imports: Imports;
}

/** The views that can be declared, in order, and those left out because what they read is left out. */
export function declarableViews(views: readonly ViewIR[], leftOutTables: readonly string[]): { views: ViewIR[]; leftOut: string[] } {
  const out = new Set(leftOutTables);
  // A view over a view left out is left out: repeat until nothing more falls.
  for (let changed = true; changed; ) {
    changed = false;
    for (const v of views) {
      if (out.has(v.name)) continue;
      if ((v.dependsOn ?? []).some((d) => out.has(d))) {
        out.add(v.name);
        changed = true;
      }
    }
  }
  return { views: views.filter((v) => !out.has(v.name)), leftOut: views.filter((v) => out.has(v.name)).map((v) => v.name) };
}

/** `export const <variable> = view(...)` or `materializedView(...)` for `v`. */
export function renderView(v: ViewIR, variable: string): RenderedView {
  const imports: Imports = new Set(['sql']);
  const args = [quoteString(v.name), sqlTemplate(v.definition)];
  if (!v.materialized) {
    imports.add('view');
    const opts: [string, string][] = [];
    if (v.securityBarrier === true) opts.push(['securityBarrier', 'true']);
    if (v.checkOption !== undefined) opts.push(['checkOption', quoteString(v.checkOption)]);
    if (opts.length > 0) args.push(objectLiteral(opts));
    return { code: `export const ${variable} = view(${args.join(', ')});`, imports };
  }
  imports.add('materializedView');
  const opts: [string, string][] = v.withData === false ? [['withData', 'false']] : [];
  const indexes = v.indexes ?? [];
  if (opts.length > 0 || indexes.length > 0) args.push(objectLiteral(opts));
  if (indexes.length > 0) args.push(`(m) => [${indexes.map((x) => indexCall(x, v, imports)).join(', ')}]`);
  return { code: `export const ${variable} = materializedView(${args.join(', ')});`, imports };
}

/** `uniqueIndex('name').on(m.col, sql\`expr\`).where(...)...`: the name always written, so no naming convention can change it. */
function indexCall(x: IndexIR, v: ViewIR, imports: Imports): string {
  const known = v.columns !== undefined && v.columns.length > 0 ? new Set(v.columns.map((c) => c.name)) : null;
  const isColumn = (c: string) => (known ? known.has(c) : /^[a-z_][a-z0-9_$]*$/.test(c));
  const fn = x.unique ? 'uniqueIndex' : 'index';
  imports.add(fn);
  const cols = x.columns.map((entry) => {
    const c = columnOf(entry);
    return c !== null && isColumn(c) ? member('m', c) : sqlTemplate(entry);
  }).join(', ');
  const where = x.where === null ? '' : `.where(${sqlTemplate(x.where)})`;
  const using = x.method === undefined ? '' : `.using(${quoteString(x.method)})`;
  const include = (x.include ?? []).length === 0 ? '' : `.include(${x.include!.map((c) => member('m', c)).join(', ')})`;
  const nnd = x.nullsNotDistinct === true ? '.nullsNotDistinct()' : '';
  return `${fn}(${quoteString(x.name)}).on(${cols})${where}${using}${include}${nnd}`;
}

/**
 * The column an index entry names, or null for an expression. PostgreSQL's normalisation knows no columns for a
 * view, so a view's column key reads as an expression in parentheses, `(lead_id)` or `("Lead")`, on both sides.
 */
function columnOf(entry: string): string | null {
  const inner = /^\((.*)\)$/s.exec(entry)?.[1] ?? entry;
  if (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(inner)) return inner;
  const quoted = /^"((?:[^"]|"")+)"$/.exec(inner);
  return quoted ? quoted[1]!.replace(/""/g, '"') : null;
}
