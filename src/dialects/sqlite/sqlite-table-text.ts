/**
 * Reads what only the CREATE TABLE text holds: constraint names, CHECK
 * expressions, the AUTOINCREMENT keyword, COLLATE and GENERATED clauses,
 * DEFERRABLE foreign keys, ON CONFLICT clauses and the STRICT / WITHOUT ROWID
 * options. SQLite's PRAGMAs report columns, keys and indexes but none of
 * these, so the introspector and the table rebuild combine the two.
 */
import { readColumnClauses, type ColumnTypeParts } from './sqlite-column-type.js';
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
  /** FOREIGN KEY: its `[NOT] DEFERRABLE [INITIALLY ...]` clause as written, or null. */
  readonly deferrable: string | null;
  /** UNIQUE / PRIMARY KEY: true when a key column carries COLLATE, ASC or DESC, which the IR cannot hold. */
  readonly ordered: boolean;
}

/** What the CREATE TABLE text says beyond the PRAGMAs. */
export interface TableText {
  readonly constraints: readonly WrittenConstraint[];
  readonly autoIncrementColumns: ReadonlySet<string>;
  readonly withoutRowid: boolean;
  readonly strict: boolean;
  /** Each column's type name and COLLATE / GENERATED clauses, by lower-cased column name. */
  readonly columns: ReadonlyMap<string, ColumnTypeParts>;
  /** Where an ON CONFLICT clause is written (`column "email"`, `a table constraint`), or null when nowhere. */
  readonly onConflict: string | null;
}

const TABLE_CONSTRAINT_START = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);

function columnList(group: Token | undefined): string[] {
  if (!group || group.kind !== 'group') return [];
  // Keep the name only: "a" COLLATE NOCASE DESC -> a
  return splitTopLevel(group.inner).map((part) => unquote(tokenize(part)[0]?.text ?? part));
}

/** True when a key column list has an entry beyond a bare name (`a COLLATE NOCASE`, `a DESC`); plain ASC is the default. */
function isOrdered(group: Token | undefined): boolean {
  if (!group || group.kind !== 'group') return false;
  return splitTopLevel(group.inner).some((part) => {
    const rest = tokenize(part).slice(1);
    return rest.length > 0 && !(rest.length === 1 && isKeyword(rest[0], 'ASC'));
  });
}

/** The `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]` clause in a foreign key's tokens, or null. */
function deferrableClause(tokens: readonly Token[], from: number): string | null {
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isKeyword(t, 'CONSTRAINT') || isKeyword(t, 'REFERENCES') || isKeyword(t, 'CHECK') || isKeyword(t, 'UNIQUE') || isKeyword(t, 'PRIMARY')) return null;
    if (!isKeyword(t, 'DEFERRABLE')) continue;
    const start = isKeyword(tokens[i - 1], 'NOT') ? i - 1 : i;
    const end = isKeyword(tokens[i + 1], 'INITIALLY') && tokens[i + 2] ? i + 3 : i + 1;
    return tokens.slice(start, end).map((x) => x.text.toUpperCase()).join(' ');
  }
  return null;
}

