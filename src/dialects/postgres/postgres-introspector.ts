/**
 * Reads a PostgreSQL schema from pg_catalog into the Schema IR in a fixed
 * number of queries (tables, columns, constraints, indexes, enums), whatever
 * the number of tables: one query per table would make `retort check` on a
 * 500-table database take seconds over a remote link. Where the connection
 * can batch, the five go in one round trip, so the caller can do its own work
 * (loading the model files) while the server answers.
 */
import type { Connection, IntrospectOptions } from '../dialect.js';
import type { CheckIR, Deferral, ExclusionIR, EnumIR, SequenceIR, ForeignKeyIR, IndexIR, PrimaryKeyIR, ReferentialAction, SchemaIR, TableIR, UniqueIR } from '../../ir/ir.js';
import { normalizeSchema, normalizeTable, sortByName } from './postgres-normalize.js';
import { keyOptionsFromDefinition } from './postgres-index.js';
import { parseExclusion, parsePartitionBound, parsePartitionKey } from './postgres-partitions.js';
import { buildView, VIEWS_SQL as VIEWS, type ViewRow } from './postgres-views-read.js';
import { buildFunction, buildTrigger, FUNCTIONS_SQL as FUNCTIONS, TRIGGERS_SQL as TRIGGERS, type FunctionRow, type TriggerRow } from './postgres-routines-read.js';
import { buildDomain, buildExtension, DOMAINS_SQL as DOMAINS, EXTENSIONS_SQL, NOT_EXTENSION_MEMBER, type DomainRow, type ExtensionRow } from './postgres-domains-read.js';
import { buildPolicy, RLS_COLUMNS, type PolicyRow } from './postgres-policies-read.js';
import { commentOn, MANAGED, qualifiedIn, qualifiedOid, TABLE_FILTER, withSchemas } from './postgres-managed-schemas.js';
import { buildColumn, COLUMNS_SQL as COLUMNS, SEQUENCE_OPTIONS, sequenceOptionsOf, type ColumnRow, type SequenceOptionRow } from './postgres-columns-read.js';
import { quoteLiteral } from './postgres-sql.js';

const DEFAULT_SCHEMA = 'public';

// Every query but the enums' takes $1 = schema and $2 = one table's name or null for all tables
// (the enums' takes $1 only). The texts hold no other `$`, so inlineParams can write the values in.
//
// Written for large schemas: catalog joins instead of per-row calls to SQL-language functions
// (col_description, obj_description) or name-parsing ones (pg_get_serial_sequence), and the
// deparsing functions (pg_get_constraintdef, pg_get_indexdef) called only where their text is used.
// Keep the planner's cost estimates low too (no generate_series, whose 1000-row guess multiplies
// per-row subqueries): past jit_above_cost (100000 by default) a server with JIT compiles the query
// before running it, which can take longer than the run itself (the former indexes query: +40 to
// 70 ms at 1000 tables, +0.4 to 0.7 s at 5000). At 5000 tables of 11 columns the costliest query
// here estimates 76000; larger schemas pass the threshold, so the batch also turns JIT off for itself.
//
// Indexes are read for materialized views too (relkind 'm'): buildTables leaves out those of relations that are not tables.
const INDEX_FILTER = TABLE_FILTER.replace(`c.relkind IN ('r', 'p')`, `c.relkind IN ('r', 'p', 'm')`);

const TABLES = `
SELECT ${qualifiedIn('n.nspname', 'c.relname')} AS name, ${commentOn('pg_catalog.pg_class', 'c.oid')} AS comment,
  CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
  CASE WHEN c.relispartition THEN (SELECT ${qualifiedOid('pc.relnamespace', 'pc.relname')} FROM pg_inherits ih JOIN pg_class pc ON pc.oid = ih.inhparent WHERE ih.inhrelid = c.oid) END AS partition_of,
  CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound, ${RLS_COLUMNS}
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE ${TABLE_FILTER} AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}`;

