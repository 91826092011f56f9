/**
 * `retort pull`: the live database written as model files, and optionally a baseline revision that creates the
 * whole schema on a fresh database, with the existing database stamped at it. Returns what it wrote or would
 * write as plain data; never prints.
 */
import { VersionTable } from '../runtime/version-table.js';
import { loadProject, type CommandOptions } from './context.js';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { RetortError } from '../errors.js';
import { emptySchema, type SchemaIR } from '../ir/ir.js';
import type { Dialect, UndeclaredObject } from '../dialects/dialect.js';
import { renderModels, type SplitMode } from '../render/models/render-models.js';
import { excludedTables as excludedBy, liveSchema } from '../runtime/live-schema.js';
import { schemaOf } from '../ir/qualified.js';
import { modelFiles } from '../runtime/model-files.js';
import { Project, withConnection } from '../runtime/project.js';
import { addToExclude, formatWithProjectPrettier, writeFilesAtomic, type ExcludeEntry, type PlannedFile } from './pull-files.js';

export interface PullOptions extends CommandOptions {
  /** A project already loaded; else it is loaded from `config`, `cwd` and `url` as every command does. */
  readonly project?: Project;
  /** The folder the model files go to; relative paths resolve against the working folder. Default: `models/` beside the config. */
  readonly out?: string | undefined;
  /** The database schema to read (PostgreSQL), instead of the config's. */
  readonly schema?: string | undefined;
  readonly split?: SplitMode | undefined;
  /** Overwrite model files that exist. */
  readonly force?: boolean | undefined;
  /** Write nothing: the report carries the files' text. */
  readonly dryRun?: boolean | undefined;
  /** Also write a revision that creates the whole schema, with this message. */
  readonly baseline?: string | undefined;
  /** With a baseline: do not stamp the database at it. */
  readonly noStamp?: boolean | undefined;
  /** Tables and views to leave out (names or globs, as the config's `exclude`): added to the config's `exclude`. */
  readonly exclude?: readonly string[] | undefined;
}

export interface PullEvents {
  /** Another process holds the migration lock while the baseline stamps the database. */
  readonly onLockWait?: (holder: string | null) => void;
}

/** One model file pulled. */
export interface PulledFile {
  /** Absolute path. */
  readonly file: string;
  /** Whether it replaced a file that was there (with --force). */
  readonly replaced: boolean;
  /** The text (in a dry run, what would be written). */
  readonly content: string;
}

export interface PullReport {
  readonly dryRun: boolean;
  readonly outDir: string;
  readonly files: readonly PulledFile[];
  readonly tables: number;
  readonly enums: number;
  /** Views and materialized views declared. */
  readonly views: number;
  /** The other kinds declared, with how many of each (domains, functions, procedures, aggregates, triggers, policies): none when zero. */
  readonly alsoDeclared: readonly { readonly kind: string; readonly count: number }[];
  /** Objects found in the database that the models cannot declare, left to the database as they are. */
  readonly notDeclared: readonly UndeclaredObject[];
  /** Tables left out of the models because the DSL cannot declare them exactly. */
  readonly excludedTables: readonly string[];
  /** Views left out because they read a table or view left out (excluded, or in `excludedTables`), with the names they read. */
  readonly excludedViews: readonly { readonly name: string; readonly reads: readonly string[] }[];
  /** The `--exclude` patterns given. */
  readonly excludeOption: readonly string[];
  /** Whether `excludeOption`, `excludedTables` and `excludedViews` were added to the config's `exclude` (false: the user must add them). */
  readonly excludeWritten: boolean;
  /** `prettier` when the files were formatted by the project's prettier. */
  readonly formatter: string | null;
  /** Alembic's version table and the revision(s) it names, when the database has one (left as it is). */
  readonly alembic: { readonly versions: readonly string[] } | null;
  /** Model files the config's globs read that pull did not write: they may declare the same tables again. */
  readonly otherModelFiles: readonly string[];
  /** Written files the config's `models` globs do not read (check would not see them). */
  readonly unreadFiles: readonly string[];
  readonly baseline: { readonly file: string | null; readonly revision: string | null; readonly stamped: boolean; readonly operations: number } | null;
  readonly warnings: readonly string[];
}

const SPLITS: readonly SplitMode[] = ['single', 'schema', 'table'];