/** Reads the constraints in a token run (a column definition's tail or a table constraint). */
function readConstraints(tokens: readonly Token[], onColumn: string | null): WrittenConstraint[] {
  const out: WrittenConstraint[] = [];
  let name: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // Most tokens are neither a keyword nor a name: test the kind first, and build a constraint only on a match.
    if (t.kind !== 'word') continue;
    const base = { name, expression: '', refTable: '', onColumn, deferrable: null, ordered: false };
    if (isKeyword(t, 'CONSTRAINT')) { name = unquote(tokens[i + 1]?.text ?? ''); i++; continue; }
    if (isKeyword(t, 'PRIMARY') && isKeyword(tokens[i + 1], 'KEY')) {
      const g = tokens[i + 2];
      // Column level, INTEGER PRIMARY KEY DESC is famously not a rowid alias; ASC changes nothing.
      const ordered = onColumn === null ? isOrdered(g) : isKeyword(g, 'DESC');
      out.push({ ...base, kind: 'primaryKey', columns: onColumn === null ? columnList(g) : [onColumn], ordered });
      name = null;
    } else if (isKeyword(t, 'UNIQUE')) {
      out.push({ ...base, kind: 'unique', columns: onColumn === null ? columnList(tokens[i + 1]) : [onColumn], ordered: onColumn === null && isOrdered(tokens[i + 1]) });
      name = null;
    } else if (isKeyword(t, 'CHECK') && tokens[i + 1]?.kind === 'group') {
      out.push({ ...base, kind: 'check', columns: onColumn === null ? [] : [onColumn], expression: stripOuterParens(tokens[i + 1]!.inner) });
      name = null;
      i++;
    } else if (isKeyword(t, 'FOREIGN') && isKeyword(tokens[i + 1], 'KEY')) {
      const cols = columnList(tokens[i + 2]);
      const ref = isKeyword(tokens[i + 3], 'REFERENCES') ? unquote(tokens[i + 4]?.text ?? '') : '';
      out.push({ ...base, kind: 'foreignKey', columns: cols, refTable: ref, deferrable: deferrableClause(tokens, i + 5) });
      name = null;
      i += 4;
    } else if (isKeyword(t, 'REFERENCES') && onColumn !== null) {
      out.push({ ...base, kind: 'foreignKey', columns: [onColumn], refTable: unquote(tokens[i + 1]?.text ?? ''), deferrable: deferrableClause(tokens, i + 2) });
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
  if (!body) return { constraints: [], autoIncrementColumns: new Set(), withoutRowid: false, strict: false, columns: new Map(), onConflict: null };
  const constraints: WrittenConstraint[] = [];
  const autoIncrementColumns = new Set<string>();
  const columns = new Map<string, ColumnTypeParts>();
  let onConflict: string | null = null;
  for (const item of splitTopLevel(body.inner)) {
    const tokens = tokenize(item);
    const first = tokens[0];
    if (!first) continue;
    const conflicts = tokens.some((t, i) => isKeyword(t, 'ON') && isKeyword(tokens[i + 1], 'CONFLICT'));
    if (first.kind === 'word' && TABLE_CONSTRAINT_START.has(first.text.toUpperCase())) {
      constraints.push(...readConstraints(tokens, null));
      if (conflicts) onConflict ??= 'a table constraint';
      continue;
    }
    const column = unquote(first.text);
    if (conflicts) onConflict ??= `column "${column}"`;
    if (tokens.some((t) => isKeyword(t, 'AUTOINCREMENT'))) autoIncrementColumns.add(column);
    columns.set(column.toLowerCase(), readColumnClauses(tokens.slice(1)));
    constraints.push(...readConstraints(tokens.slice(1), column));
  }
  // Table options follow the closing parenthesis, comma-separated, in any order.
  const options = tokenize(body.after).filter((t) => t.kind === 'word').map((t) => t.text.toUpperCase());
  const withoutRowid = options.some((o, i) => o === 'WITHOUT' && options[i + 1] === 'ROWID');
  return { constraints, autoIncrementColumns, withoutRowid, strict: options.includes('STRICT'), columns, onConflict };
}

/** Reads a CREATE INDEX statement's column list (names unquoted, expressions as written) and WHERE clause. */
export function readIndexText(sql: string): { columns: string[]; where: string | null } {
  const body = firstGroup(sql);
  if (!body) return { columns: [], where: null };
  const columns = splitTopLevel(body.inner).map((part) => {
    const tokens = tokenize(part);
    // A bare column is reported by name; anything else, COLLATE / DESC included, as written (normalizeIndexEntry spells it).
    const simple = tokens.length === 1 && (tokens[0]!.kind === 'quoted' || tokens[0]!.kind === 'word');
    return simple ? unquote(tokens[0]!.text) : part.trim();
  });
  const m = /^\s*WHERE\s+([\s\S]*)$/i.exec(body.after);
  return { columns, where: m ? stripOuterParens(m[1]!.trim().replace(/;\s*$/, '')) : null };
}
