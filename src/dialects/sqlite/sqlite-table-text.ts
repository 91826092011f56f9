/**
 * Reads what only the CREATE TABLE text holds: constraint names, CHECK
 * expressions, the AUTOINCREMENT keyword, COLLATE and GENERATED clauses,
 * DEFERRABLE foreign keys, ON CONFLICT clauses and the STRICT / WITHOUT ROWID
 * options. SQLite's PRAGMAs report columns, keys and indexes but none of
 * these, so the introspector and the table rebuild combine the two.
 */
import { readColumnClauses, type ColumnTypeParts } from './sqlite-column-type.js';
import { firstGroupTokens, KW, stripOuterParens, TokenList, unquote } from './sqlite-sql-text.js';

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

/** True when token `i` starts a table constraint rather than a column definition. */
function startsTableConstraint(tokens: TokenList, i: number): boolean {
  return TABLE_CONSTRAINT_START.has(tokens.keyword(i));
}

const TABLE_CONSTRAINT_START = new Set([KW.CONSTRAINT, KW.PRIMARY, KW.UNIQUE, KW.CHECK, KW.FOREIGN]);
// Keywords that start another constraint after a foreign key's clauses.
const AFTER_FOREIGN_KEY = new Set([KW.CONSTRAINT, KW.REFERENCES, KW.CHECK, KW.UNIQUE, KW.PRIMARY]);

/**
 * Calls `entry` with each comma-separated entry of `tokens` as a token range [from, to), as splitTopLevel splits
 * their text: an entry may hold no token (nothing, or only a comment), and a trailing one is left out when empty.
 */
function eachEntry(tokens: TokenList, entry: (from: number, to: number) => void): void {
  let from = 0;
  for (const comma of tokens.commas) {
    entry(from, comma);
    from = comma + 1;
  }
  if (from < tokens.length || entryText(tokens, from, from) !== '') entry(from, tokens.length);
}

/** The text of the entry of tokens [from, to), as written between its commas, trimmed. */
function entryText(tokens: TokenList, from: number, to: number): string {
  return tokens.sql.slice(from === 0 ? tokens.from : tokens.end(from - 1), to < tokens.length ? tokens.start(to) : tokens.to).trim();
}

/**
 * A key column list, token `i` when it is a group: its names, the first token of each entry unquoted (`"a" COLLATE
 * NOCASE DESC` -> a), and whether an entry says more than a bare name (`a COLLATE NOCASE`, `a DESC`; plain ASC is
 * the default).
 */
function keyColumns(tokens: TokenList, i: number, to: number): { columns: string[]; ordered: boolean } {
  const columns: string[] = [];
  if (i >= to || !tokens.isGroup(i)) return { columns, ordered: false };
  const inside = tokens.inside(i);
  let ordered = false;
  eachEntry(inside, (from, end) => {
    columns.push(end > from ? inside.name(from) : entryText(inside, from, end));
    const rest = end - from - 1;
    if (rest > 0 && !(rest === 1 && inside.is(from + 1, KW.ASC))) ordered = true;
  });
  return { columns, ordered };
}

/**
 * The `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]` clause in a foreign key's tokens [from, to), or null; the
 * NOT may be as early as `floor`.
 */
function deferrableClause(tokens: TokenList, floor: number, from: number, to: number): string | null {
  for (let i = from; i < to; i++) {
    const k = tokens.keyword(i);
    if (AFTER_FOREIGN_KEY.has(k)) return null;
    if (k !== KW.DEFERRABLE) continue;
    const start = i > floor && tokens.is(i - 1, KW.NOT) ? i - 1 : i;
    const end = i + 2 < to && tokens.is(i + 1, KW.INITIALLY) ? i + 3 : i + 1;
    const words: string[] = [];
    for (let k = start; k < end; k++) words.push(tokens.text(k).toUpperCase());
    return words.join(' ');
  }
  return null;
}

/** A written constraint; the fields a kind does not use are empty. */
function written(kind: WrittenConstraint['kind'], name: string | null, onColumn: string | null, columns: readonly string[], more?: Partial<WrittenConstraint>): WrittenConstraint {
  return { kind, name, columns, expression: more?.expression ?? '', refTable: more?.refTable ?? '', onColumn, deferrable: more?.deferrable ?? null, ordered: more?.ordered ?? false };
}

// Column constraints that end a CONSTRAINT name's reach without taking it.
const UNNAMED = new Set([KW.NOT, KW.NULL, KW.DEFAULT, KW.COLLATE, KW.GENERATED, KW.AS]);

