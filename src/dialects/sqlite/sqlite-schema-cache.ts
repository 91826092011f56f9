/**
 * The live tables' Schema IR kept for the next read of the same database file. Reading a SQLite schema means parsing
 * every CREATE TABLE text and normalising every table (about 0.3 s of CPU at 1000 tables, cold), yet everything it
 * reads follows from the rows of sqlite_master, which the read takes anyway, and from the SQLite library and
 * Retort's code that read them (the global key: its source id and compile options, Retort's version, the
 * modification times of the modules that build the IR, this file's format).
 *
 * One file per database holds every table's IR, each with what it was read from. A read first compares the
 * whole-database key (the global key and every row of sqlite_master): equal, the file's tables are the answer, in
 * one read of the file. Otherwise, under the same global key, each table's IR is reused when its dependencies are
 * unchanged: the rows of the table and of its indexes (their texts say everything the PRAGMAs report, auto-indexes
 * included), and the row of each table a foreign key of it written without a column list references (that key takes
 * the parent's primary key; matched by name without ASCII case, as SQLite does; no such table is a dependency too).
 * Only the other tables are read, so a run after `upgrade` changed one table of 1000 reads that one. Which tables
 * are read at all (not virtual, shadow or internal) is decided afresh each time. Only tables are kept (views and
 * triggers are cheap to read, and their dependencies depend on `exclude`); `exclude` is applied after, so one entry
 * serves every config. The file is replaced on each miss; the 8 most recently written are kept.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCacheFile } from '../../cache-file.js';
import { pathTag } from '../../path-tag.js';
import type { TableIR } from '../../ir/ir.js';
import type { MasterRow } from './sqlite-introspector.js';
import { asciiLower } from './sqlite-sql-text.js';
import type { Connection } from '../dialect.js';
import type { SchemaCache } from '../contract/reader.js';

/** The modules whose code decides the IR read, from this one's folder (compiled, with its extension). */
const IR_MODULES = [
  'sqlite-introspector', 'sqlite-normalize', 'sqlite-table-text', 'sqlite-sql-text', 'sqlite-column-type', 'sqlite-schema-cache', '../sql-quote', '../../ir/ir', '../../ir/ir-util',
  // Views and triggers are not cached, but the key is also the live key (sqliteLiveKey), which answers for them too.
  'sqlite-views-read', 'sqlite-triggers', '../sql-text', '../view-dependencies',
];

let modulesTag: string | null = null;

/** The modification times and sizes of IR_MODULES: a rebuilt Retort of the same version is another key. */
function moduleStamps(): string {
  if (modulesTag !== null) return modulesTag;
  const self = fileURLToPath(import.meta.url);
  const here = path.dirname(self);
  const ext = path.extname(self);
  // Bundled (dist/bundle/), these modules are not files of their own: the file this code is in stands for them,
  // since a rebuild writes every file of the bundle again.
  const stamp = (file: string, name: string) => {
    try {
      const s = statSync(file);
      return `${name}:${s.mtimeMs}:${s.size}`;
    } catch {
      return `${name}:?`;
    }
  };
  modulesTag = [stamp(self, 'self'), ...IR_MODULES.map((m) => stamp(path.join(here, `${m}${ext}`), m))].join(',');
  return modulesTag;
}

/** The cache file of database `filename`, or null for one that lives in memory only. */
export function cacheFileOf(cache: SchemaCache, filename: string): string | null {
  if (filename === '' || filename === ':memory:') return null;
  return path.join(cache.dir, `sqlite-schema-${pathTag(path.resolve(filename))}.json`);
}

/** The file's layout: another one is another global key, so an older file is only a miss. */
const FORMAT = 3;

/** The key of what reads every table alike: the SQLite library, Retort's build, the file format. */
export async function globalKey(conn: Pick<Connection, 'query'>, cache: SchemaCache): Promise<string> {
  return sha256(`${FORMAT}\u0000${cache.version}\u0000${moduleStamps()}\u0000${await library(conn)}`);
}

const libraries = new WeakMap<object, string>();

/**
 * The SQLite library: its source id and compile options, asked once per connection, where the live key and a read
 * that misses it would each ask.
 */
