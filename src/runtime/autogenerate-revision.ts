/**
 * Autogenerate and check: the declared models and the live database both
 * become normalised Schema IR, and their difference becomes operations, a
 * rendered revision file, or a report.
 */
import { RetortError } from '../errors.js';
import type { Connection, Dialect } from '../dialects/dialect.js';
import type { Operation } from '../operations/operations.js';
import { hasRenameHints } from '../ir/rename-hints.js';
import { noDifference } from '../ir/no-difference.js';
import { collectModels, declarations } from '../models/collect.js';
import { isEnumType, isTableDecl, recordDeclaredTables } from '../models/dsl.js';
import { portableIdentifierLimit } from '../dialects/index.js';
import type { SchemaIR } from '../ir/ir.js';
import type { RevisionGraph } from '../revisions/revision-graph.js';
import { revisionToBuildOn } from '../revisions/revision-target.js';
import { compiledChecksum, loadProgram, type ProgramFile } from './module-loader.js';
import { changedRevisions, historyTable, lockOptions, lockTimeoutMs, ownTables, readCheckedHeads, type ChangedRevision } from './migrate.js';
import { newestRow, stoppedRevision, type HistoryRow, type StoppedRevision } from './history-table.js';
import type { NewRevision, NewRevisionOptions } from './new-revision.js';
import { withConnection, type Project } from './project.js';
import { modelFiles, type UnmatchedModelFile } from './model-files.js';
import { excludedTables, included, liveSchema, schemaCache } from './live-schema.js';
import { lookUpVerdict, type Verdict } from './no-difference-memo.js';
import { DeclaredInputs, declaredKey, openDeclaredMemo, type DeclaredMemo, type DeclaredScope } from './declared-memo.js';
import { createRequire } from 'node:module';
import { nextTurn } from '../next-turn.js';
import { configSetGlobals } from '../config/load-config.js';
import type { CompareOptions as DiffOptions } from '../diff/compare.js';

export { modelFiles, type UnmatchedModelFile } from './model-files.js';
export { excludedTables, liveSchema } from './live-schema.js';

/** What loading the models found that the user should hear about: a file no glob reads, a table declared and not exported. */
export type ModelWarning = ({ readonly kind: 'unmatched' } & UnmatchedModelFile) | { readonly kind: 'unexported'; readonly table: string };

/** The tables and enums one model file exports. */
export interface ModelFileContents {
  readonly file: string;
  readonly tables: readonly string[];
  readonly enums: readonly string[];
}

/** What the CLI says about the model files: the warnings, and (for -v) what each file holds. */
export interface ModelReport {
  /** The model files read, absolute, in the order they were loaded. */
  readonly files: readonly string[];
  readonly warnings: readonly ModelWarning[];
  /** The tables and enums each file exports, worked out when asked (only -v lists them). */
  contents(): ModelFileContents[];
}

/** The model files as loaded, before the dialect collects them. */
interface LoadedModels {
  readonly exports: readonly Record<string, unknown>[];
  /** Every table() the files called, exported or not. */
  readonly declaredNames: readonly string[];
  /** The files that ran, for the declared-schema memo; null where the full loader ran them. */
  readonly program: readonly ProgramFile[] | null;
}

/** The schema the models declare, as they declare it (not normalised), its key, and what to tell the user about the model files. */
interface DeclaredModels {
  readonly declared: SchemaIR;
  /** Read back from the memo (declared-memo.ts), not from running the files. */
  readonly recalled?: true;
  /** False when the remembered schema turned out damaged (reading it then throws); true otherwise. */
  intact(): boolean;
  /** The declared schema's key (declared-memo.ts declaredKey, worked out when asked); null when it has none. */
  key(): string | null;
  readonly models: ModelReport;
}

/**
 * Loads the model files (compiling those the cache misses); needs no dialect, so it can start before connecting.
 * `runAfter`: files found compiled in the cache are run once it resolves (module-loader.ts).
 */
