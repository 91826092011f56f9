/**
 * Test projects: a temporary folder with a config and revision files, and a
 * database of either dialect, so that one test body runs on SQLite and on
 * PostgreSQL alike.
 */
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createPgDatabase, pgQuery, tempDir } from './db.js';
import { repoRoot, runCli, type CliResult } from './cli.js';

export type DialectName = 'sqlite' | 'postgresql';
export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgresql'];

export interface TestProject {
  readonly dir: string;
  readonly url: string;
  readonly dialect: DialectName;
  /** Runs retort in the project folder with its URL. */
  retort(...args: string[]): Promise<CliResult>;
  /** Runs a query on the project's database. */
  query<R = Record<string, unknown>>(sql: string): Promise<R[]>;
  /** Table names in the database (without the version and history tables). */
  tables(): Promise<string[]>;
  writeRevision(name: string, source: string): void;
  cleanup(): Promise<void>;
}

/** A project holding a copy of migrations-example's config and revisions (or none, with `empty`). */
export async function createProject(dialect: DialectName, opts: { empty?: boolean } = {}): Promise<TestProject> {
  const { dir, cleanup } = tempDir();
  mkdirSync(path.join(dir, 'migrations'));
  if (!opts.empty) cpSync(path.join(repoRoot, 'test', 'fixtures', 'blog-migrations'), path.join(dir, 'migrations'), { recursive: true });
  // The project imports 'retort-migrate' as a user's would: link the package into its node_modules.
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(repoRoot, path.join(dir, 'node_modules', 'retort-migrate'), 'dir');
  writeFileSync(path.join(dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'] });\n`);
  const pg = dialect === 'postgresql' ? await createPgDatabase() : null;
  const url = pg ? pg.url : `sqlite:///${path.join(dir, 'test.db')}`;
  const sqliteFile = path.join(dir, 'test.db');
  const query = async <R>(sql: string): Promise<R[]> => {
    if (pg) return pgQuery<R>(pg.url, sql);
    const db = new Database(sqliteFile);
    try {
      const stmt = db.prepare(sql);
      return (stmt.reader ? stmt.all() : (stmt.run(), [])) as R[];
    } finally {
      db.close();
    }
  };
  return {
    dir,
    url,
    dialect,
    retort: (...args) => runCli(['--url', url, ...args], { cwd: dir }),
    query,
    async tables() {
      const rows = pg
        ? await query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
        : await query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1`);
      return rows.map((r) => r.name).filter((n) => n !== 'retort_version' && n !== 'retort_history');
    },
    writeRevision(name, source) {
      writeFileSync(path.join(dir, 'migrations', name), source);
    },
    async cleanup() {
      await pg?.drop();
      cleanup();
    },
  };
}

/** A minimal revision file. */
export function revisionSource(rev: string, down: string | string[] | null, message: string, upgrade: string, downgrade = '', extra = ''): string {
  return `import type { Op, MigrationContext } from 'retort-migrate';
import { integer, serial, text, varchar } from 'retort-migrate';
export const revision = '${rev}';
export const downRevision = ${JSON.stringify(down)};
export const message = '${message}';
export const createDate = '2026-11-22T00:00:00.000Z';
${extra}
export async function upgrade(op: Op, ctx: MigrationContext): Promise<void> {
${upgrade}
}
export async function downgrade(op: Op, ctx: MigrationContext): Promise<void> {
${downgrade}
}
`;
}
