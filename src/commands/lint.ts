/**
 * `retort lint` as a use case: which revisions to lint, then the report as plain data. It never prints and never
 * exits; src/cli/ renders the report (text, JSON, SARIF) and turns errors into the exit code.
 *
 * Which revisions: the files given; else `range` (`from:to`, as `upgrade --sql` takes it); else those the database
 * has not applied yet when it can be reached (read only, nothing is written), and every revision when it cannot:
 * lint works without a database and says which it did.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { RetortError, messageOf } from '../errors.js';
import { lintRevisions, type AcceptedFinding, type LintFinding, type LintRunEvents, type LintTarget } from '../lint/lint-revisions.js';
import type { LintRule } from '../lint/lint-rules.js';
import { readRevisionHeader } from '../revisions/revision-header.js';
import { parseRange, planUpgrade } from '../revisions/revision-target.js';
import type { Project } from '../runtime/project.js';
import { loadProject, type CommandOptions } from './context.js';

/** LintOptions says what to lint, with the options every command takes (`config` a path or a config object). */
export interface LintOptions extends CommandOptions {
  /** A revision range `from:to` (either side may be empty: base, heads). */
  readonly range?: string;
  /** Revision files to lint, instead of a range. */
  readonly files?: readonly string[];
  /**
   * Compile PostgreSQL's parser with V8's baseline compiler only (`--liftoff-only`, for the rest of the process).
   * Over 1000 revisions the optimising compiler's pass cost about 250 ms of CPU, more than it saved; a program that
   * lints and goes on running leaves it off (the default), so its own WebAssembly is not affected.
   */
  readonly baselineWasm?: boolean;
}

/** How the revisions were chosen, and why when lint chose. */
export interface LintSelection {
  readonly kind: 'files' | 'range' | 'unapplied' | 'all';
  readonly note: string | null;
}

/** LintReport is what `retort lint` found. */
export interface LintReport {
  readonly selection: LintSelection;
  /** The database the rules were chosen for (its display name). */
  readonly database: string;
  readonly revisions: readonly { readonly revision: string | null; readonly file: string }[];
  /** The rules that applied. */
  readonly rules: readonly LintRule[];
  readonly findings: readonly LintFinding[];
  /** Findings a `retort-lint-ignore` comment accepted. */
  readonly accepted: readonly AcceptedFinding[];
  readonly errors: number;
  readonly warnings: number;
}

export type LintEvents = LintRunEvents;

/** Lints the revisions `options` name; see the file comment for the default. */
export async function lint(options: LintOptions = {}, events?: LintEvents): Promise<LintReport> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const project = await loadProject({ ...options, cwd });
  return lintProject(project, { ...options, cwd }, events);
}

/** Lints with a project already loaded (the CLI's revision --autogenerate lints the file it wrote this way). */
export async function lintProject(project: Project, options: LintOptions & { readonly cwd: string }, events?: LintEvents): Promise<LintReport> {
  const { targets, selection } = await choose(project, options);
  const dialect = await project.dialect();
  const outcome = await lintRevisions(project, targets, options.cwd, events, { baselineWasm: options.baselineWasm === true });
  return {
    selection,
    database: dialect.displayName,
    revisions: targets.map((t) => ({ revision: t.revision, file: path.relative(options.cwd, t.file) || t.file })),
    rules: outcome.rules,
    findings: outcome.findings,
    accepted: outcome.accepted,
    errors: outcome.findings.filter((f) => f.severity === 'error').length,
    warnings: outcome.findings.filter((f) => f.severity === 'warning').length,
  };
}

async function choose(project: Project, options: LintOptions & { readonly cwd: string }): Promise<{ targets: LintTarget[]; selection: LintSelection }> {
  const files = options.files ?? [];
  if (files.length > 0 && options.range !== undefined) {
    throw new RetortError('USAGE', 'give revision files or --range, not both', { hint: 'retort lint migrations/x.ts, or retort lint --range a:b' });
  }
  if (files.length > 0) return { targets: files.map((f) => fileTarget(path.resolve(options.cwd, f))), selection: { kind: 'files', note: null } };
  const graph = project.graph();
  // One upgrade runs these in order: each follows the one before it in the run.
  const steps = (heads: readonly string[], to: string) => planUpgrade(graph, heads, to).map((s, i) => ({ file: s.revision.file, revision: s.revision.revision, followsInRun: i > 0 }));
  if (options.range !== undefined) {
    if (!options.range.includes(':')) {
      throw new RetortError('USAGE', `--range '${options.range}' is not a range`, { hint: `write from:to, e.g. ${options.range}:heads (either side may be empty)` });
    }
    const { from, to } = parseRange(options.range);
    const start = from && from !== 'base' ? planUpgrade(graph, [], from) : [];
    const heads = start.length > 0 ? start[start.length - 1]!.headsAfter : [];
    return { targets: steps(heads, to ?? 'heads'), selection: { kind: 'range', note: null } };
  }
  let applied: string[];
  try {
    const { currentHeads } = await import('../runtime/current-heads.js');
    applied = await currentHeads(project);
  } catch (e) {
    return { targets: steps([], 'heads'), selection: { kind: 'all', note: `the database could not be read (${messageOf(e)}): every revision was linted` } };
  }
  const targets = steps(applied, 'heads');
  return { targets, selection: { kind: 'unapplied', note: applied.length === 0 ? 'the database has no revision applied: every revision was linted' : `the database is at ${applied.join(', ')}: the ${targets.length} revision(s) above it were linted` } };
}

/** A file named on the command line: it must exist; its header gives the revision id when it has one. */
function fileTarget(file: string): LintTarget {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new RetortError('NOT_FOUND', `no revision file ${file}`, { hint: 'name revision files that exist, e.g. retort lint migrations/*.ts' });
  }
  try {
    return { file, revision: readRevisionHeader(file).revision };
  } catch {
    return { file, revision: null };
  }
}
