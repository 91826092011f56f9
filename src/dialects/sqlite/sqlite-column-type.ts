/**
 * A SQLite column's COLLATE and GENERATED clauses, carried in the Schema IR as
 * part of a `custom` column type (`TEXT COLLATE NOCASE`, `TEXT GENERATED ALWAYS
 * AS (a || b) STORED`). The IR has no field for either; spelling them into the
 * type keeps them through a table rebuild, lets `check` show a database that
 * has them where the models do not, and lets a model declare them with
 * `customType('TEXT COLLATE NOCASE')`.
 */
import { isKeyword, stripOuterParens, tokenize, unquote, type Token } from './sqlite-sql-text.js';

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
const CONSTRAINT_WORDS = new Set(['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS']);

/** True when a token starts a column constraint. */
export function startsConstraint(t: Token | undefined): boolean {
  return t !== undefined && t.kind === 'word' && CONSTRAINT_WORDS.has(t.text.toUpperCase());
}

/**
 * Reads the COLLATE and GENERATED clauses from the tokens of a column definition (after the
 * column name) or of a custom type's text; `base` is the type name before the first constraint.
 */
export function readColumnClauses(tokens: readonly Token[]): ColumnTypeParts {
  let end = 0;
  while (end < tokens.length && !startsConstraint(tokens[end])) end++;
  const base = tokens.slice(0, end).map((t) => t.text).join(' ').replace(/\s+\(/g, '(');
  let collate: string | null = null;
  let generated: Generated | null = null;
  for (let i = end; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isKeyword(t, 'COLLATE') && tokens[i + 1]) {
      collate = unquote(tokens[i + 1]!.text);
      i++;
    } else if (isKeyword(t, 'AS') && tokens[i + 1]?.kind === 'group') {
      // GENERATED ALWAYS is optional; VIRTUAL is the default storage.
      const g = tokens[i + 1]!;
      generated = { expression: stripOuterParens(g.inner), stored: isKeyword(tokens[i + 2], 'STORED') };
      i++;
    } else if ((isKeyword(t, 'CHECK') || isKeyword(t, 'DEFAULT')) && tokens[i + 1]?.kind === 'group') {
      i++; // An expression in parentheses: nothing inside it is a clause of the column.
    }
  }
  return { base, collate, generated };
}

/** Splits a custom type's text into its parts. */
export function readColumnType(text: string): ColumnTypeParts {
  return readColumnClauses(tokenize(text));
}

/** The one spelling of a type with clauses: base, COLLATE <NAME>, GENERATED ALWAYS AS (<expr>) STORED|VIRTUAL. */
export function spellColumnType(base: string, collate: string | null, generated: Generated | null, expression: (e: string) => string): string {
  const parts = base === '' ? [] : [base];
  // SQLite compares collation names case-insensitively.
  if (collate !== null) parts.push(`COLLATE ${collate.toUpperCase()}`);
  if (generated !== null) parts.push(`GENERATED ALWAYS AS (${expression(generated.expression)}) ${generated.stored ? 'STORED' : 'VIRTUAL'}`);
  return parts.join(' ');
}
