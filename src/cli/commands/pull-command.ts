/** `retort pull`: wiring and text (or one JSON document) for the pull use case. */
import path from 'node:path';
import { pull, type PullReport } from '../../commands/pull.js';
import type { SplitMode } from '../../render/models/render-models.js';
import type { CliContext } from '../context.js';
import { info, lockWait, out, print, warn } from '../output.js';

export interface PullCommandOptions {
  out?: string;
  schema?: string;
  split?: SplitMode;
  force?: boolean;
  dryRun?: boolean;
  baseline?: boolean;
  message?: string;
  stamp?: boolean;
  exclude?: string[];
}

export async function pullCommand(ctx: CliContext, opts: PullCommandOptions): Promise<void> {
  if (opts.baseline && opts.message === undefined) {
    const { RetortError } = await import('../../errors.js');
    throw new RetortError('USAGE', '--baseline needs a message for the revision', { hint: 'retort pull --baseline -m "baseline"' });
  }
  const report = await pull(
    {
      ...ctx.options,
      out: opts.out,
      schema: opts.schema,
      split: opts.split,
      force: opts.force,
      dryRun: opts.dryRun,
      baseline: opts.baseline ? opts.message : undefined,
      noStamp: opts.stamp === false,
      exclude: opts.exclude,
    },
    { onLockWait: lockWait },
  );
  if (ctx.renderJson('pull', report)) return;
  printPullReport(report);
}

const rel = (f: string) => path.relative(process.cwd(), f) || f;

/** The text of a pull report (also `init --from-db`'s). */
export function printPullReport(r: PullReport): void {
  if (r.dryRun) {
    for (const f of r.files) {
      print(out.dim(`// ---- ${rel(f.file)}${f.replaced ? ' (exists: --force would overwrite it)' : ''}`));
      print(f.content.trimEnd());
      print();
    }
  } else {
    for (const f of r.files) print(`${f.replaced ? 'Overwrote' : 'Wrote'} ${rel(f.file)}`);
  }
  const count = (n: number, what: string) => `${n} ${n === 1 ? what : what === 'policy' ? 'policies' : `${what}s`}`;
  const parts = [count(r.tables, 'table'), count(r.enums, 'enum'), count(r.views, 'view'), ...r.alsoDeclared.map((c) => count(c.count, c.kind))];
  const what = `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]!}`;
  print(`${r.dryRun ? 'Would declare' : 'Declared'} ${what}${r.formatter ? ` (formatted with ${r.formatter})` : ''}.`);
  if (r.alembic) {
    info(`The database has Alembic's version table (alembic_version at ${r.alembic.versions.join(', ') || 'no revision'}): left as it is, and left out of the models.`);
  }
  if (r.excludedTables.length > 0) {
    const list = r.excludedTables.join(', ');
    if (r.excludeWritten) warn(`not declared: ${list} (tables or views the models cannot declare here yet); added to \`exclude\` in the config`);
    else warn(`not declared: ${list} (tables or views the models cannot declare here yet); add them to \`exclude\` in the config (exclude: [${r.excludedTables.map((t) => `'${t}'`).join(', ')}])`);
  }
  const added = (them: string) => (r.excludeWritten ? 'added to `exclude` in the config' : `add ${them} to \`exclude\` in the config`);
  if (r.excludeOption.length > 0) info(`left out with --exclude: ${r.excludeOption.join(', ')}; ${added(r.excludeOption.length === 1 ? 'it' : 'them')}`);
  for (const v of r.excludedViews) warn(`not declared: view ${v.name}, which reads ${v.reads.join(', ')} (left out of the models); ${added('it')}`);
  for (const f of r.otherModelFiles) warn(`${rel(f)} is a model file too: if it declares the same tables, remove it (check would find them declared twice)`);
  for (const f of r.unreadFiles) warn(`${rel(f)} is not read by the config's \`models\` globs: check and autogenerate will not see it`);
  for (const w of r.warnings) warn(w);
  if (r.baseline) {
    const b = r.baseline;
    if (b.file === null) print(`Would write a baseline revision of ${b.operations} operation(s).`);
    else print(`Wrote baseline revision ${b.revision} (${rel(b.file)}, ${b.operations} operations)${b.stamped ? '; the database is stamped at it' : '; not stamped (--no-stamp)'}.`);
  }
  if (r.notDeclared.length > 0) {
    print();
    print(`Not declared (the models cannot declare these yet; check and autogenerate leave them alone):`);
    for (const o of r.notDeclared) print(`  ${o.kind}: ${o.name}`);
  }
}
