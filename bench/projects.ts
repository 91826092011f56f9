/**
 * The generated projects the cases run in, each written once per run of the
 * bench and shared by the cases that need it (the same revisions serve
 * `history`, `heads`, `current`, `upgrade` and `downgrade`).
 */
import path from 'node:path';
import { writeAlembicProject } from './alembic-writer.js';
import { writeRetortProject } from './retort-writer.js';
import { benchRevisions, benchSchema, type SchemaLayout, type HistoryKind } from './schema-spec.js';

/** A Retort project and an Alembic project holding the same work. */
export interface ProjectPair {
  readonly retortDir: string;
  readonly alembicDir: string;
}

/** Where the bench writes and which Retort it measures. */
export interface Workspace {
  readonly workDir: string;
  /** The package under test: bin/retort.cjs and dist/ live here. */
  readonly retortRoot: string;
}

const cache = new Map<string, ProjectPair>();

function memo(key: string, make: () => ProjectPair): ProjectPair {
  let p = cache.get(key);
  if (!p) {
    p = make();
    cache.set(key, p);
  }
  return p;
}

/** M small linear revisions, no models. */
export function revisionProjects(ws: Workspace, m: number, kind: HistoryKind = 'mixed'): ProjectPair {
  return memo(`rev-${m}-${kind}`, () => {
    const base = path.join(ws.workDir, `revisions-${m}${kind === 'mixed' ? '' : `-${kind}`}`);
    const revisions = benchRevisions(m, kind);
    const pair = { retortDir: path.join(base, 'retort'), alembicDir: path.join(base, 'alembic') };
    writeRetortProject(pair.retortDir, ws.retortRoot, { revisions });
    writeAlembicProject(pair.alembicDir, { revisions });
    settle();
    return pair;
  });
}

/**
 * Waits out the header cache's settle window (SETTLE_MS, 2 s, in src/revisions/header-cache.ts): a folder changed
 * less than that ago is not trusted by its stamp, so every listing stats each file, as it should right after a
 * write. A project written a moment before its timed runs would measure that moment, not a history at rest, which
 * is what a user lists.
 */
function settle(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500);
}

/** M small linear revisions with models of the schema they leave at head, for `retort verify` (no Alembic twin). */
export function verifyProject(ws: Workspace, m: number): string {
  return memo(`verify-${m}`, () => {
    const dir = path.join(ws.workDir, `verify-${m}`, 'retort');
    writeRetortProject(dir, ws.retortRoot, { revisions: benchRevisions(m, 'mixed'), historyModels: true });
    return { retortDir: dir, alembicDir: '' };
  }).retortDir;
}

/**
 * An N-table schema as models. With `createAll` the Retort project's
 * migrations/ also holds one revision creating the whole schema (used to build
 * the matching database, in revisions of `createAllChunk` tables, and for
 * the create-all case, in one revision); without it migrations/
 * is empty, as before a first autogenerate. Alembic's versions/ is empty in both.
 * The objects layout's models differ by dialect (SQLite has no functions, sequences or partitions): it gets a
 * project per dialect; the other layouts share one.
 */
export function schemaProjects(ws: Workspace, n: number, layout: SchemaLayout, createAll: boolean, createAllChunk?: number, dialect: 'postgresql' | 'sqlite' = 'postgresql'): ProjectPair {
  const variant = layout === 'objects' ? `-${dialect}` : '';
  return memo(`schema-${n}-${layout}${variant}-${createAll}-${createAllChunk ?? 'one'}`, () => {
    const base = path.join(ws.workDir, `schema-${n}-${layout}${variant}${createAll ? `-createall${createAllChunk ? `-by${createAllChunk}` : ''}` : ''}`);
    const schema = benchSchema(n, layout);
    const pair = { retortDir: path.join(base, 'retort'), alembicDir: path.join(base, 'alembic') };
    writeRetortProject(pair.retortDir, ws.retortRoot, { schema, createAll, dialect, ...(createAllChunk ? { createAllChunk } : {}) });
    writeAlembicProject(pair.alembicDir, { schema });
    return pair;
  });
}
