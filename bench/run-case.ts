/**
 * Times one case: a warm-up run of each tool (a tool whose warm-up fails is
 * not run again: its failure is the result, e.g. Alembic's RecursionError), then `runs` rounds in which the
 * tools take turns (Retort, then Alembic, then Retort...), so that drift in
 * the machine's load touches both tools alike.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { BenchCase, ToolName, ToolRun } from './cases.js';
import { failureText, runOnce, stats, type RunResult, type Stats } from './measure.js';

/** One tool's outcome in a case. */
export interface ToolOutcome {
  readonly tool: ToolName;
  readonly stats: Stats | null;
  /** Why there are no figures: the tool failed (its message) or was skipped (the reason). */
  readonly error: string | null;
  readonly skipped: string | null;
  /** Wall time of a failing attempt, when the failure is the result (Alembic's RecursionError). */
  readonly failedAfterMs: number | null;
}

/** CaseResult is one row of results. */
export interface CaseResult {
  readonly id: string;
  readonly label: string;
  readonly dialect: string;
  readonly size: string;
  readonly tools: readonly ToolOutcome[];
  /** Set when the case could not be set up at all. */
  readonly error: string | null;
  readonly seconds: number;
  /** The .cpuprofile of one extra Retort run, when profiling was asked for. */
  readonly profile?: string | null;
}

interface State {
  readonly run: ToolRun;
  readonly results: RunResult[];
  error: string | null;
  failedAfterMs: number | null;
}

function attempt(s: State, keep: boolean): void {
  try {
    s.run.prepare?.();
  } catch (e) {
    s.error = `set-up before the run failed: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300);
    return;
  }
  const r = runOnce(s.run.cmd);
  if (!r.ok) {
    s.error = failureText(r);
    s.failedAfterMs = r.ms;
    return;
  }
  if (keep) s.results.push(r);
}

/** Sets up and times `c`; never throws (failures become part of the result). */
export function runCase(c: BenchCase, runs: number, log: (line: string) => void, profileDir: string | null = null): CaseResult {
  const t0 = Date.now();
  const base = { id: c.id, label: c.label, dialect: c.dialect, size: c.size };
  let tools: ToolRun[];
  try {
    tools = c.setup();
  } catch (e) {
    return { ...base, tools: [], error: (e instanceof Error ? e.message : String(e)).slice(0, 400), seconds: (Date.now() - t0) / 1000 };
  }
  const states: State[] = tools.filter((t) => !t.skip).map((run) => ({ run, results: [], error: null, failedAfterMs: null }));
  for (const s of states) attempt(s, false); // warm-up: compile caches, page cache, connection set-up
  for (let i = 0; i < runs; i++) {
    for (const s of states) if (!s.error) attempt(s, true);
  }
  const outcomes: ToolOutcome[] = tools.map((t) => {
    if (t.skip) return { tool: t.tool, stats: null, error: null, skipped: t.skip, failedAfterMs: null };
    const s = states.find((x) => x.run === t)!;
    // A failure after some good runs still invalidates the series: report the failure.
    return { tool: t.tool, stats: s.error || s.results.length === 0 ? null : stats(s.results), error: s.error, skipped: null, failedAfterMs: s.failedAfterMs };
  });
  const retort = states.find((s) => s.run.tool === 'retort' && !s.error);
  const profile = profileDir && retort ? profiled(retort.run, profileDir) : null;
  const result = { ...base, tools: outcomes, error: null, seconds: (Date.now() - t0) / 1000, profile };
  for (const o of outcomes) {
    const what = o.stats ? `${o.stats.medianMs.toFixed(0)} ms [${o.stats.minMs.toFixed(0)}–${o.stats.maxMs.toFixed(0)}]` : o.skipped ? `skipped` : `FAILED: ${o.error}`;
    log(`  ${o.tool}: ${what}`);
  }
  return result;
}

/** Runs Retort once more under `node --cpu-prof`; returns the profile file, or null when the run failed. */
function profiled(run: ToolRun, dir: string): string | null {
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  const [node, ...rest] = run.cmd.argv;
  const s: State = { run: { ...run, cmd: { ...run.cmd, argv: [node!, '--cpu-prof', `--cpu-prof-dir=${dir}`, ...rest] } }, results: [], error: null, failedAfterMs: null };
  attempt(s, true);
  const made = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
  return s.error || made.length === 0 ? null : path.join(dir, made[0]!);
}
