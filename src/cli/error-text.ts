/**
 * An error as the CLI shows it: one line, its details and hint, and with --debug the stack and causes. Both the
 * full CLI (output.ts) and the quick path print errors through here.
 */
import type { ChalkInstance } from 'chalk';
import { isRetortError, messageOf } from '../errors.js';

/** The text to write to stderr for `e`, and the exit code to end with. */
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
