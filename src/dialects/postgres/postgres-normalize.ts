/**
 * The one normaliser for PostgreSQL: declared models and introspected schemas
 * both pass through it, so that two descriptions of the same schema compare
 * equal (`varchar` vs `character varying`, `'x'::genderenum` vs `'x'`,
 * `CURRENT_TIMESTAMP` vs `now()`, serial's `nextval(...)` default...). Pure
 * functions only, so the differ can be unit-tested against them.
 */
import { bareName } from '../../ir/qualified.js';
import { column, isNumberKind, type PrimaryKeyIR, type CheckIR, type DomainIR, type ExclusionIR, type ColumnIR, type ColumnType, type EnumIR, type ForeignKeyIR, type IndexIR, type SchemaIR, type TableIR, type UniqueIR } from '../../ir/ir.js';
import { identifierText, isColumnKey, normalizeIndexOptions, splitIndexEntry, unquoteIdentifier } from './postgres-index.js';
import { generatedParts, generatedTypeSql, isIntegerKind, parseTypeSql, postgresSyntax, postgresWithComments, typeSql } from './postgres-sql.js';
import { closingParen, quotedRunAt, stripOuterParens as stripParens, withoutSqlComments } from '../sql-text.js';
import { autoNamed } from '../../ir/ir-util.js';
import { canonicalNumber } from '../sql-quote.js';
import { normalizeIdentity, normalizeSequence } from './postgres-sequence-options.js';
import { withViewDependencies } from '../view-dependencies.js';
import { tableIR, type FunctionIR, type PolicyIR, type TriggerIR, type ViewIR } from '../../ir/ir.js';
import { functionKey, triggerKey } from '../../ir/routine.js';
import { withFunctionDependencies } from '../routine-order.js';
import { RetortError } from '../../errors.js';
import { sortPolicies } from '../../ir/policy.js';

/** normalizeSchema normalises every table and enum and sorts both by name. */
export function normalizeSchema(schema: SchemaIR): SchemaIR {
  const enumNames = new Set(schema.enums.map((e) => e.name));
  const views = withViewDependencies(schema, postgresSyntax, (w) => w.toLowerCase());
  return {
    // A partition's own indexes and checks name its parent's columns.
    tables: sortByName(schema.tables.map((t) => normalizeTable(t, enumNames, t.partitionOf === undefined ? undefined : schema.tables.find((p) => p.name === t.partitionOf!.parent)?.columns))),
    enums: sortByName(schema.enums.map(normalizeEnum)),
    // A schema without sequences has no list at all (SQLite's never has one), so IRs compare alike.
    ...(schema.sequences !== undefined && schema.sequences.length > 0 ? { sequences: sortByName(schema.sequences.map((x) => ({ ...normalizeSequence(x), ...commented(x) }))) } : {}),
    ...(views !== undefined && views.length > 0 ? { views: sortByName(views.map(normalizeView)) } : {}),
    ...normalizeRoutines(schema),
    ...(schema.domains !== undefined && schema.domains.length > 0 ? { domains: sortByName(schema.domains.map((d) => normalizeDomain(d, enumNames))) } : {}),
    ...(schema.extensions !== undefined && schema.extensions.length > 0 ? { extensions: sortByName(schema.extensions.map((e) => ({ ...e }))) } : {}),
    ...(schema.policies !== undefined && schema.policies.length > 0 ? { policies: sortPolicies(schema.policies.map(normalizePolicy)) } : {}),
    ...(schema.schemas !== undefined && schema.schemas.length > 0 ? { schemas: [...schema.schemas].sort() } : {}),
  };
}

/** A domain's type, default and checks as a column's are normalised (its checks are over VALUE); an empty comment is none. */
function normalizeDomain(d: DomainIR, enumNames: ReadonlySet<string>): DomainIR {
  const type = normalizeType(d.type, enumNames);
  return {
    name: d.name,
    type,
    // As a column's: the default collation is none, a name is compared as the catalog prints it.
    ...(d.collation !== undefined && d.collation.toLowerCase() !== 'default' ? { collation: unquoteIdentifier(d.collation) } : {}),
    notNull: d.notNull,
    default: normalizeDefault(d.default, type),
    checks: sortByName(d.checks.map((c) => ({ name: c.name, expression: normalizeExpression(c.expression) }))),
    ...(d.comment !== undefined && d.comment !== '' ? { comment: d.comment } : {}),
  };
}

