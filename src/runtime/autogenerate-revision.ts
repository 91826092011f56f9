/**
 * Autogenerate and check: the declared models and the live database both
 * become normalised Schema IR, and their difference becomes operations, a
 * rendered revision file, or a report.
 */
import path from 'node:path';
import { RetortError } from '../errors.js';
import { globMatcher } from '../config/config.js';
import { expandBraces, expandGlobs } from '../config/glob.js';
import type { Connection, Dialect } from '../dialects/dialect.js';
import { compareSchemas, withDeclaredIndexOptions } from '../diff/compare.js';
import { planRenames } from '../diff/compare-renames.js';
import { planOnline } from '../diff/online-plan.js';
import { likelyRenames, renameSuggestionText } from '../diff/likely-renames.js';
import { destructiveChanges } from '../operations/destructive.js';
import { describeDifferences } from '../operations/describe.js';
import { inverseAll, type Operation } from '../operations/operations.js';
import { collectModels, declarations } from '../models/collect.js';
import { isEnumType, isTableDecl, recordDeclaredTables } from '../models/dsl.js';
import { portableIdentifierLimit } from '../dialects/index.js';
import type { SchemaIR } from '../ir/ir.js';
import { filterSchema } from '../ir/include-filter.js';
import { loadModules } from './module-loader.js';
import { changedRevisions, lockOptions, lockTimeoutMs, readCheckedHeads, type ChangedRevision } from './migrate.js';
import type { NewRevision, NewRevisionOptions } from './new-revision.js';
import { withConnection, type Project } from './project.js';

/** A file under a models folder that no `models` glob matches, and a glob that would read it. */
export interface UnmatchedModelFile {
  readonly file: string;
  /** A glob, relative to the config's folder, that reads it too (`models/**\/*.{ts,mts}`). */
  readonly suggestion: string;
  /** The config file's name, where the glob goes. */
  readonly config: string;
}

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

const SOURCE_FILE = /\.(?:[cm]?ts|[cm]?js)$/;

/** The model files the config names, and the source files under the models folders that no glob matches. */
export function modelFiles(project: Project): { files: string[]; unmatched: UnmatchedModelFile[] } {
  const { files, walked } = expandGlobs(project.config.models);
  const unmatched = walked.size === 0 ? [] : unmatchedFiles(project, files, walked);
  if (files.length === 0) {
    throw new RetortError('MODEL', `no model files match ${project.config.models.map((m) => path.relative(process.cwd(), m) || m).join(', ')}`, {
      hint: unmatched.length > 0
        ? `${path.relative(process.cwd(), unmatched[0]!.file)} is not read: add e.g. '${unmatched[0]!.suggestion}' to models in ${unmatched[0]!.config}`
        : 'declare tables in models/ or set `models` in retort.config.ts',
    });
  }
  return { files, unmatched };
}

