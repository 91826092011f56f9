/**
 * Remembers that a database and the models had no difference, so that the next autogenerate or check of the same
 * live schema against the same declared schema says so without reading the live schema or comparing (docs/design.md,
 * "Remembering 'no difference'").
 *
 * A verdict is a pure function of what goes into it, and every part of that has a key here:
 * - the live schema: the dialect's `liveKey`, which promises equal introspection for equal keys (SQLite: a hash of
 *   every row of sqlite_master, the SQLite library and Retort's build). A dialect without one (PostgreSQL, whose
 *   catalog has no cheap key) never takes this path;
 * - the declared schema: sha256 of the IR the model files built, before normalisation (normalising is Retort's code);
 * - the config's parts that the comparison reads: the version and history tables, `exclude`, the schemas. A config
 *   with an `include` function is never remembered: a function's text does not say what it decides;
 * - Retort's build: its version and the file this code runs from (the bundle, or this module, which every build
 *   writes again), so a new Retort compares afresh.
 * Only "no difference" is kept: a difference is worked out every time. The keys live in one small file in the
 * project's cache folder, the most recent few (a project often has a development and a test database).
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection, Dialect } from '../dialects/dialect.js';
import type { SchemaIR } from '../ir/ir.js';
import { sha256Hex } from './checksum.js';
import { toolVersion } from './history-table.js';
import { schemaCache } from './live-schema.js';
import type { Project } from './project.js';

/** How many verdicts the file keeps, most recent first. */
const KEEP = 8;
const FILE = 'no-difference.txt';

let buildMemo: string | null = null;

/** Retort's version and the stamp of the file this code runs from. */
function buildStamp(): string {
  if (buildMemo !== null) return buildMemo;
  let stamp = '?';
  try {
    const s = statSync(fileURLToPath(import.meta.url));
    stamp = `${s.mtimeMs}:${s.size}`;
  } catch {
    // No file to stamp: every run has the same '?', and the version still keys the build.
  }
  buildMemo = `${toolVersion()}\u0000${stamp}`;
  return buildMemo;
}

/** The remembered verdict of one comparison. */
export interface Verdict {
  /** Whether "no difference" was found before for the same live schema, models, config and Retort. */
  readonly known: boolean;
  /** Remembers "no difference" for this comparison (call only when it found none). */
  remember(): void;
}

/**
 * The verdict of comparing the live schema on `conn` with `declared` (the schema as the model files built it, not
 * normalised; null when they failed to load), or null when none can be kept: no cache folder (no node_modules), a
 * config with an `include` function, a dialect with no live key, a declared schema with no JSON text.
 */
export async function lookUpVerdict(project: Project, dialect: Dialect, conn: Connection, declared: () => Promise<SchemaIR | null>): Promise<Verdict | null> {
  const cache = schemaCache(project).cache;
  if (cache === undefined || dialect.liveKey === undefined || project.config.include !== null) return null;
  const liveKey = await dialect.liveKey(conn, { cache });
  const schema = liveKey === null ? null : await declared();
  const declaredText = schema === null ? null : jsonText(schema);
  if (declaredText === null) return null;
  const c = project.config;
  const config = JSON.stringify([dialect.displayName, c.versionTable, c.historyTable, c.exclude, c.schema, c.schemas]);
  const key = sha256Hex(`${buildStamp()}\u0000${config}\u0000${liveKey}\u0000${declaredText}`);
  const file = path.join(cache.dir, FILE);
  const keys = readKeys(file);
  return { known: keys.includes(key), remember: () => writeKeys(file, [key, ...keys.filter((k) => k !== key)].slice(0, KEEP)) };
}

/** JSON of the IR, or null when it has none (a BigInt in it). JSON leaves out undefined fields, as the comparison (sameIR) does. */
function jsonText(schema: SchemaIR): string | null {
  try {
    return JSON.stringify(schema);
  } catch {
    return null;
  }
}

function readKeys(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((k) => /^[0-9a-f]{64}$/.test(k));
  } catch {
    return [];
  }
}

/** Writes the keys (aside, then renamed); a failure only means no memo. */
function writeKeys(file: string, keys: readonly string[]): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temp, `${keys.join('\n')}\n`);
    renameSync(temp, file);
  } catch {
    // A read-only or full disk: the next run compares again.
  }
}
