/**
 * The benchmark cases of issue 6. A case sets up its projects and databases
 * (untimed), then names the tools to time: Retort first, then what it is
 * compared with (Alembic, `psql -1 -f`, or nothing). `prepare` runs before
 * every timed run, untimed, to reset state (fresh database, no generated file).
 */
import { appendFileSync, copyFileSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyPgDatabase, freshPgDatabase, pgUrl, psqlAdmin, psqlArgs, removeSqlite, sqliteUrl } from './db.js';
import { failureText, runOnce, type Cmd } from './measure.js';
import { revisionProjects, schemaProjects, verifyProject, type Workspace } from './projects.js';
import type { HistoryKind, SchemaLayout } from './schema-spec.js';

export type BenchDialect = 'postgresql' | 'sqlite';
/** `warm`: Retort run as the main tool is, with its caches kept (the cold cases compare against it). */
export type ToolName = 'retort' | 'alembic' | 'psql' | 'node' | 'floor' | 'warm' | 'same work' | 'server';

/** One tool's part in a case. */
export interface ToolRun {
  readonly tool: ToolName;
  readonly cmd: Cmd;
  readonly prepare?: () => void;
  /** Why this tool is not run, shown in the table. */
  readonly skip?: string;
}

/** BenchCase is one row of the results table. */
export interface BenchCase {
  readonly id: string;
  readonly label: string;
  readonly dialect: BenchDialect | '-';
  readonly size: string;
  /** Builds projects and databases; returns the tools to time. */
  setup(): ToolRun[];
}

/** What the cases need from the command line. */
export interface CaseOptions {
  readonly ws: Workspace;
  readonly dialects: readonly BenchDialect[];
  readonly tableCounts: readonly number[];
  readonly revisionCounts: readonly number[];
  readonly upgradeCount: number;
  readonly createAllCount: number;
  /** Revisions in the verify case's project (issue 21's target: 200 in under 60 s on PostgreSQL). */
  readonly verifyCount: number;
  readonly alembic: boolean;
  /** Largest N Alembic is run on (it takes minutes beyond). */
  readonly alembicMaxTables: number;
  readonly python: string;
  /** Which schema layouts the autogenerate and check cases run (default all three). */
  readonly layouts: readonly SchemaLayout[];
}

const TIMEOUT = 600_000;
/** Tables per revision when building a matching database: one transaction of ~1000 tables can exhaust PostgreSQL's shared lock table. */
const FIXTURE_CHUNK = 250;

/** A database for `tag` on `d`: a fresh PostgreSQL database or a deleted SQLite file; returns its URL. */
function freshDb(o: CaseOptions, d: BenchDialect, tag: string): string {
  if (d === 'postgresql') return pgUrl(freshPgDatabase(tag));
  const file = path.join(o.ws.workDir, `${tag}.sqlite`);
  removeSqlite(file);
  return sqliteUrl(file);
}

function retortCmd(o: CaseOptions, dir: string, url: string | null, args: string[], okCodes: number[] = [0]): Cmd {
  return { argv: [process.execPath, path.join(o.ws.retortRoot, 'bin', 'retort.cjs'), ...args], cwd: dir, env: url ? { DATABASE_URL: url } : {}, okCodes, timeoutMs: TIMEOUT };
}

/**
 * Alembic runs with Python's bytecode cache allowed, as on a developer's machine: PYTHONDONTWRITEBYTECODE, when the
 * bench's own environment sets it, is emptied (Python reads an empty value as unset), so the warm-up run writes
 * __pycache__ for env.py, models.py and the revision files and the timed runs read it, as Retort's timed runs read
 * its compile cache. (Debian's alembic and SQLAlchemy come with their .pyc files installed.)
 */
function alembicCmd(o: CaseOptions, dir: string, url: string, args: string[]): Cmd {
  return { argv: [o.python, '-m', 'alembic', '-c', path.join(dir, 'alembic.ini'), ...args], cwd: dir, env: { BENCH_DB_URL: url, PYTHONDONTWRITEBYTECODE: '' }, timeoutMs: TIMEOUT };
}

/** Runs a set-up command; a failure makes the case fail with the command's own message. */
function mustRun(cmd: Cmd, what: string): string {
  const r = runOnce(cmd);
  if (!r.ok) throw new Error(`${what} failed: ${failureText(r)}`);
  return r.stdout;
}

