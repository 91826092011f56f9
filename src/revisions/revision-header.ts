/**
 * Reads a revision file's header (`export const revision = '...'` and its
 * siblings) from the source text WITHOUT compiling or running the file, so that
 * `history`, `heads` and `current` stay fast with thousands of revisions; a
 * file is compiled only when it runs. Only literal values are understood:
 * strings, template literals without substitutions, arrays of strings and null.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { RetortError } from '../errors.js';

/** RevisionHeader is what the graph needs to know about one revision file. */
export interface RevisionHeader {
  readonly revision: string;
  /** Parents; empty for a base, several for a merge. */
  readonly downRevisions: readonly string[];
  /** Extra revisions that must be applied first, without being parents (Alembic's depends_on). */
  readonly dependsOn: readonly string[];
  readonly branchLabels: readonly string[];
  readonly message: string;
  readonly createDate: string | null;
  readonly file: string;
}

type HeaderName = 'revision' | 'downRevision' | 'message' | 'createDate' | 'branchLabels' | 'dependsOn';
type Literal = string | readonly string[] | null;

const HEADER_NAMES: readonly HeaderName[] = ['revision', 'downRevision', 'message', 'createDate', 'branchLabels', 'dependsOn'];

// What each header may hold, as said in error messages.
const EXPECTED: Record<HeaderName, string> = {
  revision: 'a string',
  downRevision: 'a string, an array of strings or null',
  message: 'a string',
  createDate: 'a string or null',
  branchLabels: 'a string, an array of strings or null',
  dependsOn: 'a string, an array of strings or null',
};

// `export const NAME`, `export const NAME: Type`, and CommonJS `exports.NAME` / `module.exports.NAME`.
// The type annotation stops at `=`: no header type needs one.
// The common case, a quoted string without escapes or null that ends the statement, is captured by
// the expression itself (groups 2-4), which keeps thousands of files fast; anything else goes to readLiteral.
const CANDIDATE = /\b(?:export\s+const\s+|exports\.)(revision|downRevision|message|createDate|branchLabels|dependsOn)\b(?:\s*:[^=;]*)?\s*=(?!=)(?:[ \t]*(?:'([^'\\\n]*)'|"([^"\\\n]*)"|(null))(?=[ \t]*(?:;|\r?\n|$)))?/g;

/** The rest of `exports.a = exports.b = ... = void 0;`, after the first `=`. */
const VOID_CHAIN = /^\s*(?:exports\.[A-Za-z_$][\w$]*\s*=\s*)*void 0\s*(?:;|\r?\n|$)/;

/** The version table's column is varchar(32), as Alembic's; labels keep to the same length. */
export const MAX_ID_LENGTH = 32;
const RESERVED = new Set(['head', 'heads', 'base', 'current']);

/**
 * Why `id` cannot be a revision id (or branch label), or null when it can; shared with `--rev-id` and `--branch-label`
 * checks. An id is a plain token, 1 to 32 letters, digits and `_`: it becomes part of a file name, a target
 * (`label@head`, `abc+2`), SQL text in `--sql` scripts and a row of the version table.
 */
export function invalidIdReason(id: string, what: 'revision id' | 'branch label' = 'revision id'): string | null {
  if (id.length === 0) return `the ${what} is empty`;
  if (id.length > MAX_ID_LENGTH) return `the ${what} ${shownToken(id)} is longer than ${MAX_ID_LENGTH} characters`;
  const bad = /[^A-Za-z0-9_]/.exec(id);
  if (bad) return `the ${what} ${shownToken(id)} contains ${bad[0] === ' ' ? 'a space' : shownToken(bad[0])}: use only letters, digits and _`;
  if (RESERVED.has(id)) return `'${id}' is a reserved word and cannot be a ${what}`;
  // A JavaScript object's own key for its prototype: kept in any plain object (a cache, a report) it would vanish.
  if (id === '__proto__') return `'__proto__' cannot be a ${what}: choose another id`;
  return null;
}

/**
 * Why `message` cannot be a revision message, or null when it can. Newlines and tabs are text; any other control
 * character is refused: a message is echoed into `-- Running upgrade ...` comments of `--sql` scripts, and psql ends
 * a `--` comment at a bare carriage return, so the rest of the message would run as SQL.
 */
