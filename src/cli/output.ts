/**
 * Everything the CLI prints goes through here: colour (off for NO_COLOR and
 * non-terminals), one-line errors with their hint, and --debug stacks.
 */
import type { ChalkInstance } from 'chalk';
import { writeErr, writeOut } from './fd-write.js';
import { errorText, isTerminal, plain, stylesFor } from './styles.js';
import type { LiveLine } from './live-line.js';
export { ms } from './live-line.js';

/** The styles of stdout and stderr: plain until `initOutput` has looked at where they go. */
export let out: ChalkInstance = plain;
export let err: ChalkInstance = plain;
/** Whether stderr is a terminal (for the live progress line), as `initOutput` found without creating the stream. */
export let stderrIsTerminal = false;

/**
 * Chooses the styles for stdout and stderr (colour for a terminal, NO_COLOR, FORCE_COLOR); main() awaits it before
 * anything is printed. (A function rather than a top-level await: the CLI's bundle is a script, which has none.)
 */
export async function initOutput(): Promise<void> {
  [out, err, stderrIsTerminal] = await Promise.all([stylesFor(1), stylesFor(2), isTerminal(2)]);
}

let pendingProgress = '';
/** The live progress line of a run on a terminal, erased before anything else is written. */
let live: LiveLine | null = null;

/** Sets (or, with null, removes) the live progress line. */
export function setLiveLine(line: LiveLine | null): void {
  if (line === live) return;
  live?.stop();
  live = line;
}
/** Whether the last progress text written to stderr left its line open (`Running upgrade ...` before its timing). */
let progressMidLine = false;

/**
 * Progress text on stderr, written once per burst: a run that reports a hundred revisions at
 * once makes one write, not two hundred, and a line announcing a slow step still appears as soon
 * as the runner waits for the server. Every other output writes pending progress first.
 */
export function progress(text: string): void {
  if (pendingProgress === '') queueMicrotask(flushProgress);
  pendingProgress += visible(text);
}

function flushProgress(): void {
  live?.clear();
  if (pendingProgress === '') return;
  const text = pendingProgress;
  pendingProgress = '';
  progressMidLine = !text.endsWith('\n');
  writeErr(text);
}

/** Writes a whole line to stderr, on a line of its own even when a progress line is open. */
export function writeLine(text: string): void {
  flushProgress();
  writeErr(progressMidLine ? `\n${visible(text)}` : visible(text));
  progressMidLine = false;
}

export function print(line = ''): void {
  flushProgress();
  writeOut(`${visible(line)}\n`);
}

// A control character other than newline and tab, or an escape that does not start a colour (SGR, chalk's own).
const CONTROLS = /\x1b(?!\[[0-9;]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]/g;

/**
 * Text for the terminal with the control characters a name from the database may hold shown escaped (`\x1b`,
 * `\r`): a table named `e<ESC>[2J` must not clear the screen, retitle the window or overwrite a line of the
 * report. Colours stay (chalk's). Only human text: --json escapes them itself, and a --sql script keeps names
 * exactly as the database must read them.
 */
export function visible(text: string): string {
  return text.replace(CONTROLS, (c) => (c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/**
 * A script printed with --sql, held until it is complete: a run that fails part-way prints none of it, so
 * `retort upgrade a:b --sql > script.sql` never leaves a truncated script that looks whole (only the exit code
 * would tell). Held in memory: 1000 revisions of a table and an index each make under 1 MB.
 */
export class Script {
  private parts: string[] = [];

  /** Adds text to the script; the runner calls it once per statement. */
  readonly write = (text: string): void => {
    this.parts.push(text);
  };

  /** Writes the whole script to stdout in one write (a closed or unwritable stdout fails as any other output does). */
  print(): void {
    flushProgress();
    const text = this.parts.join('');
    this.parts = [];
    if (text !== '') writeOut(text);
  }
}

export function info(line: string): void {
  writeLine(`${err.dim(line)}\n`);
}

/** Said once when another run holds the migration lock (`holder` names it where the database can tell). */
export function lockWait(holder: string | null): void {
  info(`Waiting for the migration lock${holder ? ` held by ${holder}` : ''}...`);
}

export function warn(line: string): void {
  writeLine(`${err.yellow(`warning: ${line}`)}\n`);
}

/** Prints an error as one line (plus its details and hint) and returns the exit code to use. */
export function reportError(e: unknown, debug: boolean): number {
  flushProgress();
  const { text, exitCode } = errorText(e, debug, err);
  writeErr(visible(text));
  return exitCode;
}

/**
 * Reports an error that surfaced after the command's own work was done (a timer a revision left behind threw): the
 * command has already printed its result, so the error follows it and the process still ends with a failure.
 */
export function reportLateError(e: unknown): void {
  const code = reportError(e, process.argv.includes('--debug'));
  process.exitCode = code === 0 ? 1 : code;
}

