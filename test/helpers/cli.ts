/** Drives the real `retort` command as a user would: a child process, its exit code and output. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root (tests run from dist/test/helpers). */
export const repoRoot = path.resolve(here, '..', '..', '..');
export const retortBin = path.join(repoRoot, 'bin', 'retort.cjs');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', RETORT_DATABASE_URL: undefined, DATABASE_URL: undefined, ...opts.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(process.execPath, [retortBin, ...args], { cwd: opts.cwd ?? repoRoot, env: env as NodeJS.ProcessEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
