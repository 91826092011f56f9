/**
 * Configuration: `retort.config.ts` (or .mts/.js/.mjs/.json) found in the
 * working directory or given with `-c`. The database URL comes from `--url`,
 * then RETORT_DATABASE_URL, then DATABASE_URL, then the config; relative paths
 * (migrations, models, SQLite files) resolve against the config file's folder.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { RetortError } from '../errors.js';
import { parseNamingConvention, type NamingConvention } from '../schema/naming.js';

/** What users write in retort.config.ts (all keys optional). */
export interface RetortConfig {
  /** Database URL, e.g. `sqlite:///app.db` or `postgresql://user@localhost/app`. */
  url?: string;
  /** Folder of revision files. Default `migrations`. */
  migrations?: string;
  /** Model files or globs, read by autogenerate and check. Default `models/**\/*.ts`. */
  models?: string | string[];
  /** Version table name. Default `retort_version`; `alembic_version` adopts a database Alembic managed. */
  versionTable?: string;
  /** History table name (a record of every step run). Default `retort_history`. */
  historyTable?: string;
  /** PostgreSQL schema to manage. Default `public`. */
  schema?: string;
  /** Tables autogenerate never touches: names or globs (`*` and `?`). */
  exclude?: string[];
  /** Names for unnamed constraints and indexes; tokens {table} {columns} {column_0} {refTable} {name} or SQLAlchemy's %(table_name)s. */
  namingConvention?: Partial<Record<'pk' | 'unique' | 'uq' | 'foreignKey' | 'fk' | 'index' | 'ix' | 'check' | 'ck', string>>;
  /** Commands run on each generated revision file; `{file}` is replaced by its path. Default: prettier when the project has it. */
  postWriteHooks?: string[];
  /** How long a command waits for the migration lock, in seconds. Default 300. */
  lockTimeout?: number;
}

/** defineConfig() gives a config file types; it returns its argument. */
export function defineConfig(config: RetortConfig): RetortConfig {
  return config;
}

/** The config with every default applied and every path absolute. */
export interface ResolvedConfig {
  /** The config file, or null when none was found (defaults apply). */
  readonly file: string | null;
  /** The folder relative paths resolve against. */
  readonly dir: string;
  readonly url: string | null;
  readonly urlSource: string;
  readonly migrationsDir: string;
  readonly models: readonly string[];
  readonly versionTable: string;
  readonly historyTable: string;
  readonly schema: string;
  readonly exclude: readonly string[];
  readonly naming: NamingConvention;
  readonly postWriteHooks: readonly string[] | null;
  readonly lockTimeoutMs: number;
}

export const CONFIG_NAMES = ['retort.config.ts', 'retort.config.mts', 'retort.config.js', 'retort.config.mjs', 'retort.config.json'];

/** The folder the command runs in; a clear error when it has been deleted or moved away underneath the shell. */
export function workingFolder(): string {
  try {
    return process.cwd();
  } catch (e) {
    throw new RetortError('CONFIG', `the current folder no longer exists (${(e as NodeJS.ErrnoException).code ?? 'error'})`, {
      hint: 'cd into the project folder again (it was deleted or replaced since this shell entered it)',
      cause: e,
    });
  }
}

/** Finds the config file: the one given, or the first of CONFIG_NAMES in `cwd`. */
export function findConfigFile(cwd: string, given?: string): string | null {
  if (given) {
    const file = path.resolve(cwd, given);
    if (!existsSync(file)) throw new RetortError('CONFIG', `config file ${file} does not exist`, { hint: 'check the path given to -c/--config' });
    if (statSync(file).isDirectory()) throw new RetortError('CONFIG', `config file ${file} is a folder`, { hint: 'give -c/--config the config file itself, e.g. retort.config.ts' });
    return file;
  }
  for (const name of CONFIG_NAMES) {
    const file = path.join(cwd, name);
    if (existsSync(file)) return file;
  }
  return null;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Checks a loaded config object and applies defaults. */
export function resolveConfig(raw: unknown, file: string | null, cwd: string, overrides: { url?: string | undefined; env?: Readonly<Record<string, string | undefined>> }): ResolvedConfig {
  const where = file ?? 'configuration';
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new RetortError('CONFIG', `${where} must export a config object (export default defineConfig({ ... }))`);
  }
  const c = raw as Record<string, unknown>;
  const known = new Set(['url', 'migrations', 'models', 'versionTable', 'historyTable', 'schema', 'exclude', 'namingConvention', 'postWriteHooks', 'lockTimeout']);
  for (const key of Object.keys(c)) {
    if (!known.has(key)) throw new RetortError('CONFIG', `${where}: unknown key "${key}"`, { hint: `known keys: ${[...known].join(', ')}` });
  }
  const str = (key: string): string | undefined => {
    const v = c[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') throw new RetortError('CONFIG', `${where}: "${key}" must be a non-empty string`);
    return v;
  };
  const strList = (key: string): string[] | undefined => {
    const v = c[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string') return [v];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new RetortError('CONFIG', `${where}: "${key}" must be a string or an array of strings`);
    return v as string[];
  };
  const dir = file ? path.dirname(file) : cwd;
  const env = overrides.env ?? process.env;
  let url: string | null = null;
  let urlSource = 'none';
  // An empty --url or variable is kept (and refused where the URL is parsed, naming it), never read as "not
  // given": `--url "$DATABASE_URL"` with the variable unset must not quietly migrate the config's database.
  if (overrides.url !== undefined) [url, urlSource] = [overrides.url, '--url'];
  else if (env.RETORT_DATABASE_URL !== undefined) [url, urlSource] = [env.RETORT_DATABASE_URL, 'RETORT_DATABASE_URL'];
  else if (env.DATABASE_URL !== undefined) [url, urlSource] = [env.DATABASE_URL, 'DATABASE_URL'];
  else if (str('url')) [url, urlSource] = [str('url')!, where];

  const versionTable = str('versionTable') ?? 'retort_version';
  const historyTable = str('historyTable') ?? 'retort_history';
  for (const [key, name] of [['versionTable', versionTable], ['historyTable', historyTable]] as const) {
    if (!IDENT.test(name)) throw new RetortError('CONFIG', `${where}: "${key}" must be a plain identifier of at most 63 characters (got "${name}")`);
  }
  const lockTimeout = c.lockTimeout;
  if (lockTimeout !== undefined && (typeof lockTimeout !== 'number' || !(lockTimeout >= 0))) {
    throw new RetortError('CONFIG', `${where}: "lockTimeout" must be a number of seconds`);
  }
  const naming = c.namingConvention;
  if (naming !== undefined && (typeof naming !== 'object' || naming === null)) throw new RetortError('CONFIG', `${where}: "namingConvention" must be an object`);
  const hooks = strList('postWriteHooks');
  return {
    file,
    dir,
    url,
    urlSource,
    migrationsDir: path.resolve(dir, str('migrations') ?? 'migrations'),
    models: (strList('models') ?? ['models/**/*.ts']).map((m) => path.resolve(dir, m)),
    versionTable,
    historyTable,
    schema: str('schema') ?? 'public',
    exclude: strList('exclude') ?? [],
    naming: parseNamingConvention(naming as Parameters<typeof parseNamingConvention>[0]),
    postWriteHooks: hooks ?? null,
    lockTimeoutMs: (typeof lockTimeout === 'number' ? lockTimeout : 300) * 1000,
  };
}

/** A glob (`*`, `?`) or plain name matcher for `exclude`. */
export function globMatcher(patterns: readonly string[]): (name: string) => boolean {
  const res = patterns.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`));
  return (name) => res.some((r) => r.test(name));
}