/** Reads the constraints in tokens [from, to) (a column definition's tail or a table constraint) into `out`. */
function readConstraints(tokens: TokenList, from: number, to: number, onColumn: string | null, out: WrittenConstraint[]): void {
  let name: string | null = null;
  const nameAt = (i: number) => (i < to ? tokens.name(i) : '');
  const keyword = (i: number, kw: number) => i < to && tokens.is(i, kw);
  for (let i = from; i < to; i++) {
    // Most tokens are none of the keywords (names, types, values).
    const k = tokens.keyword(i);
    if (k < 0) continue;
    if (k === KW.CONSTRAINT) { name = nameAt(i + 1); i++; continue; }
    if (k === KW.PRIMARY && keyword(i + 1, KW.KEY)) {
      // Column level, INTEGER PRIMARY KEY DESC is famously not a rowid alias; ASC changes nothing.
      const key = onColumn === null ? keyColumns(tokens, i + 2, to) : { columns: [onColumn], ordered: keyword(i + 2, KW.DESC) };
      out.push(written('primaryKey', name, onColumn, key.columns, { ordered: key.ordered }));
      name = null;
    } else if (k === KW.UNIQUE) {
      const key = onColumn === null ? keyColumns(tokens, i + 1, to) : { columns: [onColumn], ordered: false };
      out.push(written('unique', name, onColumn, key.columns, { ordered: key.ordered }));
      name = null;
    } else if (k === KW.CHECK && i + 1 < to && tokens.isGroup(i + 1)) {
      out.push(written('check', name, onColumn, onColumn === null ? [] : [onColumn], { expression: stripOuterParens(tokens.inner(i + 1)) }));
      name = null;
      i++;
    } else if (k === KW.FOREIGN && keyword(i + 1, KW.KEY)) {
      const refTable = keyword(i + 3, KW.REFERENCES) ? nameAt(i + 4) : '';
      out.push(written('foreignKey', name, onColumn, keyColumns(tokens, i + 2, to).columns, { refTable, deferrable: deferrableClause(tokens, from, i + 5, to) }));
      name = null;
      i += 4;
    } else if (k === KW.REFERENCES && onColumn !== null) {
      out.push(written('foreignKey', name, onColumn, [onColumn], { refTable: nameAt(i + 1), deferrable: deferrableClause(tokens, from, i + 2, to) }));
      name = null;
      i++;
    } else if (UNNAMED.has(k)) {
      name = null;
    }
  }
}

const ON_CONFLICT = 1;
const AUTOINCREMENT = 2;

/** Which of ON CONFLICT and AUTOINCREMENT tokens [from, to) hold, as ON_CONFLICT and AUTOINCREMENT bits: one pass for both. */
function clausesIn(tokens: TokenList, from: number, to: number): number {
  let found = 0;
  for (let i = from; i < to; i++) {
    const k = tokens.keyword(i);
    if (k === KW.AUTOINCREMENT) found |= AUTOINCREMENT;
    else if (k === KW.ON && i + 1 < to && tokens.is(i + 1, KW.CONFLICT)) found |= ON_CONFLICT;
  }
  return found;
}

/**
 * Reads the CREATE TABLE text of one table. Its body is tokenized once: the column definitions and table constraints
 * are the runs of tokens between its top-level commas.
 */
export function readTableText(sql: string): TableText {
  const body = firstGroupTokens(sql);
  if (!body) return { constraints: [], autoIncrementColumns: new Set(), withoutRowid: false, strict: false, columns: new Map(), onConflict: null };
  const constraints: WrittenConstraint[] = [];
  const autoIncrementColumns = new Set<string>();
  const columns = new Map<string, ColumnTypeParts>();
  let onConflict: string | null = null;
  const tokens = body.tokens;
  eachEntry(tokens, (first, end) => {
    if (end === first) return;
    const clauses = clausesIn(tokens, first, end);
    const conflicts = (clauses & ON_CONFLICT) !== 0;
    if (startsTableConstraint(tokens, first)) {
      readConstraints(tokens, first, end, null, constraints);
      if (conflicts) onConflict ??= 'a table constraint';
      return;
    }
    const column = tokens.name(first);
    if (conflicts) onConflict ??= `column "${column}"`;
    if ((clauses & AUTOINCREMENT) !== 0) autoIncrementColumns.add(column);
    columns.set(column.toLowerCase(), readColumnClauses(tokens, first + 1, end));
    readConstraints(tokens, first + 1, end, column, constraints);
  });
  // Table options follow the closing parenthesis, comma-separated, in any order.
  let withoutRowid = false;
  let strict = false;
  const options = new TokenList(sql, body.after);
  for (let i = 0, previous = -1; i < options.length; i++) {
    if (!options.isWord(i)) continue;
    if (options.is(i, KW.ROWID) && previous >= 0 && options.is(previous, KW.WITHOUT)) withoutRowid = true;
    if (options.is(i, KW.STRICT)) strict = true;
    previous = i;
  }
  return { constraints, autoIncrementColumns, withoutRowid, strict, columns, onConflict };
}

/** Reads a CREATE INDEX statement's column list (names unquoted, expressions as written) and WHERE clause. */
export function readIndexText(sql: string): { columns: string[]; where: string | null } {
  const body = firstGroupTokens(sql);
  if (!body) return { columns: [], where: null };
  const tokens = body.tokens;
  const columns: string[] = [];
  eachEntry(tokens, (from, to) => {
    // A bare column is reported by name; anything else, COLLATE / DESC included, as written (normalizeIndexEntry spells it).
    const simple = to === from + 1 && (tokens.kind(from) === 'quoted' || tokens.isWord(from));
    columns.push(simple ? tokens.name(from) : entryText(tokens, from, to));
  });
  const m = /^\s*WHERE\s+([\s\S]*)$/i.exec(sql.slice(body.after));
  return { columns, where: m ? stripOuterParens(m[1]!.trim().replace(/;\s*$/, '')) : null };
}
