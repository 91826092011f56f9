/** `retort check`: the report as text (exit 1 when the database is not in order) or JSON. */
import { check } from '../../commands/check.js';
import type { CliContext } from '../context.js';
import { cliEvents } from '../events.js';
import { out, print, warn } from '../output.js';
import { printModelReport } from '../model-report.js';
import { stoppedText } from '../../runtime/history-table.js';

export async function checkCommand(ctx: CliContext, opts: { diff?: boolean; lockTimeout?: number; verbose?: boolean }): Promise<void> {
  const { events } = cliEvents(ctx);
  // The changed files are printed as soon as they are known, so they are reported even when the models cannot be compared.
  if (!ctx.json) {
    events.changedFiles = (changed) => {
      for (const c of changed) {
        print(out.yellow(`changed since applied: ${c.file} (revision ${c.revision}: recorded sha256 ${c.recorded.slice(0, 12)}, now ${c.current.slice(0, 12)})`));
        // Its parents changed (a rebase): what it ran on, and what it now requires that never ran before it.
        const p = c.parents;
        if (p !== undefined) print(out.yellow(p.appliedOn === null
          ? `  it now requires ${p.neverRan.join(', ')}, which has no history row before it ran (rebased onto it?)`
          : `  its parents changed: ran on ${p.appliedOn.join(', ')}, now revises ${p.now.join(', ')}${p.neverRan.length > 0 ? `; ${p.neverRan.join(', ')} never ran here, so upgrade refuses and says the way out` : ''}`));
      }
    };
  }
  const report = await check({
    ...ctx.options,
    ...(opts.diff ? { diff: true } : {}),
    ...(opts.verbose ? { listModels: true } : {}),
    ...(opts.lockTimeout !== undefined ? { lockTimeout: opts.lockTimeout } : {}),
  }, events);
  if (!report.ok) process.exitCode = 1;
  if (ctx.json) {
    // Warnings stay on stderr under --json too; the report has them as well.
    for (const w of report.warnings) warn(w);
    ctx.renderJson('check', report);
    return;
  }
  printModelReport(report.models);
  // A database behind head is compared all the same (the differences say what the pending revisions would do), but it is not in order.
  // With several heads `upgrade head` refuses: the line below says to merge them, and this one names `upgrade heads`.
  const run = report.heads.length > 1 ? 'retort upgrade heads' : 'retort upgrade head';
  const stopped = report.stopped;
  if (stopped !== null) print(out.yellow(`stopped part-way: ${stoppedText(stopped)}`));
  if (report.behind.length > 0) print(out.yellow(`not up to date: the database is at ${report.at.join(', ') || 'base'}, head is ${report.heads.join(', ')} (run \`${run}\`)`));
  // Several heads: the database may hold them all, but `upgrade head` on a new one refuses (exit 1, as behind head).
  if (report.heads.length > 1) print(out.yellow(`${report.heads.length} heads: ${report.heads.join(', ')} (\`retort upgrade head\` refuses them: join them with \`retort merge -m "merge"\`)`));
  const unsettled = report.changed.length > 0 || report.behind.length > 0 || report.heads.length > 1;
  if (report.matches) {
    print(unsettled ? 'The schema matches the models, but see above.' : 'No changes detected: the database matches the models.');
    return;
  }
  const lines = report.differences;
  print(`The database differs from the models (${lines.length} difference${lines.length === 1 ? '' : 's'}):`);
  for (const l of lines) print(`  ${l}`);
  // An INVALID index or a NOT VALID constraint: what to run.
  for (const u of report.unfinished) print(out.yellow(`  hint: ${u.text}`));
  // A likely rename is only suggested: acting on a guess could move data into a column that means something else.
  for (const l of report.suggestions) print(out.yellow(`  hint: ${l}`));
  if (report.diff !== null) {
    for (const l of report.diff.split('\n')) print(l.startsWith('+') ? out.green(l) : l.startsWith('-') ? out.red(l) : l.startsWith('@@') ? out.cyan(l) : l);
  }
}
