/**
 * How PostgreSQL spells things: quoted identifiers, string literals and column
 * types, in both directions (IR -> SQL for the compiler, SQL -> IR for the
 * introspector and the normaliser), so the two directions stay in one place.
 */
import type { ColumnType } from '../../ir/ir.js';

import { quoteIdentifier, quoteLiteral as standardLiteral } from '../sql-quote.js';
import { splitQualified } from '../../ir/qualified.js';
import { quotedRunAt, withoutSqlComments, type SqlSyntax } from '../sql-text.js';
export { quoteIdentifier };

/**
 * An object's identity (ir/qualified.ts) as SQL: `"invoices"` for the default schema, which the session's search_path
 * names, `"billing"."invoices"` for a named one.
 */
export function quoteQualified(identity: string): string {
  const { schema, name } = splitQualified(identity);
  return schema === undefined ? quoteIdentifier(name) : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

/**
 * PostgreSQL's quoting, for the shared scanner (../sql-text.ts): 'strings', "names", E'...' escape strings
 * and dollar quotes. Comments are not skipped: the scanners never did, and what they read (deparsed
 * expressions and index definitions, declared defaults and checks) carries none.
 */
export const postgresSyntax: SqlSyntax = {
  quotes: [
    { open: "'", close: "'", kind: 'string', doubled: true },
    { open: '"', close: '"', kind: 'name', doubled: true },
  ],
  escapeStrings: true,
  dollarQuotes: true,
  comments: false,
};

/** postgresSyntax reading comments as PostgreSQL's lexer does (`--` and `/*` start one anywhere outside quotes), for taking them out of a model's expression. */
export const postgresWithComments: SqlSyntax = { ...postgresSyntax, comments: true };

/**
 * A string literal that reads the same whatever standard_conforming_strings says (as quote_literal() writes it):
 * with a backslash, E'...' with the backslash doubled. Retort's sessions and scripts set the setting on; this is
 * the second line of defence, for SQL that runs where that SET did not.
 */
export function quoteLiteral(value: string): string {
  return value.includes('\\') ? `E${standardLiteral(value.replace(/\\/g, '\\\\'))}` : standardLiteral(value);
}

/** `body` in dollar quotes whose tag it does not contain, so that nothing in it can end the quoted text early. */
export function dollarQuote(body: string): string {
  let tag = '$$';
  for (let n = 0; body.includes(tag); n++) tag = `$r${n}$`;
  return `${tag}${body}${tag}`;
}

/** typeSql is the SQL spelling of a column type, without auto-increment (see columnTypeSql). */
export function typeSql(type: ColumnType): string {
  switch (type.kind) {
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'boolean':
    case 'text':
    case 'real':
    case 'date':
    case 'uuid':
    case 'json':
    case 'jsonb':
    case 'bytea':
      return type.kind;
    case 'double':
      return 'double precision';
    case 'varchar':
      return type.length === null ? 'varchar' : `varchar(${type.length})`;
    case 'char':
      return type.length === null ? 'char' : `char(${type.length})`;
    case 'numeric':
      if (type.precision === null) return 'numeric';
      return type.scale === null ? `numeric(${type.precision})` : `numeric(${type.precision}, ${type.scale})`;
    case 'time':
      return type.withTimezone ? 'time with time zone' : 'time';
    case 'timestamp':
      return type.withTimezone ? 'timestamp with time zone' : 'timestamp';
    case 'array':
      return `${typeSql(type.element)}[]`;
    case 'enum':
    case 'domain':
      return quoteQualified(type.name);
    case 'custom':
      return type.sql;
    default:
      return assertNever(type);
  }
}

/**
 * A generated column's type as the IR carries it (a custom type, as on SQLite): `numeric(14, 2) GENERATED
 * ALWAYS AS (qty * price) STORED`, or VIRTUAL (PostgreSQL 18, computed when read).
 */
export function generatedTypeSql(base: string, expression: string, stored: boolean): string {
  return `${base} GENERATED ALWAYS AS (${withoutSqlComments(expression, postgresWithComments).trim()}) ${stored ? 'STORED' : 'VIRTUAL'}`;
}

/** A generated column's type read back into its parts (no storage word is VIRTUAL, PostgreSQL 18's default); null for any other type. */
export function generatedParts(sql: string): { base: string; expression: string; stored: boolean } | null {
  const m = /^(.*?)\s+GENERATED\s+ALWAYS\s+AS\s*\((.*)\)\s*(STORED|VIRTUAL)?$/is.exec(sql.trim());
  return m ? { base: m[1]!.trim(), expression: m[2]!.trim(), stored: m[3]?.toUpperCase() === 'STORED' } : null;
}

const SERIALS: Partial<Record<ColumnType['kind'], string>> = { integer: 'serial', bigint: 'bigserial', smallint: 'smallserial' };

/** columnTypeSql is the type as written in column DDL: `serial`, `bigserial` and `smallserial` stand for auto-increment. */
export function columnTypeSql(type: ColumnType, autoIncrement: boolean): string {
  return (autoIncrement && SERIALS[type.kind]) || typeSql(type);
}

/** isIntegerKind tells the types PostgreSQL can back with a sequence. */
export function isIntegerKind(type: ColumnType): boolean {
  return type.kind === 'integer' || type.kind === 'bigint' || type.kind === 'smallint';
}

const SIMPLE: Record<string, ColumnType> = {
  smallint: { kind: 'smallint' },
  int2: { kind: 'smallint' },
  integer: { kind: 'integer' },
  int: { kind: 'integer' },
  int4: { kind: 'integer' },
  bigint: { kind: 'bigint' },
  int8: { kind: 'bigint' },
  boolean: { kind: 'boolean' },
  bool: { kind: 'boolean' },
  text: { kind: 'text' },
  real: { kind: 'real' },
  float4: { kind: 'real' },
  'double precision': { kind: 'double' },
  float8: { kind: 'double' },
  date: { kind: 'date' },
  uuid: { kind: 'uuid' },
  json: { kind: 'json' },
  jsonb: { kind: 'jsonb' },
  bytea: { kind: 'bytea' },
  'time': { kind: 'time', withTimezone: false },
  'time without time zone': { kind: 'time', withTimezone: false },
  'time with time zone': { kind: 'time', withTimezone: true },
  timetz: { kind: 'time', withTimezone: true },
  timestamp: { kind: 'timestamp', withTimezone: false },
  'timestamp without time zone': { kind: 'timestamp', withTimezone: false },
  'timestamp with time zone': { kind: 'timestamp', withTimezone: true },
  timestamptz: { kind: 'timestamp', withTimezone: true },
  varchar: { kind: 'varchar', length: null },
  'character varying': { kind: 'varchar', length: null },
  numeric: { kind: 'numeric', precision: null, scale: null },
  decimal: { kind: 'numeric', precision: null, scale: null },
};

/**
 * parseTypeSql maps a type as format_type() prints it (or a common alias a user
 * might write in customType()) to a ColumnType; anything else stays custom,
 * verbatim. Enums are recognised by the introspector from pg_type, not here.
 */
export function parseTypeSql(sql: string): ColumnType {
  const text = sql.trim();
  const lower = text.toLowerCase().replace(/\s+/g, ' ');
  if (lower.endsWith('[]')) {
    const element = parseTypeSql(text.slice(0, -2).replace(/(\[\])+$/, ''));
    return { kind: 'array', element };
  }
  const simple = SIMPLE[lower];
  if (simple) return simple;
  let m = /^(?:varchar|character varying)\s*\((\d+)\)$/.exec(lower);
  if (m) return { kind: 'varchar', length: Number(m[1]) };
  m = /^(?:char|character|bpchar)\s*\((\d+)\)$/.exec(lower);
  if (m) return { kind: 'char', length: Number(m[1]) };
  // `char` and `character` without a length mean character(1) in PostgreSQL.
  if (lower === 'char' || lower === 'character') return { kind: 'char', length: 1 };
  // float is double precision; float(p) is real up to 24 bits of precision and double precision above.
  if (lower === 'float') return { kind: 'double' };
  m = /^float\s*\((\d+)\)$/.exec(lower);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 53) return { kind: Number(m[1]) <= 24 ? 'real' : 'double' };
  m = /^(?:numeric|decimal)\s*\((\d+)(?:\s*,\s*(\d+))?\)$/.exec(lower);
  if (m) return { kind: 'numeric', precision: Number(m[1]), scale: m[2] === undefined ? 0 : Number(m[2]) };
  return { kind: 'custom', sql: text };
}