const byKey = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** Functions with their dependencies and sorted by signature; triggers sorted by table and name, WHEN without its parentheses. */
function normalizeRoutines(schema: SchemaIR): Pick<SchemaIR, 'functions' | 'triggers'> {
  const functions = withFunctionDependencies(schema, postgresSyntax, (w) => w.toLowerCase())?.map(normalizeFunction);
  const triggers = schema.triggers?.map(normalizeTrigger);
  return {
    ...(functions !== undefined && functions.length > 0 ? { functions: [...functions].sort(byKey(functionKey)) } : {}),
    ...(triggers !== undefined && triggers.length > 0 ? { triggers: [...triggers].sort(byKey(triggerKey)) } : {}),
  };
}

function normalizeFunction(f: FunctionIR): FunctionIR {
  return { ...f, ...(f.language !== undefined ? { language: f.language.toLowerCase() } : {}) };
}

function normalizeTrigger(t: TriggerIR): TriggerIR {
  if (t.execute === undefined || t.body !== undefined) {
    throw new RetortError('UNSUPPORTED', `trigger "${t.name}" on "${t.table}": a PostgreSQL trigger executes a function`, { hint: 'declare the body as a trigger function with fn(..., { returns: \'trigger\' }) and give the trigger execute: thatFunction' });
  }
  return { ...t, args: t.args ?? [], ...(t.when !== undefined ? { when: stripParens(t.when, postgresSyntax) } : {}) };
}

/**
 * A policy's roles sorted, without repeats; `public` (PUBLIC) in lower case, and alone: PostgreSQL keeps only PUBLIC
 * when other roles are named with it ("ignoring specified roles other than PUBLIC"). Its clauses are compared as the
 * server prints them (postgres-canonicalize-policies.ts).
 */
function normalizePolicy(p: PolicyIR): PolicyIR {
  const roles = [...new Set(p.roles.map((r) => (r.toLowerCase() === 'public' ? 'public' : r)))].sort();
  return { ...p, roles: roles.includes('public') ? ['public'] : roles };
}

/**
 * A view's index keys as a table's are normalised; its query is compared as the server prints it (see
 * postgres-canonicalize.ts). A declared view's columns are not known: a key that reads as a name (isColumnKey) is
 * taken for a column, as the compiler takes it, not for an expression (`(it's)` would be neither SQL nor the
 * catalog's spelling).
 */
function normalizeView(v: ViewIR): ViewIR {
  const { indexes, ...rest } = v;
  if (indexes === undefined || indexes.length === 0) return rest;
  const keys = indexes.flatMap((ix) => ix.columns).map((e) => splitIndexEntry(e).key).filter(isColumnKey).map(unquoteIdentifier);
  const names = [...new Set([...(v.columns ?? []).map((c) => c.name), ...keys])];
  return { ...rest, indexes: normalizeTable(tableIR(v.name, names.map((n) => column(n, { kind: 'custom', sql: 'unknown' })), { indexes })).indexes };
}

/** normalizeEnum copies an enum (values keep their order: it is meaningful). */
export function normalizeEnum(e: EnumIR): EnumIR {
  return {
    name: e.name, values: [...e.values], ...commented(e),
    ...(e.renamedValues !== undefined ? { renamedValues: { ...e.renamedValues } } : {}), ...(e.renamedFrom !== undefined ? { renamedFrom: e.renamedFrom } : {}),
  };
}

/** An object's comment where it has one; an empty comment is none, as PostgreSQL stores it. */
function commented(x: { readonly comment?: string }): { comment?: string } {
  return x.comment === undefined || x.comment === '' ? {} : { comment: x.comment };
}

