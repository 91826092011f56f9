/**
 * SQLite's CREATE text read the simple way, for tests to check src/dialects/sqlite/sqlite-sql-text.ts and
 * sqlite-table-text.ts against: tokens as objects over the shared scanner (src/dialects/sql-text.ts), and a table's
 * text read by splitting it on its commas and tokenizing each part on its own, as the reader did before it read a
 * table's tokens once as ranges (issue 24).
 */
import { closingParen, quotedRunAt, scanTopLevel, splitTopLevel as sharedSplit, stripOuterParens as sharedStrip } from '../../src/dialects/sql-text.js';
import { sqliteSyntax, unquote, type Token } from '../../src/dialects/sqlite/sqlite-sql-text.js';
import type { ColumnTypeParts, Generated } from '../../src/dialects/sqlite/sqlite-column-type.js';
import type { TableText, WrittenConstraint } from '../../src/dialects/sqlite/sqlite-table-text.js';

/** The tokenizer as it was written over the shared scanner. */
export function referenceTokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const run = quotedRunAt(sql, i, sqliteSyntax);
    if (run?.kind === 'comment') { i = run.end; continue; }
    if (/\s/.test(ch)) { i++; continue; }
    let end: number;
    let kind: Token['kind'];
    if (run) { end = run.end; kind = run.kind === 'string' ? 'string' : 'quoted'; }
    else if (ch === '(') { const close = closingParen(sql, i, sqliteSyntax); end = close < 0 ? sql.length : close + 1; kind = 'group'; }
    else if (/[A-Za-z0-9_$\u0080-\uffff]/.test(ch)) {
      end = i;
      while (end < sql.length && /[A-Za-z0-9_$.\u0080-\uffff]/.test(sql[end]!)) end++;
      kind = 'word';
    } else { end = i + 1; kind = 'punct'; }
    const text = sql.slice(i, end);
    out.push({ kind, text, inner: kind === 'group' ? text.slice(1, -1) : '' });
    i = end;
  }
  return out;
}

