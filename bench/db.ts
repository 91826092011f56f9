/**
 * Throwaway databases for the benchmark: PostgreSQL databases made and
 * dropped with psql on the admin URL, SQLite files in the work folder.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

/** The PostgreSQL server the bench uses; BENCH_PG_HOST/PORT/USER override it. */
export const PG = {
  host: process.env.BENCH_PG_HOST ?? '127.0.0.1',
  port: process.env.BENCH_PG_PORT ?? '5432',
  user: process.env.BENCH_PG_USER ?? 'postgres',
};

/** The URL of database `name` on the bench server. */
export const pgUrl = (name: string): string => `postgresql://${PG.user}@${PG.host}:${PG.port}/${name}`;

/** psql's connection arguments for database `name`. */
export const psqlArgs = (name: string): string[] => ['-h', PG.host, '-p', PG.port, '-U', PG.user, '-d', name];

/** Runs one SQL statement as the admin; throws with psql's message on failure. */
export function psqlAdmin(sqlText: string): string {
  const r = spawnSync('psql', [...psqlArgs('postgres'), '-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-c', sqlText], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${sqlText}: ${(r.stderr || r.error?.message || '').trim()}`);
  return r.stdout.trim();
}

/** Whether the PostgreSQL server answers. */
export function pgAvailable(): boolean {
  try {
    psqlAdmin('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/** The server's version string, for the report. */
export function pgVersion(): string {
  try {
    return psqlAdmin('SHOW server_version');
  } catch {
    return 'unavailable';
  }
}

const created = new Set<string>();
const prefix = `retort_bench_${process.pid}_`;

/** A fresh empty database `retort_bench_<pid>_<tag>`, dropped first if it exists. */
export function freshPgDatabase(tag: string): string {
  const name = `${prefix}${tag}`;
  psqlAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  psqlAdmin(`CREATE DATABASE "${name}"`);
  created.add(name);
  return name;
}

/** A copy of database `source` named for `tag` (CREATE DATABASE ... TEMPLATE), so each tool can write to its own. */
export function copyPgDatabase(source: string, tag: string): string {
  const name = `${prefix}${tag}`;
  psqlAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  psqlAdmin(`CREATE DATABASE "${name}" TEMPLATE "${source}"`);
  created.add(name);
  return name;
}

/** Drops every database this process made. */
export function dropAllPgDatabases(): void {
  for (const name of created) {
    try {
      psqlAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } catch {
      // Best effort: a server that went away leaves nothing to clean.
    }
  }
  created.clear();
}

/** A SQLite URL for an absolute file path, as Retort and SQLAlchemy both spell it. */
export const sqliteUrl = (file: string): string => `sqlite:///${file}`;

/** Deletes a SQLite database file and its journal files. */
export function removeSqlite(file: string): void {
  for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
}
