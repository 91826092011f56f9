/**
 * Users' TypeScript and ES modules to CommonJS for the module loader's direct path, on a compile-cache miss.
 *
 * Two compilers, chosen by how much there is to compile at once (the misses of one level of imports). sucrase, a
 * JavaScript transform that keeps lines, for the common small case: one revision at a time as the runner and lint
 * load them, where a round trip to another process per file and esbuild's helper prelude in every file cost more
 * (1000 revisions upgraded cold: 4.5 s of CPU with sucrase, 6.7 s with esbuild). esbuild, native and run in its own
 * process, from NATIVE_FROM_CHARS up: sucrase must first be loaded and warmed up in V8 (0.3-0.5 s for ten 50 KB
 * model files, against 0.15-0.2 s) and on big files its token arrays dominate (a 5 MB model file of 10,000 tables:
 * 1.7-4.6 s of CPU and 500 MB, against about 1 s for esbuild and Node's side of the exchange, and 110 MB in Node).
 * The model files, which a process compiles once, all together, take esbuild at any size (loadModules' `native`):
 * one compile with sucrase pays for its loading and warm-up (one 50 KB model file edited: 150-210 ms; a file of 770
 * bytes: 57-70 ms) where esbuild's start costs 20-46 ms at any of those sizes, in its own process; sucrase pays off
 * only over many small compiles in one process, the runner's and lint's revisions.
 * esbuild's output does not keep the source's lines. Its source map is not made with it: the map cost esbuild half as
 * much again (5 MB of model files: 480 ms without, 700 ms with, here) and a write per file, and it is read only when an
 * error or a lint finding names a line of the file; `mappingsFor` makes it then (source-lines.ts).
 * When esbuild cannot run (its native binary missing for this platform, or RETORT_TRANSFORM=sucrase), sucrase
 * compiles everything. Figures: bench/results/2026-12-06-cold.
 */
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/** Compiled code; `linesMoved` when its lines are not the source's (esbuild's: `mappingsFor` maps them). */
export interface Compiled {
  readonly code: string;
  readonly linesMoved: boolean;
}

/** Below this many characters of source to compile at once, sucrase; from it, esbuild. */
export const NATIVE_FROM_CHARS = 64 * 1024;

/** Null: the file does not compile here (a syntax error, top-level await): the full loader runs it or names the error. */
export type CompileResult = Compiled | null | 'full-loader';

type Esbuild = typeof import('esbuild');
let esbuild: Esbuild | null | undefined;

function loadEsbuild(): Esbuild | null {
  if (esbuild === undefined) {
    try {
      esbuild = process.env.RETORT_TRANSFORM === 'sucrase' ? null : (requireHere('esbuild') as Esbuild);
    } catch {
      esbuild = null;
    }
  }
  return esbuild;
}

/**
 * Compiles one file's source, with esbuild if `native` and it can run; 'full-loader' when the compiled form would
 * not behave as the source (`import.meta`, which CommonJS has not), null when it does not parse.
 */
export async function compileModule(file: string, source: string, native: boolean): Promise<CompileResult> {
  const ts = isTypeScript(file);
  const eb = native ? loadEsbuild() : null;
  if (eb) {
    try {
      const r = await eb.transform(source, esbuildOptions(file));
      if (r.warnings.some((w) => w.id === 'empty-import-meta')) return 'full-loader';
      return { code: r.code, linesMoved: true };
    } catch (e) {
      // An error in the file has a place (a syntax error, top-level await); anything else (its binary missing or
      // stopped) means esbuild cannot run here: sucrase compiles this file and the next ones.
      const errors = (e as { errors?: unknown }).errors;
      if (Array.isArray(errors) && errors.some((x) => (x as { location?: unknown }).location)) return null;
      esbuild = null;
    }
  }
  return compileWithSucrase(file, source, ts);
}

function isTypeScript(file: string): boolean {
  return /\.[cm]?ts$/.test(file);
}

/** esbuild's options for a file, the same for its compile and, later, its map (the code must come out the same). */
function esbuildOptions(file: string): import('esbuild').TransformOptions {
  return { loader: isTypeScript(file) ? 'ts' : 'js', format: 'cjs', platform: 'node', sourcefile: file, logLevel: 'silent' };
}

/**
 * The source map's `mappings` of esbuild's compile of `source` (as `file`), made now, when a line is asked for:
 * null unless esbuild can run and its code is `code` (the compiled form that runs, which may come from the cache of an
 * earlier esbuild), so that a map never describes other code. Synchronous, as the error naming the line is being built.
 */
export function mappingsFor(file: string, source: string, code: string): string | null {
  const eb = loadEsbuild();
  if (!eb) return null;
  try {
    const r = eb.transformSync(source, { ...esbuildOptions(file), sourcemap: 'external', sourcesContent: false });
    return r.code === code ? mappingsOf(r.map) : null;
  } catch {
    return null;
  }
}

function mappingsOf(map: string): string | null {
  try {
    const m = (JSON.parse(map) as { mappings?: unknown }).mappings;
    return typeof m === 'string' ? m : null;
  } catch {
    return null;
  }
}

/** TypeScript or ESM to CommonJS line for line (no map needed). */
function compileWithSucrase(file: string, source: string, ts: boolean): Compiled | null {
  const { transform } = requireHere('sucrase') as typeof import('sucrase');
  try {
    // disableESTransforms: class fields keep their own (define) semantics, as esbuild and tsc give them for a modern
    // target; sucrase's default assigned them in the constructor, so a setter a base class declares ran under one
    // compiler and not the other (a file may meet either: the cache is one, the choice is by size).
    return { code: transform(source, { transforms: ts ? ['typescript', 'imports'] : ['imports'], filePath: file, disableESTransforms: true }).code, linesMoved: false };
  } catch {
    return null;
  }
}
