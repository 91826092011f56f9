/**
 * Loads users' files (config, models, revisions) written in TypeScript or
 * JavaScript, in ESM or CommonJS projects, with no set-up on their side.
 *
 * Two paths. The common file imports nothing but `retort-migrate` and files of
 * its own (every generated revision, most model folders): compiled by transform.ts (sucrase, or esbuild
 * when there is much to compile at once), its compiled form is kept in the
 * project's `node_modules/.cache/retort/compiled/`, keyed by a hash of its
 * content and this Retort's version, and run directly with
 * `retort-migrate` bound to the running Retort. Anything else (other
 * packages, path aliases, dynamic `import()`) goes through the full loader,
 * jiti, which resolves modules as Node and TypeScript do. jiti is imported
 * only when a file needs it, so commands that only read revision headers
 * never pay for it.
 */
import { builtinModules, createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCacheFile } from '../cache-file.js';
import { RetortError, isRetortError, lineIn, messageOf } from '../errors.js';
import { toolVersion } from './history-table.js';
import { fileChecksum, sha256Hex, sourceChecksum } from './checksum.js';
import { setLineMapper } from '../source-lines.js';
import { sourceLineMapper } from './source-map-lines.js';
import { NATIVE_FROM_CHARS, compileModule, mappingsFor } from './transform.js';

type Jiti = { import(id: string, opts?: { default?: boolean }): Promise<unknown> };
type Exports = Record<string, unknown>;

// node:crypto and node:vm are required on first use: commands that load no user file should not pay for them.
const requireHere = createRequire(import.meta.url);
// One loader per tsconfig.json (its `paths` aliases), '' for files under none.
const jitis = new Map<string, Jiti>();
let cacheWorks = true;

function loader(file: string): Jiti {
  const tsconfig = tsconfigAbove(path.dirname(file)) ?? '';
  let jiti = jitis.get(tsconfig);
  if (!jiti) {
    // require(), not import(): importing a CommonJS bundle from ESM makes Node scan all of it for named exports (~35 ms).
    const { createJiti } = requireHere('jiti') as typeof import('jiti');
    // `paths` aliases (`@/lib/cols`) resolve as tsc resolves them, from the project's tsconfig.json (its `extends` too).
    jiti = createJiti(import.meta.url, { fsCache: cacheWorks, moduleCache: true, interopDefault: false, ...(tsconfig !== '' ? { tsconfigPaths: tsconfig } : {}) }) as unknown as Jiti;
    jitis.set(tsconfig, jiti);
  }
  return jiti;
}

const tsconfigs = new Map<string, string | null>();

/** The nearest tsconfig.json at or above `dir`, as tsc finds it for a file there; null when there is none. */
function tsconfigAbove(dir: string): string | null {
  let found = tsconfigs.get(dir);
  if (found === undefined) {
    const here = path.join(dir, 'tsconfig.json');
    const parent = path.dirname(dir);
    found = existsSync(here) ? here : parent === dir ? null : tsconfigAbove(parent);
    tsconfigs.set(dir, found);
  }
  return found;
}

// A full disk or a read-only node_modules must not stop a file from loading: the compile cache is only an optimisation.
const CACHE_WRITE_ERRORS = new Set(['EFBIG', 'ENOSPC', 'EACCES', 'EROFS', 'EPERM', 'EDQUOT']);

async function importWithLoader(file: string): Promise<Exports> {
  try {
    return (await loader(file).import(file)) as Exports;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (!cacheWorks || typeof code !== 'string' || !CACHE_WRITE_ERRORS.has(code)) throw e;
    cacheWorks = false;
    jitis.clear();
    return (await loader(file).import(file)) as Exports;
  }
}

/** Loads a module's exports; `what` names the file's role in errors ("revision file", "config"). */
export async function loadModule(file: string, what: string): Promise<Exports> {
  return (await loadModules([file], what))[0]!;
}

