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
import { importExternal } from '../import-external.js';
import { cannotWrite } from '../revisions/revision-writer.js';
import { commentText, quoteString } from '../render/literal.js';

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
    const mod = await importExternal<Prettier & { default?: Prettier }>(pathToFileURL(resolved).href);
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

/** A name (or glob) to add to the config's `exclude`, and why pull leaves it out (said in a comment above it). */
export interface ExcludeEntry {
  readonly name: string;
  readonly why: string;
}

/**
 * Adds `entries` to the config's `exclude`, each group under a comment saying why, when the config is a file with
 * one `defineConfig({` call: into its `exclude: [...]` when that is a plain list of strings, else as a new `exclude`
 * key first in the object. A name the list has already is not added again. Returns false when the file cannot be
 * edited that safely (a JSON config, an `exclude` computed in code, a computed config); the caller then says what
 * to add.
 */
export function addToExclude(configFile: string | null, entries: readonly ExcludeEntry[]): boolean {
  if (configFile === null || entries.length === 0 || !existsSync(configFile)) return false;
  const text = readFileSync(configFile, 'utf8');
  const at = text.indexOf('defineConfig({');
  if (at < 0 || text.indexOf('defineConfig({', at + 1) >= 0) return false;
  const keys = [...text.matchAll(/\bexclude\s*:\s*/g)];
  if (keys.length > 1) return false;
  const key = keys[0];
  if (key === undefined) {
    const insertAt = at + 'defineConfig({'.length;
    const block = `\n  // Left out of the models by \`retort pull\`: autogenerate and check leave them alone.\n  exclude: [${entryLines(entries, '    ')}\n  ],`;
    // The rest of a one-line config goes on its own line after the new key.
    const rest = text.slice(insertAt);
    const after = rest.startsWith('\n') ? rest : `\n  ${rest.trimStart()}`;
    writeFilesAtomic([{ file: configFile, content: text.slice(0, insertAt) + block + after }]);
    return true;
  }
  const open = key.index + key[0].length;
  const list = text[open] === '[' ? plainStringList(text, open) : null;
  if (list === null) return false;
  const fresh = entries.filter((e) => !list.names.includes(e.name));
  if (fresh.length === 0) return true;
  const lineStart = text.lastIndexOf('\n', key.index) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  let body = text.slice(open + 1, list.close).trimEnd();
  // A list on one line becomes one name a line, as the added names are.
  if (!body.includes('\n') && body.trim() !== '') body = `\n${indent}  ${body.trim()}`;
  const sep = body === '' || body.endsWith(',') ? '' : ',';
  const content = `${text.slice(0, open + 1)}${body}${sep}${entryLines(fresh, `${indent}  `)}\n${indent}${text.slice(list.close)}`;
  writeFilesAtomic([{ file: configFile, content }]);
  return true;
}

/** The entries as lines of a list: each run of the same reason under one comment. */
function entryLines(entries: readonly ExcludeEntry[], indent: string): string {
  let out = '';
  let why: string | null = null;
  for (const e of entries) {
    if (e.why !== why) out += `\n${indent}// ${commentText(e.why)}`;
    why = e.why;
    out += `\n${indent}${quoteString(e.name)},`;
  }
  return out;
}

/** The strings of the list literal opening at `open`, and where it closes; null when it holds anything but strings and comments. */
function plainStringList(text: string, open: number): { names: string[]; close: number } | null {
  const names: string[] = [];
  for (let i = open + 1; i < text.length; ) {
    const ch = text[i]!;
    if (ch === ']') return { names, close: i };
    if (/[\s,]/.test(ch)) i++;
    else if (text.startsWith('//', i)) i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return null;
      i = end + 2;
    } else if (ch === "'" || ch === '"') {
      let j = i + 1;
      let value = '';
      for (; j < text.length && text[j] !== ch; j++) {
        if (text[j] === '\n') return null;
        if (text[j] === '\\') j++;
        value += text[j] ?? '';
      }
      if (j >= text.length) return null;
      names.push(value);
      i = j + 1;
    } else return null;
  }
  return null;
}