/** normalizeTable normalises columns and names the primary key as PostgreSQL does; constraints and indexes are sorted by name. */
export function normalizeTable(t: TableIR, enumNames: ReadonlySet<string> = new Set(), parentColumns?: readonly ColumnIR[]): TableIR {
  const columns = (parentColumns ?? t.columns).map((c) => normalizeColumn(c, enumNames));
  const stringColumns = new Set(columns.filter((c) => STRING_KINDS.has(c.type.kind)).map((c) => c.name));
  const columnNames = new Set(columns.map((c) => c.name));
  const normalizeIndex = (ix: IndexIR): IndexIR => {
    const method = ix.method?.toLowerCase();
    const out: Mutable<IndexIR> = {
      name: ix.name,
      columns: ix.columns.map((c) => normalizeIndexEntry(c, columnNames, stringColumns)),
      unique: ix.unique,
      where: ix.where === null ? null : normalizeExpression(ix.where, stringColumns),
    };
    // btree is what CREATE INDEX uses unless told otherwise; no INCLUDE list is the same as an empty one.
    if (method !== undefined && method !== 'btree') out.method = method;
    if (ix.include !== undefined && ix.include.length > 0) out.include = [...ix.include];
    if (ix.unique && ix.nullsNotDistinct === true) out.nullsNotDistinct = true;
    return withMarks(out, ix);
  };
  // Built field by field, not with spreads: this runs for every table on both sides of every comparison.
  const out: Mutable<TableIR> = {
    name: t.name,
    columns: t.partitionOf !== undefined ? [] : columns,
    // An unnamed primary key is named <table>_pkey by PostgreSQL.
    primaryKey: t.primaryKey ? withMarks<Mutable<PrimaryKeyIR>>(normalizeKey(t.primaryKey, `${bareName(t.name)}_pkey`), t.primaryKey) : null,
    uniques: sortByName(t.uniques.map((u): UniqueIR => {
      const unique: Mutable<UniqueIR> = { name: u.name, columns: [...u.columns] };
      if (u.nullsNotDistinct === true) unique.nullsNotDistinct = true;
      if (u.deferrable !== undefined) unique.deferrable = u.deferrable;
      return withMarks(unique, u);
    })),
    indexes: sortByName(t.indexes.map(normalizeIndex)),
    foreignKeys: sortByName(t.foreignKeys.map(normalizeForeignKey)),
    checks: sortByName(t.checks.map((c): CheckIR => withMarks<Mutable<CheckIR>>({ name: c.name, expression: normalizeExpression(c.expression, stringColumns) }, c))),
    comment: emptyToNull(t.comment),
  };
  if (t.rlsEnabled === true) out.rlsEnabled = true;
  if (t.rlsForced === true) out.rlsForced = true;
  // The rename hint is the differ's to read: kept as declared.
  if (t.renamedFrom !== undefined) out.renamedFrom = t.renamedFrom;
  if (t.excludes !== undefined && t.excludes.length > 0) {
    out.excludes = sortByName(t.excludes.map((x): ExclusionIR => ({
      name: x.name,
      method: x.method.toLowerCase(),
      elements: x.elements.map((e) => ({ expression: normalizeIndexEntry(e.expression, columnNames, stringColumns), operator: e.operator.trim() })),
      where: x.where === null ? null : normalizeExpression(x.where, stringColumns),
      ...autoNamed(x),
    })));
  }
  if (t.partitionBy !== undefined) out.partitionBy = { strategy: t.partitionBy.strategy, columns: t.partitionBy.columns.map((c) => normalizeIndexEntry(c, columnNames, stringColumns)) };
  // A partition's columns are its parent's: none of its own, whatever was read or declared.
  if (t.partitionOf !== undefined) out.partitionOf = { parent: t.partitionOf.parent, bound: t.partitionOf.bound };
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * `out` with the comment of `x` (none when empty, as PostgreSQL stores it) and the models' marks (`autoNamed`, the
 * rename hint), set in place: what `...commented(x), ...autoNamed(x)` says, without two objects per item.
 */
function withMarks<T extends { comment?: string; autoNamed?: boolean; renamedFrom?: string; invalid?: true; notValid?: true }>(out: T, x: { readonly comment?: string; readonly autoNamed?: boolean; readonly renamedFrom?: string; readonly invalid?: true; readonly notValid?: true }): T {
  if (x.comment !== undefined && x.comment !== '') out.comment = x.comment;
  if (x.autoNamed === true) out.autoNamed = true;
  if (x.renamedFrom !== undefined) out.renamedFrom = x.renamedFrom;
  // The database's unfinished states (an INVALID index, a NOT VALID constraint), which the differ answers.
  if (x.invalid === true) out.invalid = true;
  if (x.notValid === true) out.notValid = true;
  return out;
}