/** Pulls the database's schema into model files (and a baseline revision when asked). */
export async function pull(options: PullOptions, events: PullEvents = {}): Promise<PullReport> {
  const split = options.split ?? 'single';
  if (!SPLITS.includes(split)) throw new RetortError('USAGE', `--split ${String(split)}: unknown layout`, { hint: 'use single, schema or table' });
  const loaded = options.project ?? (await loadProject(options));
  const project = options.schema === undefined ? loaded : new Project({ ...loaded.config, schema: options.schema });
  const baselineMessage = options.baseline;
  if (baselineMessage !== undefined) {
    if (baselineMessage.trim() === '') throw new RetortError('USAGE', '--baseline needs a message: say what the revision is with -m', { hint: 'retort pull --baseline -m "baseline"' });
    // A baseline starts the history: on top of other revisions, a fresh database would get the tables twice.
    const heads = project.graph().heads;
    if (heads.length > 0) {
      throw new RetortError('USAGE', `--baseline: ${project.config.migrationsDir} already has revisions (head ${heads.join(', ')}); a baseline must be the first revision`, {
        hint: 'pull without --baseline and run `retort revision --autogenerate`, or start from an empty migrations folder',
      });
    }
  }

  const excludeOption = [...(options.exclude ?? [])];
  // The tables and views left out (by exclude, --exclude, include, or being Retort's or Alembic's version tables).
  const leftOut = new Set<string>();
  const read = await withConnection(project, async (dialect, conn) => {
    const live = await liveSchema(project, dialect, conn, excludedBy(project, excludeOption), leftOut);
    const schema = dialect.declarableSchema ? dialect.declarableSchema(live) : live;
    const undeclared = (await dialect.undeclaredObjects?.(conn, project.schemaOption(dialect))) ?? [];
    const alembic = (await dialect.tableExists(conn, 'alembic_version', project.schemaOption(dialect)))
      ? (await conn.query<{ version_num: string }>(`SELECT version_num FROM ${dialect.quoteIdentifier('alembic_version')}`)).map((r) => String(r.version_num))
      : null;
    // A baseline starts a history: a database another Retort history has stamped would fail after the files are written.
    const stamped = baselineMessage !== undefined ? await new VersionTable(dialect, project.config.versionTable, project.schema(dialect)).readHeads(conn) : [];
    if (stamped.length > 0) {
      throw new RetortError('USAGE', `--baseline: the database is already at revision ${stamped.join(', ')} of a Retort history (table ${project.config.versionTable}), which ${project.config.migrationsDir} does not hold; nothing was written`, {
        hint: 'copy that project\'s migrations folder here and run `retort check`, or pull without --baseline',
      });
    }
    return { dialect, schema, undeclared, alembic };
  }, { readOnly: true, mustExist: true });
  const { dialect } = read;
  // Schemas the config does not manage are not read at all (nothing of theirs is listed): a warning names those that
  // hold tables, and a baseline of none of their tables, which would adopt nothing, is refused.
  const unmanaged = read.undeclared.filter((o) => o.unmanagedSchema === true).map((o) => o.name);
  const notDeclared = read.undeclared.filter((o) => o.unmanagedSchema !== true);
  const managedList = [project.schema(dialect), ...project.namedSchemas(dialect)].filter((s): s is string => s !== undefined);
  const schemasFix = (names: readonly string[]) => `add ${names.map((n) => `'${n}'`).join(', ')} to \`schemas\` in the config (init --from-db: --schemas ${names.join(',')})`;
  if (baselineMessage !== undefined && unmanaged.length > 0 && read.schema.tables.length === 0) {
    throw new RetortError('USAGE', `nothing to adopt: the schemas the config manages (${managedList.join(', ')}) hold no table, and ${unmanaged.join(', ')}, which it does not manage, hold${unmanaged.length === 1 ? 's' : ''} some; nothing was written or stamped`, {
      hint: `${schemasFix(unmanaged)}, then pull again`,
    });
  }

  const notes = notDeclared.map((o) => `${o.kind}: ${o.name}`);
  // A table over a type the models cannot create is left out with it: the baseline must build a fresh database.
  const undeclaredTypes = new Set(notDeclared.filter((o) => / type$/.test(o.kind)).map((o) => o.name.toLowerCase()));
  // A relation the models leave out whole (a virtual table, a view they cannot declare): what reads it goes with it.
  for (const o of notDeclared) if (o.relation === true) leftOut.add(o.name);
  const rendered = renderModels(read.schema, { naming: project.config.naming, split, schema: project.schema(dialect), notes, spelling: dialect.sqlSpelling, leftOut, undeclaredTypes });
  const excludedTables = [...rendered.undeclarable].sort();
  const excludedViews = rendered.leftOutViews;
  const goneViews = new Set([...excludedViews.map((v) => v.name), ...notDeclared.filter((o) => o.relation === true).map((o) => o.name)]);
  const outDir = path.resolve(options.out ?? path.join(project.config.dir, 'models'));
  const planned: PlannedFile[] = rendered.files.map((f) => ({ file: path.join(outDir, f.path), content: f.content }));
  const formatted = await formatWithProjectPrettier(planned, project.config.dir);
  const existing = new Set(formatted.files.filter((f) => existsSync(f.file)).map((f) => f.file));
  if (existing.size > 0 && !options.force && !options.dryRun) {
    const first = [...existing][0]!;
    throw new RetortError('WRITE', `${path.relative(process.cwd(), first) || first} already exists${existing.size > 1 ? ` (and ${existing.size - 1} more)` : ''}; not overwriting model files`, {
      hint: 'pass --force to overwrite them, --dry-run to see what would be written, or --out to write elsewhere',
    });
  }
  const files: PulledFile[] = formatted.files.map((f) => ({ file: f.file, replaced: existing.has(f.file), content: f.content }));
  const warnings = formatted.warning === null ? [] : [formatted.warning];
  if (unmanaged.length > 0) warnings.push(`tables in ${unmanaged.length === 1 ? 'schema' : 'schemas'} ${unmanaged.join(', ')} are not in the models: the config manages ${managedList.join(', ')} only (${schemasFix(unmanaged)}, and pull again)`);
  // check and autogenerate read the config's schema: models of another one compare against the wrong tables.
  if (options.schema !== undefined && options.schema !== loaded.schema(dialect)) {
    warnings.push(`the models are of schema "${options.schema}": set \`schema: '${options.schema}'\` in the config (or run check and autogenerate against it) so they compare against it`);
  }
  const sequences = (read.schema.sequences ?? []).filter((s) => !rendered.undeclarableSequences.includes(s.name));
  const triggers = (read.schema.triggers ?? []).filter((t) => !excludedTables.includes(t.table) && !goneViews.has(t.table));
  // A trigger function in a schema Retort does not manage is not in the models: a database built from them lacks it.
  // Its name is an IR identity: bare in the default schema (and pg_catalog), `schema.name` elsewhere.
  const managed = new Set(project.namedSchemas(dialect));
  for (const t of triggers) {
    const outside = t.execute === undefined ? undefined : schemaOf(t.execute);
    if (outside !== undefined && !managed.has(outside)) {
      warnings.push(`trigger "${t.name}" on "${t.table}" calls ${t.execute}, in schema "${outside}", which the models do not hold: a database built from them lacks it (add '${outside}' to \`schemas\` in the config and pull again)`);
    }
  }
  const policies = (read.schema.policies ?? []).filter((p) => !excludedTables.includes(p.table));
  const views = (read.schema.views ?? []).filter((v) => !goneViews.has(v.name));
  const declared: SchemaIR = {
    tables: read.schema.tables.filter((t) => !excludedTables.includes(t.name)),
    enums: read.schema.enums,
    ...(sequences.length > 0 ? { sequences } : {}),
    ...(read.schema.functions !== undefined ? { functions: read.schema.functions } : {}),
    ...(triggers.length > 0 ? { triggers } : {}),
    ...(read.schema.domains !== undefined ? { domains: read.schema.domains } : {}),
    ...(read.schema.extensions !== undefined ? { extensions: read.schema.extensions } : {}),
    ...(policies.length > 0 ? { policies } : {}),
    ...(views.length > 0 ? { views } : {}),
    ...(read.schema.schemas !== undefined ? { schemas: read.schema.schemas } : {}),
  };

  let excludeWritten = false;
  if (!options.dryRun) {
    mkdirSync(outDir, { recursive: true });
    writeFilesAtomic(formatted.files);
    const entries: ExcludeEntry[] = [
      ...excludeOption.map((name) => ({ name, why: 'left out with --exclude' })),
      ...excludedTables.map((name) => ({ name, why: 'a table the models cannot declare exactly' })),
      ...excludedViews.map((v) => ({ name: v.name, why: `a view over ${v.reads.join(', ')}, which the models leave out` })),
      // A view the models cannot declare is read like any other: excluded, so that check leaves it alone.
      ...notDeclared.filter((o) => o.relation === true && o.kind.startsWith('view')).map((o) => ({ name: o.name, why: o.kind })),
    ];
    excludeWritten = addToExclude(project.config.file, entries);
  }
  const { otherModelFiles, unreadFiles } = modelFileCheck(project, files.map((f) => f.file), !!options.dryRun);

  let baseline: PullReport['baseline'] = null;
  if (baselineMessage !== undefined) {
    const written = await writeBaseline(project, dialect, declared, baselineMessage, options, events);
    baseline = written.baseline;
    warnings.push(...written.hookFailures);
  }
  return {
    dryRun: !!options.dryRun,
    outDir,
    files,
    tables: declared.tables.length,
    enums: declared.enums.length,
    views: views.length,
    alsoDeclared: alsoDeclared(declared),
    notDeclared,
    excludedTables,
    excludedViews,
    excludeOption,
    excludeWritten,
    formatter: formatted.formatter,
    alembic: read.alembic === null ? null : { versions: read.alembic },
    otherModelFiles,
    unreadFiles,
    baseline,
    warnings,
  };
}

