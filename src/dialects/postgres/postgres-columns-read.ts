/**
 * Reading tables' columns from pg_catalog, as one query of the introspector's batch. It returns the most rows of
 * the batch (11,000 at 1000 tables of 11 columns), so each row is kept narrow: the client's cost is per field (the
 * driver parses every field of every row, NULL or not), and the former 22 fields per row took 36 ms of client CPU
 * at 1000 tables where 13 took 25 (bench/results/2026-12-06-catalog). What most columns do not have (a comment, a
 * collation of their own, identity with its sequence's options, generation) comes as one JSON field, NULL for the
 * others; an enum, a domain or an array of enums is one name and its kind.
 */
import type { ColumnIR, ColumnType, SequenceOptionsIR } from '../../ir/ir.js';
import { qualifiedIn, qualifiedOid, TABLE_FILTER } from './postgres-managed-schemas.js';
import { generatedTypeSql, isIntegerKind, parseTypeSql, typeSql } from './postgres-sql.js';

/** A sequence's options as text (bigint values pass 2^53), the free-standing sequences' query's first columns. */
export const SEQUENCE_OPTIONS = `SELECT sq.seqstart::text AS start, sq.seqincrement::text AS increment, sq.seqmin::text AS min, sq.seqmax::text AS max,
  sq.seqcache::text AS cache, sq.seqcycle AS cycle`;

/** The same options as a JSON object with the same keys, for an identity column. */
const SEQUENCE_OPTIONS_JSON = `json_build_object('start', sq.seqstart::text, 'increment', sq.seqincrement::text, 'min', sq.seqmin::text,
  'max', sq.seqmax::text, 'cache', sq.seqcache::text, 'cycle', sq.seqcycle)`;

// owns_sequence is pg_get_serial_sequence(table, column) IS NOT NULL: a sequence that depends on the
// column automatically (serial, when the column's default calls it) or internally (identity). A column that
// owns a free-standing sequence (OWNED BY) and takes its default from another is not serial. EXISTS, not IN: the planner probes the index
// for one table and hashes all owned sequences for a whole schema. No ORDER BY: sorting the wide rows spills
// to disk on large schemas, and each table's few columns are put in attnum order by the client.
// Only a column with a default or an identity can own one, and most columns have neither: the test before the EXISTS
// spares them the pg_depend probe (11,000 probes at 1000 tables of 11 columns; the query's server time -20%).
// The default itself is looked up only where pg_attribute says there is one (atthasdef): OFFSET 0 keeps that test a
// one-time filter in front of the pg_attrdef probe (8,000 probes at 1000 tables of 8 columns, 2,000 of them with defaults).
// A default is deparsed without its table (relid 0): a default cannot name a column, and with the table
// pg_get_expr opens each relation to name columns, which cost 45 of 150 ms on 1000 tables. A generated
// column's expression does name columns, so it keeps its table.
// `special` is attidentity ('a' always, 'd' by default) or attgenerated ('s' stored, 'v' virtual): never both.
// The type's schema is joined (a hash of pg_namespace), not looked up per enum or domain column; an enum's or a
// domain's formatted type is not sent (its name is).
const UDT_KIND = `CASE WHEN t.typtype IN ('e', 'd') THEN t.typtype::text WHEN et.typtype = 'e' THEN 'a' END`;
const OWN_COLLATION = `(a.attcollation <> 0 AND a.attcollation <> t.typcollation)`;

export const COLUMNS_SQL = `
SELECT ${qualifiedIn('n.nspname', 'c.relname')} AS table_name, a.attnum, a.attname AS name,
  CASE WHEN ${UDT_KIND} IS NULL THEN format_type(a.atttypid, a.atttypmod) END AS formatted,
  CASE WHEN a.attnotnull THEN true END AS not_null,
  CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid, true) ELSE pg_get_expr(d.adbin, 0, true) END AS default_expr,
  ${UDT_KIND} AS udt_kind,
  CASE WHEN t.typtype IN ('e', 'd') THEN ${qualifiedIn('tn.nspname', 't.typname')}
    WHEN et.typtype = 'e' THEN ${qualifiedOid('et.typnamespace', 'et.typname')} END AS udt,
  CASE WHEN (a.attidentity <> '' OR d.oid IS NOT NULL) AND EXISTS (SELECT 1 FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid
          WHERE dep.refclassid = 'pg_catalog.pg_class'::regclass AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum
            AND dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objsubid = 0 AND dep.deptype IN ('a', 'i')
            AND s.relkind = 'S'
            AND (a.attidentity <> '' OR EXISTS (SELECT 1 FROM pg_depend dd WHERE dd.classid = 'pg_catalog.pg_attrdef'::regclass AND dd.objid = d.oid
              AND dd.refclassid = 'pg_catalog.pg_class'::regclass AND dd.refobjid = s.oid))) THEN true END AS owns_sequence,
  CASE WHEN ds.description IS NOT NULL OR ${OWN_COLLATION} OR a.attidentity <> '' OR a.attgenerated <> '' THEN json_build_object(
    'special', NULLIF(a.attidentity::text || a.attgenerated::text, ''),
    'comment', ds.description,
    'collation', CASE WHEN ${OWN_COLLATION} THEN (SELECT co.collname FROM pg_collation co WHERE co.oid = a.attcollation) END,
    'identity', CASE WHEN a.attidentity <> '' THEN (SELECT ${SEQUENCE_OPTIONS_JSON} FROM pg_depend dep JOIN pg_sequence sq ON sq.seqrelid = dep.objid
          WHERE dep.refclassid = 'pg_catalog.pg_class'::regclass AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum
            AND dep.classid = 'pg_catalog.pg_class'::regclass AND dep.deptype = 'i' LIMIT 1) END) END AS extra
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN LATERAL (SELECT d.oid, d.adrelid, d.adbin FROM pg_attrdef d WHERE a.atthasdef AND d.adrelid = a.attrelid AND d.adnum = a.attnum OFFSET 0) d ON true
LEFT JOIN pg_description ds ON ds.objoid = a.attrelid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = a.attnum
WHERE ${TABLE_FILTER} AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped`;

