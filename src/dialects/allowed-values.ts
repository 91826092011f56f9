/**
 * Reading a CHECK of allowed values, `col IN ('a', 'b')`, with the shared
 * scanner and a dialect's lexical rules: what destructive-change detection
 * needs to tell that a narrower list replaced a wider one. Each dialect first
 * brings its stored spelling to this shape (PostgreSQL stores `= ANY (ARRAY[...])`).
 */
import type { AllowedValues } from '../operations/destructive.js';
import { closingParen, quotedRunAt, scanTopLevel, splitTopLevel, stripOuterParens, type SqlSyntax } from './sql-text.js';

/** The whole of `text` as one closed quoted run of `kind`, without its quotes and with doubled closers undone; null otherwise. */
function quotedWhole(text: string, kind: 'string' | 'name', syntax: SqlSyntax): string | null {
  const run = quotedRunAt(text, 0, syntax);
  if (run === null || run.kind !== kind || !run.closed || run.end !== text.length) return null;
  const rule = syntax.quotes.find((q) => q.open === text[0] && q.kind === kind);
  if (rule === undefined) return null;
  const inner = text.slice(1, -1);
  return rule.doubled ? inner.split(rule.close + rule.close).join(rule.close) : inner;
}

/** `col IN ('a', 'b')` (in any parentheses) as its column, unquoted, and its values; null for any other expression. */
export function inListValues(expression: string, syntax: SqlSyntax): AllowedValues | null {
  const e = stripOuterParens(expression, syntax);
  const open = scanTopLevel(e, syntax, (ch, _i, depth) => ch === '(' && depth === 0);
  if (open < 0 || closingParen(e, open, syntax) !== e.length - 1) return null;
  const head = e.slice(0, open).trimEnd();
  const keyword = head.slice(-2);
  const before = head.slice(0, -2);
  if (keyword.toUpperCase() !== 'IN' || before.trimEnd() === before) return null;
  const columnText = before.trim();
  const column = quotedWhole(columnText, 'name', syntax) ?? (/^[\p{L}_][\p{L}\p{N}_$]*$/u.test(columnText) ? columnText : null);
  if (column === null) return null;
  const values: string[] = [];
  for (const part of splitTopLevel(e.slice(open + 1, -1), syntax)) {
    const value = quotedWhole(part, 'string', syntax);
    if (value === null) return null;
    values.push(value);
  }
  return { column, values };
}
