/**
 * SQLite's spelling of the Schema IR: type names, defaults and constraint
 * names, and the one normaliser that declared models and introspected
 * databases both pass through so that equal schemas compare equal.
 *
 * SQLite keeps a column's declared type text verbatim, so every ColumnType is
 * spelled here in a way `parseType` reads back to the same ColumnType.
 */
import { isNumberKind, type CheckIR, type ColumnIR, type ColumnType, type EnumIR, type IndexIR, type SchemaIR, type TableIR } from '../../ir/ir.js';
import { readColumnType, spellColumnType } from './sqlite-column-type.js';
import { asciiLower, sqliteSyntax, stripOuterParens, unquote } from './sqlite-sql-text.js';
import { withViewDependencies } from '../view-dependencies.js';
import { noMaterializedViews } from './sqlite-views.js';
import { normalizeSqliteTrigger } from './sqlite-triggers.js';
import { withoutComments } from '../../ir/comments.js';
import { withoutSqlComments } from '../sql-text.js';
import { refuseRlsModels } from './sqlite-rls.js';
import { RetortError } from '../../errors.js';

// SQLite quotes as the SQL standard does; the short names are this folder's.
import { canonicalNumber, quoteIdentifier as quoteId, quoteLiteral as quoteLit } from '../sql-quote.js';
export { quoteId, quoteLit };

/** The SQLite type name for a ColumnType; arrays are stored as JSON text and spelled `ARRAY OF <element>` so they read back. */
export function typeSql(type: ColumnType): string {
  switch (type.kind) {
    case 'smallint': return 'SMALLINT';
    case 'integer': return 'INTEGER';
    case 'bigint': return 'BIGINT';
    case 'boolean': return 'BOOLEAN';
    case 'text': return 'TEXT';
    case 'varchar': return type.length === null ? 'VARCHAR' : `VARCHAR(${type.length})`;
    case 'char': return type.length === null ? 'CHAR' : `CHAR(${type.length})`;
    case 'numeric':
      if (type.precision === null) return 'NUMERIC';
      return `NUMERIC(${type.precision},${type.scale ?? 0})`;
    case 'real': return 'REAL';
    case 'double': return 'DOUBLE PRECISION';
    case 'date': return 'DATE';
    // One word each: SQLite's type-name grammar puts "(n)" last, and these read back unambiguously.
    case 'time': return type.withTimezone ? 'TIMETZ' : 'TIME';
    case 'timestamp': return type.withTimezone ? 'TIMESTAMPTZ' : 'TIMESTAMP';
    case 'uuid': return 'UUID';
    case 'json': return 'JSON';
    case 'jsonb': return 'JSONB';
    case 'bytea': return 'BLOB';
    case 'array': return `ARRAY OF ${typeSql(type.element)}`;
    // SQLite has no enum type: the column is TEXT and a CHECK constraint holds the values (see enumCheck).
    case 'enum': return 'TEXT';
    case 'custom': return type.sql;
    // Refused at model load (a domain declared for SQLite); a revision written by hand can still name one.
    case 'domain': throw new RetortError('UNSUPPORTED', `domain "${type.name}": SQLite has no domains`, { hint: 'use the domain\'s base type with a check constraint, or run against PostgreSQL' });
  }
}