/**
 * Loads a module and says which content ran: the sha256 of the text that was compiled (see sourceChecksum).
 * `calledLater`: the caller goes on to call the module's functions (the runner, a revision's `upgrade`), so V8's
 * code for the file is saved when the process exits, with those functions compiled (see v8CachePath).
 */
export async function loadModuleWithChecksum(file: string, what: string, calledLater = false): Promise<{ exports: Exports; checksum: string }> {
  const program = file.endsWith('.json') ? null : await prepareProgram([file], calledLater);
  if (program) return { exports: evaluate(program.get(file)!, program, await retortApi(), what), checksum: program.get(file)!.checksum };
  return { exports: await loadModule(file, what), checksum: fileChecksum(file) };
}

/**
 * Loads several files as one program: the files and every file they import, all by the direct path or all through
 * the full loader, so that a file imported by another is never loaded twice as two objects. `calledLater`: as for
 * loadModuleWithChecksum (model files: the getters a compiler writes for their exports run after the bodies).
 * `compiler`: which compiles what the cache misses (transform.ts): `by-size` (the default), or `native`, esbuild at
 * any size, for files a process compiles once (the model files).
 */
export async function loadModules(files: readonly string[], what: string, calledLater = false, compiler: 'by-size' | 'native' = 'by-size'): Promise<Exports[]> {
  return (await loadProgram(files, what, { calledLater, compiler })).exports;
}

/** A file of a program loaded by the direct path: the checksum of its text, and its relative imports as resolved. */
export interface ProgramFile {
  readonly file: string;
  readonly checksum: string;
  /** sha256 of its compiled text (compiledChecksum). */
  readonly code: string;
  readonly imports: readonly (readonly [spec: string, target: string])[];
}

/** Hears how the files ran: wraps the running of their bodies, is told each Node built-in they require, and whether some had run before (their bodies are not run again). */
export interface LoadObserver {
  readonly around: <T>(run: () => T) => T;
  readonly builtin: (spec: string) => void;
  readonly reused: () => void;
}

export interface LoadOptions {
  readonly calledLater?: boolean;
  readonly compiler?: 'by-size' | 'native';
  /**
   * Where the files are all in the compile cache, nothing is handed to V8 (the costly part of a warm load, all of it
   * on this thread) until it resolves, so that the caller's I/O goes first; a compile the cache misses starts at once
   * all the same (it runs in esbuild's process).
   */
  readonly runAfter?: Promise<void>;
  /** Wraps the running of the files' bodies (all of them, at once, on this thread). */
  readonly observe?: LoadObserver;
}

/**
 * loadModules with what the files were: `program`, every file that ran (the files and what they import) with its
 * checksums and imports, where all of them took the direct path and `observe` was given; null where the full loader
 * loaded them (it may have read anything), or without `observe`.
 */
export async function loadProgram(files: readonly string[], what: string, opts: LoadOptions = {}): Promise<{ exports: Exports[]; program: ProgramFile[] | null }> {
  const json = files.filter((f) => f.endsWith('.json'));
  if (json.length > 0 && json.length !== files.length) throw new Error('loadModules: JSON files are loaded one at a time');
  if (json.length > 0) return { exports: files.map((f) => loadJson(f, what)), program: null };
  const program = await prepareProgram(files, opts.calledLater ?? false, opts.compiler === 'native' ? 0 : NATIVE_FROM_CHARS, opts.runAfter);
  if (program) {
    const api = await retortApi();
    // A file this process ran before is not run again: the observer saw nothing of what it read.
    if (opts.observe && [...program.values()].some((p) => evaluated.get(p.file)?.checksum === p.checksum)) opts.observe.reused();
    const run = () => files.map((f) => evaluate(program.get(f)!, program, api, what, opts.observe));
    const exports = opts.observe ? opts.observe.around(run) : run();
    if (!opts.observe) return { exports, program: null };
    return { exports, program: [...program.values()].map((p) => ({ file: p.file, checksum: p.checksum, code: p.codeChecksum(), imports: [...p.imports] })) };
  }
  return { exports: await loadWithLoader(files, what), program: null };
}