/** assertNever makes a switch over a union exhaustive: a new member fails to compile here. */
export function assertNever(x: never): never {
  throw new Error(`internal: unhandled ${JSON.stringify(x)}`);
}

/**
 * defaultSql is a server default as written after DEFAULT. A column's DEFAULT takes only PostgreSQL's
 * restricted expression form (b_expr: no AND/OR/NOT, IS, IN, LIKE, BETWEEN, AT TIME ZONE or COLLATE at
 * the top), and the normaliser strips the parentheses a user wrote around such an expression, so one
 * with anything at its top level besides a single term (a literal, a call, a cast) is put back in
 * parentheses: `DEFAULT (now() AT TIME ZONE 'utc')`. PostgreSQL stores both spellings alike.
 */
export function defaultSql(declared: string): string {
  // A model's comment means nothing to the server, and a line comment would take what follows it on the line.
  const expr = withoutSqlComments(declared, postgresWithComments).trim();
  return isSingleTerm(expr) ? expr : `(${expr})`;
}

// True when `expr` has no whitespace outside quotes, parentheses and brackets: `now()`, `'x'::text`,
// `nextval('"a b"'::regclass)`, `-1`, `ARRAY['a', 'b']`. Unsure spellings (dollar quotes) count as not single.
function isSingleTerm(expr: string): boolean {
  let depth = 0;
  for (let i = 0; i < expr.length;) {
    const run = quotedRunAt(expr, i, postgresSyntax);
    if (run) {
      if (!run.closed || run.kind === 'dollar') return false;
      i = run.end;
      continue;
    }
    const ch = expr[i]!;
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === '$') return false;
    else if (depth === 0 && /\s/.test(ch)) return false;
    i++;
  }
  return depth === 0;
}

