/**
 * The names a view's query mentions, found with the shared quote-aware scanner (not a parser: a column that
 * shares a table's name counts too, which only adds an ordering constraint). Declared views get their
 * dependencies from here; PostgreSQL's live views get theirs from pg_depend.
 */
import type { SchemaIR, ViewIR } from '../ir/ir.js';
import { quotedRunAt, type SqlSyntax } from './sql-text.js';

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * Each name in `text`: bare words as `fold` spells them, quoted names as written (doubled quotes undone); and each
 * pair written `a.b` (quoted or not) also as the one name `a.b`, as the IR names an object of a named schema.
 */
export function namesIn(text: string, syntax: SqlSyntax, fold: (word: string) => string): Set<string> {
  const out = new Set<string>();
  // The name found last and where it ended: followed by a dot and a name, the two are `billing.total` too.
  let priorName = '';
  let priorEnd = -2;
  const found = (name: string, start: number, end: number) => {
    out.add(name);
    if (priorEnd === start - 1 && text[priorEnd] === '.') out.add(`${priorName}.${name}`);
    priorName = name;
    priorEnd = end;
  };
  for (let i = 0; i < text.length;) {
    const run = quotedRunAt(text, i, syntax);
    if (run) {
      if (run.kind === 'name' && run.closed) {
        const close = text[run.end - 1]!;
        found(text.slice(i + 1, run.end - 1).split(close + close).join(close), i, run.end);
      }
      i = run.end;
      continue;
    }
    if (WORD_START.test(text[i]!) && (i === 0 || !WORD_CHAR.test(text[i - 1]!))) {
      let j = i + 1;
      while (j < text.length && WORD_CHAR.test(text[j]!)) j++;
      found(fold(text.slice(i, j)), i, j);
      i = j;
      continue;
    }
    i++;
  }
  return out;
}

/**
 * `schema`'s views, each with `dependsOn` where it had none (declared views): the tables and other views of the
 * schema its query mentions. `key` is how the dialect compares names (SQLite: without ASCII case).
 */
export function withViewDependencies(schema: SchemaIR, syntax: SqlSyntax, fold: (word: string) => string, key: (name: string) => string = (n) => n): readonly ViewIR[] | undefined {
  if (schema.views === undefined) return undefined;
  const relations = new Map<string, string>([...schema.tables.map((t) => t.name), ...schema.views.map((v) => v.name)].map((n) => [key(n), n]));
  return schema.views.map((v) => {
    if (v.dependsOn !== undefined) return v;
    const found = new Set<string>();
    for (const n of namesIn(v.definition, syntax, fold)) {
      const r = relations.get(key(n));
      if (r !== undefined && r !== v.name) found.add(r);
    }
    return { ...v, dependsOn: [...found].sort() };
  });
}