/**
 * The error of a file that failed to load: a file it imports that failed already says so (once, not wrapped in a
 * second "cannot be loaded"); Retort's own error thrown while the file ran (a model declared wrongly) keeps its hint.
 */
function loadFailure(e: unknown, what: string, file: string): RetortError {
  if (isRetortError(e) && e.code === 'REVISION_FILE') return e;
  return new RetortError('REVISION_FILE', `${what} ${file} cannot be loaded: ${loadErrorText(e, file)}`, {
    hint: (isRetortError(e) ? e.hint : undefined) ?? 'fix the error in the file and run the command again',
    cause: e,
  });
}

async function loadWithLoader(files: readonly string[], what: string): Promise<Exports[]> {
  forgetProjectModules();
  const out: Exports[] = [];
  for (const file of files) {
    try {
      out.push(await importWithLoader(file));
    } catch (e) {
      // The file that threw, which may be one it imports (jiti runs the whole import tree in one call).
      throw loadFailure(e, what, thrownIn(e) ?? file);
    }
  }
  return out;
}

// Retort's own code (dist/, bin/ beside it), whether this runs from the bundle or from dist/src.
const OWN_DIRS = (() => {
  const here = fileURLToPath(import.meta.url);
  const at = here.lastIndexOf(`${path.sep}dist${path.sep}`);
  const root = at >= 0 ? here.slice(0, at) : path.dirname(here);
  return [path.join(root, 'dist') + path.sep, path.join(root, 'bin') + path.sep];
})();

/** Whether `file` is the project's own: not a package's (under node_modules) nor Retort's. */
function isProjectFile(file: string): boolean {
  return !file.includes(`${path.sep}node_modules${path.sep}`) && !OWN_DIRS.some((d) => file.startsWith(d));
}

/**
 * Drops the project's own files from Node's module cache, which jiti fills (packages' and Retort's stay): the files
 * of one load share their modules (one object per module in a set), and a later load in the same process (a second
 * API call) runs them again as they are now, an edited helper included.
 */
function forgetProjectModules(): void {
  const cache = requireHere.cache;
  for (const key of Object.keys(cache)) {
    if (path.isAbsolute(key) && isProjectFile(key)) delete cache[key];
  }
}

/**
 * The innermost file of the stack that is the project's own (not a package's, Node's or Retort's), or null: an
 * error thrown in `models/users.ts` while `models/invoices.ts` imports it names users.ts and its line.
 */
function thrownIn(e: unknown): string | null {
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : '';
  for (const m of stack.matchAll(/^\s*at (?:.*? \()?((?:\/|[A-Za-z]:[\\/]|file:\/\/)[^()\n]*?):\d+:\d+\)?$/gm)) {
    const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
    if (DIRECT_EXTENSIONS.test(file) && isProjectFile(file)) return file;
  }
  return null;
}

/**
 * The files and everything they import, prepared for the direct path; null when any of them needs the full loader.
 * Read a level of imports at a time, so that the files the cache misses are compiled together: with esbuild when
 * they are big enough together (transform.ts says why).
 */
async function prepareProgram(files: readonly string[], calledLater = false, nativeFrom = NATIVE_FROM_CHARS, runAfter?: Promise<void>): Promise<Map<string, Prepared> | null> {
  const program = new Map<string, Prepared>();
  let level = [...new Set(files)];
  while (level.length > 0) {
    const found: Found[] = [];
    for (const file of level) {
      const f = find(file);
      if (!f) return null;
      found.push(f);
    }
    const missed = missedChars(found);
    if (missed === 0 && runAfter) await runAfter;
    const prepared = await Promise.all(found.map((f) => prepare(f, missed > 0 && missed >= nativeFrom, calledLater)));
    const next = new Set<string>();
    for (const p of prepared) {
      if (!p) return null;
      program.set(p.file, p);
      for (const target of p.imports.values()) if (!program.has(target)) next.add(target);
    }
    level = [...next];
  }
  return program;
}