/** Reads a declared SQLite type name back into a ColumnType; anything unknown stays `custom`, verbatim. */
export function parseType(raw: string): ColumnType {
  const text = raw.trim().replace(/\s+/g, ' ');
  const up = text.toUpperCase();
  if (up.startsWith('ARRAY OF ')) return { kind: 'array', element: parseType(text.slice(9)) };
  const m = /^([A-Z][A-Z0-9 ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(up);
  if (!m) return { kind: 'custom', sql: text };
  const name = m[1]!;
  const a = m[2] === undefined ? null : Number(m[2]);
  const b = m[3] === undefined ? null : Number(m[3]);
  const bare = a === null;
  switch (name) {
    case 'INT': case 'INTEGER': return bare ? { kind: 'integer' } : { kind: 'custom', sql: text };
    case 'SMALLINT': case 'INT2': return { kind: 'smallint' };
    case 'BIGINT': case 'INT8': return { kind: 'bigint' };
    case 'BOOLEAN': case 'BOOL': return { kind: 'boolean' };
    case 'TEXT': return { kind: 'text' };
    case 'VARCHAR': case 'CHARACTER VARYING': return { kind: 'varchar', length: a };
    case 'CHAR': case 'CHARACTER': return { kind: 'char', length: a };
    case 'NUMERIC': case 'DECIMAL': return { kind: 'numeric', precision: a, scale: a === null ? null : (b ?? 0) };
    case 'REAL': case 'FLOAT4': return { kind: 'real' };
    case 'DOUBLE PRECISION': case 'DOUBLE': case 'FLOAT8': return { kind: 'double' };
    // FLOAT as PostgreSQL reads it (SQLAlchemy's Float writes it): double precision, real up to 24 bits.
    case 'FLOAT': return a === null || a > 24 ? { kind: 'double' } : { kind: 'real' };
    case 'DATE': return { kind: 'date' };
    case 'TIME': case 'TIME WITHOUT TIME ZONE': return { kind: 'time', withTimezone: false };
    case 'TIMETZ': case 'TIME WITH TIME ZONE': return { kind: 'time', withTimezone: true };
    case 'TIMESTAMP': case 'DATETIME': case 'TIMESTAMP WITHOUT TIME ZONE': return { kind: 'timestamp', withTimezone: false };
    case 'TIMESTAMPTZ': case 'TIMESTAMP WITH TIME ZONE': return { kind: 'timestamp', withTimezone: true };
    case 'UUID': return { kind: 'uuid' };
    case 'JSON': return { kind: 'json' };
    case 'JSONB': return { kind: 'jsonb' };
    case 'BLOB': case 'BYTEA': return { kind: 'bytea' };
    default: return { kind: 'custom', sql: text };
  }
}

/**
 * The deterministic name of the CHECK that holds an enum column's values:
 * `ck_<table>_<column>_enum_<enum>`. The enum's name is part of it so that
 * addEnumValue and renameEnum can find every column of that enum in the database.
 */
export function enumCheckName(table: string, column: string, enumName: string): string {
  return `ck_${table}_${column}_enum_${enumName}`;
}

/** The CHECK constraint standing in for an enum type on one column. */
export function enumCheck(table: string, column: string, enumName: string, values: readonly string[]): CheckIR {
  return { name: enumCheckName(table, column, enumName), expression: `${quoteId(column)} IN (${values.map(quoteLit).join(', ')})` };
}

const TIME_KEYWORDS = new Set(['CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME']);

/**
 * One spelling per default: SQLite has no now() (CURRENT_TIMESTAMP), redundant parentheses go. A boolean column's
 * default is `true`/`false` whichever way it is written (1, 'f', TRUE), so that a revision generated against SQLite
 * says serverDefault(true) and also runs on PostgreSQL, which refuses an integer default on a boolean; the DDL
 * writes it 1/0 (defaultSql), which every SQLite reads.
 */
export function normalizeDefault(value: string | null, type: ColumnType): string | null {
  if (value === null) return null;
  let e = stripOuterParens(value);
  // A default cannot name a column, so SQLite reads DEFAULT "draft" as the string 'draft'.
  const dq = e.charCodeAt(0) === 0x22 ? /^"((?:[^"]|"")*)"$/.exec(e) : null;
  if (dq) e = quoteLit(dq[1]!.replace(/""/g, '"'));
  const up = e.toUpperCase();
  if (up === 'NULL') return null;
  if (up === 'NOW()' || up === 'CURRENT_TIMESTAMP()' || up === "DATETIME('NOW')") return 'CURRENT_TIMESTAMP';
  if (TIME_KEYWORDS.has(up)) return up;
  if (type.kind === 'boolean') {
    if (up === 'TRUE' || up === "'T'" || up === "'TRUE'" || up === "'1'" || up === '1') return 'true';
    if (up === 'FALSE' || up === "'F'" || up === "'FALSE'" || up === "'0'" || up === '0') return 'false';
  }
  if (up === 'TRUE') return '1';
  if (up === 'FALSE') return '0';
  // A column of numeric affinity stores '1.50', 1.50 and +1.5 alike (as the number 1.5): one spelling.
  if (isNumberKind(type)) {
    const number = canonicalNumber(/^'[^']*'$/.test(e) ? e.slice(1, -1).trim() : e);
    if (number !== null) return number;
  }
  return e;
}

