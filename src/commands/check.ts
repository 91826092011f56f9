/** `check` as a use case: does the database match the models, is it at head, and are the applied files as they ran? */
import type { Dialect } from '../dialects/dialect.js';
import type { SchemaIR } from '../ir/ir.js';
import type { Operation } from '../operations/operations.js';
import type { ChangedRevision } from '../runtime/migrate.js';
import type { StoppedRevision } from '../runtime/autogenerate-revision.js';
import type { UnfinishedState } from '../runtime/unfinished-states.js';
import { importExternal } from '../import-external.js';
import { loadProject, lockTimeoutMs, type CommandOptions, type LockingOptions } from './context.js';
import type { CommandEvents } from './events.js';
import { modelWarningText, modelsSummary, type ModelsSummary } from './models-summary.js';

/** Options of check. */
export interface CheckOptions extends CommandOptions, LockingOptions {
  /** Also return a unified diff of the schema as SQL (`report.diff`). */
  readonly diff?: boolean;
  /** Also list what each model file holds (`report.models.contents`). */
  readonly listModels?: boolean;
}

/** CheckReport says whether the database is in order, and if not, why. */
export interface CheckReport {
  /**
   * True when the schema matches the models, the database is at head, no applied file changed, and the revisions have
   * one head (several: `upgrade head` refuses them, so a deploy would fail; `retort merge` joins them): exit 0.
   */
  readonly ok: boolean;
  /** Whether the schema matches the models (no differences). */
  readonly matches: boolean;
  /** Where the database is, the revision heads, and the heads it has not reached. */
  readonly at: readonly string[];
  readonly heads: readonly string[];
  readonly behind: readonly string[];
  /** Applied revision files that changed since they ran. */
  readonly changed: readonly ChangedRevision[];
  /** The differences, one line each, as `check` prints them. */
  readonly differences: readonly string[];
  /** The operations that would take the database to the models. */
  readonly operations: readonly Operation[];
  /** Drops and adds that look like renames, each with the `.renamedFrom` to declare. */
  readonly suggestions: readonly string[];
  /** A unified diff of the schema as SQL (database, then models), with `diff`; else null. */
  readonly diff: string | null;
  readonly models: ModelsSummary;
  readonly warnings: readonly string[];
  /** A revision an earlier run left part-way (its committed part, which the next run of it skips), or null. */
  readonly stopped: StoppedRevision | null;
  /**
   * Objects the database left unfinished (an INVALID index, a NOT VALID constraint), each also a difference and a
   * warning: the statement that settles it and what to do.
   */
  readonly unfinished: readonly UnfinishedState[];
}

async function schemaSql(dialect: Dialect, schema: SchemaIR): Promise<string> {
  const { noCatalog } = await import('../dialects/dialect.js');
  const ops = [
    ...schema.enums.map((e) => ({ kind: 'createEnum' as const, enum: e })),
    ...schema.tables.map((t) => ({ kind: 'createTable' as const, table: t })),
  ];
  const lines: string[] = [];
  for (const op of ops) for (const s of await dialect.compile([op], noCatalog)) lines.push(`${s.sql};`);
  return `${lines.join('\n')}\n`;
}

/** Compares the database with the models (and the applied files with what ran); never throws for a difference. */
export async function check(options: CheckOptions = {}, events: CommandEvents = {}): Promise<CheckReport> {
  const project = await loadProject(options);
  const [{ checkDatabase }, { describeDifferences }, { likelyRenames, renameSuggestionText }] = await Promise.all([
    import('../runtime/autogenerate-revision.js'),
    import('../operations/describe.js'),
    import('../diff/likely-renames.js'),
  ]);
  const { changed, stopped, ops, dialect, schemas, models, at, behind } = await checkDatabase(project, (c) => events.changedFiles?.(c, false), {
    ...(events.lockWait ? { onLockWait: (holder: string | null) => events.lockWait!(holder) } : {}),
    ...lockTimeoutMs(options),
  });
  const warnings = models.warnings.map(modelWarningText);
  // Several heads fail the check (see `ok`): said in words too, for a JSON reader that prints `warnings`.
  const heads = project.graph().heads;
  if (stopped !== null) {
    warnings.push((await import('../runtime/history-table.js')).stoppedText(stopped));
  }
  // An INVALID index or a NOT VALID constraint is a difference (the operations answer it); the warning says what to do.
  const unfinished = ops.length === 0 ? [] : await (await import('../runtime/unfinished-states.js')).unfinishedStates(dialect, ops);
  warnings.push(...unfinished.map((u) => u.text));
  if (heads.length > 1) warnings.push(`${heads.length} heads: ${heads.join(', ')}; \`retort upgrade head\` refuses them: join them with \`retort merge -m "merge"\``);
  let diff: string | null = null;
  if (options.diff && ops.length > 0) {
    const { createTwoFilesPatch } = await importExternal<typeof import('diff')>('diff');
    const { live, declared } = schemas();
    diff = createTwoFilesPatch('database', 'models', await schemaSql(dialect, live), await schemaSql(dialect, declared));
  }
  return {
    ok: ops.length === 0 && changed.length === 0 && behind.length === 0 && heads.length <= 1,
    matches: ops.length === 0,
    at,
    heads,
    behind,
    changed,
    differences: describeDifferences(ops),
    operations: ops,
    suggestions: likelyRenames(ops).map(renameSuggestionText),
    diff,
    models: modelsSummary(models, options.listModels ?? false),
    warnings,
    stopped,
    unfinished,
  };
}