async function loadModelFiles(files: readonly string[], runAfter: Promise<void>, inputs: DeclaredInputs): Promise<LoadedModels> {
  const stopRecording = recordDeclaredTables();
  let loaded: Awaited<ReturnType<typeof loadProgram>>;
  let declaredNames: readonly string[];
  try {
    // esbuild at any size: the model files are compiled once per run, where sucrase's loading costs more (transform.ts).
    loaded = await loadProgram(files, 'model file', { calledLater: true, compiler: 'native', runAfter, observe: inputs.observe });
  } finally {
    declaredNames = stopRecording();
  }
  return { exports: loaded.exports, declaredNames, program: loaded.program };
}

const requireHere = createRequire(import.meta.url);

/** What the declared schema is collected for on `dialect` (declared-memo.ts). */
function declaredScope(project: Project, dialect: Dialect, files: readonly string[]): DeclaredScope {
  return { cacheDir: schemaCache(project).cache?.dir, dialect: dialect.displayName, collect: [portableIdentifierLimit(), project.modelSchemas(dialect), project.config.naming], files };
}

/** The schema the loaded models declare, remembered for the next run where all it read is keyed (declared-memo.ts). */
function collectDeclared(project: Project, dialect: Dialect, load: ModelLoad, loaded: LoadedModels): DeclaredModels {
  const { files, unmatched } = load;
  const { exports, declaredNames, program } = loaded;
  const modules = files.map((file, i) => ({ file, exports: exports[i]! }));
  // Collecting calls the files' own functions (a table's extras, a reference's arrow): what they read is watched too.
  const declared = load.inputs.watch(() => collectModels(modules, { spelling: dialect.sqlSpelling, identifierLimit: portableIdentifierLimit(), schemas: project.modelSchemas(dialect) }, project.config.naming));
  // A table() whose result no model file exports: autogenerate would silently leave it out.
  const exported = new Set(declared.tables.map((t) => t.name));
  const unexported = [...new Set(declaredNames)].filter((name) => !exported.has(name));
  const contents = () => modules.map((m) => fileContents(m.file, m.exports));
  const written = load.inputs.remember(declaredScope(project, dialect, files), program, declared, { unexported, get contents() { return contents(); } });
  // undefined: nothing was written, and the key is worked out only if asked (the verdict's).
  let key: string | null | undefined = written;
  // The files the models imported: those Retort's loader ran, or Node's require (a .js helper the full loader reached).
  const ran = program !== null ? program.map((f) => f.file) : Object.keys(requireHere.cache);
  return { declared, intact: () => true, key: () => (key === undefined ? (key = declaredKey(declared)) : key), models: modelReport(files, unmatched, ran, unexported, contents) };
}

/** The declared schema as the last run that read the same inputs left it (declared-memo.ts), or null. */
async function recalledDeclared(project: Project, dialect: Dialect, load: ModelLoad): Promise<DeclaredModels | null> {
  const hit = (await load.memo)?.recall(declaredScope(project, dialect, load.files)) ?? null;
  if (hit === null) return null;
  return {
    recalled: true,
    intact: () => hit.schema() !== null,
    get declared() {
      const schema = hit.schema();
      // compareOn runs the files instead where it can; a listing asked for after a remembered verdict cannot.
      if (schema === null) throw new RetortError('MODEL', 'the remembered declared schema (node_modules/.cache/retort/declared-schema.txt) was damaged and has been removed', { hint: 'run the command again: the model files will run' });
      return schema;
    },
    key: () => hit.key,
    models: modelReport(load.files, load.unmatched, hit.ran, hit.unexported, () => hit.contents.map((c) => ({ file: c.file, tables: [...c.tables], enums: [...c.enums] }))),
  };
}

/**
 * What the user is told of the model files. A source file under a models folder that no glob matches is reported
 * unless a model file imported it (`ran`): a helper beside the models is read, as their import.
 */
function modelReport(files: readonly string[], unmatched: readonly UnmatchedModelFile[], ran: readonly string[], unexported: readonly string[], contents: () => ModelFileContents[]): ModelReport {
  const imported = new Set(ran);
  const warnings: ModelWarning[] = [
    ...unmatched.filter((u) => !imported.has(u.file)).map((u): ModelWarning => ({ kind: 'unmatched', ...u })),
    ...unexported.map((table): ModelWarning => ({ kind: 'unexported', table })),
  ];
  return { files, warnings, contents };
}

