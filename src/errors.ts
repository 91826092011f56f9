/**
 * Typed errors. Library code throws a RetortError with a stable code and, where
 * there is one, a hint that says how to fix it; only cli/ turns them into a
 * one-line message and an exit code.
 */
import { sourceLine } from './source-lines.js';

export type ErrorCode =
  | 'CONFIG'
  | 'URL'
  | 'CONNECTION'
  | 'REVISION_FILE'
  | 'REVISION_GRAPH'
  | 'TARGET'
  | 'MIGRATION_FAILED'
  | 'NOT_FOUND'
  | 'MODEL'
  | 'USAGE'
  | 'LOCK'
  | 'CHECKSUM'
  | 'OFFLINE'
  | 'IRREVERSIBLE'
  | 'UNSUPPORTED'
  | 'INTERRUPTED'
  | 'WRITE';

/** RetortError is every error Retort expects and explains; anything else is a bug and prints its stack with --debug. */
export class RetortError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  /** Extra lines printed under the message (e.g. a failed statement and the database's reply). */
  readonly details: readonly string[];
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, opts: { hint?: string; details?: readonly string[]; cause?: unknown; exitCode?: number } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'RetortError';
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details ?? [];
    this.exitCode = opts.exitCode ?? (code === 'USAGE' ? 2 : 1);
  }
}

/** Duck-typed check, so errors thrown by a second copy of this module (loaded through a user's files) still count. */
export function isRetortError(e: unknown): e is RetortError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'RetortError' && typeof (e as { code?: unknown }).code === 'string';
}

/** The message of any thrown value, on one line. */
export function messageOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Where in `file` an error was thrown, as `line L`, from the first stack frame in that file (revision and
 * model files compiled by Retort are mapped back to the user's lines, see source-lines.ts); null when the stack does not pass through it.
 */
export function lineIn(e: unknown, file: string): string | null {
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : '';
  let from = 0;
  for (;;) {
    const at = stack.indexOf(file, from);
    if (at < 0) return null;
    const m = /^:(\d+):(\d+)/.exec(stack.slice(at + file.length));
    if (m) return `line ${sourceLine(file, Number(m[1]), Number(m[2]))}`;
    from = at + file.length;
  }
}