/** normalizeColumn canonicalises the type, the default and what auto-increment implies. */
export function normalizeColumn(c: ColumnIR, enumNames: ReadonlySet<string> = new Set()): ColumnIR {
  const type = normalizeType(c.type, enumNames);
  // Only integer types can be serial; a serial column is NOT NULL and its nextval() default is the sequence's business.
  // An identity column is NOT NULL and has no default either; its sequence's options compare by the column's type.
  const identity = c.identity !== undefined && isIntegerKind(type) ? normalizeIdentity(c.identity, type) : undefined;
  const autoIncrement = c.autoIncrement && isIntegerKind(type) && identity === undefined;
  const out: Mutable<ColumnIR> = {
    name: c.name,
    type,
    nullable: autoIncrement || identity !== undefined ? false : c.nullable,
    serverDefault: autoIncrement || identity !== undefined ? null : normalizeDefault(c.serverDefault, type),
    autoIncrement,
    comment: emptyToNull(c.comment),
  };
  if (identity !== undefined) out.identity = identity;
  // The default collation is no collation; a name is compared as the catalog prints it (quoted where it must be).
  if (c.collation !== undefined && c.collation.toLowerCase() !== 'default') out.collation = unquoteIdentifier(c.collation);
  if (c.renamedFrom !== undefined) out.renamedFrom = c.renamedFrom;
  return out;
}

/** normalizeType fills in the lengths and scales PostgreSQL implies and maps custom spellings of known types to their kind. */
export function normalizeType(type: ColumnType, enumNames: ReadonlySet<string> = new Set()): ColumnType {
  switch (type.kind) {
    case 'numeric':
      if (type.precision === null) return { kind: 'numeric', precision: null, scale: null };
      return { kind: 'numeric', precision: type.precision, scale: type.scale ?? 0 };
    case 'char':
      // `char` without a length is character(1).
      return { kind: 'char', length: type.length ?? 1 };
    case 'array': {
      // PostgreSQL does not record array dimensions: integer[][] is integer[].
      let element = type.element;
      while (element.kind === 'array') element = element.element;
      return { kind: 'array', element: normalizeType(element, enumNames) };
    }
    case 'custom': {
      const generated = generatedParts(type.sql);
      if (generated) {
        // One spelling for the base type and the expression; PostgreSQL's own is found by canonicalisation.
        const base = typeSql(normalizeType({ kind: 'custom', sql: generated.base }, enumNames));
        return { kind: 'custom', sql: generatedTypeSql(base, normalizeExpression(generated.expression), generated.stored) };
      }
      const parsed = parseTypeSql(type.sql);
      if (parsed.kind !== 'custom') return normalizeType(parsed, enumNames);
      const bare = unquoteIdentifier(type.sql.trim());
      return enumNames.has(bare) ? { kind: 'enum', name: bare } : { kind: 'custom', sql: type.sql.trim() };
    }
    default:
      return type;
  }
}

const NOW_SPELLINGS = new Set(['now()', 'current_timestamp', 'transaction_timestamp()']);
const TRUE_SPELLINGS = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE_SPELLINGS = new Set(['false', 'f', 'no', 'n', 'off', '0']);

/**
 * normalizeDefault strips the casts PostgreSQL adds to stored defaults
 * (`'UNDEFINED'::genderenum`, `'x'::character varying`, `'-1'::integer`) and
 * picks one spelling for now(), booleans and numbers, so a declared default and
 * the one read back from pg_attrdef compare equal.
 */
export function normalizeDefault(expr: string | null, type: ColumnType): string | null {
  if (expr === null) return null;
  let e = stripOuterParens(expr.trim());
  for (let prev = ''; prev !== e; ) {
    prev = e;
    e = stripOuterParens(stripLiteralCast(e));
  }
  if (/^null$/i.test(e)) return null;
  const lower = e.toLowerCase();
  if (NOW_SPELLINGS.has(lower)) return 'now()';
  if (lower === 'current_date' || lower === 'current_time' || lower === 'localtimestamp' || lower === 'localtime' || lower === 'current_user') return lower.toUpperCase();
  if (type.kind === 'boolean') {
    const bare = isQuoted(e) ? unquoteLiteral(e).toLowerCase() : lower;
    if (TRUE_SPELLINGS.has(bare)) return 'true';
    if (FALSE_SPELLINGS.has(bare)) return 'false';
  }
  if (isNumberKind(type)) {
    // PostgreSQL keeps a unary plus as an operator and prints it `+ 1`.
    const number = canonicalNumber(isQuoted(e) ? unquoteLiteral(e).trim() : e.replace(/^\+\s+(?=[\d.])/, '+'));
    if (number !== null) return number;
  }
  return e;
}