function fileContents(file: string, exports: Record<string, unknown>): ModelFileContents {
  const tables = new Set<string>();
  const enums = new Set<string>();
  for (const d of declarations(exports)) {
    if (isTableDecl(d)) tables.add(d.tableName);
    else if (isEnumType(d)) enums.add(d.enumName);
  }
  return { file, tables: [...tables], enums: [...enums] };
}

export interface Comparison {
  readonly ops: Operation[];
  readonly dialect: Dialect;
  /**
   * The live and the declared schema as compared (normalised). A function: when the comparison was remembered
   * (no-difference-memo.ts) the live schema was not read, and the declared one stands for both, normalised only if asked.
   */
  schemas(): { readonly live: SchemaIR; readonly declared: SchemaIR };
  /** The model files read, what they hold, and what to warn about them. */
  readonly models: ModelReport;
  /** Where the database stands, and the heads of the revisions it has not reached (empty when it is at head). */
  readonly at: readonly string[];
  readonly behind: readonly string[];
}

export type { StoppedRevision } from './history-table.js';

/** What check reads besides the comparison: the changed applied files, and a revision left part-way (or null). */
export interface Checked {
  readonly changed: readonly ChangedRevision[];
  readonly stopped: StoppedRevision | null;
}

/** How a reading command waits for a migration in progress: --lock-timeout, and what to say while it waits. */
export interface ReadOptions {
  readonly lockTimeoutMs?: number | undefined;
  readonly onLockWait?: ((holder: string | null) => void) | undefined;
}

/** The operations that take the database to the models. */
export async function compareWithDatabase(project: Project, opts: { requireHead: boolean; startFrom?: string | null } & ReadOptions): Promise<Comparison> {
  // The revisions first: a missing migrations folder is reported before a SQLite file is created by connecting.
  project.graph();
  const models = startLoadingModels(project);
  return withConnection(project, async (dialect, conn) => compareOn(project, dialect, conn, models, opts), { lockTimeoutMs: lockTimeoutMs(project, opts), readOnly: true });
}

/** The model files, loading or ready to. */
interface ModelLoad {
  readonly files: readonly string[];
  readonly unmatched: readonly UnmatchedModelFile[];
  /**
   * The remembered declared schema whose files and environment are unchanged (declared-memo.ts), those whose text
   * changed compiled as before; null when none is.
   */
  readonly memo: Promise<DeclaredMemo | null>;
  /** What the files read while they ran and were collected. */
  readonly inputs: DeclaredInputs;
  /** The files run (V8's part, on this thread), their load started now if it was not; each call returns the same promise. */
  load(): Promise<LoadedModels>;
}

/**
 * Starts loading the model files before connecting: a first run's compile (esbuild, in its own process) and
 * PostgreSQL's connection both wait, and each wait is the other's time. Files already compiled are handed to V8 only
 * when `load` is called: that is all work on this thread (90 ms at 1000 tables), and done before connecting it kept
 * the connection's round trips and the catalog read waiting behind it, where the database can answer while it runs.
 * Where a remembered declared schema's files are unchanged, nothing is read until `load` (most runs never call it).
 * A failure is reported where the models are needed (after the revisions, the connection and the version table, as
 * before), never on its own.
 */