// Key columns are looked up one by one by (attrelid, attnum) (OFFSET 0 keeps the lookup a lookup: joined
// on unnest(), the planner hashes every column of the table for each constraint). A check's columns
// and a non-foreign key's referenced columns are not read; a check's definition is the only one that is.
// Arrays come back as JSON (array_to_json): JSON.parse reads them several times faster than pg's text-array parser.
// A key of one column (most of them) is one lookup, without unnest's function scan, sort and aggregate (a third of
// the constraints query's server time at 1000 tables).
const keyNames = (keys: string, rel: string) => `CASE WHEN cardinality(${keys}) = 1
        THEN ARRAY[(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = ${rel} AND a.attnum = ${keys}[1])]
        ELSE ARRAY(SELECT x.name FROM unnest(${keys}) WITH ORDINALITY u(attnum, ord)
          CROSS JOIN LATERAL (SELECT a.attname::text AS name FROM pg_attribute a WHERE a.attrelid = ${rel} AND a.attnum = u.attnum OFFSET 0) x
        ORDER BY u.ord) END`;

// NULLS NOT DISTINCT is pg_index.indnullsnotdistinct from PostgreSQL 15 on. Where the connection does not say the
// server's version it is read through the row's JSON, so that the same query runs on older servers (where the field
// is absent and reads as NULL, false); forServer names the field where the version has it (to_jsonb of each index's
// row cost 13 ms of server CPU at 1000 tables).
const NULLS_NOT_DISTINCT = (row: string) => `coalesce((to_jsonb(${row}) ->> 'indnullsnotdistinct')::boolean, false)`;
const NULLS_NOT_DISTINCT_JSON = /coalesce\(\(to_jsonb\((\w+)\) ->> 'indnullsnotdistinct'\)::boolean, false\)/g;
// Whether any index of the database is NULLS NOT DISTINCT, asked once per query (an InitPlan) where the server has the
// field, so that a database with none probes no unique constraint's index (1000 probes at 1000 tables).
const ANY_NULLS_NOT_DISTINCT = '(true /* any index NULLS NOT DISTINCT */)';

/** A catalog query as the server's version lets it be written (`version` undefined: for any version). */
function forServer(sql: string, version: number | undefined): string {
  if (version === undefined || version < 150000) return sql;
  return sql.replace(NULLS_NOT_DISTINCT_JSON, '$1.indnullsnotdistinct').split(ANY_NULLS_NOT_DISTINCT).join('EXISTS (SELECT 1 FROM pg_index nx WHERE nx.indnullsnotdistinct)');
}

// A foreign key's own facets (the referenced table, the actions, deferral, then the referenced columns) come as one JSON
// array of text, NULL for the other kinds: two thirds of the rows at 1000 tables, and the driver's cost is per field
// (8 fields a row, not 13); a deferrable key's or unique constraint's deferral rides in `definition` for the same
// reason. An array, not json_build_object, whose cost per call is a type lookup per argument (a
// seventh of the query's server time at 1000 tables).
const CONSTRAINTS = `
SELECT ${qualifiedIn('n.nspname', 'c.relname')} AS table_name, con.conname AS name, con.contype AS type,
  array_to_json(CASE WHEN con.contype = 'c' THEN '{}' ELSE ${keyNames('con.conkey', 'con.conrelid')} END) AS columns,
  CASE WHEN con.contype = 'f' THEN array_to_json(ARRAY[${qualifiedIn('fn.nspname', 'fc.relname')}, con.confdeltype::text, con.confupdtype::text,
    CASE WHEN NOT con.condeferrable THEN '' WHEN con.condeferred THEN 'deferred' ELSE 'immediate' END] || ${keyNames('con.confkey', 'con.confrelid')}) END AS fk,
  CASE WHEN con.contype IN ('c', 'x') THEN pg_get_constraintdef(con.oid, true)
    WHEN con.condeferrable AND con.contype IN ('p', 'u') THEN CASE WHEN con.condeferred THEN 'deferred' ELSE 'immediate' END END AS definition,
  CASE WHEN con.contype = 'u' AND ${ANY_NULLS_NOT_DISTINCT} THEN (SELECT ${NULLS_NOT_DISTINCT('i')} FROM pg_index i WHERE i.indexrelid = con.conindid) END AS nulls_not_distinct,
  ${commentOn('pg_catalog.pg_constraint', 'con.oid')} AS comment,
  CASE WHEN NOT con.convalidated THEN true END AS not_valid
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE ${TABLE_FILTER} AND con.contype IN ('p', 'u', 'f', 'c', 'x')
  AND con.conparentid = 0 AND (con.conislocal OR NOT c.relispartition)`;

