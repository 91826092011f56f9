/**
 * Reads a SQLite database into the Schema IR in a fixed number of queries:
 * the PRAGMA table-valued functions joined to sqlite_master give columns,
 * indexes and foreign keys of every table at once; the CREATE TABLE text
 * gives constraint names and CHECKs, which no PRAGMA reports.
 */
import { nextTurn } from '../../next-turn.js';
import type { ColumnIR, ColumnType, ForeignKeyIR, IndexIR, ReferentialAction, SchemaIR, TableIR, UniqueIR, CheckIR } from '../../ir/ir.js';
import type { Connection, IntrospectOptions } from '../dialect.js';
import type { SchemaCache } from '../contract/reader.js';
import { SqliteConnection } from './sqlite-driver.js';
import { cacheFileOf, databaseKey, globalKey, readCacheEntry, reusableTables, SchemaRows, schemaKey, writeCacheEntry, type TableDeps } from './sqlite-schema-cache.js';
import { spellColumnType, type ColumnTypeParts } from './sqlite-column-type.js';
import { normalizeTable, parseType } from './sqlite-normalize.js';
import { asciiLower } from './sqlite-sql-text.js';
import { readIndexText, readTableText, type TableText, type WrittenConstraint } from './sqlite-table-text.js';
import { sqliteViewsOf } from './sqlite-views-read.js';
import { readSqliteTriggers } from './sqlite-triggers.js';

// Rows as arrays, in the order of each query's columns (see rowsOf).
type ColumnRow = [tbl: string, cid: number, name: string, type: string | null, notnull: number, dflt_value: string | null, pk: number, hidden: number];
type IndexRow = [tbl: string, idx: string, unique: number, origin: string, partial: number, seqno: number | null, column: string | null];
type FkRow = [tbl: string, id: number, seq: number, table: string, from: string, to: string | null, on_update: string, on_delete: string];
/** A row of sqlite_master. */
export type MasterRow = [type: string, name: string, tbl_name: string, sql: string | null];

/** Tables SQLite or Retort's table rebuild keep for themselves. */
export function isInternalTable(name: string): boolean {
  return name.startsWith('sqlite_') || name.startsWith('_retort_new_');
}

const key = (cols: readonly string[]) => cols.map((c) => c.toLowerCase()).join('\u0000');

function action(v: string): ReferentialAction {
  const up = v.toUpperCase();
  return up === 'CASCADE' || up === 'RESTRICT' || up === 'SET NULL' || up === 'SET DEFAULT' ? up : 'NO ACTION';
}

/**
 * A column's type: the declared name, with its COLLATE / GENERATED clauses spelled into a custom type when it has any.
 * `parsed` holds the types read so far by declared name: a database has few (one object serves every INTEGER column).
 */
function columnType(declared: string, parts: ColumnTypeParts | undefined, parsed: Map<string, ColumnType>): ColumnType {
  if (!parts || (parts.collate === null && parts.generated === null)) {
    let type = parsed.get(declared);
    if (type === undefined) parsed.set(declared, (type = parseType(declared)));
    return type;
  }
  // normalizeTable spells it the one way (sqlite-column-type.ts).
  return { kind: 'custom', sql: spellColumnType(declared, parts.collate, parts.generated, (e) => e) };
}

/** What reading needs of a connection: queries only (the compiler reads through its catalog). */
type Reader = Pick<Connection, 'query'>;

/**
 * Rows as arrays of `columns`, read as one JSON text: better-sqlite3 builds a JS object per row, which costs
 * twice the CPU (the 11 000 column rows of a 1000-table database: 57 ms as objects, 24 ms as one JSON text).
 */
async function rowsText(conn: Reader, columns: string, rest: string, params: readonly unknown[]): Promise<string> {
  const [row] = await conn.query<{ j: string | null }>(`SELECT json_group_array(json_array(${columns})) AS j ${rest}`, params);
  return row?.j ?? '[]';
}

async function rowsOf<T>(conn: Reader, columns: string, rest: string, params: readonly unknown[]): Promise<T[]> {
  return JSON.parse(await rowsText(conn, columns, rest, params)) as T[];
}