/** True when SQLite accepts the default without parentheses (a literal or a CURRENT_* keyword). */
export function isLiteralDefault(e: string): boolean {
  const up = e.toUpperCase();
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(e) || /^'([^']|'')*'$/.test(e) || /^[xX]'[0-9a-fA-F]*'$/.test(e) || up === 'NULL' || up === 'TRUE' || up === 'FALSE' || TIME_KEYWORDS.has(up);
}

/** The DEFAULT clause text for a default, parenthesised where SQLite requires it. */
export function defaultSql(value: string, type: ColumnType): string {
  const e = normalizeDefault(value, type) ?? 'NULL';
  if (type.kind === 'boolean' && (e === 'true' || e === 'false')) return e === 'true' ? '1' : '0';
  return isLiteralDefault(e) ? e : `(${e})`;
}

/** Normalises a column type: custom spellings SQLite knows become typed, enums become TEXT, AUTOINCREMENT keys are INTEGER. */
export function normalizeType(type: ColumnType, autoIncrement: boolean): ColumnType {
  // AUTOINCREMENT is only allowed on INTEGER PRIMARY KEY, so serial, smallserial and bigserial all become INTEGER.
  if (autoIncrement) return { kind: 'integer' };
  switch (type.kind) {
    case 'custom': {
      const read = readColumnType(type.sql);
      // BINARY is every column's collation unless told otherwise: the same as none.
      const parts = read.collate?.toUpperCase() === 'BINARY' ? { ...read, collate: null } : read;
      if (parts.collate !== null || parts.generated !== null) {
        // A collation or generation clause stays in the type, spelled one way (see sqlite-column-type.ts).
        const base = parts.base === '' ? '' : typeSql(normalizeType(parseType(parts.base), false));
        return { kind: 'custom', sql: spellColumnType(base, parts.collate, parts.generated, normalizeExpression) };
      }
      if (parts !== read) return normalizeType(parts.base === '' ? { kind: 'custom', sql: '' } : parseType(parts.base), false);
      const parsed = parseType(type.sql);
      // SQLite reads type names without regard to case (`integer unsigned` is `INTEGER UNSIGNED`): one spelling,
      // unless something in it is quoted.
      if (parsed.kind === 'custom') return { kind: 'custom', sql: /['"`[]/.test(parsed.sql) ? parsed.sql : parsed.sql.toUpperCase() };
      return normalizeType(parsed, false);
    }
    case 'enum': return { kind: 'text' };
    case 'array': return { kind: 'array', element: normalizeType(type.element, false) };
    default: return type;
  }
}

// SQLite's keywords (https://sqlite.org/lang_keywords.html): names spelled like one stay quoted.
const KEYWORDS = new Set(`ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN BY
CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME
CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE EXCEPT
EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB GROUP GROUPS HAVING IF
IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT
MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA
PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT
ROLLBACK ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE
UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT TRUE FALSE`.split(/\s+/));

/**
 * One spelling per SQL expression (CHECKs, partial-index WHERE): SQLite's RENAME COLUMN rewrites
 * `price` as `"price"`, so quotes that are not needed go, runs of whitespace become one space, keywords are
 * upper case and function names lower case. With the table's `columns` (lower-cased), a double-quoted word that is
 * none of them is the string literal SQLite reads it as.
 */
export function normalizeExpression(expr: string, columns?: ReadonlySet<string>): string {
  // `columns` matters only for a double-quoted word: an expression without one has one spelling, kept.
  const memo = columns === undefined || !expr.includes('"');
  if (memo) {
    const known = normalized.get(expr);
    if (known !== undefined) return known;
  }
  const out = spellExpression(expr, columns);
  if (memo) {
    if (normalized.size >= NORMALIZED_KEPT) normalized.clear();
    normalized.set(expr, out);
  }
  return out;
}

/**
 * Expressions normalised so far, by text, to their spelling: the same CHECK on many tables (an enum's, lifted by
 * normalizeTable on every column of that enum) is spelled once. At most NORMALIZED_KEPT, then started again.
 */
const normalized = new Map<string, string>();
const NORMALIZED_KEPT = 4096;

function spellExpression(expr: string, columns: ReadonlySet<string> | undefined): string {
  // Comments go first: canonicalSpacing's tokens know none (`n < 100 -- 50` became `n < 100 - -50`, another CHECK).
  const e = stripOuterParens(withoutSqlComments(expr, sqliteSyntax));
  // Whole quoted tokens are matched first, so a `""` inside a quoted name is never read as the start of another.
  // Whitespace is canonicalSpacing's.
  return canonicalSpacing(e.replace(/('(?:[^']|'')*')|"((?:[^"]|"")*)"|(?<![\w$])([A-Za-z_][\w$]*)(?![\w$])(?=(\s*\()?)/g, (m, str: string | undefined, quoted: string | undefined, word: string | undefined, call: string | undefined) => {
    if (str !== undefined) return m;
    // SQLite reads keywords and function names without case: `is null` is `IS NULL`, `JSON_VALID(` is `json_valid(`.
    if (word !== undefined) return KEYWORDS.has(word.toUpperCase()) ? word.toUpperCase() : call !== undefined ? word.toLowerCase() : word;
    const name = quoted!.replace(/""/g, '"');
    // SQLite reads a double-quoted word that names no column as a string ("draft" is 'draft'): say so, or
    // dropping the quotes below would turn it into a column reference. `columns` holds lower-cased names.
    if (columns !== undefined && !columns.has(name.toLowerCase())) return quoteLit(name);
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(quoted!) && !KEYWORDS.has(quoted!.toUpperCase()) ? quoted! : m;
  }));
}