function startLoadingModels(project: Project): ModelLoad {
  const inputs = new DeclaredInputs();
  // Globals the config set are inputs a model may read that have no key.
  if (configSetGlobals()) inputs.unkeyed();
  let listed: ReturnType<typeof modelFiles>;
  try {
    listed = modelFiles(project);
  } catch (e) {
    // No model file: reported where the models are needed, as a failure to load them is.
    const failed = Promise.reject(e);
    failed.catch(() => undefined);
    return { files: [], unmatched: [], memo: Promise.resolve(null), inputs, load: () => failed };
  }
  const { files, unmatched } = listed;
  // Unchanged files with a remembered schema (most runs) are not read here: they may not have to run at all. A file
  // whose text changed is compiled now (esbuild's process, while connecting): compiled as before, it need not run either.
  const opened = openDeclaredMemo(schemaCache(project).cache?.dir);
  const memo = opened === null || opened.recompiled.length === 0
    ? Promise.resolve(opened)
    : Promise.all(opened.recompiled.map(async (r) => (await compiledChecksum(r.file)) === r.code)).then((alike) => (alike.every(Boolean) ? opened : null), () => null);
  let run!: () => void;
  const gate = new Promise<void>((resolve) => (run = resolve));
  const start = () => {
    const loading = loadModelFiles(files, gate, inputs);
    loading.catch(() => undefined);
    return loading;
  };
  let loading = opened === null ? start() : null;
  return {
    files, unmatched, memo, inputs,
    load: () => {
      loading ??= start();
      run();
      return loading;
    },
  };
}

/**
 * `check`'s reading, on one connection: the applied revision files changed since they ran, given to `onChanged`
 * first (so they are reported even when the models cannot be compared), then the comparison.
 */
export async function checkDatabase(project: Project, onChanged: (changed: readonly ChangedRevision[]) => void, opts: ReadOptions = {}): Promise<Comparison & Checked> {
  project.graph();
  const models = startLoadingModels(project);
  return withConnection(project, async (dialect, conn) => compareOn(project, dialect, conn, models, { ...opts, requireHead: false, onChanged }), { lockTimeoutMs: lockTimeoutMs(project, opts), readOnly: true });
}

interface CompareOptions extends ReadOptions {
  readonly requireHead: boolean;
  /** The revision a new one builds on (`--head`): the database must stand at it rather than at the heads. */
  readonly startFrom?: string | null;
  /** Given the changed revision files (check), which are then read too. */
  readonly onChanged?: (changed: readonly ChangedRevision[]) => void;
}

/**
 * Reads the database in one snapshot, taken once no migration is in progress (a diff against a half-migrated
 * database, or a catalog read across two revisions, would write a wrong revision), and compares it with the models.
 */