/**
 * The rows of sqlite_master (indexes and tables only `only`'s, when given), by name, as one JSON text of
 * [type, name, tbl_name, sql] rows: the schema cache's key is taken from the text itself (sqlite-schema-cache.ts).
 */
function masterText(conn: Reader, only: readonly string[] | null = null): Promise<string> {
  const filter = only === null ? '' : ` WHERE type IN ('table', 'index') AND tbl_name IN (SELECT value FROM json_each(?))`;
  return rowsText(conn, 'type, name, tbl_name, sql', `FROM (SELECT type, name, tbl_name, sql FROM sqlite_master${filter} ORDER BY name)`, only === null ? [] : [JSON.stringify(only)]);
}

/** Tables read per round of PRAGMA queries: each round's rows die young, so a 5000-table read holds little at once. */
const CHUNK = 500;

/**
 * Reads the tables `only` names (all when null), sorted by name, each normalised: the rows of sqlite_master
 * (`master`, read when not given), then three PRAGMA queries per CHUNK tables, each over those tables at once (a
 * PRAGMA statement per table cost a round of statement preparation each). With `only`, every query is filtered to
 * those tables (and the primary keys to the tables their foreign keys reference), so reading a few tables of a
 * 5000-table database costs about what reading them from a small one does. What the CREATE text says (constraint
 * names, CHECKs, a CREATE INDEX's keys) is read from it, once per table.
 */
async function readTables(conn: Reader, only: readonly string[] | null, exclude: (name: string) => boolean, master?: readonly MasterRow[]): Promise<TableIR[]> {
  if (only !== null && only.length === 0) return [];
  const rows = master ?? (JSON.parse(await masterText(conn, only)) as MasterRow[]);
  return readRows(conn, await tableRows(conn, rows, only, exclude), rows);
}

/** The rows of the tables read (of `only`, when given), in `rows`' order. */
async function tableRows(conn: Reader, rows: readonly MasterRow[], only: readonly string[] | null, exclude: (name: string) => boolean): Promise<MasterRow[]> {
  // Virtual tables (FTS5, R*Tree...) and the shadow tables that store them belong to their module, not to the
  // schema a model describes: they are left out, as SQLite's own tables are (and their PRAGMAs may need the module).
  const virtual = new Set((await conn.query<{ name: string }>(`SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('virtual', 'shadow')`)).map((r) => r.name));
  const onlySet = only === null ? null : new Set(only);
  return rows.filter((r) => r[0] === 'table' && !virtual.has(r[1]) && !isInternalTable(r[1]) && !exclude(r[1]) && (onlySet === null || onlySet.has(r[1])));
}

/**
 * Reads `tables` (rows of sqlite_master, among `rows`), in their order, letting the event loop turn before each chunk:
 * on a first run the model files' compile in esbuild's process went on only as the loop turned (a cold `check` on
 * 1000 tables sat 35 ms idle after a read that held the thread throughout).
 */
async function readRows(conn: Reader, tables: readonly MasterRow[], rows: readonly MasterRow[], parents?: PrimaryKeyParents): Promise<TableIR[]> {
  // Index texts by name, from the same rows: a lookup per index would scan sqlite_master once for each.
  const indexSql = new Map<string, string | null>();
  for (const r of rows) if (r[0] === 'index') indexSql.set(r[1], r[3]);
  const out: TableIR[] = [];
  for (let at = 0; at < tables.length; at += CHUNK) {
    await nextTurn();
    await readChunk(conn, tables.slice(at, at + CHUNK), indexSql, out, parents);
  }
  return out;
}

/**
 * For each table with a foreign key written without a column list, the tables (lower-case) such keys reference: their
 * primary keys are part of its IR (readChunk's `pkOf`), so their rows are among its cache dependencies.
 */
type PrimaryKeyParents = Map<string, Set<string>>;

