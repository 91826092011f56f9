/**
 * Configuration: `retort.config.ts` (or .mts/.js/.mjs/.json) found in the
 * working directory or the nearest folder above it (as git and npm find
 * theirs), or given with `-c`. The database URL comes from `--url`,
 * then RETORT_DATABASE_URL, then DATABASE_URL, then the config; relative paths
 * (migrations, models, SQLite files) resolve against the config file's folder.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { RetortError } from '../errors.js';
import { parseNamingConvention, type NamingConvention } from '../models/naming.js';
import { ONLINE_KEYS, resolveOnline, type OnlineSettings, type Safety } from './online-config.js';
import type { IncludeFilter } from '../ir/include-filter.js';

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
  /** The schema to manage, where the database has schemas. Default: the database's own (PostgreSQL: `public`). */
  schema?: string;
  /**
   * The schemas Retort manages, where the database has schemas (PostgreSQL): models may declare objects in them with
   * schema('name'), introspection reads them, and no other schema is ever read or touched. Default: `schema` alone;
   * `schema` (the default schema) is always managed, listed or not.
   */
  schemas?: string[];
  /** Tables autogenerate never touches: names or globs (`*` and `?`). */
  exclude?: string[];
  /**
   * Which objects autogenerate and check compare (Alembic's include_object): called for every table, column, key,
   * constraint, index, enum, sequence, view, domain and extension on both sides; false leaves the object alone.
   */
  include?: IncludeFilter;
  /** Names for unnamed constraints and indexes; tokens {table} {columns} {column_0} {refTable} {name} or SQLAlchemy's %(table_name)s. */
  namingConvention?: Partial<Record<'pk' | 'unique' | 'uq' | 'foreignKey' | 'fk' | 'index' | 'ix' | 'check' | 'ck', string>>;
  /**
   * Commands run on each generated revision file, without a shell: an argv array (`['npx', 'prettier', '--write', '{file}']`)
   * or a command line split into words as a shell would, without expanding anything. `{file}` is the file's path.
   * Default: the project's prettier when it has one.
   */
  postWriteHooks?: PostWriteHook | PostWriteHook[];
  /** How long a command waits for the migration lock, in seconds. Default 300. */
  lockTimeout?: number;
  /** PostgreSQL: how long each revision's transaction waits for a table lock (`SET LOCAL lock_timeout`): seconds or '5s'. Default '5s'; 0: no limit. */
  revisionLockTimeout?: number | string;
  /** PostgreSQL: `SET LOCAL statement_timeout` in each revision's transaction: seconds or '10min'. Default: the server's. */
  revisionStatementTimeout?: number | string;
  /** How many times a revision that hit the lock timeout runs again (after 0.5 s, 1 s, 2 s...) before failing. Default 3. */
  lockRetries?: number;
  /** 'online' (default): autogenerate writes lock-safe forms on PostgreSQL for tables that exist; 'simple': the plain forms. */
  safety?: Safety;
}

/** A post-write hook: a command line (split into words, never given to a shell) or an argv array. */
export type PostWriteHook = string | readonly string[];

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
  /** The schema named in the config; null: the dialect's default schema. */
  readonly schema: string | null;
  /** The config's `schemas` other than the default one, as written (each once); empty when none are named. */
  readonly schemas: readonly string[];
  readonly exclude: readonly string[];
  /** The config's `include` filter, or null. */
  readonly include: IncludeFilter | null;
  readonly naming: NamingConvention;
  readonly postWriteHooks: readonly PostWriteHook[] | null;
  readonly lockTimeoutMs: number;
  /** Revision lock and statement timeouts, lock retries and the safety of generated plans. */
  readonly online: OnlineSettings;
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

/**
 * Finds the config file: the one given, else the first of CONFIG_NAMES in `cwd` or, failing that, in the
 * nearest folder above it that has one, so that a command run from a subfolder (src/, migrations/) works on
 * its project instead of treating the subfolder as a project without a config.
 */
