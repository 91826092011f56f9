/**
 * Views and materialized views written as model declarations for `retort pull`:
 * `export const filmList = view('film_list', sql\`SELECT ...\`)`. The query is the text the database gives back
 * (PostgreSQL's pg_get_viewdef, SQLite's stored text): declared again, it canonicalises to itself, so `check` finds
 * nothing. It stays text rather than naming the table variables: a view's SQL is the user's, and the view's
 * dependencies are read from that text either way. A materialized view's indexes go in its callback
 * (`(m) => [uniqueIndex('rental_category').on(m.category)]`), a name the convention would give left out.
 */
import type { IndexIR, ViewIR } from '../../ir/ir.js';
import { applyNaming, type NamingConvention } from '../../models/naming.js';
import { member, objectLiteral, quoteString, sqlTemplate } from '../literal.js';
import type { Imports } from '../render-column.js';

/** The declaration of `v` as the exported variable `variable`. */
export function renderViewDeclaration(v: ViewIR, variable: string, naming: NamingConvention, imports: Imports): string {
  imports.add('sql');
  const query = sqlTemplate(v.definition);
  if (!v.materialized) {
    imports.add('view');
    const options: [string, string][] = [];
    if (v.securityBarrier === true) options.push(['securityBarrier', 'true']);
    if (v.checkOption !== undefined) options.push(['checkOption', quoteString(v.checkOption)]);
    if (v.comment !== undefined) options.push(['comment', quoteString(v.comment)]);
    return `export const ${variable} = view(${[quoteString(v.name), query, ...(options.length > 0 ? [objectLiteral(options)] : [])].join(', ')});`;
  }
  imports.add('materializedView');
  const args = [quoteString(v.name), query];
  const entries: [string, string][] = [];
  if (v.withData === false) entries.push(['withData', 'false']);
  if (v.comment !== undefined) entries.push(['comment', quoteString(v.comment)]);
  const options = entries.length > 0 ? objectLiteral(entries) : null;
  const indexes = v.indexes ?? [];
  if (indexes.length > 0) args.push(options ?? '{}', `(m) => [\n${indexes.map((x) => `  ${viewIndex(v, x, naming, imports)},`).join('\n')}\n]`);
  else if (options !== null) args.push(options);
  return `export const ${variable} = materializedView(${args.join(', ')});`;
}

/** One index of a materialized view, as table() takes it; `m.x` for the view's column x, sql`...` for an expression. */
function viewIndex(v: ViewIR, x: IndexIR, naming: NamingConvention, imports: Imports): string {
  // Without the view's columns (never the case for a view read back) a plain name is taken for a column.
  const isColumn = (c: string) => (v.columns === undefined ? /^[\p{L}_][\p{L}\p{N}_$]*$/u.test(c) : v.columns.some((col) => col.name === c));
  // The normaliser cannot know a declared view's columns, so it writes every key as an expression: `(category)`
  // is the column category, as PostgreSQL takes it too.
  const key = (c: string) => {
    const bare = /^\((?:"((?:[^"]|"")+)"|([a-z_][a-z0-9_$]*))\)$/.exec(c);
    const name = bare === null ? null : (bare[1]?.replace(/""/g, '"') ?? bare[2]!);
    return name !== null && isColumn(name) ? name : c;
  };
  const sqlOf = (text: string) => {
    imports.add('sql');
    return sqlTemplate(text);
  };
  const builder = x.unique ? 'uniqueIndex' : 'index';
  imports.add(builder);
  const keys = x.columns.map(key);
  const dflt = applyNaming(naming.index, { table: v.name, columns: keys.map((c) => (isColumn(c) ? c : 'expr')) });
  const name = x.name === dflt ? '' : quoteString(x.name);
  const cols = keys.map((c) => (isColumn(c) ? member('m', c) : sqlOf(c))).join(', ');
  const where = x.where === null ? '' : `.where(${sqlOf(x.where)})`;
  const using = x.method === undefined ? '' : `.using(${quoteString(x.method)})`;
  const include = (x.include ?? []).length === 0 ? '' : `.include(${x.include!.map((c) => member('m', c)).join(', ')})`;
  const nnd = x.nullsNotDistinct === true ? '.nullsNotDistinct()' : '';
  return `${builder}(${name}).on(${cols})${where}${using}${include}${nnd}`;
}

/** Views with the views they read first, where they can be (a view reads only what exists when it is created). */
export function viewDependencyOrder(views: readonly ViewIR[]): ViewIR[] {
  const byName = new Map(views.map((v) => [v.name, v]));
  const out: ViewIR[] = [];
  const seen = new Set<string>();
  const visit = (v: ViewIR) => {
    if (seen.has(v.name)) return;
    seen.add(v.name);
    for (const d of v.dependsOn ?? []) {
      const target = byName.get(d);
      if (target !== undefined) visit(target);
    }
    out.push(v);
  };
  for (const v of views) visit(v);
  return out;
}

/** A view pull leaves out, and the relations left out that it reads. */
export interface LeftOutView {
  readonly name: string;
  readonly reads: readonly string[];
}

/**
 * The views that read a relation in `leftOut`, directly or through another view left out: declared without it, a
 * view would be created over a table the models do not create (a fresh database built from them fails there).
 * `kept` is the others, in their order.
 */
export function viewsOverLeftOut(views: readonly ViewIR[], leftOut: ReadonlySet<string>): { kept: ViewIR[]; leftOut: LeftOutView[] } {
  const gone = new Set(leftOut);
  const out = new Map<string, string[]>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const v of views) {
      if (out.has(v.name) || gone.has(v.name)) continue;
      const reads = (v.dependsOn ?? []).filter((d) => gone.has(d));
      if (reads.length === 0) continue;
      out.set(v.name, reads);
      gone.add(v.name);
      changed = true;
    }
  }
  return {
    kept: views.filter((v) => !out.has(v.name) && !leftOut.has(v.name)),
    leftOut: [...out].map(([name, reads]) => ({ name, reads })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}