async function compareOn(project: Project, dialect: Dialect, conn: Connection, models: ModelLoad, opts: CompareOptions): Promise<Comparison & Checked> {
  const excluded = excludedTables(project);
  // The declared schema, asked for once the database has its catalog read to answer (or the verdict needs it): the
  // remembered one (declared-memo.ts), else the model files', loading since before the connection, run now.
  let declaring: Promise<DeclaredModels> | null = null;
  const declare = (): Promise<DeclaredModels> => {
    if (declaring === null) {
      declaring = recalledDeclared(project, dialect, models).then((recalled) => recalled ?? models.load().then((loaded) => collectDeclared(project, dialect, models, loaded)));
      declaring.catch(() => undefined);
    }
    return declaring;
  };
  let reading: { heads: string[]; changed: ChangedRevision[]; stopped: StoppedRevision | null; live: SchemaIR | null; verdict: Verdict | null };
  try {
    reading = await dialect.readSnapshot(conn, lockOptions(project, dialect, opts), async () => {
      // Both of Retort's tables looked for in one query where both are read.
      const present = opts.onChanged ? await ownTables(project, dialect, conn) : undefined;
      const heads = await readCheckedHeads(project, dialect, conn, 'files', present);
      refuseBehind(project, heads, opts.requireHead, opts.startFrom ?? null);
      // The history read once: the checksums of what is applied, and a revision an earlier run left part-way (its part row).
      const history: HistoryRow[] = opts.onChanged ? await historyTable(project, dialect).read(conn, present) : [];
      const changed = opts.onChanged ? await changedRevisions(project, dialect, conn, heads, present, history) : [];
      const newest = newestRow(history);
      const stopped = stoppedRevision(newest);
      // Where the dialect keys its live schema, a comparison found equal before is not read or made again. Models that
      // fail to load are reported after the snapshot, as without a memo (check lists the changed files first).
      const verdict = await lookUpVerdict(project, dialect, conn, () => declare().then((d) => d.key(), () => null));
      if (verdict?.known) return { heads, changed, stopped, live: null, verdict };
      const live = liveSchema(project, dialect, conn, excluded);
      // The catalog read is sent within this turn (a dialect that answers synchronously has read it by then): the
      // declared schema is worked out (or a remembered one read) from the next one, while the database answers.
      nextTurn().then(declare).then((d) => d.declared).catch(() => undefined);
      return { heads, changed, stopped, live: await live, verdict };
    });
  } catch (e) {
    await (declaring as Promise<DeclaredModels> | null)?.catch(() => undefined);
    throw e;
  }
  const { heads, changed, stopped, live, verdict } = reading;
  opts.onChanged?.(changed);
  let found = await declare();
  // A remembered schema found damaged when read (its lines no longer hash to its key): the files run after all.
  if (live !== null && found.recalled === true && !found.intact()) found = collectDeclared(project, dialect, models, await models.load());
  const report = found.models;
  const behind = project.graph().heads.filter((h) => !heads.includes(h));
  if (live === null) {
    // No difference, as before: the declared schema stands for the live one, which equals it in every compared field.
    // Normalised only if asked (autogenerate and check do not ask when nothing differs).
    let same: SchemaIR | undefined;
    const schemas = () => {
      same ??= declaredAsCompared(project, dialect, found.declared, excluded);
      return { live: same, declared: same };
    };
    return { ops: [], dialect, schemas, models: report, at: heads, behind, changed, stopped };
  }
  const asDeclared = found.declared;
  const normalized = declaredAsCompared(project, dialect, asDeclared, excluded);
  // The database's own spelling of expressions it rewrites on storage (PostgreSQL), so they compare equal. It asks the
  // server about the declared expressions only, so it needs no snapshot (and it runs statements a read-only one refuses).
  // Against the live schema as the declared renames leave it, so a renamed table's expressions are matched by its new name.
  // The rename planner (and the operation registry it needs) is loaded only when the models carry a hint.
  const planRenames = hasRenameHints(normalized) && (dialect.canonicalize || dialect.followRenames) ? (await import('../diff/compare-renames.js')).planRenames : null;
  const renameOptions = { keyNamesSchemaWide: dialect.keyNamesSchemaWide, naming: project.config.naming };
  const renames = planRenames === null ? null : planRenames(live, normalized, dialect.enumPlanner.enumTypes, renameOptions);
  // Views, policies and triggers as the database keeps them once those renames have run (PostgreSQL follows them).
  const followed = dialect.followRenames && renames !== null && renames.ops.length > 0 ? await dialect.followRenames(conn, live, renames.ops, project.schemaOption(dialect)) : live;
  const renamedLive = renames === null ? live : followed === live ? renames.from : planRenames!(followed, normalized, dialect.enumPlanner.enumTypes, renameOptions).from;
  const declared = dialect.canonicalize ? await dialect.canonicalize(conn, normalized, renamedLive, { ...project.schemaOption(dialect), renames: renames?.ops ?? [] }) : normalized;
  // An unchanged database (most runs) is told apart without the differ, which is loaded only when something differs.
  const ops = (renames === null || renames.ops.length === 0) && noDifference(followed, declared) ? [] : await difference(followed, declared, dialect, { ...renameOptions, liveFollowsRenames: followed !== live }, asDeclared);
  if (ops.length === 0) verdict?.remember(found.key());
  return { ops, dialect, schemas: () => ({ live, declared }), models: report, at: heads, behind, changed, stopped };
}

/** The declared schema as it is compared: normalised, without the excluded tables and what `include` refuses. */
function declaredAsCompared(project: Project, dialect: Dialect, asDeclared: SchemaIR, excluded: (name: string) => boolean): SchemaIR {
  let normalized = dialect.normalize(asDeclared);
  // An excluded table's policies and triggers go with it (the live side reads none for it either).
  if (normalized.tables.some((t) => excluded(t.name))) {
    const policies = normalized.policies?.filter((p) => !excluded(p.table));
    const triggers = normalized.triggers?.filter((t) => !excluded(t.table));
    normalized = { ...normalized, tables: normalized.tables.filter((t) => !excluded(t.name)), ...(policies !== undefined ? { policies } : {}), ...(triggers !== undefined ? { triggers } : {}) };
  }
  return included(project, dialect, normalized, false);
}