// Indexes that back a primary key, UNIQUE or exclusion constraint are part of that constraint, not indexes of their own.
//
// A key's options (COLLATE, operator class, DESC, NULLS) are only in the full pg_get_indexdef text,
// which costs a dozen catalog lookups per index on a new connection. It is asked for only where a key
// may print an option. A key prints none when it is a column (not an expression) with no DESC/NULLS
// flags, no opclass options, its column's collation, and the operator class that
// GetDefaultOpClass(column type, access method) returns, which pg_get_indexdef leaves out:
// default_opclasses finds those once per (method, type, opclass), conservatively (domain types never).
// The default is the one exact match, or else the only default opclass the type may be binary-coercible
// to (the only preferred one, when it is preferred). "May be": the same type, a binary implicit pg_cast,
// or a pseudo-type (anyarray only for types with elements, anyenum only for enums...).
// A column key's text alone is its quoted name (what pg_get_indexdef(oid, k, true) prints for it).
const INDEXES = `
WITH ix AS (
  SELECT ${qualifiedIn('n.nspname', 'c.relname')} AS table_name, i.relname AS name, i.relam, ix.indexrelid, ix.indrelid, ix.indisunique, ix.indisvalid, ix.indnkeyatts,
    ${NULLS_NOT_DISTINCT('ix')} AS nulls_not_distinct,
    ix.indkey, ix.indclass, ix.indcollation, ix.indoption, ix.indpred
  FROM pg_index ix
  JOIN pg_class i ON i.oid = ix.indexrelid
  JOIN pg_class c ON c.oid = ix.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE ${INDEX_FILTER} AND NOT ix.indisprimary AND NOT i.relispartition
    AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u', 'x'))
), keys AS (
  SELECT ix.indexrelid, ix.relam, u.ord, u.attnum, x.attname, x.atttypid, u.ord <= ix.indnkeyatts AS is_key,
    ix.indclass[u.ord::int - 1] AS opclass,
    u.attnum <> 0 AND ix.indoption[u.ord::int - 1] = 0 AND ix.indcollation[u.ord::int - 1] IN (0, x.attcollation)
      AND (SELECT ia.attoptions IS NULL FROM pg_attribute ia WHERE ia.attrelid = ix.indexrelid AND ia.attnum = u.ord) AS bare
  FROM ix
  CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY u(attnum, ord)
  LEFT JOIN LATERAL (SELECT a.attname, a.atttypid, a.attcollation FROM pg_attribute a WHERE a.attrelid = ix.indrelid AND a.attnum = u.attnum OFFSET 0) x ON true
), default_opclasses AS (
  SELECT d.relam, d.atttypid, d.opclass
  FROM (SELECT DISTINCT relam, atttypid, opclass FROM keys WHERE is_key AND bare) d
  JOIN pg_type t ON t.oid = d.atttypid
  JOIN pg_opclass o ON o.oid = d.opclass
  JOIN pg_type ot ON ot.oid = o.opcintype
  WHERE t.typtype <> 'd' AND o.opcdefault AND o.opcmethod = d.relam
    AND (o.opcintype = t.oid
      OR (NOT EXISTS (SELECT 1 FROM pg_opclass x WHERE x.opcmethod = d.relam AND x.opcdefault AND x.opcintype = t.oid)
        AND NOT EXISTS (
          SELECT 1 FROM pg_opclass x JOIN pg_type xt ON xt.oid = x.opcintype
          WHERE x.opcmethod = d.relam AND x.opcdefault AND x.oid <> o.oid
            AND (NOT (ot.typcategory = t.typcategory AND ot.typispreferred) OR (xt.typcategory = t.typcategory AND xt.typispreferred))
            AND (EXISTS (SELECT 1 FROM pg_cast ca WHERE ca.castsource = t.oid AND ca.casttarget = xt.oid AND ca.castmethod = 'b' AND ca.castcontext = 'i')
              OR (xt.typtype = 'p' AND CASE WHEN xt.typnamespace <> 'pg_catalog'::regnamespace THEN true
                WHEN xt.typname IN ('anyarray', 'anycompatiblearray', '_record') THEN t.typelem <> 0
                WHEN xt.typname = 'anyenum' THEN t.typtype = 'e'
                WHEN xt.typname IN ('anyrange', 'anycompatiblerange') THEN t.typtype = 'r'
                WHEN xt.typname IN ('anymultirange', 'anycompatiblemultirange') THEN t.typtype = 'm'
                WHEN xt.typname = 'record' THEN t.typrelid <> 0
                ELSE true END)))))
)
SELECT ix.table_name, ix.name, CASE WHEN ix.indisunique THEN true END AS is_unique, CASE WHEN ix.nulls_not_distinct THEN true END AS nulls_not_distinct, array_to_json(k.columns) AS columns, array_to_json(k.key_texts) AS key_texts,
  array_to_json(k.include) AS include, am.amname AS method,
  CASE WHEN k.plain THEN NULL ELSE pg_get_indexdef(ix.indexrelid, 0, true) END AS definition,
  pg_get_expr(ix.indpred, ix.indrelid, true) AS predicate,
  ${commentOn('pg_catalog.pg_class', 'ix.indexrelid')} AS comment,
  CASE WHEN NOT ix.indisvalid THEN true END AS invalid
FROM ix
JOIN pg_am am ON am.oid = ix.relam
JOIN (
  SELECT keys.indexrelid,
    array_agg(CASE WHEN keys.attnum = 0 THEN pg_get_indexdef(keys.indexrelid, keys.ord::int, true) ELSE keys.attname::text END ORDER BY keys.ord)
      FILTER (WHERE keys.is_key) AS columns,
    array_agg(CASE WHEN keys.attnum = 0 THEN pg_get_indexdef(keys.indexrelid, keys.ord::int, true) ELSE quote_ident(keys.attname) END ORDER BY keys.ord)
      FILTER (WHERE keys.is_key) AS key_texts,
    coalesce(array_agg(keys.attname::text ORDER BY keys.ord) FILTER (WHERE NOT keys.is_key AND keys.attname IS NOT NULL), '{}') AS include,
    bool_and(keys.bare AND dop.opclass IS NOT NULL) FILTER (WHERE keys.is_key) AS plain
  FROM keys
  LEFT JOIN default_opclasses dop ON dop.relam = keys.relam AND dop.atttypid = keys.atttypid AND dop.opclass = keys.opclass
  GROUP BY keys.indexrelid) k ON k.indexrelid = ix.indexrelid`;

