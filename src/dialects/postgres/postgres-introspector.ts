/**
 * Reads a PostgreSQL schema from pg_catalog into the Schema IR in a fixed
 * number of queries (tables, columns, constraints, indexes, enums), whatever
 * the number of tables: one query per table would make `retort check` on a
 * 500-table database take seconds over a remote link.
 */
import type { Connection, IntrospectOptions } from '../dialect.js';
import type { CheckIR, ColumnIR, ColumnType, EnumIR, ForeignKeyIR, IndexIR, PrimaryKeyIR, ReferentialAction, SchemaIR, TableIR, UniqueIR } from '../../schema/ir.js';
import { normalizeSchema, normalizeTable, sortByName } from './postgres-normalize.js';
import { keyOptionsFromDefinition } from './postgres-index.js';
import { isIntegerKind, parseTypeSql } from './postgres-sql.js';

const DEFAULT_SCHEMA = 'public';

// Every query takes $1 = schema and $2 = one table's name or null for all tables.
const TABLE_FILTER = `n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND ($2::text IS NULL OR c.relname = $2::text)`;

const TABLES_SQL = `
SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE ${TABLE_FILTER}`;

const COLUMNS_SQL = `
SELECT c.relname AS table_name, a.attname AS name,
  format_type(a.atttypid, a.atttypmod) AS formatted,
  a.attnotnull AS not_null,
  pg_get_expr(d.adbin, d.adrelid, true) AS default_expr,
  a.attidentity <> '' AS is_identity,
  a.attgenerated <> '' AS is_generated,
  col_description(c.oid, a.attnum) AS comment,
  t.typtype = 'e' AS is_enum, t.typname AS type_name,
  et.typtype = 'e' AS elem_is_enum, et.typname AS elem_type_name,
  pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) IS NOT NULL AS owns_sequence
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE ${TABLE_FILTER} AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum`;

const CONSTRAINTS_SQL = `
SELECT c.relname AS table_name, con.conname AS name, con.contype AS type,
  ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
  fc.relname AS ref_table,
  ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS ref_columns,
  con.confdeltype AS on_delete, con.confupdtype AS on_update,
  pg_get_constraintdef(con.oid, true) AS definition
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
WHERE ${TABLE_FILTER} AND con.contype IN ('p', 'u', 'f', 'c')`;

// Indexes that back a primary key, UNIQUE or exclusion constraint are part of that constraint, not indexes of their own.
const INDEXES_SQL = `
SELECT c.relname AS table_name, i.relname AS name, ix.indisunique AS is_unique,
  ARRAY(SELECT CASE WHEN ix.indkey[k - 1] = 0 THEN pg_get_indexdef(ix.indexrelid, k, true)
                    ELSE (SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = ix.indrelid AND a.attnum = ix.indkey[k - 1]) END
        FROM generate_series(1, ix.indnkeyatts) k ORDER BY k) AS columns,
  ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) FROM generate_series(1, ix.indnkeyatts) k ORDER BY k) AS key_texts,
  ARRAY(SELECT a.attname::text FROM generate_series(ix.indnkeyatts + 1, ix.indnatts) k
        JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = ix.indkey[k - 1] ORDER BY k) AS include,
  am.amname AS method,
  pg_get_indexdef(ix.indexrelid, 0, true) AS definition,
  pg_get_expr(ix.indpred, ix.indrelid, true) AS predicate
FROM pg_index ix
JOIN pg_class i ON i.oid = ix.indexrelid
JOIN pg_am am ON am.oid = i.relam
JOIN pg_class c ON c.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE ${TABLE_FILTER} AND NOT ix.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u', 'x'))`;

const ENUMS_SQL = `
SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
FROM pg_type t
JOIN pg_enum e ON e.enumtypid = t.oid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = $1
GROUP BY t.typname`;

interface TableRow { name: string; comment: string | null }
interface ColumnRow {
  table_name: string; name: string; formatted: string; not_null: boolean; default_expr: string | null;
  is_identity: boolean; is_generated: boolean; comment: string | null;
  is_enum: boolean; type_name: string; elem_is_enum: boolean | null; elem_type_name: string | null; owns_sequence: boolean;
}
interface ConstraintRow {
  table_name: string; name: string; type: 'p' | 'u' | 'f' | 'c'; columns: string[]; ref_table: string | null; ref_columns: string[];
  on_delete: string; on_update: string; definition: string;
}
interface IndexRow {
  table_name: string; name: string; is_unique: boolean; columns: string[]; key_texts: string[]; include: string[];
  method: string; definition: string; predicate: string | null;
}
interface EnumRow { name: string; values: string[] }