/** Which model files the config reads besides the pulled ones, and which pulled ones it does not read. */
function modelFileCheck(project: Project, written: readonly string[], dryRun: boolean): { otherModelFiles: string[]; unreadFiles: string[] } {
  let read: string[];
  try {
    read = modelFiles(project).files.map((f) => path.resolve(f));
  } catch {
    read = [];
  }
  const mine = new Set(written.map((f) => path.resolve(f)));
  const readSet = new Set(read);
  return {
    otherModelFiles: read.filter((f) => !mine.has(f)),
    // In a dry run nothing exists yet for the globs to find.
    unreadFiles: dryRun ? [] : [...mine].filter((f) => !readSet.has(f)),
  };
}

/**
 * The baseline: autogenerate's rendering of the difference between an empty schema and the pulled one (so the
 * revision is what `revision --autogenerate` against an empty database would write), then the database stamped
 * at it, so that the next autogenerate compares against the models and finds nothing.
 */
async function writeBaseline(
  project: Project,
  dialect: Dialect,
  schema: SchemaIR,
  message: string,
  options: PullOptions,
  events: PullEvents,
): Promise<{ baseline: NonNullable<PullReport['baseline']>; hookFailures: readonly string[] }> {
  // The pulled schema as the models declare it (enums as enums), so the revision creates what the models say.
  // Loaded here: a pull without a baseline needs neither the differ nor the operations.
  const [{ compareSchemas }, { inverseAll }] = await Promise.all([import('../diff/compare.js'), import('../operations/operations.js')]);
  const ops = compareSchemas(emptySchema, schema, dialect.enumPlanner);
  if (options.dryRun) return { baseline: { file: null, revision: null, stamped: false, operations: ops.length }, hookFailures: [] };
  const [{ renderOperations }, { createRevision }, { stamp }] = await Promise.all([
    import('../render/render-operations.js'),
    import('../runtime/new-revision.js'),
    import('../runtime/migrate.js'),
  ]);
  const up = renderOperations(ops, { naming: project.config.naming });
  const down = renderOperations(inverseAll(ops), { naming: project.config.naming });
  const written = await createRevision(project, {
    message,
    body: { upgrade: up.code, downgrade: down.code, imports: [...new Set([...up.imports, ...down.imports])].sort() },
  });
  const hookFailures = written.hookFailures;
  if (options.noStamp) return { baseline: { file: written.file, revision: written.revision, stamped: false, operations: ops.length }, hookFailures };
  // A new Project: the one above read the revision graph before the baseline existed.
  await stamp(new Project(project.config), written.revision, { purge: false, ...(events.onLockWait ? { onLockWait: events.onLockWait } : {}) });
  return { baseline: { file: written.file, revision: written.revision, stamped: true, operations: ops.length }, hookFailures };
}

/** The kinds declared besides tables, enums and views, in the order the report names them; kinds with none are left out. */
function alsoDeclared(schema: SchemaIR): PullReport['alsoDeclared'] {
  const routines = schema.functions ?? [];
  const counts = [
    { kind: 'domain', count: schema.domains?.length ?? 0 },
    { kind: 'function', count: routines.filter((f) => f.kind === 'function').length },
    { kind: 'procedure', count: routines.filter((f) => f.kind === 'procedure').length },
    { kind: 'aggregate', count: routines.filter((f) => f.kind === 'aggregate').length },
    { kind: 'trigger', count: schema.triggers?.length ?? 0 },
    { kind: 'policy', count: schema.policies?.length ?? 0 },
  ];
  return counts.filter((c) => c.count > 0);
}