const ENUMS = `
SELECT ${qualifiedIn('n.nspname', 't.typname')} AS name, array_to_json(array_agg(e.enumlabel::text ORDER BY e.enumsortorder)) AS values,
  (SELECT ds.description FROM pg_description ds WHERE ds.objoid = t.oid AND ds.classoid = 'pg_catalog.pg_type'::regclass AND ds.objsubid = 0) AS comment
FROM pg_type t
JOIN pg_enum e ON e.enumtypid = t.oid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname IN (${MANAGED}) AND ${NOT_EXTENSION_MEMBER('pg_type', 't.oid')}
GROUP BY t.oid, t.typname, n.nspname`;

// Free-standing sequences: not an identity's (an internal dependency), nor a serial column's (owned by the
// column whose default calls it), which are read with their column. The owner is an automatic dependency; its table
// and column are looked up in the select list, so only for the sequences returned (joined, they were looked up for
// every serial's sequence before the filter dropped it: 11.6 -> 7 ms of server CPU at 1000 tables, no rows).
// The serial test is asked only of owned sequences (`d.refobjid IS NULL OR ...`), which keeps it a subplan per
// sequence through pg_depend's index on the referenced object: as an anti join PostgreSQL's planner chose a nested
// loop over every column default for every sequence, 1.4 s (now 50 ms) at 5000 tables with 500 sequences besides.
const SEQUENCES = `
${SEQUENCE_OPTIONS}, ${qualifiedIn('n.nspname', 's.relname')} AS name,
  (SELECT ${qualifiedIn('ons.nspname', 'oc.relname')} FROM pg_class oc JOIN pg_namespace ons ON ons.oid = oc.relnamespace WHERE oc.oid = d.refobjid) AS owner_table,
  (SELECT oa.attname FROM pg_attribute oa WHERE oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid) AS owner_column,
  (SELECT ds.description FROM pg_description ds WHERE ds.objoid = s.oid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = 0) AS comment
FROM pg_sequence sq
JOIN pg_class s ON s.oid = sq.seqrelid
JOIN pg_namespace n ON n.oid = s.relnamespace
LEFT JOIN pg_depend d ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = s.oid AND d.objsubid = 0
  AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
WHERE n.nspname IN (${MANAGED}) AND (d.deptype IS NULL OR d.deptype = 'a') AND ${NOT_EXTENSION_MEMBER('pg_class', 's.oid')}
  AND (d.refobjid IS NULL OR NOT EXISTS (SELECT 1 FROM pg_depend dd JOIN pg_attrdef ad ON ad.oid = dd.objid
    WHERE dd.refclassid = 'pg_catalog.pg_class'::regclass AND dd.refobjid = s.oid AND dd.classid = 'pg_catalog.pg_attrdef'::regclass
      AND ad.adrelid = d.refobjid AND ad.adnum = d.refobjsubid))`;

