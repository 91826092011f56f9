/**
 * Loads users' files (config, models, revisions) written in TypeScript or
 * JavaScript, in ESM or CommonJS projects, with no set-up on their side. The
 * loader (jiti) is imported only when a file must run, so commands that only
 * read revision headers never pay for it; its file cache is keyed by content,
 * so an edited file is compiled again and an unchanged one is not.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { RetortError, messageOf } from '../errors.js';

type Jiti = { import(id: string, opts?: { default?: boolean }): Promise<unknown> };
let jiti: Jiti | null = null;
let cacheWorks = true;

async function loader(): Promise<Jiti> {
  if (!jiti) {
    // require(), not import(): importing a CommonJS bundle from ESM makes Node scan all of it for named exports (~35 ms).
    const { createJiti } = createRequire(import.meta.url)('jiti') as typeof import('jiti');
    jiti = createJiti(import.meta.url, { fsCache: cacheWorks, moduleCache: true, interopDefault: false }) as unknown as Jiti;
  }
  return jiti;
}

// A full disk or a read-only node_modules must not stop a file from loading: the compile cache is only an optimisation.
const CACHE_WRITE_ERRORS = new Set(['EFBIG', 'ENOSPC', 'EACCES', 'EROFS', 'EPERM', 'EDQUOT']);

async function importWithLoader(file: string): Promise<Record<string, unknown>> {
  try {
    return (await (await loader()).import(file)) as Record<string, unknown>;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (!cacheWorks || typeof code !== 'string' || !CACHE_WRITE_ERRORS.has(code)) throw e;
    cacheWorks = false;
    jiti = null;
    return (await (await loader()).import(file)) as Record<string, unknown>;
  }
}

/** Loads a module's exports; `what` names the file's role in errors ("revision file", "config"). */
export async function loadModule(file: string, what: string): Promise<Record<string, unknown>> {
  if (file.endsWith('.json')) {
    try {
      return { default: JSON.parse(readFileSync(file, 'utf8')) as unknown };
    } catch (e) {
      throw new RetortError('CONFIG', `${what} ${file} is not valid JSON: ${messageOf(e)}`);
    }
  }
  try {
    return await importWithLoader(file);
  } catch (e) {
    throw new RetortError('REVISION_FILE', `${what} ${file} cannot be loaded: ${firstLine(e)}`, {
      hint: 'fix the error in the file and run the command again',
      cause: e,
    });
  }
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  // Syntax errors from the loader carry a location line; keep the message and the location.
  return lines.slice(0, 2).join(' ').slice(0, 400);
}
