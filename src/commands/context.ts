/**
 * What every command starts from: the options they all take (which config, which folder, which database) and the
 * Project those load into, as the CLI loads it.
 */
import path from 'node:path';
import type { RetortConfig } from '../config/config.js';
import { RetortError } from '../errors.js';
import type { Project } from '../runtime/project.js';

/** CommandOptions are the options every command takes. */
export interface CommandOptions {
  /**
   * The config: a file path (relative to `cwd`), or a config object as `defineConfig` takes it (its relative paths
   * then resolve against `cwd`). Default: `retort.config.*` in `cwd` or the nearest folder above it, as the CLI finds it.
   */
  readonly config?: string | RetortConfig;
  /** The folder to work in. Default: `process.cwd()`. */
  readonly cwd?: string;
  /** The database URL; overrides RETORT_DATABASE_URL, DATABASE_URL and the config, as `--url` does. */
  readonly url?: string;
}

/** Options of the commands that wait for the migration lock. */
export interface LockingOptions {
  /** Seconds to wait for a migration in progress (the migration lock, or a lock on the database). Default: the config's `lockTimeout` (300). */
  readonly lockTimeout?: number;
}

/** Loads the config and builds the project a command works on. */
export async function loadProject(opts: CommandOptions): Promise<Project> {
  const [{ loadConfig }, { Project }, { resolveConfig, workingFolder }] = await Promise.all([
    import('../config/load-config.js'),
    import('../runtime/project.js'),
    import('../config/config.js'),
  ]);
  const cwd = opts.cwd !== undefined ? path.resolve(opts.cwd) : workingFolder();
  const config = typeof opts.config === 'object' && opts.config !== null
    ? resolveConfig(opts.config, null, cwd, { url: opts.url })
    : await loadConfig(cwd, { config: opts.config, url: opts.url });
  return new Project(config);
}

/** The lock timeout in milliseconds as the runtime takes it; nothing when the config's applies. */
export function lockTimeoutMs(opts: LockingOptions): { lockTimeoutMs?: number } {
  const t = opts.lockTimeout;
  if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t < 0)) {
    throw new RetortError('USAGE', `lockTimeout must be a number of seconds, 0 or more (got ${String(t)})`, { hint: 'give the seconds to wait for the migration lock, e.g. 30' });
  }
  return opts.lockTimeout === undefined ? {} : { lockTimeoutMs: opts.lockTimeout * 1000 };
}
