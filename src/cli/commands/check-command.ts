/** `retort check`: does the database match the models? */
import { noCatalog } from '../../dialects/dialect.js';
import { checkDatabase } from '../../runtime/autogenerate-revision.js';
import type { Project } from '../../runtime/project.js';
import type { SchemaIR } from '../../ir/ir.js';
import type { Dialect } from '../../dialects/dialect.js';
import { describeDifferences } from '../../operations/describe.js';
import { likelyRenames, renameSuggestionText } from '../../diff/likely-renames.js';
import { lockWait, out, print } from '../output.js';
import { printModelReport } from '../model-report.js';

async function schemaSql(dialect: Dialect, schema: SchemaIR): Promise<string> {
  const ops = [
    ...schema.enums.map((e) => ({ kind: 'createEnum' as const, enum: e })),
    ...schema.tables.map((t) => ({ kind: 'createTable' as const, table: t })),
  ];
  const lines: string[] = [];
  for (const op of ops) for (const s of await dialect.compile([op], noCatalog)) lines.push(`${s.sql};`);
  return `${lines.join('\n')}\n`;
}

export async function checkCommand(project: Project, opts: { diff?: boolean; lockTimeout?: number; verbose?: boolean }): Promise<void> {
  const { changed, ops, dialect, live, declared, models, at, behind } = await checkDatabase(project, (changed) => {
    for (const c of changed) print(out.yellow(`changed since applied: ${c.file} (revision ${c.revision}: recorded sha256 ${c.recorded.slice(0, 12)}, now ${c.current.slice(0, 12)})`));
  }, { onLockWait: lockWait, ...(opts.lockTimeout !== undefined ? { lockTimeoutMs: opts.lockTimeout * 1000 } : {}) });
  printModelReport(models, !!opts.verbose);
  // A database behind head is compared all the same (the differences say what the pending revisions would do), but it is not in order.
  if (behind.length > 0) print(out.yellow(`not up to date: the database is at ${at.join(', ') || 'base'}, head is ${project.graph().heads.join(', ')} (run \`retort upgrade head\`)`));
  const unsettled = changed.length > 0 || behind.length > 0;
  if (unsettled) process.exitCode = 1;
  if (ops.length === 0) {
    print(unsettled ? 'The schema matches the models, but see above.' : 'No changes detected: the database matches the models.');
    return;
  }
  const lines = describeDifferences(ops);
  print(`The database differs from the models (${lines.length} difference${lines.length === 1 ? '' : 's'}):`);
  for (const l of lines) print(`  ${l}`);
  // A likely rename is only suggested: acting on a guess could move data into a column that means something else.
  for (const l of likelyRenames(ops).map(renameSuggestionText)) print(out.yellow(`  hint: ${l}`));
  if (opts.diff) {
    const { createTwoFilesPatch } = await import('diff');
    const patch = createTwoFilesPatch('database', 'models', await schemaSql(dialect, live), await schemaSql(dialect, declared));
    for (const l of patch.split('\n')) print(l.startsWith('+') ? out.green(l) : l.startsWith('-') ? out.red(l) : l.startsWith('@@') ? out.cyan(l) : l);
  }
  process.exitCode = 1;
}