/** Reads `tables` (rows of sqlite_master) into `out`, in their order, and their `parents` where asked. */
async function readChunk(conn: Reader, tables: readonly MasterRow[], indexSql: ReadonlyMap<string, string | null>, out: TableIR[], parents?: PrimaryKeyParents): Promise<void> {
  // The PRAGMA functions are driven by the list of names itself: filtering a join over sqlite_master by the list
  // (m.name IN json_each) made SQLite run them for more tables than the list (2.5 times the time at 5000 tables).
  const params = [JSON.stringify(tables.map((t) => t[1]))];
  const columns = await rowsOf<ColumnRow>(conn, 'm.value, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden',
    `FROM json_each(?) m JOIN pragma_table_xinfo(m.value) p`, params);
  // An index's columns matter only for a UNIQUE constraint's (origin u): a CREATE INDEX's keys are read from its text,
  // and the primary key's from the columns.
  const indexes = await rowsOf<IndexRow>(conn, 'm.value, il.name, il."unique", il.origin, il.partial, ii.seqno, ii.name',
    `FROM json_each(?) m JOIN pragma_index_list(m.value) il LEFT JOIN pragma_index_info(il.name) ii ON il.origin = 'u' WHERE il.origin <> 'pk'`, params);
  const fks = await rowsOf<FkRow>(conn, 'm.value, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete',
    `FROM json_each(?) m JOIN pragma_foreign_key_list(m.value) f`, params);
  // A foreign key written without a column list references the parent's primary key; table names match
  // case-insensitively, as SQLite matches them. Only the referenced tables are read.
  const withoutColumns = fks.filter((f) => f[5] === null);
  if (parents !== undefined) for (const [tbl, , , parent] of withoutColumns) parents.set(tbl, (parents.get(tbl) ?? new Set()).add(asciiLower(parent)));
  const referenced = [...new Set(withoutColumns.map((f) => asciiLower(f[3])))];
  const pkOf = new Map<string, string[]>();
  // Driven by the list, as above (SQLite finds a table by any case of its name): a join over sqlite_master ran the
  // PRAGMA for every table of the schema (230 ms a chunk at 10,000 tables).
  const pkRows = referenced.length === 0 ? [] : await conn.query<{ tbl: string; name: string; pk: number }>(
    `SELECT m.value AS tbl, p.name, p.pk FROM json_each(?) m JOIN pragma_table_info(m.value, 'main') p WHERE p.pk > 0 ORDER BY m.value, p.pk`,
    [JSON.stringify(referenced)]);
  for (const r of pkRows) pkOf.set(asciiLower(r.tbl), [...(pkOf.get(asciiLower(r.tbl)) ?? []), r.name]);

  // Each group sorted by its position (cid, index name and seqno, key id and seq): SQLite's JSON aggregate keeps the
  // scan's order, which no query promises.
  const columnsOf = groupBy(columns, (c) => c[0], (a, b) => a[1] - b[1]);
  const indexesOf = groupBy(indexes, (i) => i[0], (a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : (a[5] ?? 0) - (b[5] ?? 0)));
  const fksOf = groupBy(fks, (f) => f[0], (a, b) => a[1] - b[1] || a[2] - b[2]);

  const read: ReadContext = { indexSql, pkOf, parsedTypes: new Map() };
  for (const row of tables) {
    const name = row[1];
    out.push(readTable(name, row[3] ?? '', columnsOf.get(name) ?? [], indexesOf.get(name) ?? [], fksOf.get(name) ?? [], read));
  }
}

/** What reading a table needs besides its own rows. */
interface ReadContext {
  /** CREATE INDEX texts by index name. */
  readonly indexSql: ReadonlyMap<string, string | null>;
  /** The primary key columns of the tables foreign keys reference without a column list, by lower-cased name. */
  readonly pkOf: ReadonlyMap<string, readonly string[]>;
  /** The types read so far by declared name (see columnType). */
  readonly parsedTypes: Map<string, ColumnType>;
}

const NO_ENUMS: ReadonlyMap<string, readonly string[]> = new Map();