function loadJson(file: string, what: string): Exports {
  try {
    return { default: JSON.parse(readFileSync(file, 'utf8')) as unknown };
  } catch (e) {
    throw new RetortError('CONFIG', `${what} ${file} is not valid JSON: ${messageOf(e)}`);
  }
}

/** A file compiled to CommonJS that needs nothing but `retort-migrate`, Node's built-ins and files of its own. */
interface Prepared {
  readonly file: string;
  /** sourceChecksum of the text compiled; with this Retort's version, the compile cache's key. */
  readonly checksum: string;
  readonly fn: ModuleFunction;
  /** Saves V8's compiled code for the file (or has it saved at exit, see v8CachePath) when there was none (or V8 refused it). */
  readonly saveCodeCache: (() => void) | null;
  readonly imports: ReadonlyMap<string, string>; // its relative imports, each resolved to a file
  /** sha256 of the compiled text (see compiledChecksum), worked out when asked. */
  readonly codeChecksum: () => string;
}

const DIRECT_EXTENSIONS = /\.(?:[cm]?ts|[cm]?js)$/;
const evaluated = new Map<string, { checksum: string; module: { exports: Exports } }>();

/**
 * Starts the cached code of a compile whose lines are not the source's (esbuild's): its map, made when a line is
 * first asked for, is kept beside it (`.map`, the `mappings` only). On the first line, so that no line moves; with the strict mode that ES modules
 * have (and sucrase's output declares), which esbuild's CommonJS does not declare.
 */
const MAPPED = '/*retort:mapped*/"use strict";';
const WRAPPER = '(function (exports, require, module, __filename, __dirname) {';

/** A file's text and its compiled form from the cache (null: a miss). */
interface Found {
  readonly file: string;
  readonly source: string;
  readonly checksum: string;
  readonly cacheFile: string | null;
  readonly code: string | null;
}

/** How much source the compile cache missed among `found`: what decides the compiler (transform.ts). */
function missedChars(found: readonly Found[]): number {
  return found.reduce((n, f) => n + (f.code === null ? f.source.length : 0), 0);
}

/** Files compileAhead read and compiled, each kept for its one load (find takes it). */
const ahead = new Map<string, Found>();

/**
 * Compiles `files` before any of them runs, the compile cache's misses together (by size, as a level of imports is):
 * a file that does not compile is loaded now by the full loader, which names its error (thrown, with `nothing was
 * run`) or runs the syntax only it takes. What was read and compiled is kept for each file's load, so that loading
 * them later reads nothing twice; `forgetAhead` drops what a failed run left. The runner's check that no revision of
 * a run is applied before a later one is found not to compile (Alembic loads every script first).
 */
export async function compileAhead(files: readonly string[], what: string): Promise<void> {
  const found: Found[] = [];
  for (const file of new Set(files)) {
    const f = find(file);
    if (f) found.push(f);
  }
  const native = missedChars(found) >= NATIVE_FROM_CHARS;
  const compiled = await Promise.all(found.map((f) => compiledForm(f, native)));
  for (let i = 0; i < found.length; i++) {
    const f = found[i]!;
    const code = compiled[i]!;
    if (code !== null) {
      ahead.set(f.file, { ...f, source: '', code });
      continue;
    }
    try {
      await loadModule(f.file, what);
    } catch (e) {
      forgetAhead();
      if (!isRetortError(e)) throw e;
      throw new RetortError(e.code, `${e.message} (every file of the run is compiled before the first runs: nothing was run)`, { hint: e.hint, details: e.details, cause: e, exitCode: e.exitCode });
    }
  }
}

/** Drops the files compileAhead kept that no load took (a run that stopped early). */
export function forgetAhead(): void {
  ahead.clear();
}

/** The file read and looked up in the compile cache; null when it needs the full loader. */
function find(file: string): Found | null {
  const kept = ahead.get(file);
  if (kept) {
    ahead.delete(file);
    return kept;
  }
  if (!DIRECT_EXTENSIONS.test(file)) return null;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return null; // the full loader names the problem
  }
  const checksum = sourceChecksum(source);
  const cacheFile = cachePath(file, checksum);
  return { file, source, checksum, cacheFile, code: cacheFile ? unsealed(readCached(cacheFile)) : null };
}

