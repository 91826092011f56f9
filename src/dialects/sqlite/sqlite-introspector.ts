/**
 * Reads a SQLite database into the Schema IR in a fixed number of queries:
 * the PRAGMA table-valued functions joined to sqlite_master give columns,
 * indexes and foreign keys of every table at once; the CREATE TABLE text
 * gives constraint names and CHECKs, which no PRAGMA reports.
 */
import type { ColumnIR, ColumnType, ForeignKeyIR, IndexIR, ReferentialAction, SchemaIR, TableIR, UniqueIR, CheckIR } from '../../ir/ir.js';
import type { Connection, IntrospectOptions } from '../dialect.js';
import { spellColumnType, type ColumnTypeParts } from './sqlite-column-type.js';
import { normalizeTable, parseType } from './sqlite-normalize.js';
import { asciiLower } from './sqlite-sql-text.js';
import { readIndexText, readTableText } from './sqlite-table-text.js';
import { readSqliteViews } from './sqlite-views-read.js';
import { readSqliteTriggers } from './sqlite-triggers.js';

interface ColumnRow { tbl: string; cid: number; name: string; type: string; notnull: number; dflt_value: string | null; pk: number; hidden: number }
interface IndexRow { tbl: string; idx: string; unique: number; origin: string; partial: number; sql: string | null }
interface IndexColumnRow { idx: string; seqno: number; name: string | null }
interface FkRow { tbl: string; id: number; seq: number; table: string; from: string; to: string | null; on_update: string; on_delete: string }

/** Tables SQLite or Retort's table rebuild keep for themselves. */
export function isInternalTable(name: string): boolean {
  return name.startsWith('sqlite_') || name.startsWith('_retort_new_');
}

const key = (cols: readonly string[]) => cols.map((c) => c.toLowerCase()).join('\u0000');

function action(v: string): ReferentialAction {
  const up = v.toUpperCase();
  return up === 'CASCADE' || up === 'RESTRICT' || up === 'SET NULL' || up === 'SET DEFAULT' ? up : 'NO ACTION';
}

/** A column's type: the declared name, with its COLLATE / GENERATED clauses spelled into a custom type when it has any. */
function columnType(declared: string, parts: ColumnTypeParts | undefined): ColumnType {
  if (!parts || (parts.collate === null && parts.generated === null)) return parseType(declared);
  // normalizeTable spells it the one way (sqlite-column-type.ts).
  return { kind: 'custom', sql: spellColumnType(declared, parts.collate, parts.generated, (e) => e) };
}

/** What reading needs of a connection: queries only (the compiler reads through its catalog). */
type Reader = Pick<Connection, 'query'>;

/**
 * Reads the tables `only` names (all when null), sorted by name, each normalised. The same seven
 * queries whatever the number of tables; with `only`, every query is filtered to those tables (and
 * the primary keys to the tables their foreign keys reference), so reading a few tables of a
 * 5000-table database costs about what reading them from a small one does.
 */
