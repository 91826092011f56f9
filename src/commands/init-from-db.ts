/**
 * `retort init --from-db URL`: a new project for a database that exists. It is `retort init` (the config, with the
 * URL, and migrations/) without the example model, then `retort pull --baseline` in it: the models written from the
 * database, one baseline revision that creates the whole schema on a fresh database, and the database stamped at
 * it. If the pull fails (the database cannot be read), the files init wrote are removed, so the same command can
 * simply be run again.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { SplitMode } from '../render/models/render-models.js';
import { pull, type PullEvents, type PullReport } from './pull.js';

export interface InitFromDbOptions {
  /** The database to adopt; written into the config (a relative SQLite path rewritten to stay the same file). */
  readonly url: string;
  /** The folder to set up, relative to `cwd`. Default: `cwd`. */
  readonly dir?: string;
  readonly cwd?: string;
  /** Set up a project even inside the folder of another one. */
  readonly nested?: boolean;
  /** The baseline revision's message. Default `baseline`. */
  readonly message?: string;
  readonly split?: SplitMode;
  /** The database schema to read (PostgreSQL). */
  readonly schema?: string;
  /** Do not stamp the database at the baseline. */
  readonly noStamp?: boolean;
  /** Tables and views to leave out (names or globs), as pull's `exclude`: written to the new config's `exclude`. */
  readonly exclude?: readonly string[];
  /** The named schemas to manage besides the default one (PostgreSQL): written to the new config's `schemas`. */
  readonly schemas?: readonly string[];
}

export interface InitFromDbReport {
  readonly dir: string;
  /** Files init wrote (the config, migrations/.gitignore, .gitignore), absolute. */
  readonly created: readonly string[];
  readonly pull: PullReport;
}

/**
 * A relative SQLite URL is relative to the config's folder in the config, and to the working folder on the command
 * line: rewritten so that the config written into `dir` names the file the user meant.
 */
export function urlForConfig(url: string, cwd: string, dir: string): string {
  const m = /^(sqlite(?:\+\w+)?:\/\/\/)(?!\/)([^?]*)(\?.*)?$/.exec(url);
  if (m === null || m[2] === '' || m[2] === ':memory:') return url;
  const rel = path.relative(dir, path.resolve(cwd, m[2]!)).split(path.sep).join('/');
  return `${m[1]}${rel}${m[3] ?? ''}`;
}

/** Sets up the project in `dir` from the database at `url`. */
export async function initFromDb(options: InitFromDbOptions, events: PullEvents = {}): Promise<InitFromDbReport> {
  const [{ initProject, onlyRetortIgnores }, { workingFolder }] = await Promise.all([import('../runtime/new-revision.js'), import('../config/config.js')]);
  const cwd = options.cwd !== undefined ? path.resolve(options.cwd) : workingFolder();
  const dir = path.resolve(cwd, options.dir ?? '.');
  const dirExisted = existsSync(dir);
  const created = initProject(dir, urlForConfig(options.url, cwd, dir), { nested: !!options.nested, withoutExampleModels: true, ...(options.schemas !== undefined ? { schemas: options.schemas } : {}) });
  try {
    const report = await pull(
      { cwd: dir, url: urlForConfig(options.url, cwd, dir), baseline: options.message ?? 'baseline', split: options.split, schema: options.schema, noStamp: options.noStamp, exclude: options.exclude },
      events,
    );
    return { dir, created, pull: report };
  } catch (e) {
    removeCreated(dir, created, onlyRetortIgnores);
    // The project folder too, when init made it and it is left empty.
    if (!dirExisted && existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
    throw e;
  }
}

/**
 * Removes the files init wrote and the folders left empty; .gitignore only when it holds nothing but what init wrote
 * (it may be the user's own, with a line added).
 */
function removeCreated(dir: string, created: readonly string[], onlyRetortIgnores: (text: string) => boolean): void {
  const gitignore = path.join(dir, '.gitignore');
  for (const f of created) {
    if (f === gitignore && !onlyRetortIgnores(readFileSync(f, 'utf8'))) continue;
    rmSync(f, { force: true });
  }
  for (const sub of ['models', 'migrations']) {
    const d = path.join(dir, sub);
    if (existsSync(d) && readdirSync(d).length === 0) rmdirSync(d);
  }
}
