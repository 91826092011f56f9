/**
 * The round trip `retort pull` must survive, in-process and on a real database: a database built from a schema,
 * pulled into model files, checked against them (no differences), and a second, empty database built from the
 * pulled models by autogenerate and upgrade, whose dump must equal the first's (PostgreSQL: pg_dump --schema-only;
 * SQLite: the CREATE texts in sqlite_master, modulo white space).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config/load-config.js';
import { Project } from '../../src/runtime/project.js';
import { pull, type PullOptions, type PullReport } from '../../src/commands/pull.js';
import { autogenerateRevision, compareWithDatabase } from '../../src/runtime/autogenerate-revision.js';
import { migrate } from '../../src/runtime/migrate.js';
import { describeDifferences } from '../../src/operations/describe.js';
import { repoRoot } from './cli.js';

/** A project folder using `url`, with retort-migrate linked into its node_modules as a user's would be. */
export function projectFolder(dir: string, url: string, extraConfig = ''): void {
  mkdirSync(path.join(dir, 'migrations'), { recursive: true });
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  symlinkSync(repoRoot, path.join(dir, 'node_modules', 'retort-migrate'), 'dir');
  writeFileSync(path.join(dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({\n  url: ${JSON.stringify(url)},\n  migrations: 'migrations',\n  models: ['models/*.ts'],${extraConfig}\n});\n`);
}

export async function projectAt(dir: string): Promise<Project> {
  return new Project(await loadConfig(dir, {}));
}

/** Pulls `dir`'s database into its models folder. */
export async function pullInto(dir: string, options: Omit<PullOptions, 'project'> = {}): Promise<PullReport> {
  return pull({ project: await projectAt(dir), ...options });
}

/** The differences `check` would report between `dir`'s models and its database, one line each. */
export async function differences(dir: string): Promise<string[]> {
  const { ops } = await compareWithDatabase(await projectAt(dir), { requireHead: false });
  return describeDifferences(ops);
}

/** Autogenerates a revision from `dir`'s models against its (empty) database and upgrades to it. */
export async function buildFromModels(dir: string): Promise<void> {
  const project = await projectAt(dir);
  await autogenerateRevision(project, { message: 'from pulled models', allowEmpty: false });
  await migrate(await projectAt(dir), 'up', 'head');
}

const OWN_TABLES = ['retort_version', 'retort_history'];

/** pg_dump --schema-only of a database, without Retort's own tables and pg_dump's per-run lines. */
export function pgSchemaDump(url: string, without: readonly string[] = []): string {
  const args = ['--schema-only', '--no-owner', '--no-privileges', ...[...OWN_TABLES, ...without].flatMap((t) => ['-T', t]), url];
  const text = execFileSync('pg_dump', args, { encoding: 'utf8' });
  // \restrict carries a random key per run (PostgreSQL 17.6+); the header names the server version.
  return text.split('\n').filter((l) => !/^\\(un)?restrict /.test(l) && !l.startsWith('-- Dumped')).join('\n');
}

/** The CREATE texts of a SQLite database's tables and indexes, by name, white space folded. */
export function sqliteSchemaDump(file: string, without: readonly string[] = []): string {
  const fold = (s: string) => s.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')');
  const skip = [...OWN_TABLES, ...without];
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name NOT IN (${skip.map(() => '?').join(', ')}) ORDER BY type, name`).all(...skip) as { type: string; name: string; sql: string }[];
    return rows.map((r) => `${r.type} ${r.name}: ${fold(r.sql)}`).join('\n');
  } finally {
    db.close();
  }
}
