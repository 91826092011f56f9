/** init, revision and merge: wiring and output. */
import path from 'node:path';
import { workingFolder } from '../../config/config.js';
import { RetortError, messageOf } from '../../errors.js';
import { createRevision, initProject } from '../../runtime/new-revision.js';
import type { Project } from '../../runtime/project.js';
import { info, lockWait, out, print, warn } from '../output.js';
import { printModelReport } from '../model-report.js';

export async function initCommand(dir: string, opts: { url: string; nested?: boolean }): Promise<void> {
  const cwd = workingFolder();
  const target = path.resolve(cwd, dir);
  for (const file of initProject(target, opts.url, { nested: !!opts.nested })) print(`  created ${path.relative(cwd, file) || file}`);
  print(out.green(`Retort is set up in ${target}. Declare tables in models/, then: npx retort revision --autogenerate -m "create tables"`));
}

interface RevisionOptions {
  message: string;
  autogenerate?: boolean;
  head?: string;
  splice?: boolean;
  revId?: string;
  branchLabel?: string[];
  dependsOn?: string[];
  allowEmpty?: boolean;
  lockTimeout?: number;
  verbose?: boolean;
}

export async function revisionCommand(project: Project, opts: RevisionOptions): Promise<void> {
  const common = {
    message: opts.message,
    ...(opts.head ? { head: opts.head } : {}),
    ...(opts.splice ? { splice: true } : {}),
    ...(opts.revId !== undefined ? { revId: opts.revId } : {}),
    ...(opts.branchLabel ? { branchLabels: opts.branchLabel } : {}),
    ...(opts.dependsOn ? { dependsOn: opts.dependsOn } : {}),
    onRevisionLockWait: tellWaiting,
  };
  if (opts.autogenerate) {
    const { autogenerateRevision } = await import('../../runtime/autogenerate-revision.js');
    const result = await autogenerateRevision(project, {
      ...common,
      allowEmpty: opts.allowEmpty ?? false,
      onLockWait: lockWait,
      ...(opts.lockTimeout !== undefined ? { lockTimeoutMs: opts.lockTimeout * 1000 } : {}),
    });
    printModelReport(result.models, !!opts.verbose);
    for (const l of result.changes) info(`  ${l}`);
    for (const l of result.destructive) process.stderr.write(`${out.yellow(`  destructive: ${l}`)}\n`);
    for (const l of result.suggestions) process.stderr.write(`${out.yellow(`  hint: ${l}`)}\n`);
    if (!result.written) {
      print('No changes detected');
      return;
    }
    print(`Generating ${path.relative(process.cwd(), result.written.file)} ... done`);
    for (const f of result.written.hookFailures) warn(f);
    for (const w of result.warnings) warn(w);
    await lintWritten(project, result.written.file);
    return;
  }
  if (opts.allowEmpty) throw new RetortError('USAGE', '--allow-empty goes with --autogenerate');
  if (opts.verbose) throw new RetortError('USAGE', '-v/--verbose goes with --autogenerate (it lists the model files read)');
  const rev = await createRevision(project, common);
  print(`Generating ${path.relative(process.cwd(), rev.file)} ... done`);
  for (const f of rev.hookFailures) warn(f);
}

export async function mergeCommand(project: Project, revs: string[], opts: { message: string; revId?: string }): Promise<void> {
  // The revisions are resolved, and checked to be heads, under the revision lock.
  const rev = await createRevision(project, { message: opts.message, parents: revs, onRevisionLockWait: tellWaiting, ...(opts.revId !== undefined ? { revId: opts.revId } : {}) });
  print(`Generating ${path.relative(process.cwd(), rev.file)} ... done (merges ${rev.parents.join(', ')})`);
  for (const f of rev.hookFailures) warn(f);
}

/** Lints the file autogenerate wrote: its findings are warnings on stderr, never a failure of the command. */
async function lintWritten(project: Project, file: string): Promise<void> {
  try {
    const { lintProject } = await import('../../commands/lint.js');
    const report = await lintProject(project, { cwd: process.cwd(), files: [file] });
    for (const f of report.findings) warn(`lint ${f.rule} at ${f.file}:${f.line ?? '?'}: ${f.message} (fix: ${f.fix})`);
  } catch (e) {
    warn(`retort lint could not check ${path.relative(process.cwd(), file)}: ${messageOf(e)}`);
  }
}

function tellWaiting(holder: string, lockFile: string): void {
  info(`waiting for ${holder}, which is writing a revision (lock file ${path.relative(process.cwd(), lockFile)})`);
}
