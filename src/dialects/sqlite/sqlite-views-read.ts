/**
 * SQLite's views: read from sqlite_master, which keeps the CREATE VIEW text as written, so a view's query is
 * that text after its top-level AS. Its dependencies are the tables and views its query names (found with the
 * shared scanner). Declared and live queries compare by a spelling with whitespace, comments, the case of
 * everything outside quotes and the quotes of plain names evened out: where those match, the declared view takes the live text, so a
 * formatting change is no change and a downgrade restores the text exactly.
 */
import type { SchemaIR, ViewIR } from '../../ir/ir.js';
import type { MasterRow } from './sqlite-introspector.js';
import { quotedRunAt, scanTopLevel } from '../sql-text.js';
import { withViewDependencies } from '../view-dependencies.js';
import { asciiLower, sqliteSyntax } from './sqlite-sql-text.js';

const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

// Where the top-level AS of a stored `CREATE VIEW name [(columns)] AS query` text starts; -1 when it has none.
function asAt(createSql: string): number {
  return scanTopLevel(createSql, sqliteSyntax, (ch, i, depth) =>
    depth === 0 && (ch === 'A' || ch === 'a') && /^as$/i.test(createSql.slice(i, i + 2)) && !WORD_CHAR.test(createSql[i - 1] ?? ' ') && !WORD_CHAR.test(createSql[i + 2] ?? ' '));
}

/** The query of a stored `CREATE VIEW name [(columns)] AS query` text. */
export function viewQuery(createSql: string): string {
  const at = asAt(createSql);
  return (at < 0 ? createSql : createSql.slice(at + 2)).trim().replace(/;$/, '').trim();
}

/** The column list of a stored `CREATE VIEW name (a, b) AS query` text (`(a, b)`), or null when it has none. */
export function viewColumnList(createSql: string): string | null {
  const head = createSql.slice(0, Math.max(asAt(createSql), 0)).trimEnd();
  if (!head.endsWith(')')) return null;
  // The list's opening parenthesis: the last one at the top level (a quoted name may hold parentheses).
  let open = -1;
  scanTopLevel(head, sqliteSyntax, (ch, i, depth) => {
    if (ch === '(' && depth === 0) open = i;
  });
  return open < 0 ? null : head.slice(open);
}

/**
 * The views of the database (but excluded ones), from the rows of sqlite_master in name order, with the tables and
 * views each one names: every table and view of the file counts, excluded ones too (as PostgreSQL's pg_depend names
 * them), so that pull can leave out a view over a table it leaves out. SQLite's own tables (`sqlite_%`) never count.
 */
export function sqliteViewsOf(master: readonly MasterRow[], exclude: (name: string) => boolean): ViewIR[] {
  // As `name NOT LIKE 'sqlite\_%'` reads them: without ASCII case.
  const rows = master.filter(([type, name]) => (type === 'table' || type === 'view') && !asciiLower(name).startsWith('sqlite_')).map(([type, name, , sql]) => ({ type, name, sql }));
  const views = rows.filter((r) => r.type === 'view' && r.sql !== null && !exclude(r.name)).map((r): ViewIR => ({ name: r.name, definition: viewQuery(r.sql!), materialized: false }));
  if (views.length === 0) return [];
  // Only names matter to the scan: every other relation stands as an empty table.
  const viewNames = new Set(views.map((v) => v.name));
  const others = rows.filter((r) => !viewNames.has(r.name)).map((r) => ({ name: r.name, columns: [], primaryKey: null, uniques: [], indexes: [], foreignKeys: [], checks: [], comment: null }));
  const schema: SchemaIR = { tables: others, enums: [], views };
  return [...(withViewDependencies(schema, sqliteSyntax, asciiLower, asciiLower) ?? [])];
}

/** A query's text with whitespace, comments and case outside quotes evened out, for comparison only. */
export function comparableQuery(text: string): string {
  const tokens: string[] = [];
  let word = '';
  const flush = () => {
    if (word !== '') tokens.push(asciiLower(word));
    word = '';
  };
  for (let i = 0; i < text.length;) {
    const run = quotedRunAt(text, i, sqliteSyntax);
    if (run) {
      flush();
      // A quoted name that could be written bare is the same name (SQLite quotes names it rewrites on a rename).
      const quoted = text.slice(i, run.end);
      const inner = quoted.slice(1, -1);
      if (run.kind === 'name' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(inner)) tokens.push(asciiLower(inner));
      else if (run.kind !== 'comment') tokens.push(quoted);
      i = run.end;
      continue;
    }
    const ch = text[i]!;
    if (WORD_CHAR.test(ch)) word += ch;
    else {
      flush();
      if (!/\s/.test(ch)) tokens.push(ch);
    }
    i++;
  }
  flush();
  while (tokens[tokens.length - 1] === ';') tokens.pop();
  return tokens.join(' ');
}

/** `declared` with each view whose query compares equal to the live one's taking the live text. */
export function canonicalSqliteViews(declared: SchemaIR, live: SchemaIR): SchemaIR {
  if (declared.views === undefined || live.views === undefined) return declared;
  const liveViews = new Map(live.views.map((v) => [asciiLower(v.name), v]));
  return {
    ...declared,
    views: declared.views.map((v) => {
      const l = liveViews.get(asciiLower(v.name));
      return l !== undefined && l.definition !== v.definition && comparableQuery(l.definition) === comparableQuery(v.definition) ? { ...v, definition: l.definition } : v;
    }),
  };
}