async function library(conn: Pick<Connection, 'query'>): Promise<string> {
  let tag = libraries.get(conn);
  if (tag === undefined) {
    const [lib] = await conn.query<{ id: string; options: string }>(`SELECT sqlite_source_id() AS id, (SELECT json_group_array(compile_options) FROM pragma_compile_options) AS options`);
    tag = `${lib?.id}\u0000${lib?.options}`;
    libraries.set(conn, tag);
  }
  return tag;
}

/** The whole database's key: the global key and every row of sqlite_master (`masterText`, JSON). */
export function databaseKey(global: string, masterText: string): string {
  // sqlite_master's rows as SQLite's JSON text: no separator inside a name or a text can make two row lists alike.
  return sha256(`${global}\u0000${masterText}`);
}

/** The key of the database's current schema: every row of sqlite_master (`masterText`, JSON), the SQLite library, Retort's build. */
export async function schemaKey(conn: Pick<Connection, 'query'>, cache: SchemaCache, masterText: string): Promise<string> {
  return databaseKey(await globalKey(conn, cache), masterText);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

/**
 * What a table's IR was read from: its name, the hash of its rows (`SchemaRows.tableRows`), and for each table its
 * foreign keys take the primary key of, that table's lower-case name and the hash of its row (null: no such table).
 */
export type TableDeps = [name: string, rows: string, parents: [table: string, row: string | null][]];

/** sqlite_master's rows, hashed per table as a cached table's dependencies are compared. */
export class SchemaRows {
  /** Each table's row and its indexes' rows, by the table's lower-case name. */
  private readonly byTable = new Map<string, MasterRow[]>();
  private readonly rowHashes = new Map<string, string | null>();

  constructor(rows: readonly MasterRow[]) {
    for (const r of rows) {
      if (r[0] !== 'table' && r[0] !== 'index') continue;
      const k = asciiLower(r[2]);
      const group = this.byTable.get(k);
      if (group) group.push(r);
      else this.byTable.set(k, [r]);
    }
  }

  /** The hash of table `name`'s row and its indexes' rows (in sqlite_master's name order), or null for no table. */
  tableRows(name: string): string | null {
    const group = this.byTable.get(asciiLower(name));
    return group?.some((r) => r[0] === 'table' && r[1] === name) ? sha256(JSON.stringify(group)) : null;
  }

  /** The hash of the row of the table named `lower` (any ASCII case), or null when there is none. */
  tableRow(lower: string): string | null {
    let hash = this.rowHashes.get(lower);
    if (hash === undefined) {
      const row = this.byTable.get(lower)?.find((r) => r[0] === 'table');
      hash = row === undefined ? null : sha256(JSON.stringify(row));
      this.rowHashes.set(lower, hash);
    }
    return hash;
  }

  /** The dependencies of table `name` read now, whose foreign keys take the primary key of `parents` (lower-case). */
  depsOf(name: string, parents: Iterable<string>): TableDeps {
    return [name, this.tableRows(name)!, [...parents].map((p) => [p, this.tableRow(p)])];
  }

  /** Whether a table read with dependencies `deps` would be read alike now. */
  unchanged([name, rows, parents]: TableDeps): boolean {
    return this.tableRows(name) === rows && parents.every(([p, row]) => this.tableRow(p) === row);
  }
}

/**
 * A cache file's content: the tables (in name order) and, aligned with them, their dependencies, as the JSON text of
 * the file's last line: the fast path, which needs only the tables, does not build them (5000 arrays).
 */
export interface CacheEntry {
  key: string;
  global: unknown;
  tables: TableIR[];
  depsText: string;
}

/**
 * The cache file's entry, or null (no file, a file that does not read). The file is a line of `{ key, global, count }`,
 * a line per table, and the dependencies' line; it is read 64 KB at a time and parsed a line at a time, so no text
 * of the whole file is held (at 5000 tables, 9 MB as bytes and again as a string, at what was the read's peak).
 */
export function readCacheEntry(file: string): CacheEntry | null {
  try {
    const lines = fileLines(file);
    const head = JSON.parse(lines.next().value ?? '') as { key?: unknown; global?: unknown; count?: unknown };
    if (typeof head.key !== 'string' || typeof head.count !== 'number') return null;
    const tables: TableIR[] = [];
    let depsText: string | null = null;
    for (const line of lines) {
      if (tables.length < head.count) tables.push(JSON.parse(line) as TableIR);
      else if (depsText === null) depsText = line;
      else return null;
    }
    return depsText === null ? null : { key: head.key, global: head.global, tables, depsText };
  } catch {
    return null;
  }
}

/** The lines of a file (without their line breaks), read 64 KB at a time; a line break is never inside a UTF-8 sequence. */
function* fileLines(file: string): Generator<string, undefined> {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 16);
    let pending: Buffer[] = [];
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      let from = 0;
      for (let at = buf.indexOf(0x0a, from); at >= 0 && at < n; at = buf.indexOf(0x0a, from)) {
        yield pending.length === 0 ? buf.toString('utf8', from, at) : Buffer.concat([...pending, buf.subarray(from, at)]).toString('utf8');
        pending = [];
        from = at + 1;
      }
      // The rest of the chunk starts the next line: copied, as the buffer is read into again.
      if (from < n) pending.push(Buffer.from(buf.subarray(from, n)));
    }
    if (pending.length > 0) yield Buffer.concat(pending).toString('utf8');
  } finally {
    closeSync(fd);
  }
  return undefined;
}