/** Removes generated revision files, keeping the ones the project was written with. */
function cleaner(dir: string, keep: (name: string) => boolean): () => void {
  return () => {
    for (const f of readdirSync(dir)) if (!keep(f) && /\.(ts|py)$/.test(f)) rmSync(path.join(dir, f), { force: true });
  };
}

const short = (d: BenchDialect): string => (d === 'postgresql' ? 'pg' : 'sqlite');

function alembicSkip(o: CaseOptions, n?: number): string | undefined {
  if (!o.alembic) return 'Alembic not installed or --no-alembic';
  if (n !== undefined && n > o.alembicMaxTables) return `skipped above ${o.alembicMaxTables} tables (minutes per run; --alembic-max-tables to run it)`;
  return undefined;
}

/** What a layout adds to a case's label: nothing for star, the FK chain, issue 24's enum-heavy schema, or its objects (PER_1000 in schema-spec.ts). */
const LAYOUT_LABEL: Record<SchemaLayout, string> = {
  star: '',
  chain: ' (FK chain)',
  enums: " (issue 24's schema: 8 columns, two enums)",
  objects: ' (star + 100 views, 50 functions, 50 triggers, 100 sequences, 20 partitioned tables x 5 per 1000 tables; Alembic: tables only)',
};

/** The objects layout's label on SQLite, which has views and triggers only. */
const OBJECTS_SQLITE_LABEL = ' (star + 100 views, 50 triggers per 1000 tables: SQLite has no functions, sequences or partitions; Alembic: tables only)';

const layoutLabel = (layout: SchemaLayout, d: BenchDialect): string => (layout === 'objects' && d === 'sqlite' ? OBJECTS_SQLITE_LABEL : LAYOUT_LABEL[layout]);

function autogenCases(o: CaseOptions, d: BenchDialect, n: number, layout: SchemaLayout): BenchCase[] {
  const size = `N=${n}${layout === 'star' ? '' : ` ${layout}`}`;
  const match = (): { dir: string; alembicDir: string; url: string; alembicUrl: string } => {
    const p = schemaProjects(o.ws, n, layout, true, FIXTURE_CHUNK, d);
    cleaner(path.join(p.retortDir, 'migrations'), (f) => f.includes('create_all'))();
    const tag = `match_${n}_${layout}_${short(d)}`;
    const url = freshDb(o, d, tag);
    mustRun(retortCmd(o, p.retortDir, url, ['upgrade', 'head']), `creating the ${n}-table database with retort upgrade head`);
    if (layout === 'objects') addObjects(o, p.retortDir, url);
    // Alembic's autogenerate creates alembic_version (and Retort's check would then see it): each tool gets its own copy.
    let alembicUrl: string;
    if (d === 'postgresql') alembicUrl = pgUrl(copyPgDatabase(`retort_bench_${process.pid}_${tag}`, `${tag}_a`));
    else {
      const copy = path.join(o.ws.workDir, `${tag}_a.sqlite`);
      copyFileSync(path.join(o.ws.workDir, `${tag}.sqlite`), copy);
      alembicUrl = sqliteUrl(copy);
    }
    return { dir: p.retortDir, alembicDir: p.alembicDir, url, alembicUrl };
  };
  const label = layoutLabel(layout, d);
  let matched: ReturnType<typeof match> | null = null;
  const matchOnce = () => (matched ??= match());
  const cases: BenchCase[] = [];
  if (layout === 'star') {
    cases.push({
      id: 'autogen-empty', label: 'autogenerate, empty database', dialect: d, size,
      setup: () => {
        const p = schemaProjects(o.ws, n, layout, false);
        const url = freshDb(o, d, `empty_${n}_${short(d)}`);
        const mig = path.join(p.retortDir, 'migrations');
        const ver = path.join(p.alembicDir, 'alembic', 'versions');
        return [
          { tool: 'retort', cmd: retortCmd(o, p.retortDir, url, ['revision', '--autogenerate', '-m', 'bench']), prepare: cleaner(mig, () => false) },
          { tool: 'alembic', cmd: alembicCmd(o, p.alembicDir, url, ['revision', '--autogenerate', '-m', 'bench']), prepare: cleaner(ver, () => false), skip: alembicSkip(o, n) },
        ];
      },
    });
  }
  cases.push({
    id: 'autogen-match', label: `autogenerate, matching database${label}`, dialect: d, size,
    setup: () => {
      const m = matchOnce();
      const mig = path.join(m.dir, 'migrations');
      const ver = path.join(m.alembicDir, 'alembic', 'versions');
      return [
        { tool: 'retort', cmd: retortCmd(o, m.dir, m.url, ['revision', '--autogenerate', '-m', 'bench']), prepare: cleaner(mig, (f) => f.includes('create_all')) },
        // On a chain Alembic's reflection recurses once per FK hop and stops with RecursionError at the warm-up.
        { tool: 'alembic', cmd: alembicCmd(o, m.alembicDir, m.alembicUrl, ['revision', '--autogenerate', '-m', 'bench']), prepare: cleaner(ver, () => false), skip: alembicSkip(o, n) },
        ...(d === 'postgresql' && layout !== 'chain' ? [autogenFloor(o, m.dir, m.url, layout)] : []),
      ];
    },
  });
  if (layout === 'star') {
    cases.push({
      id: 'pull', label: 'pull (model files from the database)', dialect: d, size,
      setup: () => {
        const m = matchOnce();
        const out = path.join(m.dir, 'pulled');
        return [
          { tool: 'retort', cmd: retortCmd(o, m.dir, m.url, ['pull', '--out', out, '--force']), prepare: () => rmSync(out, { recursive: true, force: true }) },
          { tool: 'alembic', cmd: { argv: [], cwd: m.dir }, skip: 'Alembic has no pull (drizzle-kit pull: 204 s on 1000 PostgreSQL tables, issue 19)' },
        ];
      },
    });
  }
  if (layout === 'enums') return cases;
  cases.push({
    id: 'check', label: `check, matching database${label}`, dialect: d, size,
    setup: () => {
      const m = matchOnce();
      return [
        { tool: 'retort', cmd: retortCmd(o, m.dir, m.url, ['check']) },
        { tool: 'alembic', cmd: { argv: [], cwd: m.dir }, skip: 'Alembic 1.8 has no check command (added in 1.9)' },
      ];
    },
  });
  if (layout === 'star') cases.push(...coldCases(o, d, size, matchOnce));
  return cases;
}