/** The differ's operations from `live` to `declared` (compare.ts, loaded here on first use). */
async function difference(live: SchemaIR, declared: SchemaIR, dialect: Dialect, options: DiffOptions, asDeclared: SchemaIR): Promise<Operation[]> {
  const { compareSchemas, withDeclaredIndexOptions } = await import('../diff/compare.js');
  return withDeclaredIndexOptions(compareSchemas(live, declared, dialect.enumPlanner, { ...options, generatedColumns: dialect.generatedColumns, viewsKeepThroughAddColumn: dialect.viewsKeepThroughAddColumn === true }), asDeclared);
}

/**
 * Autogenerate against a database behind head would repeat the revisions it has not run. With `--head REV` (`startFrom`)
 * the new revision starts from REV, so its diff must be taken at REV: REV applied and nothing after it, and every
 * revision not after REV applied (the other lines up to date). A revision after REV left unapplied (the head a
 * `--splice` branches away from) is no concern.
 */
function refuseBehind(project: Project, heads: readonly string[], requireHead: boolean, startFrom: string | null): void {
  if (!requireHead) return;
  const graph = project.graph();
  if (startFrom !== null) return refuseAwayFrom(graph, heads, startFrom);
  const graphHeads = graph.heads;
  if (graphHeads.every((h) => heads.includes(h))) return;
  const several = graphHeads.length > 1;
  throw new RetortError('TARGET', `the database is not up to date (at ${heads.join(', ') || 'base'}, ${several ? 'heads are' : 'head is'} ${graphHeads.join(', ')}), so a diff against it would repeat earlier revisions`, {
    // Several heads (two branches merged in git): `upgrade head` would refuse them as ambiguous.
    hint: several ? 'run `retort upgrade heads` first, or join the branches with `retort merge -m "merge"` and upgrade to it' : 'run `retort upgrade head` first',
  });
}

/** `--head rev`: the database must stand at `rev`, as every database the new revision will run on does. */
function refuseAwayFrom(graph: RevisionGraph, heads: readonly string[], rev: string): void {
  const at = heads.join(', ') || 'base';
  const applied = graph.ancestors(heads, true);
  const after = graph.descendants(rev);
  const past = heads.filter((h) => after.has(h));
  if (past.length > 0) {
    throw new RetortError('TARGET', `the database is at ${at}, past ${rev} (the revision the new one starts from), so a diff against it would be wrong on a database at ${rev}`, {
      hint: `run \`retort downgrade ${rev}\` first, or build on the database's revision with --head ${past.length === 1 ? past[0] : '<rev>'}`,
    });
  }
  if (!applied.has(rev)) {
    throw new RetortError('TARGET', `the database is at ${at}, behind ${rev} (the revision the new one starts from), so a diff against it would repeat revisions up to ${rev}`, {
      hint: `run \`retort upgrade ${rev}\` first`,
    });
  }
  const missing = new Set([...graph.ids()].filter((id) => !applied.has(id) && !after.has(id)));
  if (missing.size === 0) return;
  const tips = graph.headsOf(missing);
  throw new RetortError('TARGET', `the database is not up to date beside ${rev} (at ${at}; ${tips.join(', ')} not applied), so a diff against it would repeat ${tips.length === 1 ? 'that revision' : 'those revisions'}`, {
    hint: tips.map((t) => `\`retort upgrade ${t}\``).join(' and ') + ' first',
  });
}

export interface AutogenerateResult {
  readonly written: NewRevision | null;
  /** The operations the revision's upgrade holds. */
  readonly ops: readonly Operation[];
  readonly changes: string[];
  readonly destructive: string[];
  /** Things to know before applying the revision (it creates more tables than one transaction can lock). */
  readonly warnings: string[];
  /** Drops and adds that look like renames, each with the `.renamedFrom` to declare (never acted on). */
  readonly suggestions: string[];
  /** The model files read, what they hold, and what to warn about them. */
  readonly models: ModelReport;
}