/** One table's IR, normalised, from its CREATE text and its rows of the PRAGMA queries (each sorted, see readChunk). */
function readTable(name: string, sql: string, columnRows: readonly ColumnRow[], indexRows: readonly IndexRow[], fkRows: readonly FkRow[], read: ReadContext): TableIR {
  const text = readTableText(sql);
  // Each written name is claimed once, so two constraints on the same columns keep their own names.
  const written = [...text.constraints];
  const claim = (match: (w: WrittenConstraint) => boolean) => {
    const at = written.findIndex((w) => w.name !== null && match(w));
    return at < 0 ? undefined : written.splice(at, 1)[0];
  };
  // hidden 2 and 3 are generated columns (VIRTUAL, STORED): shown, with their clause in the type, so
  // that check sees them and a rebuild recreates them; 1 is a virtual table's hidden column.
  const cols = columnRows.filter((c) => c[7] !== 1);
  const columns = cols.map((c) => columnIR(c, text, read.parsedTypes));
  const pkCols = cols.filter((c) => c[6] > 0).sort((a, b) => a[6] - b[6]).map((c) => c[2]);
  const { uniques, indexes } = uniquesAndIndexes(name, indexRows, claim, read.indexSql);
  const foreignKeys = foreignKeysOf(name, fkRows, written, claim, read.pkOf);
  const checks = checksOf(name, written, columns);
  return normalizeTable({
    name,
    columns,
    primaryKey: pkCols.length > 0 ? { name: claim((w) => w.kind === 'primaryKey')?.name ?? null, columns: pkCols } : null,
    uniques,
    indexes,
    foreignKeys,
    checks,
    comment: null,
  }, NO_ENUMS);
}

/** Takes the first written constraint with a name that `match` accepts, or undefined. */
type Claim = (match: (w: WrittenConstraint) => boolean) => WrittenConstraint | undefined;

/** A row of pragma_table_xinfo as a column. */
function columnIR(c: ColumnRow, text: TableText, parsedTypes: Map<string, ColumnType>): ColumnIR {
  const name = c[2];
  const declared = c[3] ?? '';
  return {
    // The name as declared: normalizeTable keeps it where it is not the usual spelling of its type (DATETIME).
    spelledAs: declared,
    name,
    type: columnType(declared, text.columns.get(name.toLowerCase()), parsedTypes),
    nullable: c[4] === 0,
    serverDefault: c[5],
    autoIncrement: text.autoIncrementColumns.has(name),
    comment: null,
  };
}

/** The UNIQUE constraints and the CREATE INDEX indexes of a table, from its rows of pragma_index_list. */
function uniquesAndIndexes(table: string, rows: readonly IndexRow[], claim: Claim, indexSql: ReadonlyMap<string, string | null>): { uniques: UniqueIR[]; indexes: IndexIR[] } {
  const uniques: UniqueIR[] = [];
  const indexes: IndexIR[] = [];
  for (let at = 0; at < rows.length;) {
    // One row per key column of a UNIQUE constraint's index, one row for any other index.
    const row = rows[at]!;
    const idx = row[1];
    const ixCols: string[] = [];
    for (; at < rows.length && rows[at]![1] === idx; at++) if (rows[at]![5] !== null) ixCols.push(rows[at]![6] ?? '');
    const ixSql = indexSql.get(idx) ?? null;
    if (row[3] === 'u') {
      const named = claim((w) => w.kind === 'unique' && key(w.columns) === key(ixCols));
      uniques.push({ name: named?.name ?? `${table}_${ixCols.join('_')}_key`, columns: ixCols });
    } else if (row[3] === 'c' && ixSql) {
      const parsed = readIndexText(ixSql);
      indexes.push({ name: idx, columns: parsed.columns, unique: row[2] === 1, where: row[4] === 1 ? parsed.where : null });
    }
  }
  return { uniques, indexes };
}

