/**
 * Where the CLI's text goes: standard output and standard error, written through the writer bin/retort.cjs lends
 * (`globalThis.__retortWrite`), which writes each text with one synchronous write to the descriptor and handles a
 * closed pipe and a full disk as the command's own policy says. Creating `process.stdout` and `process.stderr` loads
 * Node's networking modules: about 13 ms of every command on a pipe, for streams that write pipes, files and
 * terminals synchronously on Linux and macOS anyway. Without the lent writer (the CLI run from code, not from bin),
 * the streams write as before.
 */
type FdWriter = (fd: 1 | 2, text: string) => void;

function writer(): FdWriter | undefined {
  return (globalThis as { __retortWrite?: FdWriter }).__retortWrite;
}

/** Standard output's stream once reserveStdout has lent process.stdout's name to stderr (the CLI run from code). */
let reserved: NodeJS.WriteStream | null = null;

/**
 * Keeps standard output for the command's document (--json, --sql, a lint report): what the user's code writes there
 * (a revision's or a model's console.log, process.stdout.write) goes to standard error instead, where progress goes,
 * so it cannot make the JSON unreadable or become a line of the SQL script.
 */
export function reserveStdout(): void {
  if (reserved !== null) return;
  if (!writer()) reserved = process.stdout;
  Object.defineProperty(process, 'stdout', { configurable: true, enumerable: true, get: () => process.stderr });
}

/** Writes `text` to standard output. */
export function writeOut(text: string): void {
  const lent = writer();
  if (lent) lent(1, text);
  else (reserved ?? process.stdout).write(text);
}

/** Writes `text` to standard error. */
export function writeErr(text: string): void {
  const lent = writer();
  if (lent) lent(2, text);
  else process.stderr.write(text);
}