export function invalidMessageReason(message: string): string | null {
  const bad = /[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/.exec(message);
  return bad ? `contains a control character (U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})` : null;
}

/** A rejected id as an error message shows it: quoted, escaped (no control character reaches the terminal), cut short. */
function shownToken(id: string): string {
  const cut = id.length > 40 ? `${id.slice(0, 40)}...` : id;
  return JSON.stringify(cut).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Reads and parses one revision file's header; reads the file once. */
export function readRevisionHeader(file: string): RevisionHeader {
  let text: string;
  try {
    text = readSmallFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new RetortError('REVISION_FILE', `${file}: cannot read the file (${code})`, { cause: e, hint: 'check that the file exists and is readable' });
  }
  return parseRevisionHeader(text, file);
}

// One buffer reused for every file: open, read, close is fewer system calls than readFileSync's, which shows with thousands of files.
let shared = Buffer.allocUnsafe(64 * 1024);

function readSmallFile(file: string): string {
  const fd = openSync(file, 'r');
  try {
    let n = 0;
    for (;;) {
      const got = readSync(fd, shared, n, shared.length - n, n);
      if (got === 0) break;
      n += got;
      if (n === shared.length) {
        const bigger = Buffer.allocUnsafe(shared.length * 2);
        shared.copy(bigger);
        shared = bigger;
      }
    }
    return shared.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

/** Parses a revision header from source text; `file` is only used in messages and kept in the result. */
export function parseRevisionHeader(text: string, file: string): RevisionHeader {
  const found = new Map<HeaderName, Literal>();
  const lexer = new CommentTracker(text);
  CANDIDATE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CANDIDATE.exec(text)) !== null) {
    const name = m[1] as HeaderName;
    if (found.has(name) || lexer.insideCommentOrString(m.index)) continue;
    const simple = m[2] ?? m[3] ?? (m[4] === undefined ? undefined : null);
    // TypeScript's CommonJS output declares the exports first (`exports.createDate = exports.message = void 0;`)
    // and assigns them after: the declaration is skipped, the assignment read.
    const declaration = simple === undefined ? VOID_CHAIN.exec(text.slice(CANDIDATE.lastIndex, CANDIDATE.lastIndex + 2000)) : null;
    if (declaration) {
      CANDIDATE.lastIndex += declaration[0].length;
      continue;
    }
    if (simple !== undefined) {
      found.set(name, simple);
    } else {
      const value = readLiteral(text, CANDIDATE.lastIndex);
      if (value === undefined) throw cannotRead(file, name);
      found.set(name, value.value);
      CANDIDATE.lastIndex = value.end;
    }
    // All six read: nothing later can change the header (a second `export const` would not compile).
    if (found.size === HEADER_NAMES.length) break;
  }
  return buildHeader(found, file);
}

function cannotRead(file: string, name: HeaderName, why?: string): RetortError {
  return new RetortError('REVISION_FILE', `${file}: cannot read \`${name}\`: ${why ?? `expected ${EXPECTED[name]}`}`, {
    hint: `write it as a plain literal, e.g. \`export const ${name} = ${name === 'downRevision' || name === 'dependsOn' ? "'1a2b3c4d5e6f'" : name === 'branchLabels' ? "['mybranch']" : "'...'"};\` (headers are read without running the file)`,
  });
}

function asList(file: string, name: HeaderName, v: Literal | undefined): string[] {
  if (v === undefined || v === null) return [];
  const list = typeof v === 'string' ? [v] : [...v];
  for (const id of list) {
    const why = invalidIdReason(id, name === 'branchLabels' ? 'branch label' : 'revision id');
    if (why) throw cannotRead(file, name, why);
  }
  if (new Set(list).size !== list.length) throw cannotRead(file, name, 'it names the same revision twice');
  return list;
}

function asString(file: string, name: HeaderName, v: Literal | undefined): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw cannotRead(file, name);
  return v;
}

function asMessage(file: string, v: Literal | undefined): string {
  const message = (asString(file, 'message', v) ?? '').replace(/\r\n/g, '\n');
  const why = invalidMessageReason(message);
  if (why) throw cannotRead(file, 'message', `it ${why}`);
  return message;
}

function buildHeader(found: Map<HeaderName, Literal>, file: string): RevisionHeader {
  if (!found.has('revision')) {
    throw new RetortError('REVISION_FILE', `${file}: no \`export const revision = '...'\` found`, {
      hint: 'every revision file exports `revision` and `downRevision` as literals near its top',
    });
  }
  const revision = found.get('revision');
  if (typeof revision !== 'string') throw cannotRead(file, 'revision');
  const why = invalidIdReason(revision);
  if (why) throw cannotRead(file, 'revision', why);
  if (!found.has('downRevision')) {
    throw new RetortError('REVISION_FILE', `${file}: no \`export const downRevision = ...\` found`, {
      hint: 'write `export const downRevision = null;` for a first revision, or the id of the revision it follows',
    });
  }
  const downRevisions = asList(file, 'downRevision', found.get('downRevision'));
  if (downRevisions.includes(revision)) {
    throw new RetortError('REVISION_FILE', `${file}: \`downRevision\` names the revision itself ('${revision}'): a revision cannot revise itself`, {
      hint: 'set downRevision to the id of the revision this one follows (retort heads lists the candidates), or null for a first revision',
    });
  }
  return {
    revision,
    downRevisions,
    dependsOn: asList(file, 'dependsOn', found.get('dependsOn')),
    branchLabels: asList(file, 'branchLabels', found.get('branchLabels')),
    message: asMessage(file, found.get('message')),
    createDate: asString(file, 'createDate', found.get('createDate')),
    file,
  };
}

/**
 * Tells whether a position lies inside a comment or a string, scanning forward
 * only as far as asked: headers sit near the top, so most of a file is never
 * scanned. Regular-expression literals are not recognised; they do not occur
 * before a header in practice.
 */
class CommentTracker {
  private pos = 0;

  constructor(private readonly text: string) {}

  insideCommentOrString(at: number): boolean {
    const t = this.text;
    // A position before one already asked about cannot happen: regex matches move forward.
    while (this.pos < at) {
      const c = t.charCodeAt(this.pos);
      let end = -1;
      if (c === 0x2f /* / */ && t.charCodeAt(this.pos + 1) === 0x2f) end = lineEnd(t, this.pos);
      else if (c === 0x2f && t.charCodeAt(this.pos + 1) === 0x2a /* * */) {
        const close = t.indexOf('*/', this.pos + 2);
        end = close < 0 ? t.length : close + 2;
      } else if (c === 0x27 || c === 0x22 || c === 0x60) end = stringEnd(t, this.pos);
      if (end < 0) {
        this.pos++;
        continue;
      }
      if (end > at) {
        // `at` lies inside; `pos` stays put so a later position inside the same comment is found too.
        return true;
      }
      this.pos = end;
    }
    return false;
  }
}

function lineEnd(t: string, from: number): number {
  const nl = t.indexOf('\n', from);
  return nl < 0 ? t.length : nl;
}

// The position just after the closing quote of the string starting at `from` (end of text if unclosed).
function stringEnd(t: string, from: number): number {
  const q = t.charCodeAt(from);
  for (let i = from + 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === q) return i + 1;
    else if (c === 0x0a && q !== 0x60) return i; // an unclosed quote ends at the line end
  }
  return t.length;
}