/**
 * The cached tables whose dependencies are unchanged, by name: none when the global key differs or the dependencies
 * do not read.
 */
export function reusableTables(entry: CacheEntry | null, global: string, rows: SchemaRows): Map<string, { table: TableIR; deps: TableDeps }> {
  const out = new Map<string, { table: TableIR; deps: TableDeps }>();
  if (entry === null || entry.global !== global) return out;
  let deps: unknown;
  try {
    deps = JSON.parse(entry.depsText);
  } catch {
    return out;
  }
  if (!Array.isArray(deps) || deps.length !== entry.tables.length || !deps.every(isDeps)) return out;
  (deps as TableDeps[]).forEach((d, i) => {
    if (rows.unchanged(d)) out.set(d[0], { table: entry.tables[i]!, deps: d });
  });
  return out;
}

function isDeps(d: unknown): boolean {
  return Array.isArray(d) && d.length === 3 && typeof d[0] === 'string' && typeof d[1] === 'string' && Array.isArray(d[2])
    && d[2].every((p: unknown) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && (typeof p[1] === 'string' || p[1] === null));
}

/**
 * Stores `tables` under `key` and `global`, a line each, and their `deps` (aligned) on the last line (readCacheEntry's
 * layout), replacing the entry (cache-file.ts); a failure only means no cache. Written 64 KB at a time: one JSON text
 * of 5000 tables would be 9 MB more at the read's peak.
 */
export function writeCacheEntry(file: string, key: string, global: string, tables: readonly TableIR[], deps: readonly TableDeps[]): void {
  function* chunks(): Generator<string> {
    let chunk = `${JSON.stringify({ key, global, count: tables.length })}\n`;
    for (const t of tables) {
      chunk += `${JSON.stringify(t)}\n`;
      if (chunk.length > 1 << 16) { yield chunk; chunk = ''; }
    }
    chunk += '[';
    for (const [i, d] of deps.entries()) {
      chunk += `${i === 0 ? '' : ','}${JSON.stringify(d)}`;
      if (chunk.length > 1 << 16) { yield chunk; chunk = ''; }
    }
    yield `${chunk}]`;
  }
  // A read-only or full disk: the next read parses the schema again.
  if (!writeCacheFile(file, chunks())) return;
  try {
    pruneEntries(path.dirname(file));
  } catch {
    // Another process removed an entry meanwhile: the next write prunes again.
  }
}

/** How many databases' entries a cache folder keeps: a test suite that makes a database file per run must not fill it. */
const KEEP = 8;

/** Removes all but the KEEP most recently written entries (only after a miss wrote one). */
function pruneEntries(dir: string): void {
  const entries = readdirSync(dir).filter((f) => f.startsWith('sqlite-schema-') && f.endsWith('.json'));
  if (entries.length <= KEEP) return;
  const byAge = entries.map((f) => ({ f, at: statSync(path.join(dir, f)).mtimeMs })).sort((a, b) => b.at - a.at);
  for (const { f } of byAge.slice(KEEP)) rmSync(path.join(dir, f), { force: true });
}
