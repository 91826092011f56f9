/**
 * The entry of the bundle the command and the package run from (dist/bundle/retort.js, written by scripts/build.mjs):
 * the public API (index.ts), and the CLI, whose modules evaluate only when bin/retort.cjs calls `runCli`. One file
 * for both, so that a model file loaded through the full loader, whose `retort-migrate` is this same file, shares
 * every object with the running command. `runCli` is not part of the typed API (index.d.ts).
 */
export * from './index.js';

/** Runs the CLI on `argv` (process.argv) and resolves to its exit code. */
export async function runCli(argv: string[]): Promise<number> {
  return (await import('./cli/main.js')).main(argv);
}