/** `revision --autogenerate`: writes a revision with the difference, or nothing when there is none. */
export async function autogenerateRevision(project: Project, opts: Omit<NewRevisionOptions, 'body'> & { allowEmpty: boolean } & ReadOptions): Promise<AutogenerateResult> {
  // `--head rev` (not a merge, not `base`, which starts a line of its own): the diff is taken at rev, checked before connecting.
  const startFrom = opts.head !== undefined && opts.head !== 'base' && opts.parents === undefined ? revisionToBuildOn(project.graph(), opts.head, opts.splice ?? false) : null;
  const { ops, dialect, models, schemas } = await compareWithDatabase(project, { requireHead: true, startFrom, lockTimeoutMs: opts.lockTimeoutMs, onLockWait: opts.onLockWait });
  const big = dialect.bigTransactionWarning?.(ops.filter((o) => o.kind === 'createTable').length) ?? null;
  // Nothing to write: the describers, planners and the operation registry are not needed (nor loaded).
  if (ops.length === 0 && !opts.allowEmpty) return { written: null, ops, changes: [], destructive: [], warnings: big === null ? [] : [big], suggestions: [], models };
  // An INVALID index must be dropped by hand first (upgrade refuses to run while it is there); a NOT VALID
  // constraint is validated by the revision (a validateConstraint), and said so.
  const { refuseInvalidIndexes, unfinishedStates } = await import('./unfinished-states.js');
  const unfinished = await unfinishedStates(dialect, ops);
  refuseInvalidIndexes(unfinished);
  const [{ describeDifferences }, { addsRequiredColumn, destructiveChanges }, { planOnline }, { likelyRenames, renameSuggestionText }, { inverseAll }] = await Promise.all([
    import('../operations/describe.js'), import('../operations/destructive.js'), import('../diff/online-plan.js'), import('../diff/likely-renames.js'), import('../operations/operations.js'),
  ]);
  const changes = describeDifferences(ops);
  const destructive = destructiveChanges(ops, dialect);
  // Safety 'online': lock-safe forms for tables that exist, where the dialect has them; each way planned on its own,
  // so the downgrade is the exact inverse of the upgrade's operations and lock-safe too.
  const forms = project.config.online.safety === 'online' ? (dialect.online ?? null) : null;
  // A partitioned table's key, for the check that lets an attach skip its scan: the models', else the database's.
  const { live, declared } = schemas();
  const partitionKey = (table: string) => (declared.tables.find((t) => t.name === table) ?? live.tables.find((t) => t.name === table))?.partitionBy;
  const inverse = inverseAll(ops);
  const upPlan = planOnline(ops, forms, { partitionKey });
  const downPlan = planOnline(inverse, forms, { partitionKey });
  // The downgrade of a dropped NOT NULL column adds it back with nothing to fill it (lint reads upgrades only).
  const requiredBack = inverse.flatMap((o) => (addsRequiredColumn(o) ? [`the downgrade adds "${o.table}"."${o.column.name}" back NOT NULL without a default: it fails once "${o.table}" has a row (give it a serverDefault in the downgrade, or accept that the downgrade needs the table empty)`] : []));
  const warnings = [...(big === null ? [] : [big]), ...upPlan.warnings, ...requiredBack, ...unfinished.map((u) => `constraint "${u.name}" on "${u.table}" is NOT VALID in the database: the revision validates it, which fails if a row already there breaks it`)];
  const suggestions = likelyRenames(ops).map(renameSuggestionText);
  // Rendering and writing are loaded only when there is a file to write.
  const [{ renderPlan }, { createRevision }] = await Promise.all([import('../render/render-plan.js'), import('./new-revision.js')]);
  const up = renderPlan(upPlan.steps, { naming: project.config.naming, dataLoss: dialect });
  // Lint reads upgrades only: an accepted finding in the downgrade would be an unused ignore.
  const down = renderPlan(downPlan.steps.map(({ accepts: _a, ...step }) => step), { naming: project.config.naming, dataLoss: dialect });
  const written = await createRevision(project, {
    ...opts,
    body: { upgrade: up.code, downgrade: down.code, imports: [...new Set([...up.imports, ...down.imports])].sort() },
  });
  return { written, ops, changes, destructive, warnings, suggestions, models };
}
