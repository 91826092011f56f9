/**
 * A SQLite column's COLLATE and GENERATED clauses, carried in the Schema IR as
 * part of a `custom` column type (`TEXT COLLATE NOCASE`, `TEXT GENERATED ALWAYS
 * AS (a || b) STORED`). The IR has no field for either; spelling them into the
 * type keeps them through a table rebuild, lets `check` show a database that
 * has them where the models do not, and lets a model declare them with
 * `customType('TEXT COLLATE NOCASE')`.
 */
import { KW, stripOuterParens, TokenList } from './sqlite-sql-text.js';

/** A generated column's expression and storage. */
export interface Generated {
  readonly expression: string;
  readonly stored: boolean;
}

/** A column type split into the declared type name and the clauses SQLite keeps beside it. */
export interface ColumnTypeParts {
  /** The declared type name as written (`VARCHAR(200)`), or '' when none. */
  readonly base: string;
  /** The collation name as written, or null. */
  readonly collate: string | null;
  readonly generated: Generated | null;
}

// Words that end a type name inside a column definition (the column constraints' first words).
const CONSTRAINT_WORDS = new Set([KW.CONSTRAINT, KW.PRIMARY, KW.NOT, KW.NULL, KW.UNIQUE, KW.CHECK, KW.DEFAULT, KW.COLLATE, KW.REFERENCES, KW.GENERATED, KW.AS]);

/** True when token `i` starts a column constraint. */
function startsConstraint(tokens: TokenList, i: number): boolean {
  return CONSTRAINT_WORDS.has(tokens.keyword(i));
}

/**
 * Reads the COLLATE and GENERATED clauses from tokens [from, to) of a column definition (after the column name) or
 * of a custom type's text; `base` is the type name before the first constraint.
 */
export function readColumnClauses(tokens: TokenList, from: number, to: number): ColumnTypeParts {
  let end = from;
  while (end < to && !startsConstraint(tokens, end)) end++;
  let collate: string | null = null;
  let generated: Generated | null = null;
  for (let i = end; i < to; i++) {
    if (!tokens.isWord(i)) continue;
    if (tokens.is(i, KW.COLLATE) && i + 1 < to) {
      collate = tokens.name(i + 1);
      i++;
    } else if (tokens.is(i, KW.AS) && i + 1 < to && tokens.isGroup(i + 1)) {
      // GENERATED ALWAYS is optional; VIRTUAL is the default storage.
      generated = { expression: stripOuterParens(tokens.inner(i + 1)), stored: i + 2 < to && tokens.is(i + 2, KW.STORED) };
      i++;
    } else if ((tokens.is(i, KW.CHECK) || tokens.is(i, KW.DEFAULT)) && i + 1 < to && tokens.isGroup(i + 1)) {
      i++; // An expression in parentheses: nothing inside it is a clause of the column.
    }
  }
  return { base: typeName(tokens, from, end), collate, generated };
}

/** The type name in tokens [from, to): their texts, one space apart, none before a `(` (`VARCHAR(200)`). */
function typeName(tokens: TokenList, from: number, to: number): string {
  if (from === to) return '';
  // Most type names are written as they are spelled (`INTEGER`, `VARCHAR(200)`: a word, then groups only, with no
  // space or comment anywhere): the written text is the name.
  const written = tokens.sql.slice(tokens.start(from), tokens.end(to - 1));
  let groupsAfter = true;
  for (let i = from + 1; i < to && groupsAfter; i++) groupsAfter = tokens.isGroup(i);
  if (groupsAfter && !/\s|\/\*|--/.test(written)) return written;
  const texts: string[] = [];
  for (let i = from; i < to; i++) texts.push(tokens.text(i));
  return texts.join(' ').replace(/\s+\(/g, '(');
}

/** Splits a custom type's text into its parts. */
export function readColumnType(text: string): ColumnTypeParts {
  const tokens = new TokenList(text);
  return readColumnClauses(tokens, 0, tokens.length);
}

/** The one spelling of a type with clauses: base, COLLATE <NAME>, GENERATED ALWAYS AS (<expr>) STORED|VIRTUAL. */
export function spellColumnType(base: string, collate: string | null, generated: Generated | null, expression: (e: string) => string): string {
  const parts = base === '' ? [] : [base];
  // SQLite compares collation names case-insensitively.
  if (collate !== null) parts.push(`COLLATE ${collate.toUpperCase()}`);
  if (generated !== null) parts.push(`GENERATED ALWAYS AS (${expression(generated.expression)}) ${generated.stored ? 'STORED' : 'VIRTUAL'}`);
  return parts.join(' ');
}
