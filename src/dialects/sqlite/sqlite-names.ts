/**
 * Column names inside SQLite SQL text (CHECK expressions, index expressions
 * and predicates, trigger and view bodies): whether a text names a column,
 * and the text with a column renamed. A table rebuild needs both to carry
 * what depends on a column through a drop or a rename.
 */
import type { SqlNames } from '../../operations/apply-policy.js';
import { quoteIdentifier as quoteId } from '../sql-quote.js';
import { quotedRunAt } from '../sql-text.js';
import { asciiLower, sqliteSyntax, unquote } from './sqlite-sql-text.js';

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// SQL tokens that can hold a name: string literals (never names), "quoted", `quoted` and [quoted] identifiers, bare words.
const NAME_TOKENS = /('(?:[^']|'')*')|"((?:[^"]|"")*)"|`((?:[^`]|``)*)`|\[([^\]]*)\]|([\p{L}_][\p{L}\p{N}_$]*)/gu;

// SQLite compares identifiers case-insensitively (ASCII letters only).
const sameName = (a: string, b: string) => asciiLower(a) === asciiLower(b);

function tokenName(m: RegExpMatchArray): string | undefined {
  if (m[2] !== undefined) return m[2].replace(/""/g, '"');
  if (m[3] !== undefined) return m[3].replace(/``/g, '`');
  return m[4] ?? m[5];
}

/**
 * Whether SQL text mentions a name, as a bare word or quoted. Whole tokens only: a name inside
 * a string literal or inside a longer quoted identifier (`order` in "Order Items_id") is not it.
 */
export function mentions(sql: string, name: string): boolean {
  for (const m of sql.matchAll(NAME_TOKENS)) {
    const n = tokenName(m);
    if (n !== undefined && sameName(n, name)) return true;
  }
  return false;
}

/** Renames a column inside SQL text (checks, partial-index WHERE, trigger bodies), leaving string literals alone. */
export function renameInSql(sql: string, from: string, to: string): string {
  const quotedTo = quoteId(to);
  // A bare name stays bare where it can, so that renaming back gives the text it started from.
  const bareTo = /^[A-Za-z_][A-Za-z0-9_]*$/.test(to) ? to : quotedTo;
  return sql.replace(NAME_TOKENS, (...args: unknown[]) => {
    const m = args.slice(0, 6) as unknown as RegExpMatchArray;
    const n = tokenName(m);
    if (n === undefined || !sameName(n, from)) return m[0];
    return m[5] !== undefined ? bareTo : quotedTo;
  });
}

/**
 * Renames a column of a trigger's own table inside the trigger: `NEW.col`, `OLD.col` and the
 * `UPDATE OF` list. Bare names in the body belong to the tables its statements name, so they stay.
 */
export function renameInTrigger(sql: string, from: string, to: string): string {
  const quotedTo = quoteId(to);
  const name = `(?:"${escapeRe(from.replace(/"/g, '""'))}"|${escapeRe(from)}(?![A-Za-z0-9_$]))`;
  const refs = sql.replace(new RegExp(`\\b(NEW|OLD)\\s*\\.\\s*${name}`, 'gi'), (_m, which: string) => `${which}.${quotedTo}`);
  return refs.replace(/\bUPDATE\s+OF\s+([\s\S]*?)\s+ON\b/i, (m, list: string) => m.replace(list, renameInSql(list, from, to)));
}

/** SQLite's way of naming columns in SQL text, for the shared applier. */
export const sqliteNames: SqlNames = { mentions, rename: renameInSql };

const WORD_START = /[\p{L}_]/u;
const WORD_CHAR = /[\p{L}\p{N}_$]/u;

/**
 * Renames a table or view inside SQL text (a view's query, a trigger's ON clause and body), read with the shared
 * scanner: strings and comments are left alone, and so is a name after a dot (`NEW.x`, `t.x`: a column), unless
 * the dot follows `main` or `temp` (a schema). A name before a dot (`x.col`) is the relation and is renamed. The new
 * name is written bare where the old one was bare and can be, so that renaming back gives the text it started from.
 */
export function renameRelationInSql(sql: string, from: string, to: string): string {
  const bareTo = /^[A-Za-z_][A-Za-z0-9_]*$/.test(to) ? to : quoteId(to);
  let out = '';
  // The name just before a dot, while the next token may still be qualified by it.
  let qualifier: string | null = null;
  let afterName: string | null = null;
  const name = (text: string, value: string, bare: boolean) => {
    const column = qualifier !== null && !['main', 'temp'].includes(asciiLower(qualifier));
    out += !column && sameName(value, from) ? (bare ? bareTo : quoteId(to)) : text;
    qualifier = null;
    afterName = value;
  };
  for (let i = 0; i < sql.length;) {
    const ch = sql[i]!;
    const run = quotedRunAt(sql, i, sqliteSyntax);
    if (run !== null) {
      const text = sql.slice(i, run.end);
      if (run.kind === 'name') name(text, unquote(text), false);
      else { out += text; if (run.kind !== 'comment') { qualifier = null; afterName = null; } }
      i = run.end;
      continue;
    }
    if (WORD_START.test(ch)) {
      let end = i + 1;
      while (end < sql.length && WORD_CHAR.test(sql[end]!)) end++;
      const word = sql.slice(i, end);
      name(word, word, true);
      i = end;
      continue;
    }
    if (ch === '.') { qualifier = afterName; afterName = null; }
    else if (!/\s/.test(ch)) { qualifier = null; afterName = null; }
    out += ch;
    i++;
  }
  return out;
}
