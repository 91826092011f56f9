/**
 * The model files a project's `models` globs name, and the source files under the models folders that none of them
 * matches (reported, so that a `.mts` model under a `*.ts` glob is not silently ignored).
 */
import path from 'node:path';
import { RetortError } from '../errors.js';
import { expandBraces, expandGlobs } from '../config/glob.js';
import type { Project } from './project.js';

/** A file under a models folder that no `models` glob matches, and a glob that would read it. */
export interface UnmatchedModelFile {
  readonly file: string;
  /** A glob, relative to the config's folder, that reads it too (`models/**\/*.{ts,mts}`). */
  readonly suggestion: string;
  /** The config file's name, where the glob goes. */
  readonly config: string;
}

const SOURCE_FILE = /\.(?:[cm]?ts|[cm]?js)$/;

/** The model files the config names, and the source files under the models folders that no glob matches. */
export function modelFiles(project: Project): { files: string[]; unmatched: UnmatchedModelFile[] } {
  const { files, walked } = expandGlobs(project.config.models);
  const unmatched = walked.size === 0 ? [] : unmatchedFiles(project, files, walked);
  if (files.length === 0) {
    throw new RetortError('MODEL', `no model files match ${project.config.models.map((m) => path.relative(process.cwd(), m) || m).join(', ')}`, {
      hint: unmatched.length > 0
        ? `${path.relative(process.cwd(), unmatched[0]!.file)} is not read: add e.g. '${unmatched[0]!.suggestion}' to models in ${unmatched[0]!.config}`
        : 'declare tables in models/ or set `models` in retort.config.ts',
    });
  }
  return { files, unmatched };
}

const within = (dir: string, file: string) => {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * Source files (not .d.ts) in the folders the globs are fixed to (`models/` of `models/**\/*.ts`) that no glob
 * matches: a `.mts` model under a `*.ts` glob is otherwise silently ignored. Only a filter of what the globs'
 * walk listed anyway. A glob fixed to no folder below the config's (`*.model.ts`) is left out: every source file
 * of the project would be reported, as are the config file and the revision files.
 */
function unmatchedFiles(project: Project, files: readonly string[], walked: ReadonlyMap<string, readonly string[]>): UnmatchedModelFile[] {
  const { dir, migrationsDir, file: configFile, models } = project.config;
  const matched = new Set(files);
  const found = new Set<string>();
  for (const [base, under] of walked) {
    if (within(path.resolve(base), dir)) continue;
    for (const f of under) {
      if (matched.has(f) || !SOURCE_FILE.test(f) || f.endsWith('.d.ts') || f === configFile || within(migrationsDir, f)) continue;
      found.add(f);
    }
  }
  const config = path.basename(configFile ?? 'retort.config.ts');
  return [...found].sort().map((file) => ({ file, suggestion: suggestGlob(dir, models, file), config }));
}

/** `<folder>/**\/*.{ts,mts}`: the folder of the first glob whose fixed part holds `file`, with its extensions and the file's. */
function suggestGlob(dir: string, models: readonly string[], file: string): string {
  for (const pattern of models) {
    const alternatives = expandBraces(pattern).map((a) => a.split(path.sep).join('/'));
    const bases = alternatives.map((a) => {
      const magic = a.search(/[*?[]/);
      return magic === -1 ? '' : a.slice(0, magic).replace(/\/[^/]*$/, '');
    });
    const base = bases.find((b) => b !== '' && within(b, file));
    if (base === undefined) continue;
    const exts = [...new Set([...alternatives.map((a) => /\.([cm]?[tj]s)$/.exec(a)?.[1]).filter((e): e is string => e !== undefined), path.extname(file).slice(1)])];
    const folder = path.relative(dir, base).split(path.sep).join('/');
    return `${folder ? `${folder}/` : ''}**/*.${exts.length === 1 ? exts[0] : `{${exts.join(',')}}`}`;
  }
  return `**/*${path.extname(file)}`;
}