// Which of the other managed schemas exist: asked only where the config's `schemas` names some, so a project with one
// schema sends the same queries as before.
const SCHEMAS = `SELECT nspname::text AS name FROM pg_namespace WHERE nspname IN (${MANAGED}) AND nspname <> $1 ORDER BY 1`;

interface SequenceRow extends SequenceOptionRow { name: string; owner_table: string | null; owner_column: string | null; comment: string | null }

interface TableRow {
  name: string; comment: string | null; partition_key: string | null; partition_of: string | null; partition_bound: string | null;
  rls_enabled: true | null; rls_forced: true | null; policies: PolicyRow[] | null;
}
interface ConstraintRow {
  table_name: string; name: string; type: 'p' | 'u' | 'f' | 'c' | 'x'; columns: string[];
  /** A foreign key's referenced table, actions (confdeltype, confupdtype), deferral ('', 'immediate', 'deferred') and referenced columns; null for the other kinds. */
  fk: [table: string, onDelete: string, onUpdate: string, deferral: '' | 'immediate' | 'deferred', ...columns: string[]] | null;
  /** pg_get_constraintdef for checks and exclusions; a DEFERRABLE key's or unique constraint's deferral; else null. */
  definition: string | null;
  /** Null where the database has no NULLS NOT DISTINCT index. */
  nulls_not_distinct: boolean | null;
  comment: string | null;
  /** True when the constraint is NOT VALID, else null. */
  not_valid: true | null;
}
interface IndexRow {
  /** The flags are true or NULL, not false (a NULL field costs the driver nothing to read). */
  table_name: string; name: string; is_unique: true | null; nulls_not_distinct: true | null; columns: string[]; key_texts: string[]; include: string[];
  method: string;
  /** pg_get_indexdef, null when no key can have options. */
  definition: string | null;
  predicate: string | null;
  comment: string | null;
  /** True when the index is INVALID (a failed concurrent build), else null. */
  invalid: true | null;
}
interface EnumRow { name: string; values: string[]; comment: string | null }

/** What the catalog queries return, before it is built into tables. */
interface CatalogRows {
  tables: TableRow[];
  columns: ColumnRow[];
  constraints: ConstraintRow[];
  indexes: IndexRow[];
  enums: EnumRow[];
  sequences: SequenceRow[];
  views: ViewRow[];
  functions: FunctionRow[];
  triggers: TriggerRow[];
  domains: DomainRow[];
  extensions: ExtensionRow[];
  /** The managed schemas other than the default that exist (read only where the config names some). */
  schemas: { name: string }[];
}