/**
 * The objects layout's other kinds, added to a database holding its tables: Retort autogenerates the revision that
 * creates them (its message makes the file a `create_all` one, which the cases' cleaners keep) and upgrades to it, so
 * the matching database is Retort's own work here too, and a difference the timed autogenerate then reports is a
 * Retort bug (autogenerate not reaching a fixed point), not a fixture mismatch.
 */
function addObjects(o: CaseOptions, dir: string, url: string): void {
  mustRun(retortCmd(o, dir, url, ['revision', '--autogenerate', '-m', 'create_all objects']), 'autogenerating the revision of the views, functions, triggers, sequences and partitions');
  mustRun(retortCmd(o, dir, url, ['upgrade', 'head']), 'creating the views, functions, triggers, sequences and partitions with retort upgrade head');
}

/**
 * `check` cold against the same `check` warm, in turn: "after editing one file" adds a comment to one model file (it
 * alone misses the compile cache, and the remembered declared schema is not used, so every file runs; the declared
 * schema, and so the remembered verdict, are unchanged); "after editing every file" adds a comment to each (every
 * model file is compiled again, and V8 has no code for them); "after an install" removes the project's whole cache
 * folder (compiled files, revision headers, SQLite's table cache, the remembered declared schema and verdicts) and the
 * code caches in the package (the bundle's, and pg's beside dist/pg.cjs), as `npm ci` or a new Retort leaves them.
 */
/** Removes the answers a warm run remembers (runtime/declared-memo.ts, runtime/no-difference-memo.ts, SQLite's
 * sqlite-schema-cache.ts), leaving the compiled model files, the revision headers and the code caches. */
function forgetAnswers(dir: string): void {
  const cache = path.join(dir, 'node_modules', '.cache', 'retort');
  if (!existsSync(cache)) return;
  for (const f of readdirSync(cache)) {
    if (f === 'declared-schema.txt' || f === 'no-difference.txt' || (f.startsWith('sqlite-schema-') && f.endsWith('.json'))) rmSync(path.join(cache, f), { force: true });
  }
}