// `x = ANY (ARRAY['a', 'b'])` and `x <> ALL (ARRAY['a', 'b'])` with string literals only.
const LITERAL_ARRAY_TEST = /(=|<>)\s*(ANY|ALL)\s*\(\s*ARRAY\[\s*('(?:[^']|'')*'(?:\s*,\s*'(?:[^']|'')*')*)\s*\]\s*\)/gi;

/**
 * conditionSql is a CHECK expression or an index predicate as written in DDL. PostgreSQL stores
 * `status IN ('a', 'b')` as `status = ANY (ARRAY['a'::mood, 'b'::mood])`, and the normaliser drops
 * those casts; written back without them, the array is text[] and an enum column cannot be compared
 * with it ("operator does not exist: mood = text"). Written as the IN list it came from, each literal
 * takes the column's type again, and PostgreSQL stores exactly what it stored before.
 */
export function conditionSql(declared: string): string {
  // A comment goes (see defaultSql): inside CHECK (...) a line comment took the closing parenthesis with it.
  return withoutSqlComments(declared, postgresWithComments).trim().replace(LITERAL_ARRAY_TEST, (whole, op: string, quantifier: string, list: string) => {
    const q = quantifier.toUpperCase();
    if (op === '=' && q === 'ANY') return `IN (${list})`;
    if (op === '<>' && q === 'ALL') return `NOT IN (${list})`;
    return whole;
  });
}