/**
 * A compiled form as the cache keeps it: followed by its length, so that an entry emptied or cut short (a crash
 * before the disk had the file, a full disk, a hand) is a miss and compiled again. An empty file is valid
 * JavaScript: run, it declared no table, and autogenerate wrote a DROP TABLE for each.
 */
function sealed(code: string): string {
  return `${code}\n/*retort:${code.length}*/`;
}

/** The compiled form of a cache entry, or null when it is not whole (see sealed). */
function unsealed(text: string | null): string | null {
  if (text === null) return null;
  const m = /\n\/\*retort:(\d+)\*\/$/.exec(text.slice(-32));
  if (m === null) return null;
  const code = text.slice(0, text.length - m[0].length);
  return code.length === Number(m[1]) ? code : null;
}

/**
 * A file's compiled text, from the cache or compiled now (`native`: with esbuild) and cached; null when it needs the
 * full loader. esbuild's (whose lines are not the source's) starts with MAPPED; its map is made when a line is asked
 * for (mapOnDemand).
 */
async function compiledForm(found: Found, native: boolean): Promise<string | null> {
  const { file, source, cacheFile } = found;
  if (found.code !== null) return found.code;
  const compiled = await compileModule(file, source, native);
  if (compiled === null || compiled === 'full-loader') return null;
  const code = compiled.linesMoved ? MAPPED + compiled.code : compiled.code;
  if (cacheFile && writeCacheFile(cacheFile, sealed(code))) pruneEarlierVersions(cacheFile);
  return code;
}

/**
 * The `mappings` of a compiled form whose lines moved: the map kept beside it, or made now from the file's text when
 * that is still the text it was compiled from (and kept). `held`: the compiled form, when no cache file holds it.
 * (Not the Found: the mapper lives as long as the process, and a Found holds the file's whole text.)
 */
function mapOnDemand(file: string, checksum: string, cacheFile: string | null, held: string | null): string | null {
  const kept = cacheFile ? readCached(mapPath(cacheFile)) : null;
  if (kept !== null) return kept;
  const code = held ?? (cacheFile ? unsealed(readCached(cacheFile)) : null);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  if (code === null || !code.startsWith(MAPPED) || sourceChecksum(source) !== checksum) return null;
  const mappings = mappingsFor(file, source, code.slice(MAPPED.length));
  if (mappings !== null && cacheFile) writeCacheFile(mapPath(cacheFile), mappings);
  return mappings;
}

/**
 * The sha256 of a file's compiled text (esbuild's, as model files are compiled), from the compile cache or compiled
 * now and cached; null when the file needs the full loader. Two texts that compile alike (a comment, a blank line)
 * have the same: what runs is the compiled text.
 */
export async function compiledChecksum(file: string): Promise<string | null> {
  const found = find(file);
  const code = found === null ? null : await compiledForm(found, true);
  return code === null ? null : sha256Hex(code);
}

/**
 * The file compiled for the direct path, from the cache or compiled now (`native`: with esbuild); null when it
 * needs the full loader.
 */
