/** init, revision and merge: the reports as text or JSON. */
import path from 'node:path';
import { init, merge, revision } from '../../commands/revision.js';
import type { CliContext } from '../context.js';
import { cliEvents } from '../events.js';
import { messageOf, RetortError } from '../../errors.js';
import { info, lockWait, out, print, warn, writeLine } from '../output.js';
import type { SplitMode } from '../../render/models/render-models.js';
import { printModelReport } from '../model-report.js';
import { urlWithoutSecrets } from '../../config/url-secrets.js';

export async function initCommand(ctx: CliContext, dir: string, opts: { url: string; nested?: boolean }): Promise<void> {
  const report = await init({ dir, url: opts.url, nested: !!opts.nested });
  if (ctx.renderJson('init', report)) return;
  for (const file of report.created) print(`  created ${path.relative(process.cwd(), file) || file}`);
  passwordNote(opts.url);
  print(out.green(`Retort is set up in ${report.dir}. models/index.ts declares a users table to start from; next: npx retort revision --autogenerate -m "create users"`));
}

export async function initFromDbCommand(ctx: CliContext, dir: string, opts: { url: string; nested?: boolean; fromDb: string; message: string; split?: string; stamp?: boolean; exclude?: string[]; schemas?: string }): Promise<void> {
  const schemas = opts.schemas?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (schemas !== undefined && schemas.length === 0) throw new RetortError('USAGE', '--schemas: no schema named', { hint: 'write e.g. --schemas app,billing' });
  const [{ initFromDb }, { printPullReport }] = await Promise.all([import('../../commands/init-from-db.js'), import('./pull-command.js')]);
  const report = await initFromDb(
    { url: opts.fromDb, dir, nested: !!opts.nested, message: opts.message, ...(opts.split !== undefined ? { split: opts.split as SplitMode } : {}), noStamp: opts.stamp === false, ...(opts.exclude !== undefined ? { exclude: opts.exclude } : {}), ...(schemas !== undefined ? { schemas } : {}) },
    { onLockWait: lockWait },
  );
  if (ctx.renderJson('init', report)) return;
  for (const file of report.created) print(`  created ${path.relative(process.cwd(), file) || file}`);
  passwordNote(opts.fromDb);
  printPullReport(report.pull);
  print(out.green(`Retort is set up in ${report.dir} for the existing database. Change the models, then: npx retort revision --autogenerate -m "..."`));
}

/** Says that the config init wrote holds the URL without its password, and where the password goes. */
function passwordNote(url: string): void {
  if (urlWithoutSecrets(url).removed) warn('the password in the URL is not written into retort.config.ts (it is committed): give it in PGPASSWORD or ~/.pgpass, or the whole URL in DATABASE_URL');
}

interface RevisionFlags {
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

export async function revisionCommand(ctx: CliContext, opts: RevisionFlags): Promise<void> {
  const report = await revision({
    ...ctx.options,
    message: opts.message,
    ...(opts.autogenerate ? { autogenerate: true } : {}),
    ...(opts.head ? { head: opts.head } : {}),
    ...(opts.splice ? { splice: true } : {}),
    ...(opts.revId !== undefined ? { revId: opts.revId } : {}),
    ...(opts.branchLabel ? { branchLabels: opts.branchLabel } : {}),
    ...(opts.dependsOn ? { dependsOn: opts.dependsOn } : {}),
    ...(opts.allowEmpty ? { allowEmpty: true } : {}),
    ...(opts.verbose ? { listModels: true } : {}),
    ...(opts.lockTimeout !== undefined ? { lockTimeout: opts.lockTimeout } : {}),
  }, cliEvents(ctx).events);
  if (ctx.json) {
    // Warnings stay on stderr under --json too; the report has them as well.
    for (const w of [...report.warnings, ...report.hookFailures]) warn(w);
    if (report.file !== null && opts.autogenerate) await lintWritten(ctx, report.file);
    ctx.renderJson('revision', report);
    return;
  }
  if (report.models) printModelReport(report.models);
  for (const l of report.changes) info(`  ${l}`);
  for (const l of report.destructive) writeLine(`${out.yellow(`  destructive: ${l}`)}\n`);
  for (const l of report.suggestions) writeLine(`${out.yellow(`  hint: ${l}`)}\n`);
  if (report.file === null) {
    print('No changes detected');
    return;
  }
  print(`Generating ${path.relative(process.cwd(), report.file)} ... done`);
  for (const f of report.hookFailures) warn(f);
  // The model warnings were printed with the models above; the rest follow the file.
  const modelWarnings = report.models?.warnings.length ?? 0;
  for (const w of report.warnings.slice(modelWarnings)) warn(w);
  if (opts.autogenerate) await lintWritten(ctx, report.file);
}

/** Lints the file autogenerate wrote: its findings are warnings on stderr, never a failure of the command. */
async function lintWritten(ctx: CliContext, file: string): Promise<void> {
  try {
    const { lint } = await import('../../commands/lint.js');
    const { config, url } = ctx.options;
    const report = await lint({ cwd: process.cwd(), files: [file], ...(typeof config === 'string' ? { config } : {}), ...(url !== undefined ? { url } : {}) });
    for (const f of report.findings) warn(`lint ${f.rule} at ${f.file}:${f.line ?? '?'}: ${f.message} (fix: ${f.fix})`);
  } catch (e) {
    warn(`retort lint could not check ${path.relative(process.cwd(), file)}: ${messageOf(e)}`);
  }
}

export async function mergeCommand(ctx: CliContext, revs: string[], opts: { message: string; revId?: string }): Promise<void> {
  const report = await merge({ ...ctx.options, message: opts.message, revisions: revs, ...(opts.revId !== undefined ? { revId: opts.revId } : {}) }, cliEvents(ctx).events);
  if (ctx.renderJson('merge', report)) return;
  print(`Generating ${path.relative(process.cwd(), report.file)} ... done (merges ${report.parents.join(', ')})`);
  for (const f of report.hookFailures) warn(f);
}
