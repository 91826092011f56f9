/**
 * `npm run bench`: generates the projects, runs the cases of issue 6 against
 * Retort (and Alembic where Debian's python3-alembic is installed), and writes
 * bench/results/. See bench/README.md for the flags.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allCases, type BenchDialect, type CaseOptions } from './cases.js';
import { dropAllPgDatabases, pgAvailable, pgVersion } from './db.js';
import { HAVE_GNU_TIME } from './measure.js';
import { formatTop, topSelfTime } from './profile-top.js';
import { writeResults } from './report.js';
import { runCase, type CaseResult } from './run-case.js';
import { LAYOUTS, type SchemaLayout } from './schema-spec.js';

const USAGE = `usage: node dist/bench/run.js [options]
  --quick                 smoke run: N = 20, 200; M = 200; 3 runs
  --runs K                timed runs per tool (default 5; at least 5 for reported figures)
  --cases a,b             only cases whose id starts with one of these (floor, help, history, heads,
                          current, lint, upgrade, downgrade, create-all, verify, autogen-empty, autogen-match, pull, check,
                          cold-edit-one, cold-edit, cold-install)
  --dialects pg,sqlite    dialects to run (default both)
  --tables 100,1000,5000  N for autogenerate and check
  --layouts star,chain,enums,objects  schema layouts for autogenerate and check (default all; objects: star's
                          tables plus views, functions, triggers, sequences and partitioned tables, SQLite views
                          and triggers only)
  --revisions 1000,5000   M for history, heads, current and lint
  --verify-revisions M    revisions in the verify case (default 200)
  --no-alembic            time Retort only
  --alembic-max-tables N  largest N Alembic runs on (default 1000)
  --profile               also run Retort once per case under node --cpu-prof; summary in results/profile.md
  --retort-root DIR       the retort-migrate package to measure (default: found from here, else the cwd)
  --work DIR              where projects and SQLite files go (default: a temp folder, removed afterwards)
  --keep                  keep the work folder
  --out DIR               results folder (default <retort-root>/bench/results)
`;

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'retort-migrate') return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

const list = (v: string): string[] => v.split(',').map((s) => s.trim()).filter(Boolean);
const nums = (v: string): number[] => list(v).map(Number).filter((n) => Number.isInteger(n) && n > 0);

function parseArgs(argv: string[]) {
  const a = { quick: false, runs: 0, cases: [] as string[], dialects: ['postgresql', 'sqlite'] as BenchDialect[], tables: [] as number[], layouts: [...LAYOUTS], revisions: [] as number[], verify: 0, alembic: true, alembicMax: 1000, profile: false, root: '', work: '', keep: false, out: '' };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i]!;
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${f} needs a value`);
      return v;
    };
    switch (f) {
      case '--quick': a.quick = true; break;
      case '--runs': a.runs = Number(val()); break;
      case '--cases': a.cases = list(val()); break;
      case '--dialects': a.dialects = list(val()).map((d) => (d === 'pg' || d === 'postgres' ? 'postgresql' : d) as BenchDialect); break;
      case '--tables': a.tables = nums(val()); break;
      case '--layouts': a.layouts = list(val()).filter((l): l is SchemaLayout => (LAYOUTS as readonly string[]).includes(l)); break;
      case '--revisions': a.revisions = nums(val()); break;
      case '--verify-revisions': a.verify = nums(val())[0] ?? 0; break;
      case '--no-alembic': a.alembic = false; break;
      case '--alembic-max-tables': a.alembicMax = Number(val()); break;
      case '--profile': a.profile = true; break;
      case '--retort-root': a.root = path.resolve(val()); break;
      case '--work': a.work = path.resolve(val()); break;
      case '--keep': a.keep = true; break;
      case '--out': a.out = path.resolve(val()); break;
      case '-h': case '--help': process.stdout.write(USAGE); process.exit(0);
      // falls through (exit above)
      default: throw new Error(`unknown option ${f}\n${USAGE}`);
    }
  }
  return a;
}

/** The Alembic version Debian's python3 offers, or null when it is not installed. */
function alembicVersion(python: string): string | null {
  const r = spawnSync(python, ['-c', 'import alembic, sqlalchemy, psycopg2; print(alembic.__version__, "/ SQLAlchemy", sqlalchemy.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function main(): void {
  const a = parseArgs(process.argv.slice(2));
  const root = a.root || findRoot();
  if (!existsSync(path.join(root, 'bin', 'retort.cjs'))) throw new Error(`${root} has no bin/retort.cjs: pass --retort-root`);
  if (!existsSync(path.join(root, 'dist', 'src', 'cli', 'main.js'))) throw new Error(`${root}/dist is not built: run npm run build`);
  const workDir = a.work || path.join(os.tmpdir(), `retort-bench-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  // Debian's python3 (where apt installs python3-alembic), not a pyenv or venv python earlier on PATH.
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const alembic = a.alembic ? alembicVersion(python) : null;
  let dialects = a.dialects;
  if (dialects.includes('postgresql') && !pgAvailable()) {
    process.stderr.write('PostgreSQL at 127.0.0.1:5432 does not answer: PostgreSQL cases are left out\n');
    dialects = dialects.filter((d) => d !== 'postgresql');
  }
  const opts: CaseOptions = {
    ws: { workDir, retortRoot: root },
    dialects,
    tableCounts: a.tables.length ? a.tables : a.quick ? [20, 200] : [100, 1000, 5000],
    revisionCounts: a.revisions.length ? a.revisions : a.quick ? [200] : [1000, 5000],
    upgradeCount: a.quick ? 200 : 1000,
    createAllCount: a.quick ? 200 : 1000,
    verifyCount: a.verify || 200,
    alembic: alembic !== null,
    alembicMaxTables: a.alembicMax,
    python,
    layouts: a.layouts,
  };
  const runs = a.runs || (a.quick ? 3 : 5);
  const selected = allCases(opts).filter((c) => a.cases.length === 0 || a.cases.some((p) => c.id.startsWith(p)));
  const outDir = a.out || path.join(root, 'bench', 'results');
  const profileDir = a.profile ? path.join(outDir, 'profiles') : null;
  const t0 = Date.now();
  const results: CaseResult[] = [];
  try {
    for (const c of selected) {
      process.stdout.write(`${c.id} ${c.dialect} ${c.size}: ${c.label}\n`);
      const r = runCase(c, runs, (l) => process.stdout.write(`${l}\n`), profileDir);
      if (r.error) process.stdout.write(`  NOT RUN: ${r.error}\n`);
      results.push(r);
    }
  } finally {
    dropAllPgDatabases();
    if (!a.keep && !a.work) rmSync(workDir, { recursive: true, force: true });
  }
  const info = {
    date: new Date().toISOString(),
    node: process.version,
    postgres: pgVersion(),
    alembic: alembic ?? 'not installed',
    cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}`,
    runs,
    quick: a.quick,
    rssMethod: HAVE_GNU_TIME ? 'GNU time %M (maximum resident set size of the process)' : 'not measured (/usr/bin/time missing)',
    totalSeconds: (Date.now() - t0) / 1000,
  };
  const files = writeResults(outDir, info, results);
  if (profileDir) {
    const parts = results.filter((r) => r.profile).map((r) => formatTop(`${r.id} ${r.dialect} ${r.size}`, topSelfTime(r.profile!, 15)));
    writeFileSync(path.join(outDir, 'profile.md'), `# Retort CPU profiles (self time, top 15), ${info.date}\n\n${parts.join('\n')}`);
  }
  process.stdout.write(`\nwrote ${files.json} and ${files.md} in ${(info.totalSeconds / 60).toFixed(1)} min\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