// Operands end with these keywords; after any other keyword a + or - is a sign, not an operator.
const OPERAND_KEYWORDS = new Set(['NULL', 'TRUE', 'FALSE', 'END', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP']);
const SQL_TOKEN = /[xX]'[0-9a-fA-F]*'|'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|[A-Za-z_][\w$]*|->>|->|<=|>=|<>|!=|==|\|\||<<|>>|\s+|./g;

/**
 * One spacing for an expression, which SQLite keeps as written: one space around binary operators and between
 * words, none inside parentheses, before a comma or a function's `(`, or after a sign (`qty*price` and
 * `qty * price` are one spelling). Never joins two tokens into a comment (`- -1` stays apart).
 */
export function canonicalSpacing(expr: string): string {
  const tokens = (expr.match(SQL_TOKEN) ?? []).filter((t) => !/^\s+$/.test(t));
  let out = '';
  let prev: string | null = null;
  let prevIsSign = false;
  const isWord = (t: string) => /^[A-Za-z_]/.test(t) && !/^[xX]'/.test(t);
  const isOperator = (t: string) => /^(?:->>|->|<=|>=|<>|!=|==|\|\||<<|>>|[-+*/%<>=&|~])$/.test(t);
  for (const t of tokens) {
    let space: boolean;
    if (prev === null || prev === '(' || prev === '.' || t === ')' || t === ',' || t === '.' || prevIsSign) space = false;
    else if (t === '(') space = !(isWord(prev) && !KEYWORDS.has(prev.toUpperCase()));
    else space = true;
    // A + or - where an operand should start is a sign, written against its operand.
    const sign = (t === '-' || t === '+') && (prev === null || prev === '(' || prev === ',' || isOperator(prev) || (isWord(prev) && KEYWORDS.has(prev.toUpperCase()) && !OPERAND_KEYWORDS.has(prev.toUpperCase())));
    if (!space && ((out.endsWith('-') && t.startsWith('-')) || (out.endsWith('/') && t.startsWith('*')))) space = true;
    out += (space && out !== '' ? ' ' : '') + t;
    prev = t;
    prevIsSign = sign;
  }
  return out;
}

/**
 * One spelling per index entry: a column name stays a bare name (the IR's convention), an
 * expression is normalised, and a trailing COLLATE / ASC / DESC is spelled `COLLATE NAME DESC`
 * (ASC, the default, goes), so `title collate nocase` in a model matches what SQLite stores.
 */
export function normalizeIndexEntry(entry: string, columns: readonly string[]): string {
  if (columns.includes(entry)) return entry;
  let rest = withoutOperatorClass(entry.trim());
  let desc = false;
  let collate: string | null = null;
  const order = /\s+(ASC|DESC)$/i.exec(rest);
  if (order) { desc = order[1]!.toUpperCase() === 'DESC'; rest = rest.slice(0, order.index).trim(); }
  const coll = /\s+COLLATE\s+("(?:[^"]|"")*"|[A-Za-z0-9_$]+)$/i.exec(rest);
  if (coll) { collate = unquote(coll[1]!).toUpperCase(); rest = rest.slice(0, coll.index).trim(); }
  const base = normalizeExpression(rest);
  const named = columns.find((c) => c === unquote(base));
  const head = named === undefined ? base : collate === null && !desc ? named : quoteName(named);
  return `${head}${collate === null ? '' : ` COLLATE ${collate}`}${desc ? ' DESC' : ''}`;
}

/**
 * An index key without a PostgreSQL operator class (`meta jsonb_path_ops`, `name text_pattern_ops DESC`): SQLite
 * has none, and a model that asks for one for PostgreSQL gets the plain key here.
 */
export function withoutOperatorClass(entry: string): string {
  const m = /^("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s+([A-Za-z_][\w$]*)(\s+(?:ASC|DESC)(?:\s+NULLS\s+(?:FIRST|LAST))?|\s+NULLS\s+(?:FIRST|LAST))?$/i.exec(entry);
  if (!m || KEYWORDS.has(m[2]!.toUpperCase())) return entry;
  return `${m[1]}${m[3] ?? ''}`;
}

/** A name as normalizeExpression leaves it: bare when it can be, quoted otherwise. */
function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name.toUpperCase()) ? name : quoteId(name);
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Spelled enum CHECKs by the enum's list of values (one array per normalizeSchema) and column: the same on every table. */
const enumCheckSpellings = new WeakMap<readonly string[], Map<string, string>>();

/** The normalised expression of enumCheck(_, column, _, values). */
function enumCheckExpression(column: string, values: readonly string[]): string {
  let byColumn = enumCheckSpellings.get(values);
  if (byColumn === undefined) enumCheckSpellings.set(values, (byColumn = new Map()));
  let expression = byColumn.get(column);
  if (expression === undefined) {
    // Its one double-quoted word is the column, one of the table's: spelled as without the table's column names.
    expression = normalizeExpression(enumCheck('', column, '', values).expression);
    byColumn.set(column, expression);
  }
  return expression;
}

/**
 * Normalises one table. `enums` gives the values of enum types its columns use;
 * an enum column becomes TEXT plus the CHECK `ck_<table>_<column>_enum_<enum>` (unless one is already there).
 */
export function normalizeTable(t: TableIR, enums: ReadonlyMap<string, readonly string[]>): TableIR {
  refuseNullsNotDistinct(t);
  refuseDeferrableKeys(t);
  refusePartitioning(t);
  const pk = t.primaryKey?.columns ?? [];
  // Checks and partial-index conditions name columns of this table only, so a quoted word that is none is a string.
  let names: ReadonlySet<string> | undefined;
  const columnSet = () => (names ??= new Set(t.columns.map((c) => c.name.toLowerCase())));
  // Only a double-quoted word needs them (see normalizeExpression).
  const columnsFor = (e: string) => (e.includes('"') ? columnSet() : undefined);
  const checks: CheckIR[] = t.checks.map((c) => marked({ name: c.name, expression: normalizeExpression(c.expression, columnsFor(c.expression)) }, c));
  // Built field by field in one fixed order, without spreading small objects: normalised for every declared column
  // on each autogenerate (1000 tables: half of normalisation's allocation).
  const columns: ColumnIR[] = t.columns.map((c) => {
    if (c.type.kind === 'enum') {
      const values = enums.get(c.type.name);
      const name = enumCheckName(t.name, c.name, c.type.name);
      if (values && !checks.some((k) => k.name === name)) checks.push({ name, expression: enumCheckExpression(c.name, values) });
    }
    // A declared collation (`.collate('NOCASE')`) is a COLLATE clause in the type, where SQLite keeps it and where
    // the introspector reads it (see sqlite-column-type.ts): one place, which a table rebuild carries over.
    const type = normalizeType(c.collation === undefined ? c.type : collatedType(c.type, c.collation), c.autoIncrement);
    const spelledAs = c.autoIncrement ? undefined : declaredSpelling(c.spelledAs ?? (c.type.kind === 'custom' ? c.type.sql : undefined), type);
    // SQLite lets non-INTEGER primary key columns hold NULL unless declared NOT NULL; Retort always declares it.
    const nullable = pk.includes(c.name) ? false : c.nullable;
    const serverDefault = c.autoIncrement ? null : normalizeDefault(c.serverDefault, type);
    // SQLite has no comments.
    const column: { -readonly [K in keyof ColumnIR]: ColumnIR[K] } = spelledAs !== undefined
      ? { spelledAs, name: c.name, type, nullable, serverDefault, autoIncrement: c.autoIncrement, comment: null }
      : { name: c.name, type, nullable, serverDefault, autoIncrement: c.autoIncrement, comment: null };
    // The rename hint is the differ's to read: kept as declared.
    if (c.renamedFrom !== undefined) column.renamedFrom = c.renamedFrom;
    return column;
  });
  const columnNames = columns.map((c) => c.name);
  const table: { -readonly [K in keyof TableIR]: TableIR[K] } = {
    name: t.name,
    columns,
    // A primary key's name is kept where CREATE TABLE writes one (`CONSTRAINT [PK_Album] PRIMARY KEY`).
    primaryKey: t.primaryKey && t.primaryKey.columns.length > 0 ? marked({ name: t.primaryKey.name, columns: [...t.primaryKey.columns] }, t.primaryKey) : null,
    uniques: [...t.uniques].sort(byName),
    // An index method and INCLUDE columns are PostgreSQL's: on SQLite the index is a plain one over its keys.
    indexes: t.indexes.map((i): IndexIR => marked({
      name: i.name,
      columns: i.columns.map((e) => normalizeIndexEntry(e, columnNames)),
      unique: i.unique,
      where: i.where === null ? null : normalizeExpression(i.where, columnsFor(i.where)),
    }, i)).sort(byName),
    foreignKeys: [...t.foreignKeys].sort(byName),
    checks: checks.sort(byName),
    comment: null,
  };
  if (t.renamedFrom !== undefined) table.renamedFrom = t.renamedFrom;
  return table;
}

/** `x` with the models' marks of `from` (`autoNamed`, the rename hint) added last, as `{ ...x, ...autoNamed(from) }` has them. */
function marked<T extends object>(x: T, from: { readonly autoNamed?: boolean; readonly renamedFrom?: string }): T & { autoNamed?: true; renamedFrom?: string } {
  const out = x as T & { autoNamed?: true; renamedFrom?: string };
  if (from.autoNamed === true) out.autoNamed = true;
  if (from.renamedFrom !== undefined) out.renamedFrom = from.renamedFrom;
  return out;
}

/**
 * A type with its COLLATE clause set to `collation` (none for null): `<type> COLLATE <NAME>` as SQLite reads it back
 * (a generated column's before GENERATED), normalised.
 */
export function collatedType(type: ColumnType, collation: string | null): ColumnType {
  const parts = type.kind === 'custom' ? readColumnType(type.sql) : { base: typeSql(type.kind === 'enum' ? { kind: 'text' } : type), collate: null, generated: null };
  return normalizeType({ kind: 'custom', sql: spellColumnType(parts.base, collation, parts.generated, (e) => e) }, false);
}

/**
 * SQLite has no NULLS NOT DISTINCT: its unique constraints and indexes always let NULLs repeat. A model that asks
 * for it is refused at load rather than given a weaker constraint without a word.
 */
export function refuseNullsNotDistinct(t: TableIR): void {
  const which = t.uniques.find((x) => x.nullsNotDistinct === true) ?? t.indexes.find((x) => x.nullsNotDistinct === true);
  if (which === undefined) return;
  throw new RetortError('MODEL', `table "${t.name}": "${which.name}" is declared NULLS NOT DISTINCT, which SQLite does not have (its unique constraints always let NULLs repeat)`, {
    hint: 'remove .nullsNotDistinct() for SQLite, or make the columns NOT NULL',
  });
}

/**
 * SQLite defers foreign keys only (DEFERRABLE INITIALLY DEFERRED): a unique constraint or primary key is checked at
 * each row whatever it says. A model that declares one deferrable is refused at load, as NULLS NOT DISTINCT is.
 */
export function refuseDeferrableKeys(t: TableIR): void {
  const which = t.primaryKey?.deferrable !== undefined ? 'its primary key' : t.uniques.find((u) => u.deferrable !== undefined)?.name;
  if (which === undefined) return;
  throw new RetortError('MODEL', `table "${t.name}": ${which === 'its primary key' ? which : `"${which}"`} is declared deferrable, which SQLite has only for foreign keys (its unique constraints and keys are checked at each row)`, {
    hint: 'remove deferrable from the unique constraint or primary key for SQLite, or run against PostgreSQL',
  });
}

/**
 * SQLite has neither partitioned tables nor exclusion constraints. A model that declares one is refused at load,
 * as a sequence is, rather than given a plain table or no constraint without a word.
 */
export function refusePartitioning(t: TableIR): void {
  const what = t.partitionBy !== undefined ? 'is partitioned (partitionBy)' : t.partitionOf !== undefined ? `is a partition of "${t.partitionOf.parent}" (partitionOf)` : null;
  if (what !== null) throw new RetortError('MODEL', `table "${t.name}" ${what}, but SQLite has no partitioned tables`, { hint: 'declare a plain table for SQLite, or run against PostgreSQL' });
  const x = t.excludes?.[0];
  if (x !== undefined) throw new RetortError('MODEL', `table "${t.name}": exclusion constraint "${x.name}" is declared, but SQLite has no exclusion constraints`, { hint: 'remove exclude() for SQLite (a unique index or a trigger may do), or run against PostgreSQL' });
}

/**
 * A type name SQLite reads as one of Retort's types but that is not this dialect's spelling of it (`DATETIME` for
 * TIMESTAMP, `INT8` for BIGINT), in its one spelling; undefined where the name is the usual one.
 */
export function declaredSpelling(text: string | undefined, type: ColumnType): string | undefined {
  if (text === undefined || type.kind === 'custom') return undefined;
  // The usual case, a database Retort wrote: the name is written as typeSql spells it.
  const usual = typeSql(type);
  if (text === usual) return undefined;
  const spelled = /['"`[]/.test(text) ? text.trim() : text.trim().replace(/\s+/g, ' ').toUpperCase();
  return spelled === usual ? undefined : spelled;
}

/** Enum values by name. */
export function enumMap(enums: readonly EnumIR[]): Map<string, readonly string[]> {
  return new Map(enums.map((e) => [e.name, e.values]));
}

/** Normalises a whole schema: enums disappear into TEXT columns with CHECKs, since SQLite has no enum types. */
export function normalizeSchema(schema: SchemaIR): SchemaIR {
  refuseRlsModels(schema);
  const enums = enumMap(schema.enums);
  const views = withViewDependencies(schema, sqliteSyntax, asciiLower, asciiLower);
  if (views?.some((v) => v.materialized)) throw noMaterializedViews(views.find((v) => v.materialized)!.name);
  // SQLite has no view options: they are left out on both sides (and ignored by the compiler).
  const plain = views?.map(({ securityBarrier: _b, checkOption: _c, withData: _d, indexes: _i, ...v }) => v);
  const fn = schema.functions?.[0];
  if (fn !== undefined) {
    throw new RetortError('UNSUPPORTED', `${fn.kind} "${fn.name}": SQLite has no stored functions or procedures`, { hint: 'keep functions out of models used with SQLite (a SQLite trigger takes a body instead)' });
  }
  const triggers = schema.triggers?.map(normalizeSqliteTrigger).sort((a, b) => byName({ name: `${a.table}\u0000${a.name}` }, { name: `${b.table}\u0000${b.name}` }));
  // The enums' rename hints outlive the enums, for the differ (planRenames reads them against the lifted CHECKs).
  const enumHints = schema.enums.filter((e) => e.renamedFrom !== undefined || (e.renamedValues !== undefined && Object.keys(e.renamedValues).length > 0));
  // SQLite keeps no comments on indexes, constraints or views (as on tables and columns): left out on both sides.
  return withoutComments({
    tables: schema.tables.map((t) => normalizeTable(t, enums)).sort(byName),
    enums: [],
    ...(plain !== undefined && plain.length > 0 ? { views: plain.sort(byName) } : {}),
    ...(triggers !== undefined && triggers.length > 0 ? { triggers } : {}),
    ...(enumHints.length > 0 ? { enumHints } : {}),
  });
}