/** A table's foreign keys, from its rows of pragma_foreign_key_list, named as written (`written`) where they are. */
function foreignKeysOf(table: string, rows: readonly FkRow[], written: readonly WrittenConstraint[], claim: Claim, pkOf: ReadonlyMap<string, readonly string[]>): ForeignKeyIR[] {
  // One run of rows per key, by id; foreign_key_list numbers keys in reverse order of writing, so the k-th written
  // key is the k-th from the highest id.
  const keys: (readonly FkRow[])[] = [];
  for (let at = 0; at < rows.length;) {
    let end = at + 1;
    while (end < rows.length && rows[end]![1] === rows[at]![1]) end++;
    keys.unshift(rows.slice(at, end));
    at = end;
  }
  const writtenFks = written.filter((w) => w.kind === 'foreignKey');
  const positional = writtenFks.length === keys.length;
  return keys.map((keyRows, k) => {
    const first = keyRows[0]!;
    const refTable = first[3];
    const from = keyRows.map((r) => r[4]);
    const to = keyRows.every((r) => r[5] !== null) ? keyRows.map((r) => r[5]!) : (pkOf.get(asciiLower(refTable)) ?? []);
    const named = positional ? writtenFks[k] : claim((w) => w.kind === 'foreignKey' && key(w.columns) === key(from) && w.refTable.toLowerCase() === refTable.toLowerCase());
    return {
      name: named?.name ?? `${table}_${from.join('_')}_fkey`,
      columns: from,
      refTable,
      refColumns: to,
      onDelete: action(first[7]),
      onUpdate: action(first[6]),
      ...writtenDeferrability(named?.deferrable ?? null),
    };
  });
}

/**
 * A table's CHECKs. An unnamed CHECK gets PostgreSQL's default name, numbered as PostgreSQL numbers them when one is
 * taken (two unnamed CHECKs on column lo: t_lo_check, t_lo_check1), so no two checks of a table share a name.
 * PostgreSQL names it after its column when the expression uses exactly one, wherever it was written.
 */
function checksOf(table: string, written: readonly WrittenConstraint[], columns: readonly ColumnIR[]): CheckIR[] {
  const checks: CheckIR[] = [];
  const writtenChecks = written.filter((c) => c.kind === 'check');
  const taken = new Set(writtenChecks.flatMap((w) => (w.name === null ? [] : [w.name])));
  for (const w of writtenChecks) {
    let name = w.name;
    if (name === null) {
      const used = columnsUsed(w.expression, columns.map((c) => c.name));
      const only = used.length === 1 ? used[0]! : null;
      const base = only !== null ? `${table}_${only}_check` : `${table}_check`;
      name = base;
      for (let i = 1; taken.has(name); i++) name = `${base}${i}`;
      taken.add(name);
    }
    checks.push({ name, expression: w.expression });
  }
  return checks;
}

/** Reads the whole schema; SQLite has no enum types. */
export async function introspectSqlite(conn: Connection, options: IntrospectOptions): Promise<SchemaIR> {
  const text = await masterText(conn);
  // Parsed only where needed: with the tables from the cache and no views, the text is only hashed.
  let parsed: MasterRow[] | null = null;
  const master = () => (parsed ??= JSON.parse(text) as MasterRow[]);
  const tables = referencedAsNamed(await allTables(conn, text, master, options.cache)).filter((t) => !options.exclude(t.name));
  const anyView = parsed !== null || (await conn.query(`SELECT 1 FROM sqlite_master WHERE type = 'view' LIMIT 1`)).length > 0;
  const views = anyView ? sqliteViewsOf(master(), options.exclude) : [];
  const triggers = await readSqliteTriggers(conn, options.exclude);
  return { tables, enums: [], ...(views.length > 0 ? { views } : {}), ...(triggers.length > 0 ? { triggers } : {}) };
}

/**
 * `tables` with each foreign key naming its table as the table is named: SQLite finds `REFERENCES artist` in a
 * table `Artist` (names compare without ASCII case), and the key must point at the table the models declare.
 */
function referencedAsNamed(tables: readonly TableIR[], names: readonly string[] = tables.map((t) => t.name)): TableIR[] {
  const byLower = new Map(names.map((n) => [asciiLower(n), n]));
  const named = (refTable: string) => byLower.get(asciiLower(refTable)) ?? refTable;
  return tables.map((t) => (t.foreignKeys.every((f) => named(f.refTable) === f.refTable) ? t : { ...t, foreignKeys: t.foreignKeys.map((f) => ({ ...f, refTable: named(f.refTable) })) }));
}

/**
 * The key of everything introspectSqlite reads: it reads only sqlite_master's rows (tables, indexes, views and
 * triggers are all parsed from their text there), so their hash, the library's and Retort's build (the schema
 * cache's key) decide it.
 */