/** introspectPostgres reads every table and enum of a schema, normalised and sorted by name, in five queries. */
export async function introspectPostgres(conn: Connection, options: IntrospectOptions): Promise<SchemaIR> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const tables = (await readTables(conn, schema, null)).filter((t) => !options.exclude(t.name));
  const enums = await conn.query<EnumRow>(ENUMS_SQL, [schema]);
  return normalizeSchema({ tables, enums: enums.map((e): EnumIR => ({ name: e.name, values: e.values })) });
}

/** introspectPostgresTable reads one table with the same queries, filtered to it; null when it does not exist. */
export async function introspectPostgresTable(conn: Connection, name: string, options: { schema?: string } = {}): Promise<TableIR | null> {
  const [table] = await readTables(conn, options.schema ?? DEFAULT_SCHEMA, name);
  return table ? normalizeTable(table) : null;
}

async function readTables(conn: Connection, schema: string, only: string | null): Promise<TableIR[]> {
  const params = [schema, only];
  const tableRows = await conn.query<TableRow>(TABLES_SQL, params);
  if (tableRows.length === 0) return [];
  const columns = groupBy(await conn.query<ColumnRow>(COLUMNS_SQL, params));
  const constraints = groupBy(await conn.query<ConstraintRow>(CONSTRAINTS_SQL, params));
  const indexes = groupBy(await conn.query<IndexRow>(INDEXES_SQL, params));
  return sortByName(tableRows).map((t) => buildTable(t, columns.get(t.name) ?? [], constraints.get(t.name) ?? [], indexes.get(t.name) ?? []));
}

function buildTable(t: TableRow, columnRows: ColumnRow[], constraintRows: ConstraintRow[], indexRows: IndexRow[]): TableIR {
  let primaryKey: PrimaryKeyIR | null = null;
  const uniques: UniqueIR[] = [];
  const foreignKeys: ForeignKeyIR[] = [];
  const checks: CheckIR[] = [];
  for (const r of constraintRows) {
    switch (r.type) {
      case 'p':
        primaryKey = { name: r.name, columns: r.columns };
        break;
      case 'u':
        uniques.push({ name: r.name, columns: r.columns });
        break;
      case 'f':
        foreignKeys.push({ name: r.name, columns: r.columns, refTable: r.ref_table ?? '', refColumns: r.ref_columns, onDelete: fkAction(r.on_delete), onUpdate: fkAction(r.on_update) });
        break;
      case 'c':
        checks.push({ name: r.name, expression: checkExpression(r.definition) });
        break;
    }
  }
  const indexes = indexRows.map(buildIndex);
  return { name: t.name, columns: columnRows.map(buildColumn), primaryKey, uniques, indexes, foreignKeys, checks, comment: t.comment };
}

// Key options (DESC, NULLS FIRST, an operator class, a collation) exist only in the full definition, each after its key.
function buildIndex(r: IndexRow): IndexIR {
  const options = keyOptionsFromDefinition(r.definition, r.method, r.key_texts);
  const columns = r.columns.map((c, k) => (options[k] ? `${r.key_texts[k]} ${options[k]}` : c));
  return { name: r.name, columns, unique: r.is_unique, where: r.predicate, method: r.method, include: r.include };
}

function buildColumn(r: ColumnRow): ColumnIR {
  const type = columnType(r);
  // serial is a default of nextval() on a sequence the column owns; identity columns own theirs too.
  const serial = r.owns_sequence && isIntegerKind(type) && (r.is_identity || /^nextval\(/i.test(r.default_expr ?? ''));
  return {
    name: r.name,
    type,
    nullable: !r.not_null,
    // A generated column's expression is not a default; the IR has no place for it.
    serverDefault: serial || r.is_generated ? null : r.default_expr,
    autoIncrement: serial,
    comment: r.comment,
  };
}

function columnType(r: ColumnRow): ColumnType {
  if (r.is_enum) return { kind: 'enum', name: r.type_name };
  if (r.elem_is_enum && r.elem_type_name !== null) return { kind: 'array', element: { kind: 'enum', name: r.elem_type_name } };
  return parseTypeSql(r.formatted);
}

const ACTIONS: Record<string, ReferentialAction> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

function fkAction(code: string): ReferentialAction {
  return ACTIONS[code] ?? 'NO ACTION';
}

// pg_get_constraintdef prints `CHECK (expr)`, followed by NOT VALID or NO INHERIT when those apply.
function checkExpression(definition: string): string {
  const m = /^CHECK \(([\s\S]*)\)(?:\s+NO INHERIT)?(?:\s+NOT VALID)?$/.exec(definition.trim());
  return m ? m[1]! : definition;
}

function groupBy<R extends { table_name: string }>(rows: R[]): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of rows) {
    const list = out.get(r.table_name);
    if (list) list.push(r);
    else out.set(r.table_name, [r]);
  }
  return out;
}