/** introspectPostgres reads every table, enum, sequence, view, domain and extension of a schema, normalised and sorted by name, in ten queries (one round trip where the connection can batch). */
export async function introspectPostgres(conn: Connection, options: IntrospectOptions): Promise<SchemaIR> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const rows = await readCatalog(conn, schema, null, true, managedSchemas(schema, options.schemas));
  const tables = buildTables(rows, (name) => !options.exclude(name));
  const sequences = rows.sequences.map((r): SequenceIR => ({
    name: r.name,
    ...sequenceOptionsOf(r),
    ownedBy: r.owner_table !== null && r.owner_column !== null ? { table: r.owner_table, column: r.owner_column } : null,
    ...commentOf(r),
  }));
  const indexes = groupBy(rows.indexes);
  const views = rows.views.filter((v) => !options.exclude(v.name)).map((v) => buildView(v, v.materialized ? (indexes.get(v.name) ?? []).map(buildIndex) : []));
  const functions = rows.functions.map(buildFunction);
  const triggers = rows.triggers.filter((t) => !options.exclude(t.table_name)).map(buildTrigger);
  const domains = rows.domains.map(buildDomain);
  const extensions = rows.extensions.map(buildExtension);
  const policies = rows.tables.filter((t) => !options.exclude(t.name)).flatMap((t) => (t.policies ?? []).map((p) => buildPolicy(t.name, p)));
  return normalizeSchema({
    tables,
    enums: rows.enums.map((e): EnumIR => ({ name: e.name, values: e.values, ...commentOf(e) })),
    sequences,
    ...(views.length > 0 ? { views } : {}),
    ...(functions.length > 0 ? { functions } : {}),
    ...(triggers.length > 0 ? { triggers } : {}),
    ...(domains.length > 0 ? { domains } : {}),
    ...(extensions.length > 0 ? { extensions } : {}),
    ...(policies.length > 0 ? { policies } : {}),
    ...(rows.schemas.length > 0 ? { schemas: rows.schemas.map((r) => r.name) } : {}),
  });
}

/** The schemas a read covers: the default one first, then the others the config names, each once. */
function managedSchemas(schema: string, others: readonly string[] | undefined): string[] {
  return [...new Set([schema, ...(others ?? [])])];
}

/** introspectPostgresTable reads one table with the same queries, filtered to it; null when it does not exist. */
export async function introspectPostgresTable(conn: Connection, name: string, options: { schema?: string } = {}): Promise<TableIR | null> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const [table] = buildTables(await readCatalog(conn, schema, name, false, [schema]), () => true);
  return table ? normalizeTable(table) : null;
}

/**
 * readCatalog runs the queries for a schema, or one table of it (`only`), and the enums query when
 * asked. With queryBatch they go in one round trip; otherwise one at a time, the others skipped
 * when the tables query finds none (their answers would be empty).
 */