async function prepare(found: Found, native: boolean, calledLater: boolean): Promise<Prepared | null> {
  const { file, checksum, cacheFile } = found;
  const code = await compiledForm(found, native);
  if (code === null) return null;
  if (code.startsWith(MAPPED)) {
    const held = cacheFile ? null : code;
    setLineMapper(file, sourceLineMapper(() => mapOnDemand(file, checksum, cacheFile, held), WRAPPER.length + MAPPED.length));
  } else {
    setLineMapper(file, null);
  }
  const imports = directImports(code, file);
  if (!imports) return null;
  try {
    const { Script } = requireHere('node:vm') as typeof import('node:vm');
    // V8's own compiled code is kept beside the compiled text, per V8 version: parsing is most of the cost of a warm load.
    const ranFile = cacheFile ? v8CachePath(cacheFile, true) : null;
    const bodyFile = cacheFile ? v8CachePath(cacheFile, false) : null;
    const ran = ranFile ? readCachedBuffer(ranFile) : null;
    const cachedData = ran ?? (bodyFile ? readCachedBuffer(bodyFile) : null);
    const script = new Script(`${WRAPPER}${code}\n})`, {
      filename: file,
      ...(cachedData ? { cachedData } : {}),
    });
    const fn = script.runInThisContext() as ModuleFunction;
    const accepted = cachedData !== null && !script.cachedDataRejected;
    let saveCodeCache: (() => void) | null = null;
    if (calledLater && ranFile && !(ran && accepted)) saveCodeCache = () => saveAtExit(ranFile, script);
    else if (!calledLater && bodyFile && !accepted) saveCodeCache = () => void writeCacheFile(bodyFile, script.createCachedData());
    return { file, checksum, fn, saveCodeCache, imports, codeChecksum: () => sha256Hex(code) };
  } catch {
    return null; // top-level await or a syntax the direct path does not take: the full loader handles it or names the error
  }
}

/**
 * Where V8's code for a compiled file is kept. Written right after the module's body ran, it holds the body alone:
 * V8 compiles a function when first called, so every run compiled each revision's `upgrade` (70 ms of CPU over 1000
 * revisions) and each model export's getter again. The runner's and the models' (`ran`, `-ran.bin`) is written at
 * exit, with what the run called, and read first by every caller. Not at exit for the others: `retort lint` changes
 * V8's flags once its revisions are loaded, and V8 refuses code cached under other flags.
 */
function v8CachePath(cacheFile: string, ran: boolean): string {
  return `${cacheFile.slice(0, -'.cjs'.length)}-v8-${process.versions.v8}${ran ? '-ran' : ''}.bin`;
}

const codeCacheSaves = new Map<string, import('node:vm').Script>();

/** Saves a script's V8 code when the process exits, with what the run compiled by then. */
function saveAtExit(v8File: string, script: import('node:vm').Script): void {
  if (codeCacheSaves.size === 0) {
    process.once('exit', () => {
      for (const [file, saved] of codeCacheSaves) writeCacheFile(file, saved.createCachedData());
      codeCacheSaves.clear();
    });
  }
  codeCacheSaves.set(v8File, script);
}

type ModuleFunction = (this: Exports, exports: Exports, require: (spec: string) => unknown, module: { exports: Exports }, filename: string, dirname: string) => void;

const BUILTINS = new Set(builtinModules);

/**
 * The relative imports of compiled code, resolved to files, when everything it requires is
 * `retort-migrate`, a Node built-in or such a file; null when it needs the full loader.
 */