function coldCases(o: CaseOptions, d: BenchDialect, size: string, matchOnce: () => { dir: string; url: string }): BenchCase[] {
  const bundleCaches = () => {
    // The bundle's code cache, and pg's beside dist/pg.cjs (bin/retort.cjs, runCached).
    for (const [sub, prefix] of [['bundle', '.retort.cjs-'], ['', '.pg.cjs-']] as const) {
      const dir = path.join(o.ws.retortRoot, 'dist', sub);
      if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.startsWith(prefix)) rmSync(path.join(dir, f), { force: true });
    }
  };
  const cold = (id: string, label: string, clear: (dir: string) => void, sameWork = false): BenchCase => ({
    id, label, dialect: d, size,
    setup: () => {
      const m = matchOnce();
      return [
        { tool: 'retort', cmd: retortCmd(o, m.dir, m.url, ['check']), prepare: () => clear(m.dir) },
        { tool: 'warm', cmd: retortCmd(o, m.dir, m.url, ['check']) },
        // The install case's work done warm: every remembered answer forgotten (the declared schema, the verdict,
        // SQLite's table cache), the compile and code caches kept, as the first `check` after a migration finds them
        // (the database changed; for the declared schema, as after an edit). The cold run over it is what the
        // caches an install empties are worth.
        ...(sameWork ? [{ tool: 'same work' as const, cmd: retortCmd(o, m.dir, m.url, ['check']), prepare: () => forgetAnswers(m.dir) }] : []),
      ];
    },
  });
  let edits = 0;
  return [
    cold('cold-edit-one', 'check after editing one model file (a comment added to it: compiled again, the others from the cache)', (dir) => {
      const models = path.join(dir, 'models');
      const file = readdirSync(models).filter((f) => f.endsWith('.ts') && f !== 'enums.ts').sort()[0]!;
      appendFileSync(path.join(models, file), `// edit ${++edits}\n`);
    }),
    // Every file edited, not the compile cache removed: the declared-schema memo is keyed by the files' texts, so with
    // them unchanged a removed compile cache is never read at all.
    cold('cold-edit', 'check after editing every model file (a comment added to each: all compiled again, V8 has no code for them)', (dir) => {
      const models = path.join(dir, 'models');
      edits++;
      for (const file of readdirSync(models).filter((f) => f.endsWith('.ts'))) appendFileSync(path.join(models, file), `// edit ${edits}\n`);
    }),
    cold('cold-install', 'check, every cache cold (after `npm ci` or a new Retort)', (dir) => {
      rmSync(path.join(dir, 'node_modules', '.cache', 'retort'), { recursive: true, force: true });
      bundleCaches();
    }, true),
  ];
}

const FLOOR_SCRIPT = fileURLToPath(new URL('./autogen-floor.js', import.meta.url));

/**
 * The floor of a no-op autogenerate (autogen-floor.ts): Node's start, connecting, Retort's catalog batch (captured
 * here from the measured build's introspector) and compiling the model files, in one process, timed in the same
 * rotation as Retort and Alembic.
 */
function autogenFloor(o: CaseOptions, dir: string, url: string, layout: SchemaLayout): ToolRun {
  const batch = path.join(o.ws.workDir, `autogen-floor-batch-${layout}.json`);
  const version = psqlAdmin('SHOW server_version_num');
  mustRun({ argv: [process.execPath, FLOOR_SCRIPT, 'capture', o.ws.retortRoot, batch, 'public', version], cwd: dir }, 'capturing the catalog batch');
  return { tool: 'floor', cmd: { argv: [process.execPath, FLOOR_SCRIPT, 'run', o.ws.retortRoot, batch, url, path.join(dir, 'models')], cwd: dir, timeoutMs: TIMEOUT } };
}

/**
 * `node -e 0`, run in turn with the tools of a start-up case, so that the case's ratio to Node's own start
 * compares runs taken at the same moments (this machine's speed drifts by a fifth within minutes).
 */
const floorRun = (o: CaseOptions): ToolRun => ({ tool: 'node', cmd: { argv: [process.execPath, '-e', '0'], cwd: o.ws.workDir } });

