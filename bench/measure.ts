/**
 * Runs one whole process and measures it: wall time from spawn to exit (taken
 * here, so it includes process start-up, as a user waits for it) and peak RSS
 * from GNU time's `%M` (the kernel's maximum resident set size of the child).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A command to run: argv, working folder, extra environment, and the exit codes that count as success. */
export interface Cmd {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env?: Record<string, string>;
  readonly okCodes?: readonly number[];
  readonly timeoutMs?: number;
}

/** One run's outcome. */
export interface RunResult {
  readonly ms: number;
  /** Peak RSS in MB, or null when GNU time is missing. */
  readonly rssMb: number | null;
  readonly code: number | null;
  readonly signal: string | null;
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

export const GNU_TIME = '/usr/bin/time';
export const HAVE_GNU_TIME = existsSync(GNU_TIME);
const rssFile = path.join(os.tmpdir(), `benchdev-rss-${process.pid}.txt`);

/** Runs `cmd` once and measures it. */
export function runOnce(cmd: Cmd): RunResult {
  const argv = HAVE_GNU_TIME ? [GNU_TIME, '-f', '%M', '-o', rssFile, ...cmd.argv] : [...cmd.argv];
  const env = { ...process.env, ...cmd.env };
  // The parent's own URL variables must not leak into a project that sets its own.
  if (!cmd.env?.DATABASE_URL) delete env.DATABASE_URL;
  if (!cmd.env?.RETORT_DATABASE_URL) delete env.RETORT_DATABASE_URL;
  rmSync(rssFile, { force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: cmd.cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: cmd.timeoutMs ?? 600_000 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let rssMb: number | null = null;
  if (HAVE_GNU_TIME && existsSync(rssFile)) {
    // GNU time writes "Command exited with non-zero status N" before the figure on failure: take the last line.
    const last = readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '';
    const kb = Number(last);
    if (Number.isFinite(kb) && kb > 0) rssMb = kb / 1024;
  }
  const code = r.status;
  const ok = r.error === undefined && code !== null && (cmd.okCodes ?? [0]).includes(code);
  return { ms, rssMb, code, signal: r.signal ?? null, ok, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : '') };
}

/** Summary statistics of a series of runs. */
export interface Stats {
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly peakRssMb: number | null;
  readonly samplesMs: readonly number[];
}

/** Median, min, max and the largest peak RSS of the given runs. */
export function stats(results: readonly RunResult[]): Stats {
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const mid = Math.floor(ms.length / 2);
  const median = ms.length % 2 === 1 ? ms[mid]! : (ms[mid - 1]! + ms[mid]!) / 2;
  const rss = results.map((r) => r.rssMb).filter((x): x is number => x !== null);
  return {
    runs: ms.length,
    medianMs: median,
    minMs: ms[0]!,
    maxMs: ms[ms.length - 1]!,
    peakRssMb: rss.length ? Math.max(...rss) : null,
    samplesMs: results.map((r) => Math.round(r.ms * 10) / 10),
  };
}

/** The last meaningful lines of a failed run's output, for the report. */
export function failureText(r: RunResult): string {
  const lines = `${r.stderr}\n${r.stdout}`.split('\n').map((l) => l.trim()).filter((l) => l && !/^Command exited with non-zero status/.test(l));
  // A Python traceback ends with the exception line; Retort prints `error: ...` then a hint.
  const err = lines.filter((l) => /^(error:|\w+(\.\w+)*(Error|Exception)\b)/.test(l));
  const picked = err.length ? err.slice(-1) : lines.slice(-2);
  return picked.join(' | ').slice(0, 300) || `exit code ${r.code}${r.signal ? ` (${r.signal})` : ''}`;
}
