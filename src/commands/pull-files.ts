/**
 * Writing what `retort pull` produced: model files all or nothing (every file goes to a temporary file first,
 * then each is moved into place), formatting with the project's own prettier when it has one, and the tables the
 * models cannot declare added to the config's `exclude`.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { cannotWrite } from '../revisions/revision-writer.js';
import { quoteString } from '../render/literal.js';

/** A file to write: its absolute path and text. */
export interface PlannedFile {
  readonly file: string;
  readonly content: string;
}

interface Prettier {
  format(source: string, options: Record<string, unknown>): Promise<string> | string;
  resolveConfig?(file: string): Promise<Record<string, unknown> | null>;
}

/**
 * The files formatted by the project's prettier (resolved from its folder, with its config), or as they are when
 * the project has none. A formatter that fails leaves the text as generated and says why.
 */
export async function formatWithProjectPrettier(files: readonly PlannedFile[], projectDir: string): Promise<{ files: PlannedFile[]; formatter: string | null; warning: string | null }> {
  let prettier: Prettier;
  try {
    const resolved = createRequire(path.join(projectDir, 'package.json')).resolve('prettier');
    const mod = (await import(pathToFileURL(resolved).href)) as Prettier & { default?: Prettier };
    prettier = typeof mod.format === 'function' ? mod : mod.default!;
  } catch {
    return { files: [...files], formatter: null, warning: null };
  }
  try {
    const out: PlannedFile[] = [];
    for (const f of files) {
      const config = (await prettier.resolveConfig?.(f.file)) ?? {};
      out.push({ file: f.file, content: await prettier.format(f.content, { ...config, filepath: f.file, parser: 'typescript' }) });
    }
    return { files: out, formatter: 'prettier', warning: null };
  } catch (e) {
    return { files: [...files], formatter: null, warning: `prettier could not format the models (${(e as Error).message.split('\n')[0]}); they are written as generated` };
  }
}

/**
 * Writes every file or none: each goes to a hidden temporary file beside it, flushed, and only when all are
 * written are they moved into place (a rename replaces a file atomically, so a reader sees the old or the new text).
 */
export function writeFilesAtomic(files: readonly PlannedFile[]): void {
  const staged: { tmp: string; file: string }[] = [];
  try {
    for (const f of files) {
      const tmp = path.join(path.dirname(f.file), `.${path.basename(f.file)}.${randomBytes(4).toString('hex')}.tmp`);
      const fd = openSync(tmp, 'wx', 0o644);
      staged.push({ tmp, file: f.file });
      try {
        const bytes = Buffer.from(f.content, 'utf8');
        for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
        fsyncSync(fd);
      } catch (e) {
        throw cannotWrite(f.file, e);
      } finally {
        closeSync(fd);
      }
    }
  } catch (e) {
    for (const s of staged) {
      try {
        unlinkSync(s.tmp);
      } catch {
        // Already gone: the original error is what matters.
      }
    }
    throw (e as { name?: string }).name === 'RetortError' ? e : cannotWrite(staged.at(-1)?.file ?? files[0]?.file ?? '.', e);
  }
  for (const s of staged) renameSync(s.tmp, s.file);
}

/**
 * Adds `tables` to the config's `exclude` when the config is a file whose `defineConfig({` call has no `exclude`
 * yet: the new key goes first in the object. Returns false when the file cannot be edited that safely (a JSON
 * config, an existing `exclude`, a computed config); the caller then says what to add.
 */
export function addToExclude(configFile: string | null, tables: readonly string[]): boolean {
  if (configFile === null || tables.length === 0 || !existsSync(configFile)) return false;
  const text = readFileSync(configFile, 'utf8');
  const at = text.indexOf('defineConfig({');
  if (at < 0 || text.indexOf('defineConfig({', at + 1) >= 0 || /\bexclude\s*:/.test(text)) return false;
  const insertAt = at + 'defineConfig({'.length;
  const line = `\n  // Tables \`retort pull\` found and the models cannot declare: autogenerate and check leave them alone.\n  exclude: [${tables.map(quoteString).join(', ')}],`;
  writeFilesAtomic([{ file: configFile, content: text.slice(0, insertAt) + line + text.slice(insertAt) }]);
  return true;
}