function directImports(code: string, file: string): Map<string, string> | null {
  if (/\bimport\s*(?:\(|\.\s*meta\b)/.test(code)) return null;
  const imports = new Map<string, string>();
  for (const m of code.matchAll(/\brequire\b(?:\((?:"([^"\\]+)"|'([^'\\]+)')\))?/g)) {
    const spec = m[1] ?? m[2];
    if (spec === undefined) return null;
    if (spec === 'retort-migrate' || spec.startsWith('node:') || BUILTINS.has(spec)) continue;
    if (!spec.startsWith('./') && !spec.startsWith('../')) return null;
    const target = resolveRelative(path.dirname(file), spec);
    if (!target) return null;
    imports.set(spec, target);
  }
  return imports;
}

const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const JS_TO_TS: Record<string, string> = { '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts' };

/**
 * A relative import as TypeScript resolves it: `./a.js` may mean `./a.ts`, `./a` means the first of
 * `./a.ts` ... `./a.cjs` or `./a/index.*`. Null when nothing matches (the full loader will say so).
 */
export function resolveRelative(dir: string, spec: string): string | null {
  const base = path.resolve(dir, spec);
  const ext = path.extname(base);
  const candidates = JS_TO_TS[ext]
    ? [base.slice(0, -ext.length) + JS_TO_TS[ext], base]
    : SOURCE_EXTENSIONS.includes(ext)
      ? [base]
      : [...SOURCE_EXTENSIONS.map((e) => base + e), ...SOURCE_EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  return candidates.find(isFile) ?? null;
}

function isFile(file: string): boolean {
  try {
    return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false; // ENOTDIR: `./data.json/index.ts`, a candidate under a file
  }
}

/** Runs a prepared file once (later calls return its exports), its relative imports from the same program. */
function evaluate(p: Prepared, program: ReadonlyMap<string, Prepared>, api: Exports, what: string, observer?: LoadObserver): Exports {
  const known = evaluated.get(p.file);
  if (known && unchanged(p, program, new Set())) return known.module.exports;
  let nodeRequire: NodeJS.Require | null = null;
  const require = (spec: string): unknown => {
    if (spec === 'retort-migrate') return api;
    const target = p.imports.get(spec);
    if (target !== undefined) return evaluate(program.get(target)!, program, api, what, observer);
    observer?.builtin(spec);
    return (nodeRequire ??= createRequire(p.file))(spec);
  };
  const module = { exports: {} as Exports };
  // Registered before it runs, so an import cycle sees the exports filled so far, as in CommonJS (the module, not
  // its first exports object: esbuild's code sets module.exports to its own as it starts).
  evaluated.set(p.file, { checksum: p.checksum, module });
  try {
    p.fn.call(module.exports, module.exports, require, module, p.file, path.dirname(p.file));
    p.saveCodeCache?.();
  } catch (e) {
    evaluated.delete(p.file);
    // The file that threw: a function of a file it imports, called as it runs, is named with its own line.
    throw loadFailure(e, what, thrownIn(e) ?? p.file);
  }
  return module.exports;
}

/**
 * Whether a file ran already with the text it has now, and so did every file it imports (a later call of the API in
 * the same process must see an edited helper that an unchanged model file imports). A cycle counts as unchanged.
 */
function unchanged(p: Prepared, program: ReadonlyMap<string, Prepared>, seen: Set<string>): boolean {
  if (seen.has(p.file)) return true;
  seen.add(p.file);
  if (evaluated.get(p.file)?.checksum !== p.checksum) return false;
  for (const target of p.imports.values()) {
    const dep = program.get(target);
    if (dep === undefined || !unchanged(dep, program, seen)) return false;
  }
  return true;
}

let apiMemo: Exports | null = null;
/**
 * What `retort-migrate` means inside a file Retort loads itself: the running Retort's models and revision API
 * (dsl-api.ts), without the command layer, which such files have no use for and which would cost every command
 * its loading.
 */
async function retortApi(): Promise<Exports> {
  apiMemo ??= (await import('../dsl-api.js')) as unknown as Exports;
  return apiMemo;
}

const cacheDirs = new Map<string, string | null>();

/** Where a file's compiled form is kept: the nearest node_modules/.cache/retort above it; null without node_modules. */
function cachePath(file: string, checksum: string): string | null {
  if (!cacheWorks) return null;
  const dir = path.dirname(file);
  let cacheDir = cacheDirs.get(dir);
  if (cacheDir === undefined) {
    cacheDir = null;
    for (let d = dir; ; d = path.dirname(d)) {
      if (existsSync(path.join(d, 'node_modules'))) {
        cacheDir = path.join(d, 'node_modules', '.cache', 'retort', 'compiled');
        break;
      }
      if (path.dirname(d) === d) break;
    }
    cacheDirs.set(dir, cacheDir);
  }
  // The compiled form depends on the text and on the compiler, which comes with this Retort's version. The name
  // starts with a tag of the file's path, so that the entries of a file's earlier contents can be found and removed.
  return cacheDir ? `${cacheDir}${path.sep}${pathTag(file)}-${checksum.slice(0, 40)}-${toolVersion()}.cjs` : null;
}

function mapPath(cacheFile: string): string {
  return `${cacheFile.slice(0, -'.cjs'.length)}.map`;
}

function pathTag(file: string): string {
  return sha256Hex(path.resolve(file)).slice(0, 12);
}

// Each cache folder's entries by path tag, listed once per process, on the first compile that misses.
const cacheListings = new Map<string, Map<string, string[]>>();

/**
 * Removes the entries an edited file leaves behind (its compiled forms for earlier contents, and their V8 code), so
 * the cache holds about one entry per file and Retort version instead of growing with every edit;
 * entries in an older naming go on the first miss. Only after a miss: a run that changes nothing lists nothing.
 */
function pruneEarlierVersions(cacheFile: string): void {
  const dir = path.dirname(cacheFile);
  const current = path.basename(cacheFile, '.cjs');
  const tag = current.slice(0, current.indexOf('-'));
  let byTag = cacheListings.get(dir);
  if (byTag === undefined) {
    byTag = new Map();
    cacheListings.set(dir, byTag);
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      // no listing, no pruning
    }
    for (const name of names) {
      // <path tag>-<content checksum>-<version>.cjs and its V8 code; anything else is an older naming.
      const m = /^([0-9a-f]{12})-[0-9a-f]{40}-/.exec(name);
      if (m) {
        const list = byTag.get(m[1]!);
        if (list) list.push(name);
        else byTag.set(m[1]!, [name]);
      } else if (!name.endsWith('.tmp')) removeQuietly(path.join(dir, name));
    }
  }
  // Another Retort version's entries stay (a global and a local install may share the folder), and so does a
  // temporary file another process is writing.
  const version = `-${current.split('-').slice(2).join('-')}`;
  for (const name of byTag.get(tag) ?? []) {
    if (name.startsWith(`${current}.`) || name.startsWith(`${current}-v8-`) || name.endsWith('.tmp')) continue;
    if (name.endsWith(`${version}.cjs`) || name.endsWith(`${version}.map`) || name.includes(`${version}-v8-`)) removeQuietly(path.join(dir, name));
  }
  // What this entry may hold from now on, should the file change again while this process runs.
  byTag.set(tag, [`${current}.cjs`, `${current}.map`, path.basename(v8CachePath(`${current}.cjs`, false)), path.basename(v8CachePath(`${current}.cjs`, true))]);
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // gone already (another process pruned it), or a read-only folder: it only costs disk space
  }
}

function readCached(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function readCachedBuffer(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}


/**
 * Why a file cannot be loaded, in the user's terms and on one line: a syntax error says where once
 * (`syntax error at line 10, column 55: Unexpected token`), a missing import says which (without Node's
 * require stack), a call of a name that is not a function names it as written (not the compiled
 * `_retortmigrate.varchar.call(...).notNul`); an error thrown by the file's own code says its line.
 */
function loadErrorText(e: unknown, file: string): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const first = lines[0] ?? 'unknown error';
  // The full loader spells a syntax error's place as `file:line:col` (col from 0) on a line of its own.
  const place = new RegExp(`${escapeRegExp(file)}:(\\d+):(\\d+)`).exec(text);
  if (place && (e instanceof SyntaxError || /^(?:ParseError|SyntaxError)\b/.test(first))) {
    const what = first.replace(/^(?:ParseError|SyntaxError):\s*/, '');
    return `syntax error at line ${place[1]}, column ${Number(place[2]) + 1}: ${what}`.slice(0, 400);
  }
  let message = first;
  // `x.y.call(...).notNul is not a function`: the compiled receiver says nothing to the user; the name does.
  const notFunction = /^(?:.*[.\]])?([\w$]+) is not a function$/.exec(first);
  if (e instanceof TypeError && notFunction) message = `${notFunction[1]} is not a function (misspelled, or not a method of what it follows?)`;
  const where = e instanceof SyntaxError ? null : lineIn(e, file);
  return `${message.slice(0, 400)}${where ? ` (${where})` : ''}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
