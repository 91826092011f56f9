/**
 * Reads what only the CREATE TABLE text holds: constraint names, CHECK
 * expressions and the AUTOINCREMENT keyword. SQLite's PRAGMAs report columns,
 * keys and indexes but neither names nor CHECKs, so the introspector combines
 * the two.
 */
import { firstGroup, isKeyword, splitTopLevel, stripOuterParens, tokenize, unquote, type Token } from './sqlite-sql-text.js';

/** A constraint as written in CREATE TABLE, at table or column level. */
export interface WrittenConstraint {
  readonly kind: 'primaryKey' | 'unique' | 'check' | 'foreignKey';
  readonly name: string | null;
  readonly columns: readonly string[];
  /** CHECK: the expression inside the parentheses, as written. */
  readonly expression: string;
  readonly refTable: string;
  /** The column a column-level constraint was written on, or null for table-level. */
  readonly onColumn: string | null;
}

/** What the CREATE TABLE text says beyond the PRAGMAs. */
export interface TableText {
  readonly constraints: readonly WrittenConstraint[];
  readonly autoIncrementColumns: ReadonlySet<string>;
  readonly withoutRowid: boolean;
}

const TABLE_CONSTRAINT_START = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);

function columnList(group: Token | undefined): string[] {
  if (!group || group.kind !== 'group') return [];
  // Keep the name only: "a" COLLATE NOCASE DESC -> a
  return splitTopLevel(group.inner).map((part) => unquote(tokenize(part)[0]?.text ?? part));
}

/** Reads the constraints in a token run (a column definition's tail or a table constraint). */
function readConstraints(tokens: readonly Token[], onColumn: string | null): WrittenConstraint[] {
  const out: WrittenConstraint[] = [];
  let name: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const base = { name, expression: '', refTable: '', onColumn };
    if (isKeyword(t, 'CONSTRAINT')) { name = unquote(tokens[i + 1]?.text ?? ''); i++; continue; }
    if (isKeyword(t, 'PRIMARY') && isKeyword(tokens[i + 1], 'KEY')) {
      const g = tokens[i + 2];
      out.push({ ...base, kind: 'primaryKey', columns: onColumn === null ? columnList(g) : [onColumn] });
      name = null;
    } else if (isKeyword(t, 'UNIQUE')) {
      out.push({ ...base, kind: 'unique', columns: onColumn === null ? columnList(tokens[i + 1]) : [onColumn] });
      name = null;
    } else if (isKeyword(t, 'CHECK') && tokens[i + 1]?.kind === 'group') {
      out.push({ ...base, kind: 'check', columns: onColumn === null ? [] : [onColumn], expression: stripOuterParens(tokens[i + 1]!.inner) });
      name = null;
      i++;
    } else if (isKeyword(t, 'FOREIGN') && isKeyword(tokens[i + 1], 'KEY')) {
      const cols = columnList(tokens[i + 2]);
      const ref = isKeyword(tokens[i + 3], 'REFERENCES') ? unquote(tokens[i + 4]?.text ?? '') : '';
      out.push({ ...base, kind: 'foreignKey', columns: cols, refTable: ref });
      name = null;
      i += 4;
    } else if (isKeyword(t, 'REFERENCES') && onColumn !== null) {
      out.push({ ...base, kind: 'foreignKey', columns: [onColumn], refTable: unquote(tokens[i + 1]?.text ?? '') });
      name = null;
      i++;
    } else if (isKeyword(t, 'NOT') || isKeyword(t, 'NULL') || isKeyword(t, 'DEFAULT') || isKeyword(t, 'COLLATE') || isKeyword(t, 'GENERATED') || isKeyword(t, 'AS')) {
      name = null;
    }
  }
  return out;
}

/** Reads the CREATE TABLE text of one table. */
export function readTableText(sql: string): TableText {
  const body = firstGroup(sql);
  if (!body) return { constraints: [], autoIncrementColumns: new Set(), withoutRowid: false };
  const constraints: WrittenConstraint[] = [];
  const autoIncrementColumns = new Set<string>();
  for (const item of splitTopLevel(body.inner)) {
    const tokens = tokenize(item);
    const first = tokens[0];
    if (!first) continue;
    if (first.kind === 'word' && TABLE_CONSTRAINT_START.has(first.text.toUpperCase())) {
      constraints.push(...readConstraints(tokens, null));
      continue;
    }
    const column = unquote(first.text);
    if (tokens.some((t) => isKeyword(t, 'AUTOINCREMENT'))) autoIncrementColumns.add(column);
    constraints.push(...readConstraints(tokens.slice(1), column));
  }
  const withoutRowid = /\bWITHOUT\s+ROWID\b/i.test(body.after);
  return { constraints, autoIncrementColumns, withoutRowid };
}

/** Reads a CREATE INDEX statement's column list (names unquoted, expressions as written) and WHERE clause. */
export function readIndexText(sql: string): { columns: string[]; where: string | null } {
  const body = firstGroup(sql);
  if (!body) return { columns: [], where: null };
  const columns = splitTopLevel(body.inner).map((part) => {
    const tokens = tokenize(part);
    // A bare column, optionally with COLLATE / ASC / DESC, is reported by name; anything else is an expression.
    const simple = tokens.length >= 1 && (tokens[0]!.kind === 'quoted' || tokens[0]!.kind === 'word') &&
      tokens.slice(1).every((t) => t.kind === 'word' || t.kind === 'quoted');
    return simple ? unquote(tokens[0]!.text) : part.trim();
  });
  const m = /^\s*WHERE\s+([\s\S]*)$/i.exec(body.after);
  return { columns, where: m ? stripOuterParens(m[1]!.trim().replace(/;\s*$/, '')) : null };
}