async function readCatalog(conn: Connection, schema: string, only: string | null, withEnums: boolean, schemas: readonly string[]): Promise<CatalogRows> {
  const params = [schema, only] as const;
  const [TABLES_SQL, COLUMNS_SQL, CONSTRAINTS_SQL, INDEXES_SQL, ENUMS_SQL, SEQUENCES_SQL, VIEWS_SQL, DOMAINS_SQL, FUNCTIONS_SQL, TRIGGERS_SQL] = [TABLES, COLUMNS, CONSTRAINTS, INDEXES, ENUMS, SEQUENCES, VIEWS, DOMAINS, FUNCTIONS, TRIGGERS].map((q) => forServer(withSchemas(q, schemas), conn.serverVersion)) as [string, string, string, string, string, string, string, string, string, string];
  const tableQueries = [TABLES_SQL, COLUMNS_SQL, CONSTRAINTS_SQL, INDEXES_SQL];
  if (conn.queryBatch) {
    // The batch is one implicit transaction, so SET LOCAL lasts for these queries only (inside a migration's
    // transaction, to its end). JIT off: above about 6,000 tables the planner's estimates pass jit_above_cost,
    // and compiling these catalog queries takes longer than running them.
    const named = withEnums && schemas.length > 1 ? [withSchemas(SCHEMAS, schemas)] : [];
    const statements = ['SET LOCAL jit = off', ...[...tableQueries, ...(withEnums ? [ENUMS_SQL, SEQUENCES_SQL, VIEWS_SQL, FUNCTIONS_SQL, TRIGGERS_SQL, DOMAINS_SQL, EXTENSIONS_SQL, ...named] : [])].map((sql) => inlineParams(sql, params))];
    const [, tables, columns, constraints, indexes, enums, sequences, views, functions, triggers, domains, extensions, schemaRows] = await conn.queryBatch(statements);
    return {
      tables: (tables ?? []) as unknown as TableRow[],
      columns: (columns ?? []) as unknown as ColumnRow[],
      constraints: (constraints ?? []) as unknown as ConstraintRow[],
      indexes: (indexes ?? []) as unknown as IndexRow[],
      enums: (enums ?? []) as unknown as EnumRow[],
      sequences: (sequences ?? []) as unknown as SequenceRow[],
      views: (views ?? []) as unknown as ViewRow[],
      functions: (functions ?? []) as unknown as FunctionRow[],
      triggers: (triggers ?? []) as unknown as TriggerRow[],
      domains: (domains ?? []) as unknown as DomainRow[],
      extensions: (extensions ?? []) as unknown as ExtensionRow[],
      schemas: (schemaRows ?? []) as unknown as { name: string }[],
    };
  }
  const rows: CatalogRows = { tables: await conn.query<TableRow>(TABLES_SQL, params), columns: [], constraints: [], indexes: [], enums: [], sequences: [], views: [], functions: [], triggers: [], domains: [], extensions: [], schemas: [] };
  // A schema with materialized views but no tables still has their indexes to read.
  if (withEnums) rows.views = await conn.query<ViewRow>(VIEWS_SQL, [schema]);
  if (rows.tables.length > 0 || rows.views.some((v) => v.materialized)) {
    rows.columns = await conn.query<ColumnRow>(COLUMNS_SQL, params);
    rows.constraints = await conn.query<ConstraintRow>(CONSTRAINTS_SQL, params);
    rows.indexes = await conn.query<IndexRow>(INDEXES_SQL, params);
  }
  if (withEnums) {
    if (schemas.length > 1) rows.schemas = await conn.query<{ name: string }>(withSchemas(SCHEMAS, schemas), [schema]);
    rows.enums = await conn.query<EnumRow>(ENUMS_SQL, [schema]);
    rows.sequences = await conn.query<SequenceRow>(SEQUENCES_SQL, [schema]);
    rows.functions = await conn.query<FunctionRow>(FUNCTIONS_SQL, [schema]);
    rows.triggers = await conn.query<TriggerRow>(TRIGGERS_SQL, [schema]);
    rows.domains = await conn.query<DomainRow>(DOMAINS_SQL, [schema]);
    rows.extensions = await conn.query<ExtensionRow>(EXTENSIONS_SQL, [schema]);
  }
  return rows;
}

/** The query with $1 and $2 written in as literals, for a batch (which cannot carry parameters). */
function inlineParams(sql: string, params: readonly [string, string | null]): string {
  return sql.replace(/\$([12])/g, (_, n: string) => sqlLiteral(params[Number(n) - 1] ?? null));
}

function sqlLiteral(value: string | null): string {
  return value === null ? 'NULL' : quoteLiteral(value);
}

/** buildTables assembles the kept tables, sorted by name, from the catalog rows. */
function buildTables(rows: CatalogRows, keep: (name: string) => boolean): TableIR[] {
  const tableRows = rows.tables.filter((t) => keep(t.name));
  if (tableRows.length === 0) return [];
  const columns = groupBy(rows.columns);
  for (const list of columns.values()) list.sort((a, b) => a.attnum - b.attnum);
  const constraints = groupBy(rows.constraints);
  const indexes = groupBy(rows.indexes);
  return sortByName(tableRows).map((t) => buildTable(t, columns.get(t.name) ?? [], constraints.get(t.name) ?? [], indexes.get(t.name) ?? []));
}