export function findConfigFile(cwd: string, given?: string): string | null {
  if (given) {
    const file = path.resolve(cwd, given);
    if (!existsSync(file)) throw new RetortError('CONFIG', `config file ${file} does not exist`, { hint: 'check the path given to -c/--config' });
    if (statSync(file).isDirectory()) throw new RetortError('CONFIG', `config file ${file} is a folder`, { hint: 'give -c/--config the config file itself, e.g. retort.config.ts' });
    return file;
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const name of CONFIG_NAMES) {
      const file = path.join(dir, name);
      if (existsSync(file)) return file;
    }
    if (path.dirname(dir) === dir) return null;
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The keys a config may have. */
export const CONFIG_KEYS: ReadonlySet<string> = new Set(['url', 'migrations', 'models', 'versionTable', 'historyTable', 'schema', 'schemas', 'exclude', 'include', 'namingConvention', 'postWriteHooks', 'lockTimeout', ...ONLINE_KEYS]);

/** Checks a loaded config object and applies defaults. */
export function resolveConfig(raw: unknown, file: string | null, cwd: string, overrides: { url?: string | undefined; env?: Readonly<Record<string, string | undefined>> }): ResolvedConfig {
  const where = file ?? 'configuration';
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new RetortError('CONFIG', `${where} must export a config object (export default defineConfig({ ... }))`);
  }
  const c = raw as Record<string, unknown>;
  const known = CONFIG_KEYS;
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
    if (!IDENT.test(name)) throw new RetortError('CONFIG', `${where}: "${key}" must be a plain identifier (got "${name}")`);
  }
  const lockTimeout = c.lockTimeout;
  if (lockTimeout !== undefined && (typeof lockTimeout !== 'number' || !(lockTimeout >= 0))) {
    throw new RetortError('CONFIG', `${where}: "lockTimeout" must be a number of seconds`);
  }
  const naming = c.namingConvention;
  if (naming !== undefined && (typeof naming !== 'object' || naming === null)) throw new RetortError('CONFIG', `${where}: "namingConvention" must be an object`);
  const hooks = hookList(where, c.postWriteHooks);
  if (c.include !== undefined && typeof c.include !== 'function') {
    throw new RetortError('CONFIG', `${where}: "include" must be a function of the object (include: (object) => boolean)`, { hint: "e.g. include: (o) => !(o.kind === 'column' && o.name === 'legacy')" });
  }
  return {
    file,
    dir,
    url,
    urlSource,
    migrationsDir: path.resolve(dir, str('migrations') ?? 'migrations'),
    models: (strList('models') ?? ['models/**/*.ts']).map((m) => path.resolve(dir, m)),
    versionTable,
    historyTable,
    schema: str('schema') ?? null,
    schemas: schemaList(where, c.schemas, str('schema')),
    exclude: strList('exclude') ?? [],
    include: (c.include as IncludeFilter | undefined) ?? null,
    naming: parseNamingConvention(naming as Parameters<typeof parseNamingConvention>[0]),
    postWriteHooks: hooks ?? null,
    lockTimeoutMs: (typeof lockTimeout === 'number' ? lockTimeout : 300) * 1000,
    online: resolveOnline(c, where),
  };
}

/** The config's `schemas` without the default schema (`schema`, or a dialect's own, which is dropped later), each once. */
function schemaList(where: string, v: unknown, schema: string | undefined): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '' || x.includes('.'))) {
    throw new RetortError('CONFIG', `${where}: "schemas" must be an array of schema names (without dots)`, { hint: "e.g. schemas: ['public', 'billing']" });
  }
  return [...new Set(v as string[])].filter((s) => s !== schema);
}

/** A glob (`*`, `?`) or plain name matcher for `exclude`. */
export function globMatcher(patterns: readonly string[]): (name: string) => boolean {
  const res = patterns.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`));
  return (name) => res.some((r) => r.test(name));
}

/** The word of a post-write hook that stands for the new revision file's path. */
export const HOOK_FILE = '{file}';

// `postWriteHooks`: one hook, or a list of hooks, each a string or an array of strings.
function hookList(where: string, v: unknown): PostWriteHook[] | undefined {
  if (v === undefined) return undefined;
  const list = typeof v === 'string' ? [v] : v;
  const isHook = (h: unknown) => typeof h === 'string' || (Array.isArray(h) && h.every((w) => typeof w === 'string'));
  if (!Array.isArray(list) || !list.every(isHook)) {
    throw new RetortError('CONFIG', `${where}: "postWriteHooks" must be a list of commands, each a string or an array of strings`, {
      hint: "e.g. postWriteHooks: [['npx', 'prettier', '--write', '{file}']]",
    });
  }
  return list as PostWriteHook[];
}

/**
 * A hook as the argv to run without a shell, `{file}` still in it. A command line is split into words the way a
 * shell splits them ('...', "...", backslash), but nothing is expanded, so shell syntax (`&&`, `|`, `>`, `$`,
 * backquotes) is refused rather than passed on as text. `{file}` may not sit in a word with spaces: such a word is
 * a script for `sh -c`, where the path would be read as shell text and a folder named `$(...)` would run.
 */
export function hookArgv(hook: PostWriteHook, where: string): string[] {
  const argv = typeof hook === 'string' ? splitCommandLine(hook, where) : [...hook];
  const shown = typeof hook === 'string' ? hook : JSON.stringify(hook);
  if (argv.length === 0 || argv[0] === '') throw new RetortError('CONFIG', `${where}: post-write hook \`${shown}\` has no command`);
  if (argv.some((w) => w.includes(HOOK_FILE) && /\s/.test(w))) {
    throw new RetortError('CONFIG', `${where}: post-write hook \`${shown}\` puts {file} inside a script, where the path would be read as shell text`, {
      hint: `for a shell, pass the file as an argument: ['sh', '-c', 'prettier --write "$1"', 'sh', '{file}']`,
    });
  }
  return argv;
}

// Unquoted, these mean something only to a shell, which hooks do not run through.
const SHELL_ONLY = new Set(['|', '&', ';', '<', '>', '(', ')', '$', '`']);

function splitCommandLine(line: string, where: string): string[] {
  const refuse = (what: string) =>
    new RetortError('CONFIG', `${where}: post-write hook \`${line}\` ${what}, but hooks run without a shell`, {
      hint: `give each command as a hook of its own, e.g. ['npx', 'prettier', '--write', '{file}']; for a shell, pass the file as an argument: ['sh', '-c', 'eslint --fix "$1" && prettier --write "$1"', 'sh', '{file}']`,
    });
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
      continue;
    }
    word ??= '';
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw refuse('has an unclosed quote');
      word += line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && '"\\$`'.includes(line[j + 1] ?? 'x')) j++;
        else if (line[j] === '$' || line[j] === '`') throw refuse(`uses shell syntax (${line[j]})`);
        word += line[j];
      }
      if (j >= line.length) throw refuse('has an unclosed quote');
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
    } else if (SHELL_ONLY.has(c)) {
      throw refuse(`uses shell syntax (${c})`);
    } else {
      word += c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}