function revisionCases(o: CaseOptions, m: number): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const cmd of ['history', 'heads'] as const) {
    cases.push({
      id: cmd, label: `${cmd} (headers only, no database)`, dialect: '-', size: `M=${m}`,
      setup: () => {
        const p = revisionProjects(o.ws, m);
        return [
          { tool: 'retort', cmd: retortCmd(o, p.retortDir, null, [cmd]) },
          { tool: 'alembic', cmd: alembicCmd(o, p.alembicDir, 'sqlite://', [cmd]), skip: alembicSkip(o) },
          floorRun(o),
        ];
      },
    });
  }
  for (const d of o.dialects) {
    // Offline: --range reads no database; the URL only says which database's rules apply.
    cases.push({
      id: 'lint', label: 'lint every revision (--range :heads, offline)', dialect: d, size: `M=${m}`,
      setup: () => {
        const p = revisionProjects(o.ws, m);
        const url = d === 'postgresql' ? pgUrl('offline') : sqliteUrl(path.join(o.ws.workDir, 'lint-offline.sqlite'));
        return [{ tool: 'retort', cmd: retortCmd(o, p.retortDir, url, ['lint', '--range', ':heads'], [0, 1]) }];
      },
    });
  }
  for (const d of o.dialects) {
    cases.push({
      id: 'current', label: 'current (database at head)', dialect: d, size: `M=${m}`,
      setup: () => {
        const p = revisionProjects(o.ws, m);
        const url = freshDb(o, d, `current_${m}_${short(d)}`);
        mustRun(retortCmd(o, p.retortDir, url, ['stamp', 'head']), 'retort stamp head');
        if (o.alembic) mustRun(alembicCmd(o, p.alembicDir, url, ['stamp', 'head']), 'alembic stamp head');
        return [
          { tool: 'retort', cmd: retortCmd(o, p.retortDir, url, ['current']) },
          { tool: 'alembic', cmd: alembicCmd(o, p.alembicDir, url, ['current']), skip: alembicSkip(o) },
        ];
      },
    });
  }
  return cases;
}

function migrateCases(o: CaseOptions, d: BenchDialect): BenchCase[] {
  const m = o.upgradeCount;
  const size = `M=${m}`;
  const up = (dirTool: 'retort' | 'alembic', tag: string, atHead: boolean, kind: HistoryKind) => {
    const p = revisionProjects(o.ws, m, kind);
    const prepare = () => {
      const url = freshDb(o, d, tag);
      if (atHead) mustRun(dirTool === 'retort' ? retortCmd(o, p.retortDir, url, ['upgrade', 'head']) : alembicCmd(o, p.alembicDir, url, ['upgrade', 'head']), `${dirTool} upgrade head before downgrade`);
    };
    return { p, prepare };
  };
  // The URL is fixed per tag, so a command built before prepare() points at the database prepare() recreates.
  const urlOf = (tag: string) => (d === 'postgresql' ? pgUrl(`retort_bench_${process.pid}_${tag}`) : sqliteUrl(path.join(o.ws.workDir, `${tag}.sqlite`)));
  const mk = (id: string, label: string, args: string[], atHead: boolean, kind: HistoryKind): BenchCase => ({
    id, label, dialect: d, size,
    setup: () => {
      const rt = `${id}_r_${short(d)}`;
      const at = `${id}_a_${short(d)}`;
      const r = up('retort', rt, atHead, kind);
      const a = up('alembic', at, atHead, kind);
      const tools: ToolRun[] = [
        { tool: 'retort', cmd: retortCmd(o, r.p.retortDir, urlOf(rt), args), prepare: r.prepare },
        { tool: 'alembic', cmd: alembicCmd(o, a.p.alembicDir, urlOf(at), args), prepare: a.prepare, skip: alembicSkip(o) },
      ];
      if (d === 'postgresql') tools.push(serverFloor(o, id, r.p.retortDir, atHead, atHead ? ['downgrade', 'head:base'] : ['upgrade', 'head']));
      return tools;
    },
  });
  return [
    mk('upgrade', 'upgrade head, fresh database, mixed history: every other revision creates a table (Retort: each revision all or nothing, small ones committed in groups; Alembic: one transaction for all)', ['upgrade', 'head'], false, 'mixed'),
    mk('downgrade', 'downgrade base from head, mixed history', ['downgrade', 'base'], true, 'mixed'),
    mk('light-upgrade', 'upgrade head, fresh database, light history: a table per 50 revisions, the others add a column to it (each revision all or nothing vs one transaction for all)', ['upgrade', 'head'], false, 'light'),
    mk('light-downgrade', 'downgrade base from head, light history', ['downgrade', 'base'], true, 'light'),
  ];
}

/**
 * The server's own time for the same work (upgrade-floor.ts): the statements of Retort's `--sql` script for the run,
 * less Retort's bookkeeping, sent as one request in one transaction by a minimal client. No tool can apply that
 * history faster than the server executes it, so Alembic's time over it bounds the ratio any tool could reach.
 */