/** A sequence's options as the catalog queries return them. */
export interface SequenceOptionRow { start: string; increment: string; min: string; max: string; cache: string; cycle: boolean }

/** One row of COLUMNS_SQL. */
export interface ColumnRow {
  table_name: string; attnum: number; name: string;
  /** format_type's text; null where `udt` names the type. */
  formatted: string | null;
  /** true or NULL (not false): a NULL field costs the driver nothing to read, and most rows of a schema have one. */
  not_null: true | null; default_expr: string | null;
  /** 'e' an enum, 'd' a domain, 'a' an array of an enum: `udt` names it; null for other types. */
  udt_kind: 'e' | 'd' | 'a' | null; udt: string | null;
  /** true or NULL, as not_null. */
  owns_sequence: true | null;
  /** What few columns have; null when the column has none of it. */
  extra: ColumnExtra | null;
}

/** A column's rarer facets, one JSON field of the row. */
interface ColumnExtra {
  /** 'a' or 'd': an identity column (always, by default); 's' or 'v': a generated one (stored, virtual). */
  special: 'a' | 'd' | 's' | 'v' | null;
  comment: string | null;
  /** Its collation when it is not its type's. */
  collation: string | null;
  /** An identity column's sequence options. */
  identity: SequenceOptionRow | null;
}

export function sequenceOptionsOf(r: SequenceOptionRow): SequenceOptionsIR {
  return { start: r.start, increment: r.increment, min: r.min, max: r.max, cache: r.cache, cycle: r.cycle };
}

/** The ColumnIR of a catalog row. */
export function buildColumn(r: ColumnRow): ColumnIR {
  const plain = columnType(r);
  const x = r.extra;
  const special = x?.special ?? null;
  const isIdentity = special === 'a' || special === 'd';
  const isGenerated = special === 's' || special === 'v';
  // A generated column is its type and expression, as a custom type (the expression is not a default).
  const type: ColumnType = isGenerated && r.default_expr !== null ? { kind: 'custom', sql: generatedTypeSql(typeSql(plain), r.default_expr, special === 's') } : plain;
  // serial is a default of nextval() on a sequence the column owns; an identity column is read as one, with its options.
  const serial = r.owns_sequence === true && isIntegerKind(type) && !isIdentity && /^nextval\(/i.test(r.default_expr ?? '');
  const column: { -readonly [K in keyof ColumnIR]: ColumnIR[K] } = {
    name: r.name,
    type,
    nullable: r.not_null !== true,
    serverDefault: serial || isGenerated || isIdentity ? null : r.default_expr,
    autoIncrement: serial,
    comment: x?.comment ?? null,
  };
  // Set one by one, not spread: this runs for every column of the schema.
  if (isIdentity && x?.identity) column.identity = { always: special === 'a', ...sequenceOptionsOf(x.identity) };
  if (x?.collation) column.collation = x.collation;
  return column;
}

function columnType(r: ColumnRow): ColumnType {
  if (r.udt_kind === 'e') return { kind: 'enum', name: r.udt! };
  if (r.udt_kind === 'd') return { kind: 'domain', name: r.udt! };
  if (r.udt_kind === 'a') return { kind: 'array', element: { kind: 'enum', name: r.udt! } };
  return parsedType(r.formatted ?? '');
}

// A schema has a few dozen distinct formatted types for thousands of columns: each is parsed once. The IR's types are
// never changed in place (parseTypeSql's simple types are shared objects already), so columns can share one.
const parsedTypes = new Map<string, ColumnType>();

function parsedType(formatted: string): ColumnType {
  let type = parsedTypes.get(formatted);
  if (type === undefined) parsedTypes.set(formatted, (type = parseTypeSql(formatted)));
  return type;
}
