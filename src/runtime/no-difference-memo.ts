/**
 * Remembers that a database and the models had no difference, so that the next autogenerate or check of the same
 * live schema against the same declared schema says so without reading the live schema or comparing (docs/design.md,
 * "Reading the database": '"No difference" is remembered').
 *
 * A verdict is a pure function of what goes into it, and every part of that has a key here:
 * - the live schema: the dialect's `liveKey`, which promises equal introspection for equal keys (SQLite: a hash of
 *   every row of sqlite_master, the SQLite library and Retort's build). A dialect without one (PostgreSQL, whose
 *   catalog has no cheap key) never takes this path;
 * - the declared schema: its key (declared-memo.ts declaredKey), sha256 of the IR the model files built (or that was
 *   remembered for them), before normalisation (normalising is Retort's code);
 * - the config's parts that the comparison reads: the version and history tables, `exclude`, the schemas. A config
 *   with an `include` function is never remembered: a function's text does not say what it decides;
 * - Retort's build (build-stamp.ts), so a new Retort compares afresh.
 * Only "no difference" is kept: a difference is worked out every time. The keys live in one small file in the
 * project's cache folder, the most recent few (a project often has a development and a test database).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { retortBuild } from '../build-stamp.js';
import { writeCacheFile } from '../cache-file.js';
import type { Connection, Dialect } from '../dialects/dialect.js';
import { sha256Hex } from './checksum.js';
import { schemaCache } from './live-schema.js';
import type { Project } from './project.js';

/** How many verdicts the file keeps, most recent first. */
const KEEP = 8;
const FILE = 'no-difference.txt';

/** The remembered verdict of one comparison. */
export interface Verdict {
  /** Whether "no difference" was found before for the same live schema, models, config and Retort. */
  readonly known: boolean;
  /** Remembers "no difference" between the live schema and the declared one of key `declared` (declared-memo.ts declaredKey; call only when the comparison found none). */
  remember(declared: string | null): void;
}

/**
 * The verdict of comparing the live schema on `conn` with the declared one (`declared`: the schema as the model files
 * built it, not normalised; null when they failed to load), or null when none can be kept: no cache folder (no
 * node_modules), a config with an `include` function, a dialect with no live key. The models are waited for only
 * when a verdict for this very live schema is kept: otherwise it is unknown anyway, and the caller reads the live
 * schema while the models load (a first run waits for the compiler meanwhile).
 */
export async function lookUpVerdict(project: Project, dialect: Dialect, conn: Connection, declared: () => Promise<string | null>): Promise<Verdict | null> {
  const cache = schemaCache(project).cache;
  if (cache === undefined || dialect.liveKey === undefined || project.config.include !== null) return null;
  const liveKey = await dialect.liveKey(conn, { cache });
  if (liveKey === null) return null;
  const c = project.config;
  const scope = sha256Hex(`${retortBuild()}\u0000${JSON.stringify([dialect.displayName, c.versionTable, c.historyTable, c.exclude, c.schema, c.schemas])}\u0000${liveKey}`);
  const file = path.join(cache.dir, FILE);
  const entries = readEntries(file);
  const keyOf = (declaredKey: string | null) => (declaredKey === null ? null : sha256Hex(`${scope}\u0000${declaredKey}`));
  const remember = (key: string | null) => {
    // A file that cannot be written only means no memo: the next run compares again.
    if (key !== null) writeCacheFile(file, `${[`${key} ${scope}`, ...entries.filter((e) => !e.startsWith(key))].slice(0, KEEP).join('\n')}\n`);
  };
  if (!entries.some((e) => e.endsWith(scope))) return { known: false, remember: (k) => remember(keyOf(k)) };
  const declaredKey = await declared();
  const key = keyOf(declaredKey);
  return { known: key !== null && entries.includes(`${key} ${scope}`), remember: (k) => remember(k === declaredKey ? key : keyOf(k)) };
}

/** The kept verdicts, most recent first: `<key> <scope>` (the scope: the live schema, config and build it was found for). */
function readEntries(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((e) => /^[0-9a-f]{64} [0-9a-f]{64}$/.test(e));
  } catch {
    return [];
  }
}
