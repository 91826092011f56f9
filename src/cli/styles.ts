/**
 * Colour for the CLI: chalk styles for a terminal (or FORCE_COLOR), and styles
 * that return their text unchanged otherwise, so that piped output, CI and
 * NO_COLOR never load chalk. And an error as the CLI shows it in those styles,
 * which both the full CLI (output.ts) and the quick path print (here rather than
 * in a module of its own: one module fewer for every command to load).
 */
import { fstatSync } from 'node:fs';
import type { ChalkInstance } from 'chalk';
import { isRetortError, messageOf } from '../errors.js';
import { importExternal } from '../import-external.js';

/** Styles that return their text as it is. */
export const plain: ChalkInstance = new Proxy(() => undefined, {
  // Not `then`: an object with one is taken for a promise, and awaiting it would never settle.
  get: (_target, prop) => (prop === 'then' ? undefined : plain),
  apply: (_target, _this, args: unknown[]) => args.map(String).join(' '),
}) as unknown as ChalkInstance;

/** The styles for output written to file descriptor `fd` (1 or 2). */
export async function stylesFor(fd: 1 | 2): Promise<ChalkInstance> {
  return stylesAt(await colourLevel(fd));
}

/** The styles of colour level `level` (as colourLevel gives it). */
export async function stylesAt(level: 0 | 1): Promise<ChalkInstance> {
  return level === 0 ? plain : new (await importExternal<typeof import('chalk')>('chalk')).Chalk({ level });
}

/**
 * The colour level for output written to `fd`: NO_COLOR (https://no-color.org) wins; FORCE_COLOR turns colour on
 * unless it says 0 or false (as chalk reads it); otherwise a terminal gets colour unless TERM says it cannot show any.
 */
export async function colourLevel(fd: 1 | 2): Promise<0 | 1> {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false' ? 0 : 1;
  if (env.TERM === 'dumb') return 0;
  return (await isTerminal(fd)) ? 1 : 0;
}

/**
 * Whether `fd` is a terminal, as process.stdout.isTTY says, without creating the stream (that loads Node's
 * networking modules, a few milliseconds). A pipe or a file is told apart by one fstat; node:tty is loaded
 * only for a character device, which may be a terminal or /dev/null.
 */
export async function isTerminal(fd: 1 | 2): Promise<boolean> {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return (await importExternal<typeof import('node:tty')>('node:tty')).isatty(fd);
}

/** An error as the CLI shows it: one line, its details and hint, and with --debug the stack and causes. */
/** The text to write to stderr for `e` in the styles `s`, and the exit code to end with. */
export function errorText(e: unknown, debug: boolean, s: ChalkInstance): { text: string; exitCode: number } {
  let text = `${s.red('error:')} ${messageOf(e)}\n`;
  if (isRetortError(e)) {
    for (const d of e.details) text += `  ${d.replace(/\n/g, '\n  ')}\n`;
    if (e.hint) text += `${s.dim(`hint: ${e.hint}`)}\n`;
    if (debug) text += `${stackOf(e)}\n`;
    return { text, exitCode: e.exitCode };
  }
  if (debug) text += `${stackOf(e)}\n`;
  else text += `${s.dim('hint: this looks like a bug in Retort; run again with --debug for the stack trace and report it')}\n`;
  return { text, exitCode: 1 };
}

function stackOf(e: unknown): string {
  let text = e instanceof Error ? (e.stack ?? e.message) : String(e);
  let cause = e instanceof Error ? e.cause : undefined;
  while (cause) {
    text += `\ncaused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return text;
}
