/** How the runner notices Ctrl-C between statements. */
import { RetortError } from '../../errors.js';

/** What Ctrl-C raises where it is seen; migrationError turns it into the message that names the revision. */
export function interruptedError(): RetortError {
  return new RetortError('INTERRUPTED', 'interrupted', { exitCode: 130 });
}

/**
 * Lets pending signal handlers run. A synchronous driver (better-sqlite3) resolves every query in a
 * microtask, so without a turn of the event loop a Ctrl-C would wait until the whole run ended.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