function buildTable(t: TableRow, columnRows: ColumnRow[], constraintRows: ConstraintRow[], indexRows: IndexRow[]): TableIR {
  let primaryKey: PrimaryKeyIR | null = null;
  const uniques: UniqueIR[] = [];
  const foreignKeys: ForeignKeyIR[] = [];
  const checks: CheckIR[] = [];
  const excludes: ExclusionIR[] = [];
  for (const r of constraintRows) {
    switch (r.type) {
      case 'p':
        primaryKey = { name: r.name, columns: r.columns, ...deferralOf(r), ...commentOf(r) };
        break;
      case 'u':
        uniques.push({ name: r.name, columns: r.columns, ...(r.nulls_not_distinct === true ? { nullsNotDistinct: true } : {}), ...deferralOf(r), ...commentOf(r) });
        break;
      case 'f': {
        const fk = r.fk!;
        const deferral = fk[3];
        foreignKeys.push({
          name: r.name,
          columns: r.columns,
          refTable: fk[0],
          refColumns: fk.slice(4),
          onDelete: fkAction(fk[1]),
          onUpdate: fkAction(fk[2]),
          ...(deferral !== '' ? { deferrable: deferral } : {}),
          ...notValidOf(r),
          ...commentOf(r),
        });
        break;
      }
      case 'c':
        checks.push({ name: r.name, expression: checkExpression(r.definition ?? ''), ...notValidOf(r), ...commentOf(r) });
        break;
      case 'x':
        excludes.push(parseExclusion(r.name, r.definition ?? ''));
        break;
    }
  }
  const indexes = indexRows.map(buildIndex);
  const partitionBy = t.partition_key === null ? undefined : parsePartitionKey(t.partition_key);
  return {
    name: t.name, columns: columnRows.map(buildColumn), primaryKey, uniques, indexes, foreignKeys, checks, comment: t.comment,
    ...(excludes.length > 0 ? { excludes } : {}),
    ...(partitionBy !== undefined ? { partitionBy } : {}),
    ...(t.partition_of !== null && t.partition_bound !== null ? { partitionOf: { parent: t.partition_of, bound: parsePartitionBound(t.partition_bound) } } : {}),
    ...(t.rls_enabled === true ? { rlsEnabled: true } : {}), ...(t.rls_forced === true ? { rlsForced: true } : {}),
  };
}

// Key options (DESC, NULLS FIRST, an operator class, a collation) exist only in the full definition, each after its key.
function buildIndex(r: IndexRow): IndexIR {
  const options = r.definition === null ? [] : keyOptionsFromDefinition(r.definition, r.method, r.key_texts);
  const columns = r.columns.map((c, k) => (options[k] ? `${r.key_texts[k]} ${options[k]}` : c));
  return { name: r.name, columns, unique: r.is_unique === true, where: r.predicate, method: r.method, include: r.include, ...(r.nulls_not_distinct === true ? { nullsNotDistinct: true } : {}), ...(r.invalid === true ? { invalid: true } : {}), ...commentOf(r) };
}

/** `{ notValid }` for a constraint the database holds NOT VALID, nothing otherwise. */
function notValidOf(r: ConstraintRow): { notValid?: true } {
  return r.not_valid === true ? { notValid: true } : {};
}

/** `{ deferrable }` for a DEFERRABLE key or unique constraint (its row's `definition`), nothing otherwise. */
function deferralOf(r: ConstraintRow): { deferrable?: Deferral } {
  return r.definition === 'immediate' || r.definition === 'deferred' ? { deferrable: r.definition } : {};
}

/** `{ comment }` when the object has one (COMMENT ON), nothing otherwise. */
function commentOf(r: { comment?: string | null }): { comment?: string } {
  return r.comment === null || r.comment === undefined || r.comment === '' ? {} : { comment: r.comment };
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
