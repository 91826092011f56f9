/**
 * The live tables' Schema IR kept for the next read of the same, unchanged database file. Reading a SQLite schema
 * means parsing every CREATE TABLE text and normalising every table (about 0.3 s of CPU at 1000 tables, cold), yet
 * everything it reads follows from the rows of sqlite_master, which the read takes anyway: so the IR is stored under
 * a key that holds every row of sqlite_master (type, name, table, text), the SQLite library (its source id and compile
 * options, which decide how it reads that text), Retort's version and the modification times of the modules that
 * build the IR. Any change to any of them is a miss, and the tables are read as without a cache. Only tables are
 * kept (views and triggers are cheap to read, and their dependencies depend on `exclude`); `exclude` is applied
 * after, so one entry serves every config. One file per database, replaced on each miss; the 8 most recently
 * written are kept.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathTag } from '../../path-tag.js';
import type { TableIR } from '../../ir/ir.js';
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

/** The key of the database's current schema: every row of sqlite_master (`masterText`, JSON), the SQLite library, Retort's build. */
export async function schemaKey(conn: Pick<Connection, 'query'>, cache: SchemaCache, masterText: string): Promise<string> {
  const [lib] = await conn.query<{ id: string; options: string }>(`SELECT sqlite_source_id() AS id, (SELECT json_group_array(compile_options) FROM pragma_compile_options) AS options`);
  const hash = createHash('sha256');
  hash.update(`${cache.version}\u0000${moduleStamps()}\u0000${lib?.id}\u0000${lib?.options}\u0000`);
  // sqlite_master's rows as SQLite's JSON text: no separator inside a name or a text can make two row lists alike.
  hash.update(masterText);
  return hash.digest('hex');
}

/** The tables cached under `key`, or null (no file, another key, a file that does not read). */
export function readCachedTables(file: string, key: string): TableIR[] | null {
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { key?: unknown; tables?: unknown };
    return entry.key === key && Array.isArray(entry.tables) ? (entry.tables as TableIR[]) : null;
  } catch {
    return null;
  }
}

/**
 * Stores `tables` under `key`, replacing the entry (written aside, then renamed); a failure only means no cache.
 * Written 64 KB at a time: one JSON text of 5000 tables would be 9 MB more at the read's peak.
 */
export function writeCachedTables(file: string, key: string, tables: readonly TableIR[]): void {
  const temp = `${file}.${process.pid}.tmp`;
  let fd: number | null = null;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    fd = openSync(temp, 'w');
    let chunk = `{"key":${JSON.stringify(key)},"tables":[`;
    tables.forEach((t, i) => {
      chunk += (i === 0 ? '' : ',') + JSON.stringify(t);
      if (chunk.length > 1 << 16) { writeSync(fd!, chunk); chunk = ''; }
    });
    writeSync(fd, `${chunk}]}`);
    closeSync(fd);
    fd = null;
    renameSync(temp, file);
    pruneEntries(path.dirname(file));
  } catch {
    // A read-only or full disk: the next read parses the schema again.
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
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