function serverFloor(o: CaseOptions, id: string, retortDir: string, atHead: boolean, args: string[]): ToolRun {
  const tag = `${id}_p`;
  const sqlFile = path.join(o.ws.workDir, `${id}.sql`);
  writeFileSync(sqlFile, mustRun(retortCmd(o, retortDir, pgUrl('offline'), [...args, '--sql']), `retort ${args.join(' ')} --sql`));
  return {
    tool: 'server',
    cmd: { argv: [process.execPath, UPGRADE_FLOOR_SCRIPT, o.ws.retortRoot, sqlFile, pgUrl(`retort_bench_${process.pid}_${tag}`)], cwd: o.ws.workDir, timeoutMs: TIMEOUT },
    prepare: () => {
      const url = freshDb(o, 'postgresql', tag);
      if (atHead) mustRun(retortCmd(o, retortDir, url, ['upgrade', 'head']), 'retort upgrade head before the floor\'s downgrade');
    },
  };
}

const UPGRADE_FLOOR_SCRIPT = fileURLToPath(new URL('./upgrade-floor.js', import.meta.url));

function createAllCase(o: CaseOptions): BenchCase {
  const n = o.createAllCount;
  return {
    id: 'create-all', label: `apply a ${n}-table create-all revision vs psql -1 -f of its SQL`, dialect: 'postgresql', size: `N=${n}`,
    setup: () => {
      const p = schemaProjects(o.ws, n, 'star', true);
      const rt = `createall_r`;
      const pt = `createall_p`;
      const sqlFile = path.join(o.ws.workDir, `create-all-${n}.sql`);
      writeFileSync(sqlFile, mustRun(retortCmd(o, p.retortDir, pgUrl('offline'), ['upgrade', 'head', '--sql']), 'retort upgrade head --sql'));
      return [
        { tool: 'retort', cmd: retortCmd(o, p.retortDir, pgUrl(`retort_bench_${process.pid}_${rt}`), ['upgrade', 'head']), prepare: () => void freshPgDatabase(rt) },
        {
          tool: 'psql',
          cmd: { argv: ['psql', ...psqlArgs(`retort_bench_${process.pid}_${pt}`), '-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-f', sqlFile], cwd: o.ws.workDir, timeoutMs: TIMEOUT },
          prepare: () => void freshPgDatabase(pt),
        },
      ];
    },
  };
}

/**
 * `retort verify` on M linear revisions (every other one creates a table, the others add a column) with models of
 * the schema at head: per revision an upgrade, a downgrade and an upgrade again with three schema reads, on a scratch
 * database verify creates beside the configured one (which stays empty) and drops; then the models at head.
 */
function verifyCase(o: CaseOptions, d: BenchDialect): BenchCase {
  const m = o.verifyCount;
  return {
    id: 'verify', label: 'verify: upgrade, downgrade, upgrade again per revision on a scratch database, models at head', dialect: d, size: `M=${m}`,
    setup: () => {
      const dir = verifyProject(o.ws, m);
      const url = freshDb(o, d, `verify_${m}_${short(d)}`);
      return [
        { tool: 'retort', cmd: retortCmd(o, dir, url, ['verify']) },
        { tool: 'alembic', cmd: { argv: [], cwd: dir }, skip: 'Alembic has no built-in migration test (pytest-alembic is a separate package)' },
      ];
    },
  };
}

/** Every case for the given options, cheapest first. */
export function allCases(o: CaseOptions): BenchCase[] {
  const cases: BenchCase[] = [
    { id: 'floor', label: '`node -e 0` (the floor)', dialect: '-', size: '-', setup: () => [{ tool: 'node', cmd: { argv: [process.execPath, '-e', '0'], cwd: o.ws.workDir } }] },
    { id: 'help', label: '`retort --help` (start-up)', dialect: '-', size: '-', setup: () => [{ tool: 'retort', cmd: retortCmd(o, o.ws.workDir, null, ['--help']) }, floorRun(o)] },
  ];
  for (const m of o.revisionCounts) cases.push(...revisionCases(o, m));
  for (const d of o.dialects) cases.push(...migrateCases(o, d));
  if (o.dialects.includes('postgresql')) cases.push(createAllCase(o));
  for (const d of o.dialects) cases.push(verifyCase(o, d));
  for (const d of o.dialects) {
    if (o.layouts.includes('star')) for (const n of o.tableCounts) cases.push(...autogenCases(o, d, n, 'star'));
    // The chain layout at the middle size (and above) shows Alembic's RecursionError next to Retort's figure; issue
    // 24's enum-heavy and objects schemas are measured at the same sizes.
    for (const n of o.tableCounts.filter((x) => x >= (o.tableCounts[1] ?? o.tableCounts[0]!))) {
      for (const layout of ['chain', 'enums', 'objects'] as const) if (o.layouts.includes(layout)) cases.push(...autogenCases(o, d, n, layout));
    }
  }
  return cases;
}
