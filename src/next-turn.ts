/**
 * Resolves at the event loop's next turn (setImmediate), after the I/O the loop has waiting. The drivers answer
 * synchronously (better-sqlite3) or the work is synchronous (reading the revision graph), so without a turn such work
 * holds the thread and whatever the process started before it waits: a compile in esbuild's process, a connection's
 * handshake with the server.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
