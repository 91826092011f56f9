/**
 * Remembers the schema the model files declared, so that a run whose model files (and all their schema depends on)
 * are unchanged reads it back instead of running them: at 1000 tables, running and collecting them is 130 ms of a
 * no-op check's CPU (docs/design.md, "The declared schema is remembered").
 *
 * The declared schema is what running the files and collecting their tables gives, and every input of that is keyed:
 * - the files that ran: every model file and every file they import (the loader's direct path), by path and the
 *   checksum of its text, with each relative import as it resolved (a file added beside one can change that);
 * - the environment variables they read while they ran and while their tables were collected, by name and value
 *   (`url: process.env.X` is common in configs, and a model may read a schema name or a flag the same way);
 * - Retort's build, the dialect, the config's parts that collecting reads (naming convention, schemas), and the list
 *   of model files the globs name, in order.
 * What cannot be keyed is not remembered: files that need the full loader (another package, a path alias), that
 * require a Node built-in other than `path` (a file read with `fs` is an input with no key), that list or set
 * environment variables, that read the clock, randomness, the command line or the working folder (watchUnkeyed), or
 * that ran earlier in the same process (nothing was observed). One entry per project, in
 * its cache folder; a file that cannot be read or written only means the files run again.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { retortBuild } from '../build-stamp.js';
import { writeCacheFile } from '../cache-file.js';
import type { SchemaIR } from '../ir/ir.js';
import { sha256Hasher, sha256Hex, sha256OfParts, sourceChecksum } from './checksum.js';
import { resolveRelative, type LoadOptions, type ProgramFile } from './module-loader.js';

const FILE = 'declared-schema.txt';
const FORMAT = 4;

/** The built-ins a model file may require and still be remembered: they read nothing outside the program. */
const PURE_BUILTINS = new Set(['path', 'node:path', 'path/posix', 'node:path/posix']);

/** What, besides the files, the declared schema is collected for. */
export interface DeclaredScope {
  /** The project's cache folder (live-schema.ts schemaCache); nothing is remembered without one. */
  readonly cacheDir: string | undefined;
  /** The dialect's name and the options collecting reads (JSON-able). */
  readonly dialect: string;
  readonly collect: unknown;
  /** The model files the globs name, in the order they are loaded. */
  readonly files: readonly string[];
}

/** What a run told the user about the model files, kept with the schema so a remembered run tells the same. */
export interface DeclaredReport {
  /** Tables that a table() call declared and no file exported. */
  readonly unexported: readonly string[];
  /** The tables and enums each file exports. */
  readonly contents: readonly { readonly file: string; readonly tables: readonly string[]; readonly enums: readonly string[] }[];
}

interface Header extends DeclaredReport {
  readonly format: number;
  readonly scope: string;
  readonly program: readonly StampedFile[];
  readonly env: readonly (readonly [name: string, value: string | null])[];
  readonly key: string;
}

/**
 * A file that ran, with its [mtimeMs, ctimeMs, size, ino] when the memo was written: equal on a later run, its text is
 * taken as unchanged without reading it (as the revision header cache does). A size of -1 never matches: a time
 * stamp less than SETTLE_MS old may be shared with a change made right after it, which the clock's granularity hides.
 */
interface StampedFile extends ProgramFile {
  readonly stamp: readonly [mtimeMs: number, ctimeMs: number, size: number, ino: number];
}

const SETTLE_MS = 2000;

