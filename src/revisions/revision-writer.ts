/**
 * Writes new revision files: the source text (a header comment for people,
 * literal exports the header reader understands, then `upgrade`/`downgrade`),
 * fresh ids, file names, and an atomic write so that an interrupted or failed
 * write never leaves half a revision in the migrations folder.
 */
import { linesInTemplates } from '../render/literal.js';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { RetortError } from '../errors.js';

/** RevisionFileSpec is everything a new revision file says; bodies are TypeScript statements from the caller. */
export interface RevisionFileSpec {
  readonly revision: string;
  /** One parent, several for a merge, null for a first revision. */
  readonly downRevision: string | readonly string[] | null;
  readonly message: string;
  readonly createDate: string;
  readonly branchLabels?: readonly string[];
  readonly dependsOn?: readonly string[];
  /** Statements of `upgrade`, unindented; empty means nothing to do. A body using `await` makes the function async. */
  readonly upgradeBody?: string;
  readonly downgradeBody?: string;
  /** Value names imported from 'retort-migrate' (e.g. column builders the bodies use). */
  readonly imports?: readonly string[];
  /** Further import statements, written as given. */
  readonly extraImports?: readonly string[];
}

/** A new random revision id: 12 hex characters, as Alembic's. */
export function newRevisionId(): string {
  return randomBytes(6).toString('hex');
}

/** The create date written into new revisions: ISO 8601 in UTC, so dates sort as text. */
export function formatCreateDate(date: Date = new Date()): string {
  return date.toISOString();
}

/** A file-name-safe form of a message: ASCII, lowercase, underscores, at most `max` characters, never empty. */
export function slugify(message: string, max = 40): string {
  const ascii = message.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  let slug = ascii.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (slug.length > max) {
    const cut = slug.slice(0, max + 1);
    const lastBreak = cut.lastIndexOf('_');
    // Cut at a word boundary when one is not too far back.
    slug = (lastBreak >= max / 2 ? cut.slice(0, lastBreak) : slug.slice(0, max)).replace(/_+$/, '');
  }
  return slug || 'revision';
}

/** The file name of a revision: `<rev>_<slug>.ts`. */
export function revisionFileName(revision: string, message: string, ext: '.ts' | '.mts' | '.js' | '.mjs' = '.ts'): string {
  return `${revision}_${slugify(message)}${ext}`;
}

/**
 * Where a new revision goes: `<dir>/<rev>_<slug>.ts`. Ids are checked tokens and slugs are `[a-z0-9_]`, so the
 * name never leaves the folder; the check here keeps that true whatever a caller passes.
 */
export function revisionPath(dir: string, revision: string, message: string): string {
  const name = revisionFileName(revision, message);
  const file = path.join(dir, name);
  if (path.basename(name) !== name || path.dirname(path.resolve(file)) !== path.resolve(dir)) {
    throw new RetortError('USAGE', `the revision file name ${JSON.stringify(name)} would not be inside ${dir}`, { hint: 'use a revision id of letters, digits and _' });
  }
  return file;
}