async function readTables(conn: Reader, only: readonly string[] | null, exclude: (name: string) => boolean): Promise<TableIR[]> {
  if (only !== null && only.length === 0) return [];
  const names = only === null ? null : JSON.stringify(only);
  const inOnly = (col: string) => (names === null ? '' : ` AND ${col} IN (SELECT value FROM json_each(?))`);
  // Virtual tables (FTS5, R*Tree...) and the shadow tables that store them belong to their module, not to the
  // schema a model describes: they are left out, as SQLite's own tables are.
  const where = `m.type = 'table'${inOnly('m.name')} AND m.name NOT IN (SELECT t.name FROM pragma_table_list t WHERE t.schema = 'main' AND t.type IN ('virtual', 'shadow'))`;
  const params = names === null ? [] : [names];
  const tables = await conn.query<{ name: string; sql: string }>(`SELECT m.name, m.sql FROM sqlite_master m WHERE ${where} ORDER BY m.name`, params);
  const columns = await conn.query<ColumnRow>(
    `SELECT m.name AS tbl, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p WHERE ${where} ORDER BY m.name, p.cid`, params);
  const indexes = await conn.query<IndexRow>(
    `SELECT m.name AS tbl, il.name AS idx, il."unique", il.origin, il.partial FROM sqlite_master m JOIN pragma_index_list(m.name) il WHERE ${where} ORDER BY m.name, il.name`, params);
  // Index texts in one read: a lookup per index would scan sqlite_master once for each (quadratic in tables).
  const indexSql = new Map(
    (await conn.query<{ name: string; sql: string | null }>(`SELECT name, sql FROM sqlite_master WHERE type = 'index'${inOnly('tbl_name')}`, params)).map((r) => [r.name, r.sql]),
  );
  for (const ix of indexes) ix.sql = indexSql.get(ix.idx) ?? null;
  const indexColumns = await conn.query<IndexColumnRow>(
    `SELECT il.name AS idx, ii.seqno, ii.name FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii WHERE ${where} ORDER BY il.name, ii.seqno`, params);
  const fks = await conn.query<FkRow>(
    `SELECT m.name AS tbl, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE ${where} ORDER BY m.name, f.id, f.seq`, params);
  // A foreign key written without a column list references the parent's primary key; table names match
  // case-insensitively, as SQLite matches them. Only the referenced tables are read.
  const referenced = [...new Set(fks.filter((f) => f.to === null).map((f) => asciiLower(f.table)))];
  const pkOf = new Map<string, string[]>();
  const pkRows = referenced.length === 0 ? [] : await conn.query<{ tbl: string; name: string; pk: number }>(
    `SELECT m.name AS tbl, p.name, p.pk FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND lower(m.name) IN (SELECT value FROM json_each(?)) AND p.pk > 0 ORDER BY m.name, p.pk`,
    [JSON.stringify(referenced)]);
  for (const r of pkRows) pkOf.set(asciiLower(r.tbl), [...(pkOf.get(asciiLower(r.tbl)) ?? []), r.name]);

  const colsOfIndex = new Map<string, string[]>();
  for (const r of indexColumns) colsOfIndex.set(r.idx, [...(colsOfIndex.get(r.idx) ?? []), r.name ?? '']);

  const columnsOf = groupBy(columns, (c) => c.tbl);
  const indexesOf = groupBy(indexes, (i) => i.tbl);
  const fksOf = groupBy(fks, (f) => f.tbl);

  const out: TableIR[] = [];
  for (const t of tables) {
    if (isInternalTable(t.name) || exclude(t.name)) continue;
    const text = readTableText(t.sql ?? '');
    // Each written name is claimed once, so two constraints on the same columns keep their own names.
    const written = [...text.constraints];
    const claim = (match: (w: (typeof written)[number]) => boolean) => {
      const at = written.findIndex((w) => w.name !== null && match(w));
      return at < 0 ? undefined : written.splice(at, 1)[0];
    };
    // hidden 2 and 3 are generated columns (VIRTUAL, STORED): shown, with their clause in the type, so
    // that check sees them and a rebuild recreates them; 1 is a virtual table's hidden column.
    const cols = (columnsOf.get(t.name) ?? []).filter((c) => c.hidden !== 1);
    const columnIRs: ColumnIR[] = cols.map((c) => ({
      // The name as declared: normalizeTable keeps it where it is not the usual spelling of its type (DATETIME).
      spelledAs: c.type ?? '',
      name: c.name,
      type: columnType(c.type ?? '', text.columns.get(c.name.toLowerCase())),
      nullable: c.notnull === 0,
      serverDefault: c.dflt_value,
      autoIncrement: text.autoIncrementColumns.has(c.name),
      comment: null,
    }));
    const pkCols = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);

    const uniques: UniqueIR[] = [];
    const indexIRs: IndexIR[] = [];
    for (const ix of indexesOf.get(t.name) ?? []) {
      const ixCols = colsOfIndex.get(ix.idx) ?? [];
      if (ix.origin === 'u') {
        const named = claim((w) => w.kind === 'unique' && key(w.columns) === key(ixCols));
        uniques.push({ name: named?.name ?? `${t.name}_${ixCols.join('_')}_key`, columns: ixCols });
      } else if (ix.origin === 'c' && ix.sql) {
        const parsed = readIndexText(ix.sql);
        indexIRs.push({ name: ix.idx, columns: parsed.columns, unique: ix.unique === 1, where: ix.partial === 1 ? parsed.where : null });
      }
    }

    const foreignKeys: ForeignKeyIR[] = [];
    const tableFks = fksOf.get(t.name) ?? [];
    // foreign_key_list numbers keys in reverse order of writing, so the k-th written key is the k-th here.
    const writtenFks = written.filter((w) => w.kind === 'foreignKey');
    const ids = [...new Set(tableFks.map((f) => f.id))].sort((a, b) => b - a);
    const positional = writtenFks.length === ids.length;
    for (const [k, id] of ids.entries()) {
      const rows = tableFks.filter((f) => f.id === id).sort((a, b) => a.seq - b.seq);
      const first = rows[0]!;
      const from = rows.map((r) => r.from);
      const to = rows.every((r) => r.to !== null) ? rows.map((r) => r.to!) : (pkOf.get(asciiLower(first.table)) ?? []);
      const named = positional ? writtenFks[k] : claim((w) => w.kind === 'foreignKey' && key(w.columns) === key(from) && w.refTable.toLowerCase() === first.table.toLowerCase());
      foreignKeys.push({
        name: named?.name ?? `${t.name}_${from.join('_')}_fkey`,
        columns: from,
        refTable: first.table,
        refColumns: to,
        onDelete: action(first.on_delete),
        onUpdate: action(first.on_update),
        ...writtenDeferrability(named?.deferrable ?? null),
      });
    }

    // An unnamed CHECK gets PostgreSQL's default name, numbered as PostgreSQL numbers them when one is taken
    // (two unnamed CHECKs on column lo: t_lo_check, t_lo_check1), so no two checks of a table share a name.
    // PostgreSQL names it after its column when the expression uses exactly one, wherever it was written.
    const checks: CheckIR[] = [];
    const writtenChecks = written.filter((c) => c.kind === 'check');
    const taken = new Set(writtenChecks.flatMap((w) => (w.name === null ? [] : [w.name])));
    for (const w of writtenChecks) {
      let name = w.name;
      if (name === null) {
        const used = columnsUsed(w.expression, columnIRs.map((c) => c.name));
        const only = used.length === 1 ? used[0]! : null;
        const base = only !== null ? `${t.name}_${only}_check` : `${t.name}_check`;
        name = base;
        for (let i = 1; taken.has(name); i++) name = `${base}${i}`;
        taken.add(name);
      }
      checks.push({ name, expression: w.expression });
    }

    out.push(normalizeTable({
      name: t.name,
      columns: columnIRs,
      primaryKey: pkCols.length > 0 ? { name: claim((w) => w.kind === 'primaryKey')?.name ?? null, columns: pkCols } : null,
      uniques,
      indexes: indexIRs,
      foreignKeys,
      checks,
      comment: null,
    }, new Map()));
  }
  return out;
}

/** Reads the whole schema; SQLite has no enum types. */
export async function introspectSqlite(conn: Connection, options: IntrospectOptions): Promise<SchemaIR> {
  const tables = await readTables(conn, null, options.exclude);
  const views = await readSqliteViews(conn, options.exclude);
  const triggers = await readSqliteTriggers(conn, options.exclude);
  return { tables, enums: [], ...(views.length > 0 ? { views } : {}), ...(triggers.length > 0 ? { triggers } : {}) };
}

/** Reads one table, or null when there is none by that name. */
export async function introspectSqliteTable(conn: Connection, name: string): Promise<TableIR | null> {
  return (await introspectSqliteTables(conn, [name]))[0] ?? null;
}

/** Reads the named tables (those that exist), sorted by name, in the same fixed number of queries as one. */
export async function introspectSqliteTables(conn: Reader, names: readonly string[]): Promise<TableIR[]> {
  return readTables(conn, names, () => false);
}

/** Rows grouped by a key, in their order: one pass instead of a filter per table. */
function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
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