// A trailing `::type` after a single literal: 'x'::character varying, 'a'::"Gen", '{}'::text[], 1::bigint, NULL::text.
const LITERAL_CAST = /^('(?:[^']|'')*'|[+-]?\d+(?:\.\d+)?|null)::(?:(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\.)?(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_ $]*)(?:\(\d+(?:,\s*\d+)?\))?(?:\s*(?:with|without) time zone)?(?:\[\])*$/i;

function stripLiteralCast(e: string): string {
  const m = LITERAL_CAST.exec(e);
  return m ? m[1]! : e;
}

/** stripOuterParens removes parentheses that enclose the whole expression: `((a > 0))` -> `a > 0`. */
export function stripOuterParens(expr: string): string {
  return stripParens(expr, postgresSyntax);
}

const STRING_KINDS = new Set(['text', 'varchar', 'char']);

/**
 * normalizeIndexEntry: a column name stays a bare name; an expression is normalised; key options
 * (`DESC`, an operator class, a collation) follow the key as pg_get_indexdef prints them, the
 * key then written as the deparser writes it (a column quoted only where it must be).
 */
export function normalizeIndexEntry(entry: string, columnNames: ReadonlySet<string>, stringColumns: ReadonlySet<string> = new Set()): string {
  if (columnNames.has(entry)) return entry;
  const { key, options } = splitIndexEntry(entry);
  const normalizedOptions = normalizeIndexOptions(options);
  const column = columnNames.has(unquoteIdentifier(key)) ? unquoteIdentifier(key) : null;
  if (column !== null) return normalizedOptions === '' ? column : `${identifierText(column)} ${normalizedOptions}`;
  // Anything else is an expression (`ff + 1` as declared, `(ff + 1)` as pg_get_indexdef prints it): one spelling, in
  // parentheses unless a function call, so the two compare equal and the compiler never takes it for a column name.
  const expression = indexExpression(normalizeExpression(key, stringColumns));
  return normalizedOptions === '' ? expression : `${expression} ${normalizedOptions}`;
}