/** A single-quoted TypeScript string literal the header reader reads back to the same text. */
export function tsString(s: string): string {
  const escaped = s.replace(/[\\'\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
    switch (c) {
      case '\\': return '\\\\';
      case "'": return "\\'";
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      default: return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
  return `'${escaped}'`;
}

function tsList(ids: readonly string[]): string {
  return `[${ids.map(tsString).join(', ')}]`;
}

// Text inside the header comment: a `*/` in a message would end the comment early.
function commentSafe(s: string): string {
  return s.replace(/\*\//g, '*\\/');
}

function indentBody(body: string | undefined): string {
  const text = (body ?? '').replace(/\r\n?/g, '\n').replace(/^\s*\n|\n\s*$/g, '');
  const lines = text.split('\n');
  if (lines.every((l) => l.trim() === '')) return '  // nothing to do\n';
  // Lines inside a multi-line template (a function's body) stay exactly as they are.
  const inside = linesInTemplates(text);
  const code = lines.filter((l, i) => l.trim() !== '' && inside[i] !== true);
  // A loop, not Math.min(...): a 10,000-table revision has more lines than a call can take arguments.
  const common = code.reduce((m, l) => Math.min(m, /^[ \t]*/.exec(l)![0].length), Infinity);
  return lines.map((l, i) => (inside[i] === true ? l : l.trim() === '' ? '' : `  ${l.slice(common).trimEnd()}`)).join('\n') + '\n';
}

/**
 * An empty body is a template for hand-written code and gets both parameters; a body that never
 * uses `ctx` does without it, so generated files pass `noUnusedParameters`.
 */
function usesCtx(body: string | undefined): boolean {
  return (body ?? '').trim() === '' || /\bctx\b/.test(body ?? '');
}

function renderFunction(name: 'upgrade' | 'downgrade', body: string | undefined): string {
  const isAsync = /\bawait\b/.test(body ?? '');
  const params = usesCtx(body) ? 'op: Op, ctx: MigrationContext' : 'op: Op';
  const signature = isAsync ? `export async function ${name}(${params}): Promise<void>` : `export function ${name}(${params}): void`;
  return `${signature} {\n${indentBody(body)}}`;
}

/** The source of a revision file. */
export function renderRevisionFile(spec: RevisionFileSpec): string {
  const parents = spec.downRevision === null ? [] : typeof spec.downRevision === 'string' ? [spec.downRevision] : [...spec.downRevision];
  const labels = spec.branchLabels ?? [];
  const deps = spec.dependsOn ?? [];
  const messageLines = (spec.message.trim() || '(no message)').split(/\r?\n/);
  const comment = [
    '/**',
    ...messageLines.map((l) => ` * ${commentSafe(l)}`.trimEnd()),
    ' *',
    ` * Revision ID: ${spec.revision}`,
    ` * Revises: ${parents.length === 0 ? '(none: first revision)' : parents.join(', ')}`,
    ` * Create Date: ${commentSafe(spec.createDate)}`,
    ...(labels.length > 0 ? [` * Branch labels: ${labels.join(', ')}`] : []),
    ...(deps.length > 0 ? [` * Depends on: ${deps.join(', ')}`] : []),
    ' */',
  ];
  const typeNames = usesCtx(spec.upgradeBody) || usesCtx(spec.downgradeBody) ? 'MigrationContext, Op' : 'Op';
  const imports = [`import type { ${typeNames} } from 'retort-migrate';`];
  const names = [...new Set(spec.imports ?? [])].sort();
  if (names.length > 0) imports.push(`import { ${names.join(', ')} } from 'retort-migrate';`);
  imports.push(...new Set(spec.extraImports ?? []));
  const down = parents.length === 0 ? 'null' : parents.length === 1 && typeof spec.downRevision === 'string' ? tsString(parents[0]!) : tsList(parents);
  const exportsBlock = [
    `export const revision = ${tsString(spec.revision)};`,
    `export const downRevision = ${down};`,
    `export const message = ${tsString(spec.message)};`,
    `export const createDate = ${tsString(spec.createDate)};`,
    ...(labels.length > 0 ? [`export const branchLabels = ${tsList(labels)};`] : []),
    ...(deps.length > 0 ? [`export const dependsOn = ${tsList(deps)};`] : []),
  ];
  return [comment.join('\n'), imports.join('\n'), exportsBlock.join('\n'), renderFunction('upgrade', spec.upgradeBody), renderFunction('downgrade', spec.downgradeBody)].join('\n\n').trimEnd() + '\n';
}

const WRITE_HINTS: Record<string, string> = {
  ENOSPC: 'free some disk space and try again',
  EDQUOT: 'free some disk space (quota exceeded) and try again',
  EACCES: "check the folder's permissions",
  EPERM: "check the folder's permissions",
  EROFS: 'the file system is read-only; write the revision elsewhere',
  ENOENT: 'the folder does not exist: run `retort init` or check `migrations` in retort.config.ts',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EFBIG: 'the file is larger than the system allows (ulimit -f)',
};

/**
 * Writes `content` to a new file at `file`, all or nothing: the text goes to a
 * temporary file in the same folder (hidden, so the scanner ignores it), is
 * flushed to disk, then linked into place, which fails rather than overwrite
 * a file that appeared meanwhile. On any error the temporary file is removed.
 */
export function writeFileAtomic(file: string, content: string): void {
  if (existsSync(file)) {
    throw new RetortError('WRITE', `${file} already exists; not overwriting it`, { hint: 'choose another revision id or message, or move the existing file away' });
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  let created = false;
  try {
    const fd = openSync(tmp, 'wx', 0o644);
    created = true;
    try {
      const bytes = Buffer.from(content, 'utf8');
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    placeWithoutOverwrite(tmp, file);
    created = false;
  } catch (e) {
    if (created) {
      try {
        unlinkSync(tmp);
      } catch {
        // The temporary file is already gone; the original error is what matters.
      }
    }
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new RetortError('WRITE', `${file} already exists; not overwriting it`, { cause: e, hint: 'choose another revision id or message' });
    throw cannotWrite(file, e);
  }
}

/** A failed file-system call on `file` as one line with its cause and a hint (a full disk, a read-only folder). */
export function cannotWrite(file: string, e: unknown): RetortError {
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  // Node's message reads "ENOSPC: no space left on device, write '/path'": keep the middle.
  const reason = String((e as Error).message).replace(/^[A-Z]+: /, '').replace(/, \w+(?: '.*')?$/, '');
  return new RetortError('WRITE', `cannot write ${file}: ${code} (${reason})`, { cause: e, hint: WRITE_HINTS[code] ?? 'check the path and try again' });
}

// link() refuses an existing target atomically; file systems without hard links fall back to rename().
function placeWithoutOverwrite(tmp: string, file: string): void {
  try {
    linkSync(tmp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'EMLINK') throw e;
    if (existsSync(file)) throw Object.assign(new Error(`${file} already exists`), { code: 'EEXIST' });
    renameSync(tmp, file);
    return;
  }
  try {
    unlinkSync(tmp);
  } catch {
    // The revision is in place; a leftover hidden, complete temporary file is harmless.
  }
}