const within = (dir: string, file: string) => {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * Source files (not .d.ts) in the folders the globs are fixed to (`models/` of `models/**\/*.ts`) that no glob
 * matches: a `.mts` model under a `*.ts` glob is otherwise silently ignored. Only a filter of what the globs'
 * walk listed anyway. A glob fixed to no folder below the config's (`*.model.ts`) is left out: every source file
 * of the project would be reported, as are the config file and the revision files.
 */
function unmatchedFiles(project: Project, files: readonly string[], walked: ReadonlyMap<string, readonly string[]>): UnmatchedModelFile[] {
  const { dir, migrationsDir, file: configFile, models } = project.config;
  const matched = new Set(files);
  const found = new Set<string>();
  for (const [base, under] of walked) {
    if (within(path.resolve(base), dir)) continue;
    for (const f of under) {
      if (matched.has(f) || !SOURCE_FILE.test(f) || f.endsWith('.d.ts') || f === configFile || within(migrationsDir, f)) continue;
      found.add(f);
    }
  }
  const config = path.basename(configFile ?? 'retort.config.ts');
  return [...found].sort().map((file) => ({ file, suggestion: suggestGlob(dir, models, file), config }));
}

/** `<folder>/**\/*.{ts,mts}`: the folder of the first glob whose fixed part holds `file`, with its extensions and the file's. */
function suggestGlob(dir: string, models: readonly string[], file: string): string {
  for (const pattern of models) {
    const alternatives = expandBraces(pattern).map((a) => a.split(path.sep).join('/'));
    const bases = alternatives.map((a) => {
      const magic = a.search(/[*?[]/);
      return magic === -1 ? '' : a.slice(0, magic).replace(/\/[^/]*$/, '');
    });
    const base = bases.find((b) => b !== '' && within(b, file));
    if (base === undefined) continue;
    const exts = [...new Set([...alternatives.map((a) => /\.([cm]?[tj]s)$/.exec(a)?.[1]).filter((e): e is string => e !== undefined), path.extname(file).slice(1)])];
    const folder = path.relative(dir, base).split(path.sep).join('/');
    return `${folder ? `${folder}/` : ''}**/*.${exts.length === 1 ? exts[0] : `{${exts.join(',')}}`}`;
  }
  return `**/*${path.extname(file)}`;
}

/** The schema the models declare, as declared and normalised by the dialect, and what to tell the user about the model files. */
export async function declaredSchema(project: Project, dialect: Dialect): Promise<{ declared: SchemaIR; normalized: SchemaIR; models: ModelReport }> {
  const { files, unmatched } = modelFiles(project);
  const stopRecording = recordDeclaredTables();
  let exports: Record<string, unknown>[];
  let declaredNames: readonly string[];
  try {
    exports = await loadModules(files, 'model file');
  } finally {
    declaredNames = stopRecording();
  }
  const modules = files.map((file, i) => ({ file, exports: exports[i]! }));
  const declared = collectModels(modules, { spelling: dialect.sqlSpelling, identifierLimit: portableIdentifierLimit(), schemas: project.modelSchemas(dialect) }, project.config.naming);
  const warnings: ModelWarning[] = unmatched.map((u) => ({ kind: 'unmatched', ...u }));
  // A table() whose result no model file exports: autogenerate would silently leave it out.
  const exported = new Set(declared.tables.map((t) => t.name));
  for (const name of new Set(declaredNames)) if (!exported.has(name)) warnings.push({ kind: 'unexported', table: name });
  const models: ModelReport = { files, warnings, contents: () => modules.map((m) => fileContents(m.file, m.exports)) };
  return { declared, normalized: dialect.normalize(declared), models };
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

/**
 * The tables autogenerate and check leave alone, on both sides: the version and history tables, Alembic's version
 * table (a team moving from Alembic keeps it until it is sure) and those `exclude` matches. A model that declares
 * one is not compared either, as Alembic's include_object filters both sides.
 */
function excludedTables(project: Project): (name: string) => boolean {
  const excluded = globMatcher(project.config.exclude);
  const own = new Set([project.config.versionTable, project.config.historyTable, 'alembic_version']);
  return (name) => own.has(name) || excluded(name);
}

/** The live schema, without the tables autogenerate leaves alone. */
export async function liveSchema(project: Project, dialect: Dialect, conn: Connection, excluded = excludedTables(project)): Promise<SchemaIR> {
  const live = await dialect.introspect(conn, { ...project.schemaOption(dialect), exclude: excluded });
  return included(project, dialect, live, true);
}

/** `schema` without what the config's `include` refuses (`reflected`: the live side). */
function included(project: Project, dialect: Dialect, schema: SchemaIR, reflected: boolean): SchemaIR {
  const include = project.config.include;
  return include === null ? schema : filterSchema(schema, include, reflected, project.schema(dialect) ?? null);
}

export interface Comparison {
  readonly ops: Operation[];
  readonly dialect: Dialect;
  readonly live: SchemaIR;
  readonly declared: SchemaIR;
  /** The model files read, what they hold, and what to warn about them. */
  readonly models: ModelReport;
  /** Where the database stands, and the heads of the revisions it has not reached (empty when it is at head). */
  readonly at: readonly string[];
  readonly behind: readonly string[];
}

/** How a reading command waits for a migration in progress: --lock-timeout, and what to say while it waits. */
export interface ReadOptions {
  readonly lockTimeoutMs?: number | undefined;
  readonly onLockWait?: ((holder: string | null) => void) | undefined;
}

/** The operations that take the database to the models. */
export async function compareWithDatabase(project: Project, opts: { requireHead: boolean } & ReadOptions): Promise<Comparison> {
  // The revisions first: a missing migrations folder is reported before a SQLite file is created by connecting.
  project.graph();
  return withConnection(project, async (dialect, conn) => compareOn(project, dialect, conn, opts), { lockTimeoutMs: lockTimeoutMs(project, opts) });
}

/**
 * `check`'s reading, on one connection: the applied revision files changed since they ran, given to `onChanged`
 * first (so they are reported even when the models cannot be compared), then the comparison.
 */
export async function checkDatabase(project: Project, onChanged: (changed: readonly ChangedRevision[]) => void, opts: ReadOptions = {}): Promise<Comparison & { readonly changed: readonly ChangedRevision[] }> {
  project.graph();
  return withConnection(project, async (dialect, conn) => compareOn(project, dialect, conn, { ...opts, requireHead: false, onChanged }), { lockTimeoutMs: lockTimeoutMs(project, opts) });
}

interface CompareOptions extends ReadOptions {
  readonly requireHead: boolean;
  /** Given the changed revision files (check), which are then read too. */
  readonly onChanged?: (changed: readonly ChangedRevision[]) => void;
}

/**
 * Reads the database in one snapshot, taken once no migration is in progress (a diff against a half-migrated
 * database, or a catalog read across two revisions, would write a wrong revision), and compares it with the models.
 */
async function compareOn(project: Project, dialect: Dialect, conn: Connection, opts: CompareOptions): Promise<Comparison & { readonly changed: readonly ChangedRevision[] }> {
  const excluded = excludedTables(project);
  const pending: { declaring?: ReturnType<typeof declaredSchema> } = {};
  let reading: { heads: string[]; changed: ChangedRevision[]; live: SchemaIR };
  try {
    reading = await dialect.readSnapshot(conn, lockOptions(project, dialect, opts), async () => {
      const heads = await readCheckedHeads(project, dialect, conn);
      refuseBehind(project, heads, opts.requireHead);
      // The model files load while the database reads its catalog: the two take about as long on a large schema.
      pending.declaring = declaredSchema(project, dialect);
      pending.declaring.catch(() => undefined);
      const changed = opts.onChanged ? await changedRevisions(project, dialect, conn, heads) : [];
      return { heads, changed, live: await liveSchema(project, dialect, conn, excluded) };
    });
  } catch (e) {
    await pending.declaring?.catch(() => undefined);
    throw e;
  }
  const { heads, changed, live } = reading;
  opts.onChanged?.(changed);
  let { declared: asDeclared, normalized, models } = await pending.declaring!;
  // An excluded table's policies go with it (the live side reads none for it either).
  if (normalized.tables.some((t) => excluded(t.name))) {
    const policies = normalized.policies?.filter((p) => !excluded(p.table));
    normalized = { ...normalized, tables: normalized.tables.filter((t) => !excluded(t.name)), ...(policies !== undefined ? { policies } : {}) };
  }
  normalized = included(project, dialect, normalized, false);
  // The database's own spelling of expressions it rewrites on storage (PostgreSQL), so they compare equal. It asks the
  // server about the declared expressions only, so it needs no snapshot (and it runs statements a read-only one refuses).
  // Against the live schema as the declared renames leave it, so a renamed table's expressions are matched by its new name.
  const renamedLive = dialect.canonicalize ? planRenames(live, normalized, dialect.enumPlanner.enumTypes).from : live;
  const declared = dialect.canonicalize ? await dialect.canonicalize(conn, normalized, renamedLive, project.schemaOption(dialect)) : normalized;
  const ops = withDeclaredIndexOptions(compareSchemas(live, declared, dialect.enumPlanner), asDeclared);
  const behind = project.graph().heads.filter((h) => !heads.includes(h));
  return { ops, dialect, live, declared, models, at: heads, behind, changed };
}

/** Autogenerate against a database behind head would repeat the revisions it has not run. */
function refuseBehind(project: Project, heads: readonly string[], requireHead: boolean): void {
  const graphHeads = project.graph().heads;
  if (!requireHead || graphHeads.every((h) => heads.includes(h))) return;
  throw new RetortError('TARGET', `the database is not up to date (at ${heads.join(', ') || 'base'}, head is ${graphHeads.join(', ')}), so a diff against it would repeat earlier revisions`, {
    hint: 'run `retort upgrade head` first',
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
  const { ops, dialect, models } = await compareWithDatabase(project, { requireHead: true, lockTimeoutMs: opts.lockTimeoutMs, onLockWait: opts.onLockWait });
  const changes = describeDifferences(ops);
  const destructive = destructiveChanges(ops, dialect);
  const created = ops.filter((o) => o.kind === 'createTable').length;
  const big = dialect.bigTransactionWarning?.(created) ?? null;
  // Safety 'online': lock-safe forms for tables that exist, where the dialect has them; each way planned on its own,
  // so the downgrade is the exact inverse of the upgrade's operations and lock-safe too.
  const forms = project.config.online.safety === 'online' ? (dialect.online ?? null) : null;
  const upPlan = planOnline(ops, forms);
  const downPlan = planOnline(inverseAll(ops), forms);
  const warnings = [...(big === null ? [] : [big]), ...upPlan.warnings];
  const suggestions = likelyRenames(ops).map(renameSuggestionText);
  if (ops.length === 0 && !opts.allowEmpty) return { written: null, ops, changes, destructive, warnings, suggestions, models };
  // Rendering and writing are loaded only when there is a file to write.
  const [{ renderPlan }, { createRevision }] = await Promise.all([import('../render/render-plan.js'), import('./new-revision.js')]);
  const up = renderPlan(upPlan.steps, { naming: project.config.naming, dataLoss: dialect });
  const down = renderPlan(downPlan.steps, { naming: project.config.naming, dataLoss: dialect });
  const written = await createRevision(project, {
    ...opts,
    body: { upgrade: up.code, downgrade: down.code, imports: [...new Set([...up.imports, ...down.imports])].sort() },
  });
  return { written, ops, changes, destructive, warnings, suggestions, models };
}
