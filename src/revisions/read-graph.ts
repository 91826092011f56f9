/**
 * Reads a project's revision graph from its migrations folder: every file's
 * header, through the header cache when the project has node_modules.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config/config.js';
import { RetortError } from '../errors.js';
import { pathTag } from '../path-tag.js';
import { RevisionGraph } from './revision-graph.js';
import { RevisionFolder } from './revision-scan.js';
import type { HeaderCheck } from './header-cache.js';

export type { HeaderCheck } from './header-cache.js';

/**
 * The two settings the graph depends on: the project folder (for its node_modules) and the migrations folder; and,
 * when known, the config file (null: none was found, so a missing migrations folder means there is no project here).
 */
type GraphConfig = Pick<ResolvedConfig, 'dir' | 'migrationsDir'> & { readonly file?: string | null };

/**
 * The revision graph of `migrationsDir`, read from the files' headers without running them. `check` is how the
 * header cache is trusted: 'folder' only for read-only listings, never for a command that runs or writes revisions.
 */
export function readRevisionGraph(config: GraphConfig, check: HeaderCheck = 'files', folder: RevisionFolder = openRevisionFolder(config)): RevisionGraph {
  return new RevisionGraph(folder.headers(check));
}

/**
 * The migrations folder of `config`, listed once with its header cache: a read-only listing asks it for the text it
 * kept (RevisionFolder.derived) and passes it to readRevisionGraph when that will not do.
 */
export function openRevisionFolder(config: GraphConfig): RevisionFolder {
  // Run outside any project (no config here or above, no migrations folder): say that, as commands that connect do,
  // rather than that a migrations folder is missing.
  if (config.file === null && !existsSync(config.migrationsDir)) {
    throw new RetortError('CONFIG', `there is no retort.config.ts in ${config.dir} or any folder above it`, {
      hint: 'run retort from your project\'s folder, or `retort init` to set one up here',
    });
  }
  return new RevisionFolder(config.migrationsDir, headerCacheFile(config));
}

/** Where revision headers are cached: the project's node_modules/.cache, when the project has node_modules. */
function headerCacheFile(config: GraphConfig): string | null {
  const modules = path.join(config.dir, 'node_modules');
  if (!existsSync(modules)) return null;
  return path.join(modules, '.cache', 'retort', `headers-${pathTag(config.migrationsDir)}.json`);
}