/** The literal at `from` (after `=`), and where it ends; undefined when it is not a literal we accept. */
function readLiteral(t: string, from: number): { value: Literal; end: number } | undefined {
  let i = skipSpace(t, from);
  let value: Literal;
  if (t.startsWith('null', i) && !isIdentChar(t.charCodeAt(i + 4))) {
    value = null;
    i += 4;
  } else if (t[i] === '[') {
    const items: string[] = [];
    i = skipSpace(t, i + 1);
    while (t[i] !== ']') {
      const s = readString(t, i);
      if (!s) return undefined;
      items.push(s.value);
      i = skipSpace(t, s.end);
      if (t[i] === ',') i = skipSpace(t, i + 1);
      else if (t[i] !== ']') return undefined;
    }
    value = items;
    i++;
  } else {
    const s = readString(t, i);
    if (!s) return undefined;
    value = s.value;
    i = s.end;
  }
  // What may follow a literal: `as const`, then the end of the statement.
  let j = skipSpace(t, i, false);
  if (t.startsWith('as', j) && /^as\s+const\b/.test(t.slice(j, j + 12))) j = skipSpace(t, t.indexOf('const', j) + 5, false);
  if (j >= t.length || t[j] === ';' || t[j] === '\n' || t[j] === '\r' || t.startsWith('//', j)) return { value, end: j };
  return undefined;
}

function isIdentChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24;
}

function skipSpace(t: string, i: number, newlines = true): number {
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || (newlines && (c === 0x0a || c === 0x0d))) i++;
    else if (newlines && c === 0x2f && t.charCodeAt(i + 1) === 0x2f) i = lineEnd(t, i);
    else if (c === 0x2f && t.charCodeAt(i + 1) === 0x2a) {
      const close = t.indexOf('*/', i + 2);
      if (close < 0) return t.length;
      i = close + 2;
    } else return i;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** A quoted string or a template literal without `${}` at `i`. */
function readString(t: string, i: number): { value: string; end: number } | undefined {
  const q = t[i];
  if (q !== "'" && q !== '"' && q !== '`') return undefined;
  let out = '';
  let k = i + 1;
  for (;;) {
    const next = t.indexOf('\\', k);
    const close = t.indexOf(q, k);
    if (close < 0) return undefined;
    if (next < 0 || close < next) {
      out += t.slice(k, close);
      k = close + 1;
      break;
    }
    out += t.slice(k, next);
    const e = t[next + 1];
    if (e === undefined) return undefined;
    let consumed = 2;
    if (e in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e];
    else if (e === 'x') {
      const hex = t.slice(next + 2, next + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      out += String.fromCharCode(parseInt(hex, 16));
      consumed = 4;
    } else if (e === 'u') {
      const m = /^u(?:([0-9a-fA-F]{4})|\{([0-9a-fA-F]{1,6})\})/.exec(t.slice(next + 1, next + 10));
      if (!m) return undefined;
      out += String.fromCodePoint(parseInt(m[1] ?? m[2]!, 16));
      consumed = 1 + m[0].length;
    } else if (e === '\r' && t[next + 2] === '\n') consumed = 3; // line continuation
    else if (e !== '\n' && e !== '\r') out += e;
    k = next + consumed;
  }
  if (q === '`' && t.slice(i, k).includes('${')) return undefined;
  // A plain quote cannot span lines.
  if (q !== '`' && /[\n\r]/.test(t.slice(i, k).replace(/\\\r?\n/g, ''))) return undefined;
  return { value: out, end: k };
}