/** Splits on top-level commas, parts trimmed, an empty last part left out. */
export function referenceSplit(sql: string): string[] {
  const parts = sharedSplit(sql, sqliteSyntax);
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** The text of the first top-level group, and what follows it. */
export function referenceFirstGroup(sql: string): { inner: string; after: string } | null {
  const open = scanTopLevel(sql, sqliteSyntax, (ch) => ch === '(');
  if (open < 0) return null;
  const close = closingParen(sql, open, sqliteSyntax);
  const end = close < 0 ? sql.length : close + 1;
  return { inner: sql.slice(open + 1, end - 1), after: sql.slice(end) };
}

/** SQLite's keywords are ASCII, compared without case. */
const is = (t: Token | undefined, kw: string) => t !== undefined && t.kind === 'word' && t.text.replace(/[a-z]+/g, (m) => m.toUpperCase()) === kw;
const strip = (e: string) => sharedStrip(e, sqliteSyntax);

function columnClauses(tokens: readonly Token[]): ColumnTypeParts {
  const words = ['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS'];
  let end = 0;
  while (end < tokens.length && !words.some((w) => is(tokens[end], w))) end++;
  let collate: string | null = null;
  let generated: Generated | null = null;
  for (let i = end; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (is(t, 'COLLATE') && tokens[i + 1]) { collate = unquote(tokens[++i]!.text); }
    else if (is(t, 'AS') && tokens[i + 1]?.kind === 'group') { generated = { expression: strip(tokens[i + 1]!.inner), stored: is(tokens[i + 2], 'STORED') }; i++; }
    else if ((is(t, 'CHECK') || is(t, 'DEFAULT')) && tokens[i + 1]?.kind === 'group') i++;
  }
  return { base: tokens.slice(0, end).map((t) => t.text).join(' ').replace(/\s+\(/g, '('), collate, generated };
}

/** A custom type's parts, read from its own tokens. */
export function referenceColumnType(text: string): ColumnTypeParts {
  return columnClauses(referenceTokenize(text));
}

const columnList = (g: Token | undefined) => (g?.kind !== 'group' ? [] : referenceSplit(g.inner).map((part) => unquote(referenceTokenize(part)[0]?.text ?? part)));
const isOrdered = (g: Token | undefined) => g?.kind === 'group' && referenceSplit(g.inner).some((part) => {
  const rest = referenceTokenize(part).slice(1);
  return rest.length > 0 && !(rest.length === 1 && is(rest[0], 'ASC'));
});

function deferrable(tokens: readonly Token[], from: number): string | null {
  for (let i = from; i < tokens.length; i++) {
    if (['CONSTRAINT', 'REFERENCES', 'CHECK', 'UNIQUE', 'PRIMARY'].some((w) => is(tokens[i], w))) return null;
    if (!is(tokens[i], 'DEFERRABLE')) continue;
    const start = is(tokens[i - 1], 'NOT') ? i - 1 : i;
    const end = is(tokens[i + 1], 'INITIALLY') && tokens[i + 2] ? i + 3 : i + 1;
    return tokens.slice(start, end).map((x) => x.text.toUpperCase()).join(' ');
  }
  return null;
}

function constraints(tokens: readonly Token[], onColumn: string | null): WrittenConstraint[] {
  const out: WrittenConstraint[] = [];
  let name: string | null = null;
  const add = (c: Pick<WrittenConstraint, 'kind' | 'columns'> & Partial<WrittenConstraint>) => {
    out.push({ name, expression: '', refTable: '', onColumn, deferrable: null, ordered: false, ...c });
    name = null;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (is(t, 'CONSTRAINT')) { name = unquote(tokens[++i]?.text ?? ''); }
    else if (is(t, 'PRIMARY') && is(tokens[i + 1], 'KEY')) {
      const g = tokens[i + 2];
      add({ kind: 'primaryKey', columns: onColumn === null ? columnList(g) : [onColumn], ordered: onColumn === null ? isOrdered(g) : is(g, 'DESC') });
    } else if (is(t, 'UNIQUE')) add({ kind: 'unique', columns: onColumn === null ? columnList(tokens[i + 1]) : [onColumn], ordered: onColumn === null && isOrdered(tokens[i + 1]) });
    else if (is(t, 'CHECK') && tokens[i + 1]?.kind === 'group') add({ kind: 'check', columns: onColumn === null ? [] : [onColumn], expression: strip(tokens[++i]!.inner) });
    else if (is(t, 'FOREIGN') && is(tokens[i + 1], 'KEY')) {
      add({ kind: 'foreignKey', columns: columnList(tokens[i + 2]), refTable: is(tokens[i + 3], 'REFERENCES') ? unquote(tokens[i + 4]?.text ?? '') : '', deferrable: deferrable(tokens, i + 5) });
      i += 4;
    } else if (is(t, 'REFERENCES') && onColumn !== null) {
      add({ kind: 'foreignKey', columns: [onColumn], refTable: unquote(tokens[i + 1]?.text ?? ''), deferrable: deferrable(tokens, i + 2) });
      i++;
    } else if (['NOT', 'NULL', 'DEFAULT', 'COLLATE', 'GENERATED', 'AS'].some((w) => is(t, w))) name = null;
  }
  return out;
}

/** A CREATE TABLE text read part by part. */
export function referenceTableText(sql: string): TableText {
  const body = referenceFirstGroup(sql);
  const out = { constraints: [] as WrittenConstraint[], autoIncrementColumns: new Set<string>(), withoutRowid: false, strict: false, columns: new Map<string, ColumnTypeParts>(), onConflict: null as string | null };
  if (!body) return out;
  for (const item of referenceSplit(body.inner)) {
    const tokens = referenceTokenize(item);
    const first = tokens[0];
    if (!first) continue;
    const conflicts = tokens.some((t, i) => is(t, 'ON') && is(tokens[i + 1], 'CONFLICT'));
    if (['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'].some((w) => is(first, w))) {
      out.constraints.push(...constraints(tokens, null));
      if (conflicts) out.onConflict ??= 'a table constraint';
      continue;
    }
    const column = unquote(first.text);
    if (conflicts) out.onConflict ??= `column "${column}"`;
    if (tokens.some((t) => is(t, 'AUTOINCREMENT'))) out.autoIncrementColumns.add(column);
    out.columns.set(column.toLowerCase(), columnClauses(tokens.slice(1)));
    out.constraints.push(...constraints(tokens.slice(1), column));
  }
  const options = referenceTokenize(body.after).filter((t) => t.kind === 'word');
  out.withoutRowid = options.some((o, i) => is(o, 'WITHOUT') && is(options[i + 1], 'ROWID'));
  out.strict = options.some((o) => is(o, 'STRICT'));
  return out;
}

/** A CREATE INDEX text's keys and WHERE clause, read part by part. */
export function referenceIndexText(sql: string): { columns: string[]; where: string | null } {
  const body = referenceFirstGroup(sql);
  if (!body) return { columns: [], where: null };
  const columns = referenceSplit(body.inner).map((part) => {
    const tokens = referenceTokenize(part);
    return tokens.length === 1 && (tokens[0]!.kind === 'quoted' || tokens[0]!.kind === 'word') ? unquote(tokens[0]!.text) : part.trim();
  });
  const m = /^\s*WHERE\s+([\s\S]*)$/i.exec(body.after);
  return { columns, where: m ? strip(m[1]!.trim().replace(/;\s*$/, '')) : null };
}