/** The variables that set the time zone and the locale: part of every memo's key (see remember). */
const LOCALE_VARIABLES = ['TZ', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_TIME', 'LC_NUMERIC', 'LC_COLLATE', 'LC_CTYPE', 'LC_MONETARY', 'LC_MESSAGES'];

function stampOf(file: string): StampedFile['stamp'] {
  const st = statSync(file, { throwIfNoEntry: false });
  if (st === undefined) return [0, 0, -1, 0];
  const now = Date.now();
  // The inode too: a file swapped for another (a link retargeted, a folder moved in) written in the same clock tick,
  // of the same size, has the same times.
  return [st.mtimeMs, st.ctimeMs, now - st.mtimeMs > SETTLE_MS && now - st.ctimeMs > SETTLE_MS ? st.size : -1, st.ino];
}

function scopeKey(scope: DeclaredScope): string {
  return sha256Hex(JSON.stringify([FORMAT, retortBuild(), scope.dialect, scope.collect, scope.files]));
}

/** A remembered declared schema, as recalled for a scope. */
export interface Recalled extends DeclaredReport {
  readonly key: string;
  /** Every file that ran (the model files and what they import). */
  readonly ran: readonly string[];
  /** The schema, read and parsed on first use; null when the file is damaged (its lines do not hash to the key). */
  schema(): SchemaIR | null;
}

/** The remembered declared schema whose files (text and imports) and environment variables are as they were. */
export interface DeclaredMemo {
  /**
   * Files whose text changed, each with the checksum its compiled text had (module-loader.ts compiledChecksum): the
   * memo stands only if each still compiles to that text (a comment, a blank line); empty when every text is as it was.
   */
  readonly recompiled: readonly { readonly file: string; readonly code: string }[];
  /** The schema, when it was also collected for `scope`; null otherwise. */
  recall(scope: DeclaredScope): Recalled | null;
}

/**
 * The remembered declared schema, when every file it ran has the same text (or, see `recompiled`, the same compiled
 * text) and imports and every environment variable it read has the same value; null otherwise (or with no cache
 * folder). Needs no dialect, so that a caller can tell before connecting whether the model files may have to run.
 */
export function openDeclaredMemo(cacheDir: string | undefined): DeclaredMemo | null {
  if (cacheDir === undefined) return null;
  let fd: number;
  try {
    fd = openSync(path.join(cacheDir, FILE), 'r');
  } catch {
    return null;
  }
  let found: { header: Header; bodyBytes: number } | null = null;
  let check: ReturnType<typeof unchanged> = { unchanged: false, restamped: false, recompiled: [] };
  try {
    found = readHeader(fd);
    if (found !== null) check = unchanged(found.header);
    if (!check.unchanged) found = null;
  } catch {
    found = null; // a header of another shape (a file not written by this code): not used
  } finally {
    if (found === null) closeSync(fd);
  }
  if (found === null) return null;
  const { header, bodyBytes } = found;
  // The schema's lines are read when asked (a remembered verdict does not ask), from the file opened here: one that
  // replaced it meanwhile (another run's) is another file. Closed once read, or at exit.
  // Null when damaged: the header's key is the sha256 of these very lines, so a file cut short or edited since it
  // was written is not believed (a table line lost would have made autogenerate drop that table).
  let body: string | null | undefined;
  const readBody = (): string | null => {
    if (body === undefined) {
      let text: string | null = null;
      try {
        const bytes = Buffer.allocUnsafe(bodyBytes);
        readFully(fd, bytes, 0);
        text = bytes.toString('latin1');
      } catch {
        text = null;
      } finally {
        closeSync(fd);
      }
      body = text !== null && sha256Hex(text) === header.key ? text : null;
    }
    return body;
  };
  // Files whose stamps were too recent to trust when the memo was written, found unchanged by their text and now
  // settled: the header is written again with their stamps, once, so that the next runs need not read them.
  if (check.restamped) restamp(cacheDir, readBody, header);
  let schema: SchemaIR | null | undefined;
  const recalled: Recalled = {
    key: header.key,
    ran: header.program.map((f) => f.file),
    unexported: header.unexported,
    contents: header.contents,
    schema: () => {
      if (schema === undefined) {
        const text = readBody();
        try {
          schema = text === null ? null : parseSchema(text);
        } catch {
          schema = null;
        }
        // Damaged: removed, so that the next run (whose files run) writes it anew.
        if (schema === null) rmSync(path.join(cacheDir, FILE), { force: true });
      }
      return schema;
    },
  };
  return { recompiled: check.recompiled, recall: (scope) => (header.scope === scopeKey(scope) ? recalled : null) };
}

/**
 * Whether the environment variables and the files a header names are as they were; `restamped`: a file was found
 * unchanged by its text whose stamp was not settled, and now is (its new stamp is set in the header's program);
 * `recompiled`: the files whose text changed, which stand only if they compile as before (the caller asks).
 */
function unchanged(header: Header): { unchanged: boolean; restamped: boolean; recompiled: { file: string; code: string }[] } {
  const no = { unchanged: false, restamped: false, recompiled: [] };
  const recompiled: { file: string; code: string }[] = [];
  if (header.format !== FORMAT) return no;
  for (const [name, value] of header.env) if ((process.env[name] ?? null) !== value) return no;
  let restamped = false;
  for (const f of header.program) {
    const st = statSync(f.file, { throwIfNoEntry: false });
    if (st === undefined) return no;
    const [mtimeMs, ctimeMs, size, ino] = f.stamp;
    const sameStamp = size !== -1 && st.mtimeMs === mtimeMs && st.ctimeMs === ctimeMs && st.size === size && st.ino === ino;
    if (!sameStamp) {
      let source: string;
      try {
        source = readFileSync(f.file, 'utf8');
      } catch {
        return no;
      }
      if (sourceChecksum(source) !== f.checksum) {
        if (typeof f.code !== 'string') return no;
        recompiled.push({ file: f.file, code: f.code });
      } else {
        // Stamped after the text was read and hashed: a change since has a time stamp too recent to be trusted.
        const stamp = stampOf(f.file);
        if (stamp[2] !== -1) {
          (f as { stamp: StampedFile['stamp'] }).stamp = stamp;
          restamped = true;
        }
      }
    }
    const dir = path.dirname(f.file);
    for (const [spec, target] of f.imports) if (resolveRelative(dir, spec) !== target) return no;
  }
  return { unchanged: true, restamped, recompiled };
}

/** Writes the memo again with `header` (its files' stamps renewed) after the same schema lines (`body`). */
function restamp(cacheDir: string, body: () => string | null, header: Header): void {
  const lines = body();
  if (lines === null) return;
  writeCacheFile(path.join(cacheDir, FILE), [lines, `\n${asciiJson(header)}\n`]);
}

/**
 * The header (the file's last line, written once the schema's lines before it were hashed) and where the schema's
 * lines end; null when the file has no whole header. The file is ASCII (see asciiJson), so bytes are characters.
 */
function readHeader(fd: number): { header: Header; bodyBytes: number } | null {
  const size = fstatSync(fd).size;
  for (let tail = Math.min(size, 1 << 16); ; tail = Math.min(size, tail * 4)) {
    const buf = Buffer.allocUnsafe(tail);
    readFully(fd, buf, size - tail);
    const text = buf.toString('latin1');
    const start = text.lastIndexOf('\n', text.length - 2);
    if (start >= 0 || tail === size) {
      if (start < 0 || !text.endsWith('\n')) return null;
      try {
        return { header: JSON.parse(text.slice(start + 1)) as Header, bodyBytes: size - tail + start };
      } catch {
        return null;
      }
    }
  }
}

function readFully(fd: number, buf: Buffer, position: number): void {
  for (let off = 0; off < buf.length; ) {
    const n = readSync(fd, buf, off, buf.length - off, position + off);
    if (n === 0) throw new Error('declared-schema memo: the file ended early');
    off += n;
  }
}

/**
 * JSON with every character past ASCII escaped (\uXXXX, still the same JSON): the file is then read as latin1,
 * several times faster than UTF-8 on a large file.
 */
function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  return /[^\x00-\x7f]/.test(json) ? json.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

/** The schema from its remembered text: the schema without its tables on the first line, then a table a line. */
function parseSchema(text: string): SchemaIR {
  const lines = text.split('\n');
  const rest = JSON.parse(lines[0]!) as Omit<SchemaIR, 'tables'>;
  const tables = [];
  for (let i = 1; i < lines.length; i++) if (lines[i] !== '') tables.push(JSON.parse(lines[i]!));
  return { tables, ...rest } as SchemaIR;
}

/** The schema as lines of JSON (see parseSchema); the key and the file are made from the same lines. */
function* schemaLines(schema: SchemaIR): Generator<string> {
  yield asciiJson({ ...schema, tables: undefined });
  for (const t of schema.tables) yield `\n${asciiJson(t)}`;
}

/**
 * The key of a declared schema: sha256 of its JSON, fed a line at a time (the schema without its tables, then each
 * table's JSON on a line of its own: an unambiguous text, as JSON holds no raw line break), so that no text of the
 * whole schema is built (9 MB at 5000 tables). Null when the schema has no faithful JSON (a value JSON would change or
 * drop: a BigInt, a function, undefined in an array, a number that is not finite). JSON leaves out undefined fields,
 * as the comparison (sameIR) does.
 */
export function declaredKey(schema: SchemaIR): string | null {
  if (!faithfulJson(schema)) return null;
  return sha256OfParts(schemaLines(schema));
}

function faithfulJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (const v of value as unknown[]) if (v === undefined || !faithfulJson(v)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      // Object.values, not for...in: a third of the time on 1000 tables' IR.
      for (const v of Object.values(value)) if (!faithfulJson(v)) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * While `run`ning model files: the reads that give another value on each run, or in another process, and that no key
 * can hold (the clock, randomness, the command line, the working folder), each call `impure`. A model that declares
 * a partition per month from `new Date()` must run every time, or the month it saw first would be remembered. Swapped
 * on the globals for the synchronous stretch only; returns what puts them back.
 */
function watchUnkeyed(impure: () => void): () => void {
  const g = globalThis as unknown as Record<string, unknown>;
  const RealDate = Date;
  const realNow = Date.now;
  const watchedNow = () => {
    impure();
    return realNow();
  };
  // `new Date(x)` reads no clock; `new Date()`, `Date()` and `Date.now()` do. Objects made are the real Date's.
  const WatchedDate: DateConstructor = new Proxy(RealDate, {
    construct(target, args, newTarget): object {
      if (args.length === 0) impure();
      return Reflect.construct(target, args, newTarget === WatchedDate ? target : newTarget) as object;
    },
    apply(target, self, args) {
      impure();
      return Reflect.apply(target, self, args) as unknown;
    },
    get(target, name) {
      return name === 'now' ? watchedNow : (Reflect.get(target, name) as unknown);
    },
  });
  const swaps: [object, PropertyKey, PropertyDescriptor | undefined][] = [];
  const swap = (owner: object, name: PropertyKey, value: unknown) => {
    const before = Object.getOwnPropertyDescriptor(owner, name);
    if (before !== undefined && !before.configurable) return;
    swaps.push([owner, name, before]);
    Object.defineProperty(owner, name, { value, writable: true, configurable: true, enumerable: before?.enumerable ?? false });
  };
  const watchedFn = <F extends (...a: never[]) => unknown>(fn: F): F =>
    function (this: unknown, ...args: Parameters<F>) {
      impure();
      return fn.apply(this, args);
    } as unknown as F;
  // A property read through a stand-in getter, own or inherited (performance.timeOrigin is the prototype's getter).
  const watchedGetter = (owner: object, name: PropertyKey) => {
    const before = Object.getOwnPropertyDescriptor(owner, name);
    if (before !== undefined && !before.configurable) return;
    let found = before;
    for (let o = Object.getPrototypeOf(owner) as object | null; found === undefined && o !== null; o = Object.getPrototypeOf(o) as object | null) {
      found = Object.getOwnPropertyDescriptor(o, name);
    }
    if (found === undefined) return;
    const from = found;
    swaps.push([owner, name, before]);
    Object.defineProperty(owner, name, {
      configurable: true,
      enumerable: from.enumerable ?? false,
      get() {
        impure();
        return from.get ? from.get.call(owner) : from.value;
      },
      set(v: unknown) {
        impure();
        Object.defineProperty(owner, name, { value: v, writable: true, configurable: true, enumerable: from.enumerable ?? false });
      },
    });
  };
  // What reads the clock or the system by its own means, where swapping a function is enough.
  const watchedCtor = <C extends new (...args: never[]) => object>(ctor: C): C =>
    new Proxy(ctor, {
      construct(target, args, newTarget: object): object {
        impure();
        return Reflect.construct(target, args, newTarget as C) as object;
      },
      apply(target, self, args) {
        impure();
        return Reflect.apply(target as never, self, args) as unknown;
      },
    });
  swap(g, 'Date', WatchedDate);
  swap(Math, 'random', watchedFn(Math.random));
  if (typeof performance !== 'undefined') swap(performance, 'now', watchedFn(performance.now.bind(performance)));
  swap(process, 'hrtime', Object.assign(watchedFn(process.hrtime), { bigint: watchedFn(process.hrtime.bigint) }));
  swap(process, 'uptime', watchedFn(process.uptime));
  swap(process, 'cwd', watchedFn(process.cwd));
  watchedGetter(process, 'argv');
  watchedGetter(process, 'pid');
  watchedGetter(process, 'ppid');
  if (typeof performance !== 'undefined') watchedGetter(performance, 'timeOrigin');
  // Node's global Web Crypto (randomUUID, getRandomValues) needs no require.
  watchedGetter(g, 'crypto');
  // A formatter given no date formats the clock's (a month's name for a partition); the locale and time zone are
  // keyed (LOCALE_VARIABLES), so the other Intl objects read nothing that is not.
  swap(Intl, 'DateTimeFormat', watchedCtor(Intl.DateTimeFormat));
  // Ways to a built-in that the loader's require does not see.
  const proc = process as unknown as Record<string, unknown>;
  for (const name of ['getBuiltinModule', 'binding', '_linkedBinding', 'dlopen']) {
    const fn = proc[name];
    if (typeof fn === 'function') swap(process, name, watchedFn(fn as (...a: never[]) => unknown));
  }
  return () => {
    for (let i = swaps.length - 1; i >= 0; i--) {
      const [owner, name, before] = swaps[i]!;
      if (before === undefined) delete (owner as Record<PropertyKey, unknown>)[name];
      else Object.defineProperty(owner, name, before);
    }
  };
}

/** Watches model files run and their tables collected, for what they read that is not in their text. */
export class DeclaredInputs {
  private readonly env = new Map<string, string | null>();
  private pure = true;

  /** For the loader (LoadOptions.observe): runs the files' bodies with `process.env` watched, and hears of built-ins. */
  readonly observe: NonNullable<LoadOptions['observe']> = {
    around: (run) => this.watch(run),
    builtin: (spec) => {
      if (!PURE_BUILTINS.has(spec)) this.pure = false;
    },
    reused: () => {
      this.pure = false;
    },
  };

  /** Marks this run's declared schema as having an input with no key: it is not remembered. */
  unkeyed(): void {
    this.pure = false;
  }

  /** Runs `run` (synchronous) with every read of `process.env` recorded; a listing or a write makes it unkeyable. */
  watch<T>(run: () => T): T {
    const real = process.env;
    const env = this.env;
    const impure = () => {
      this.pure = false;
    };
    // A variable read (by value, `in`, Object.hasOwn or getOwnPropertyDescriptor) is kept with the value it had.
    const note = (name: string | symbol) => {
      if (typeof name === 'string' && !env.has(name)) env.set(name, real[name] ?? null);
    };
    process.env = new Proxy(real, {
      get(target, name) {
        note(name);
        return Reflect.get(target, name);
      },
      has(target, name) {
        note(name);
        return Reflect.has(target, name);
      },
      getOwnPropertyDescriptor(target, name) {
        note(name);
        return Reflect.getOwnPropertyDescriptor(target, name);
      },
      ownKeys(target) {
        impure();
        return Reflect.ownKeys(target);
      },
      set(target, name, value) {
        impure();
        return Reflect.set(target, name, value);
      },
      deleteProperty(target, name) {
        impure();
        return Reflect.deleteProperty(target, name);
      },
      defineProperty(target, name, attributes) {
        impure();
        return Reflect.defineProperty(target, name, attributes);
      },
    });
    const restore = watchUnkeyed(impure);
    try {
      return run();
    } finally {
      restore();
      process.env = real;
    }
  }

  /**
   * Remembers `schema` for `scope`, collected from `program` (null: the full loader ran the files), when everything
   * it read is keyed; returns its key (declaredKey), computed from the lines written, or null when it has none; and
   * undefined when nothing was written (the key is then worked out only if asked).
   */
  remember(scope: DeclaredScope, program: readonly ProgramFile[] | null, schema: SchemaIR, report: DeclaredReport): string | null | undefined {
    if (scope.cacheDir === undefined || program === null || !this.pure) return undefined;
    if (!faithfulJson(schema)) return null;
    // What Date and Intl read without a call Retort can watch: `new Date(2024, 0, 1)` is another instant in
    // another time zone, a locale's formats differ.
    for (const name of LOCALE_VARIABLES) if (!this.env.has(name)) this.env.set(name, process.env[name] ?? null);
    // One pass: each line is hashed as it is written, and the header with the key goes last.
    const hash = sha256Hasher();
    const env = [...this.env];
    let key: string | null = null;
    writeCacheFile(path.join(scope.cacheDir, FILE), (function* () {
      // Written 256 KB at a time, not a write per table.
      let chunk = '';
      for (const line of schemaLines(schema)) {
        hash.update(line);
        chunk += line;
        if (chunk.length >= 1 << 18) {
          yield chunk;
          chunk = '';
        }
      }
      yield chunk;
      key = hash.digest();
      // Stamped after the files were read: one changed since has a time stamp too recent to be trusted.
      const stamped = program.map((f): StampedFile => ({ ...f, stamp: stampOf(f.file) }));
      const header: Header = { format: FORMAT, scope: scopeKey(scope), program: stamped, env, key, unexported: report.unexported, contents: report.contents };
      yield `\n${asciiJson(header)}\n`;
    })());
    // Not written (a full disk): the key all the same.
    return key ?? declaredKey(schema);
  }
}
