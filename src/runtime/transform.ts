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
 * esbuild's output does not keep the source's lines, so its source map's `mappings` come with it (source-lines.ts).
 * When esbuild cannot run (its native binary missing for this platform, or RETORT_TRANSFORM=sucrase), sucrase
 * compiles everything. Figures: bench/results/2026-12-06-cold.
 */
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/** Compiled code, and the source map's `mappings` when its lines are not the source's. */
export interface Compiled {
  readonly code: string;
  readonly mappings: string | null;
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
  const ts = /\.[cm]?ts$/.test(file);
  const eb = native ? loadEsbuild() : null;
  if (eb) {
    try {
      const r = await eb.transform(source, {
        loader: ts ? 'ts' : 'js',
        format: 'cjs',
        platform: 'node',
        sourcefile: file,
        sourcemap: 'external',
        sourcesContent: false,
        logLevel: 'silent',
      });
      if (r.warnings.some((w) => w.id === 'empty-import-meta')) return 'full-loader';
      return { code: r.code, mappings: mappingsOf(r.map) };
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
    return { code: transform(source, { transforms: ts ? ['typescript', 'imports'] : ['imports'], filePath: file }).code, mappings: null };
  } catch {
    return null;
  }
}
