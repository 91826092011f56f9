/**
 * Users' TypeScript and ES modules to CommonJS for the module loader's direct path, on a compile-cache miss.
 *
 * esbuild first: native and run in its own process, it compiled a 5 MB model file of 10,000 tables in 0.4-0.7 s
 * and 110 MB where sucrase took 1.7-4.6 s and 500 MB, and ten 50 KB files in 0.15-0.2 s where sucrase, which
 * must first be loaded and warmed up in V8, took 0.3-0.5 s (bench/results/2026-12-06-cold). Its output does not
 * keep the lines of the source, so it comes with its source map's `mappings`, which the loader uses to name the
 * user's lines in errors (source-lines.ts). sucrase, line for line and in-process, is the fallback when esbuild
 * cannot run (its native binary missing for this platform, or RETORT_TRANSFORM=sucrase).
 */
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/** Compiled code, and the source map's `mappings` when its lines are not the source's. */
export interface Compiled {
  readonly code: string;
  readonly mappings: string | null;
}

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
 * Compiles one file's source; 'full-loader' when the compiled form would not behave as the source
 * (`import.meta`, which CommonJS has not), null when it does not parse.
 */
export async function compileModule(file: string, source: string): Promise<CompileResult> {
  const ts = /\.[cm]?ts$/.test(file);
  const eb = loadEsbuild();
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