// An index expression keeps one pair of parentheses unless it is a function call, as pg_get_indexdef prints it
// and as the compiler needs it to tell an expression from a column name.
function indexExpression(e: string): string {
  return /^[\p{L}_][\p{L}\p{N}_$.]*\s*\(/u.test(e) && closingParen(e, e.indexOf('('), postgresSyntax) === e.length - 1 ? e : `(${e})`;
}

// A type of another schema than the search_path's is printed with it (billing.status).
const TYPE_NAME = String.raw`(?:(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\.)?(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*(?: varying| precision| with(?:out)? time zone)?)(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*`;
const LITERAL_CAST_AT = new RegExp(String.raw`::${TYPE_NAME}`, 'iy');
// PostgreSQL's keywords that are not UNRESERVED (pg_get_keywords() catcode <> 'U', as of PostgreSQL 15): quote_ident() keeps these quoted.
const QUOTED_KEYWORDS = new Set(`all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case cast
char character check coalesce collate collation column concurrently constraint create cross current_catalog current_date current_role
current_schema current_time current_timestamp current_user dec decimal default deferrable desc distinct do else end except exists extract
false fetch float for foreign freeze from full grant greatest group grouping having ilike in initially inner inout int integer intersect
interval into is isnull join lateral leading least left like limit localtime localtimestamp national natural nchar none normalize
not notnull null nullif numeric offset on only or order out outer overlaps overlay placing position precision primary real references
returning right row select session_user setof similar smallint some substring symmetric table tablesample then time timestamp
to trailing treat trim true union unique user using values varchar variadic verbose when where window with xmlattributes xmlconcat
xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable`.split(/\s+/));
const STRING_CAST_AT = /::(?:text|character varying|varchar|bpchar)(?![\w[(])/iy;
const NUMBER_CAST_AT = /::(?:numeric|integer|bigint|smallint|real|double precision)(?![\w[(])/iy;
const STRING_ARRAY_CAST_AT = /::(?:text|character varying|varchar|bpchar)\[\](?![\w[(])/iy;

/**
 * normalizeExpression undoes what PostgreSQL adds when it stores a CHECK, an
 * index expression or a partial index's WHERE: outer parentheses, casts on
 * literals (`''::text`, `0::numeric`) and the implicit `::text` on string
 * columns (`lower(email::text)` on a varchar column; `stringColumns` names
 * them). Casts on anything else are meaningful and kept.
 */
export function normalizeExpression(expr: string, stringColumns: ReadonlySet<string> = new Set()): string {
  // Unprettied deparse wraps what it casts: (email)::text, (0)::numeric.
  // Comments go first: PostgreSQL keeps none, and one written inside CHECK (...) took the closing parenthesis with it.
  const e = stripOuterParens(withoutSqlComments(expr, postgresWithComments).trim()).replace(/(?<![\p{L}\p{N}_$"])\(("(?:[^"]|"")+"|[\p{L}_][\p{L}\p{N}_$]*|\d+(?:\.\d+)?)\)::/gu, '$1::');
  let out = '';
  let i = 0;
  // Skips every cast in a row: PostgreSQL chains them on constants ('-100'::integer::double precision on a real column).
  const skip = (re: RegExp) => {
    for (;;) {
      re.lastIndex = i;
      const m = re.exec(e);
      if (!m) return;
      i += m[0].length;
    }
  };
  while (i < e.length) {
    const ch = e[i]!;
    const run = quotedRunAt(e, i, postgresSyntax);
    if (run?.kind === 'dollar') {
      // A dollar-quoted string is data: kept as written.
      out += e.slice(i, run.end);
      i = run.end;
    } else if (run) {
      const token = e.slice(i, run.end);
      const inner = token.slice(1, -1).replace(ch === "'" ? /''/g : /""/g, ch);
      i = run.end;
      if (run.kind === 'string') {
        // PostgreSQL prints a negative number constant as a cast string ('-100'::integer); it is the number -100.
        NUMBER_CAST_AT.lastIndex = i;
        out += /^-\d+(\.\d+)?$/.test(inner) && NUMBER_CAST_AT.test(e) ? inner : token;
        skip(LITERAL_CAST_AT);
      } else {
        // Deparse quotes a name only when it must (upper case, spaces, reserved words): "price" is price.
        out += /^[a-z_][a-z0-9_$]*$/.test(inner) && !QUOTED_KEYWORDS.has(inner) ? inner : token;
        if (stringColumns.has(inner)) skip(STRING_CAST_AT);
      }
    } else if (/[\p{L}_]/u.test(ch)) {
      const m = /[\p{L}\p{N}_$]*/uy;
      m.lastIndex = i;
      const word = m.exec(e)![0];
      out += word;
      i += word.length;
      if (stringColumns.has(word)) skip(STRING_CAST_AT);
    } else if (/\d/.test(ch)) {
      const m = /\d+(?:\.\d+)?/y;
      m.lastIndex = i;
      const num = m.exec(e)![0];
      out += num;
      i += num.length;
      skip(NUMBER_CAST_AT);
    } else {
      out += ch;
      i++;
      // An array of strings cast as a whole (ARRAY['a'::varchar, 'b'::varchar]::text[], as PostgreSQL stores
      // `kind IN ('a', 'b')` on a varchar) is the same array as one whose elements are cast (Django's spelling).
      if (ch === ']') skip(STRING_ARRAY_CAST_AT);
    }
  }
  return out;
}

function normalizeForeignKey(fk: ForeignKeyIR): ForeignKeyIR {
  const out: Mutable<ForeignKeyIR> = { name: fk.name, columns: [...fk.columns], refTable: fk.refTable, refColumns: [...fk.refColumns], onDelete: fk.onDelete, onUpdate: fk.onUpdate };
  if (fk.deferrable !== undefined) out.deferrable = fk.deferrable;
  return withMarks(out, fk);
}

function isQuoted(e: string): boolean {
  return /^'(?:[^']|'')*'$/.test(e);
}

function unquoteLiteral(e: string): string {
  return e.slice(1, -1).replace(/''/g, "'");
}

function emptyToNull(s: string | null): string | null {
  return s === null || s === '' ? null : s;
}

/** Sorts by name in code-unit order, which unlike the database's collation is the same everywhere. */
export function sortByName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A primary key with its name (PostgreSQL's `<table>_pkey` where it has none), columns and deferral. */
function normalizeKey(pk: PrimaryKeyIR, dflt: string): Mutable<PrimaryKeyIR> {
  const out: Mutable<PrimaryKeyIR> = { name: pk.name ?? dflt, columns: [...pk.columns] };
  if (pk.deferrable !== undefined) out.deferrable = pk.deferrable;
  return out;
}