export async function sqliteLiveKey(conn: Connection, cache: SchemaCache): Promise<string> {
  return schemaKey(conn, cache, await masterText(conn));
}

/**
 * Every table (none left out), from the cache (sqlite-schema-cache.ts): all of them when the database is the one it
 * was read from, else those whose dependencies are unchanged, the others read; in name order either way.
 */
async function allTables(conn: Connection, text: string, master: () => readonly MasterRow[], cache: SchemaCache | undefined): Promise<TableIR[]> {
  const file = cache !== undefined && conn instanceof SqliteConnection ? cacheFileOf(cache, conn.filename) : null;
  if (file === null) return readTables(conn, null, () => false, master());
  const global = await globalKey(conn, cache!);
  const key = databaseKey(global, text);
  const entry = readCacheEntry(file);
  if (entry !== null && entry.key === key) return entry.tables;
  const rows = master();
  const hashed = new SchemaRows(rows);
  const reused = reusableTables(entry, global, hashed);
  const wanted = await tableRows(conn, rows, null, () => false);
  const missing = wanted.filter((r) => !reused.has(r[1]));
  // Found while reading, from the same rows of foreign_key_list (a second pass over them cost 234 ms at 10,000 tables).
  const parents: PrimaryKeyParents = new Map();
  const read = await readRows(conn, missing, rows, parents);
  const tables: TableIR[] = [];
  const deps: TableDeps[] = [];
  let at = 0;
  for (const [, name] of wanted) {
    const kept = reused.get(name);
    const table = kept?.table ?? read[at++]!;
    tables.push(table);
    deps.push(kept?.deps ?? hashed.depsOf(name, parents.get(name) ?? []));
  }
  writeCacheEntry(file, key, global, tables, deps);
  return tables;
}

/** Reads one table, or null when there is none by that name. */
export async function introspectSqliteTable(conn: Connection, name: string): Promise<TableIR | null> {
  return (await introspectSqliteTables(conn, [name]))[0] ?? null;
}

/** Reads the named tables (those that exist), sorted by name, in the same fixed number of queries as one. */
export async function introspectSqliteTables(conn: Reader, names: readonly string[]): Promise<TableIR[]> {
  const tables = await readTables(conn, names, () => false);
  // A key naming its table in another case: the table's own name, as introspectSqlite reads it (the names of every
  // table are read only then).
  const read = new Set(tables.map((t) => t.name));
  if (!tables.some((t) => t.foreignKeys.some((f) => !read.has(f.refTable)))) return tables;
  const all = await conn.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`);
  return referencedAsNamed(tables, all.map((r) => r.name));
}

/** Rows grouped by a key, each group sorted by `order`: one pass instead of a filter per table. */
function groupBy<T>(rows: readonly T[], key: (row: T) => string, order: (a: T, b: T) => number): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  for (const list of out.values()) list.sort(order);
  return out;
}

/** A written `[NOT] DEFERRABLE [INITIALLY ...]` clause as the IR says it: SQLite defers only INITIALLY DEFERRED. */
function writtenDeferrability(clause: string | null): Pick<ForeignKeyIR, 'deferrable'> {
  if (clause === null || clause.startsWith('NOT ')) return {};
  return { deferrable: clause.endsWith(' DEFERRED') ? 'deferred' : 'immediate' };
}

/**
 * The columns an expression names, in the table's spelling: quoted names, and bare words that are not
 * followed by `(` (a function) or inside a string literal. SQLite compares names without case.
 */
export function columnsUsed(expression: string, columns: readonly string[]): string[] {
  const byLower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const used = new Set<string>();
  for (const m of expression.matchAll(/'(?:[^']|'')*'|"((?:[^"]|"")*)"|`([^`]*)`|\[([^\]]*)\]|(?<![\w$])([A-Za-z_][\w$]*)(?![\w$]|\s*\()/g)) {
    const name = m[1]?.replace(/""/g, '"') ?? m[2] ?? m[3] ?? m[4];
    const column = name === undefined ? undefined : byLower.get(name.toLowerCase());
    if (column !== undefined) used.add(column);
  }
  return [...used];
}
